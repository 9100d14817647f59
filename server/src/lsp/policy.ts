import { dirname, isAbsolute, resolve } from 'node:path';
import { URI } from 'vscode-uri';
import { DEFAULT_POLICY, loadPolicy, policyCandidates, type Policy, type PolicyResult } from '../core';
import { decodeText, isReallyInside, readRegularFile, realRoot, statEntry } from '../read-file';

/**
 * Which policy governs a manifest (spec §1): the nearest barecount.policy.yaml up to the
 * workspace folder, else the `barecount.policyPath` setting, else the built-in policy. Open
 * policy documents are read from the editor (unsaved edits count); others from disk, cached
 * until a watched-file event or a new modification time.
 *
 * Discovery never reads above the workspace folder, nor in a folder that a symbolic link takes
 * out of it, and reads only regular files: a policy file that is a link, a FIFO, a device or a
 * folder is refused (never opened) and the built-in policy governs in its place.
 */

export interface ResolvedPolicy {
  policy: Policy;
  /** The file it came from, or "built-in". */
  source: string;
  /** The file had errors and the built-in policy is used. */
  fallback: boolean;
  result?: PolicyResult;
  /** A policy file that was found but not read, and why ("is a symbolic link; …"): the built-in policy is used in its place. */
  refused?: { path: string; reason: string };
}

const BUILT_IN: ResolvedPolicy = { policy: DEFAULT_POLICY, source: 'built-in', fallback: false };

export class PolicyResolver {
  private cache = new Map<string, { mtime: number; ino: number; result: PolicyResult }>();
  /**
   * Open policies by their text: a manifest is analysed on every keystroke, and a policy object
   * that stays the same keeps its analysis cache and its baseline (both keyed by the policy).
   */
  private openCache = new Map<string, { text: string; result: PolicyResult }>();
  private roots: Array<{ path: string; real: string }> = [];

  constructor(private readonly openText: (path: string) => string | undefined) {}

  setRoots(uris: readonly string[]): void {
    this.roots = uris
      .map((u) => URI.parse(u).fsPath)
      .sort((a, b) => b.length - a.length)
      .map((path) => ({ path, real: realRoot(path) }));
  }

  invalidate(path?: string): void {
    if (path) {
      this.cache.delete(path);
      this.openCache.delete(path);
    } else {
      this.cache.clear();
      this.openCache.clear();
    }
  }

  private root(path: string) {
    return this.roots.find((r) => path === r.path || path.startsWith(r.path.endsWith('/') ? r.path : `${r.path}/`));
  }

  resolve(uri: string, policyPath: string | undefined): ResolvedPolicy {
    const parsed = URI.parse(uri);
    const root = parsed.scheme === 'file' ? this.root(parsed.fsPath) : undefined;
    if (root) {
      for (const candidate of policyCandidates(parsed.fsPath, root.path)) {
        const abs = resolve(candidate);
        if (!isReallyInside(root.real, dirname(abs))) {
          // Only whether something is there is looked at, to say that it was not read.
          if (statEntry(abs).kind === 'missing') continue;
          return { ...BUILT_IN, refused: { path: abs, reason: 'was not read: a symbolic link takes its folder outside the workspace folder' } };
        }
        const r = this.load(abs);
        if (r) return r;
      }
    }
    // The setting names a policy the user chose (only in a trusted workspace: the session drops it
    // otherwise): it may lie anywhere, but it too is read only from a regular file.
    if (policyPath) {
      const base = parsed.scheme === 'file' ? (root?.path ?? dirname(parsed.fsPath)) : this.roots[0]?.path;
      const abs = isAbsolute(policyPath) ? policyPath : resolve(base ?? process.cwd(), policyPath);
      const r = this.load(abs);
      if (r) return r;
    }
    return BUILT_IN;
  }

  /** The policy of a file: undefined when there is none, the built-in one (`refused`) when it must not be read. */
  private load(path: string): ResolvedPolicy | undefined {
    const entry = statEntry(path);
    if (entry.kind === 'refused') return { ...BUILT_IN, refused: { path, reason: `${entry.reason}; policies are read only from regular files` } };
    let result: PolicyResult;
    const open = this.openText(path);
    // An open policy counts with its unsaved edits, once the file on disk is known to be a
    // regular one (or is not saved yet).
    if (open !== undefined && (entry.kind === 'file' || entry.kind === 'missing')) {
      const known = this.openCache.get(path);
      if (known?.text === open) result = known.result;
      else this.openCache.set(path, { text: open, result: (result = loadPolicy(open)) });
    } else if (entry.kind !== 'file') return undefined;
    else {
      const cached = this.cache.get(path);
      if (cached && cached.mtime === entry.stats.mtimeMs && cached.ino === entry.stats.ino) result = cached.result;
      else {
        const read = readRegularFile(path);
        if (read.kind === 'refused') return { ...BUILT_IN, refused: { path, reason: `${read.reason}; policies are read only from regular files` } };
        if (read.kind !== 'file') return undefined;
        result = loadPolicy(decodeText(read.bytes).text);
        this.cache.set(path, { mtime: read.stats.mtimeMs, ino: read.stats.ino, result });
      }
    }
    return { policy: result.policy, source: path, fallback: !result.usable, result };
  }
}
