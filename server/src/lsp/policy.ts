import { existsSync, readFileSync, statSync } from 'node:fs';
import { dirname, isAbsolute, resolve } from 'node:path';
import { URI } from 'vscode-uri';
import { DEFAULT_POLICY, loadPolicy, policyCandidates, type Policy, type PolicyResult } from '../core';

/**
 * Which policy governs a manifest (spec §1): the nearest barecount.policy.yaml up to the
 * workspace folder, else the `barecount.policyPath` setting, else the built-in policy. Open
 * policy documents are read from the editor (unsaved edits count); others from disk, cached
 * until a watched-file event or a new modification time.
 */

export interface ResolvedPolicy {
  policy: Policy;
  /** The file it came from, or "built-in". */
  source: string;
  /** The file had errors and the built-in policy is used. */
  fallback: boolean;
  result?: PolicyResult;
}

export class PolicyResolver {
  private cache = new Map<string, { mtime: number; result: PolicyResult }>();
  private roots: string[] = [];

  constructor(private readonly openText: (path: string) => string | undefined) {}

  setRoots(uris: readonly string[]): void {
    this.roots = uris.map((u) => URI.parse(u).fsPath).sort((a, b) => b.length - a.length);
  }

  invalidate(path?: string): void {
    if (path) this.cache.delete(path);
    else this.cache.clear();
  }

  rootOf(path: string): string | undefined {
    return this.roots.find((r) => path === r || path.startsWith(r.endsWith('/') ? r : `${r}/`));
  }

  resolve(uri: string, policyPath: string | undefined): ResolvedPolicy {
    const parsed = URI.parse(uri);
    if (parsed.scheme === 'file') {
      const path = parsed.fsPath;
      for (const candidate of policyCandidates(path, this.rootOf(path))) {
        const r = this.load(candidate);
        if (r) return r;
      }
    }
    if (policyPath) {
      const base = parsed.scheme === 'file' ? (this.rootOf(parsed.fsPath) ?? dirname(parsed.fsPath)) : this.roots[0];
      const abs = isAbsolute(policyPath) ? policyPath : resolve(base ?? process.cwd(), policyPath);
      const r = this.load(abs);
      if (r) return r;
    }
    return { policy: DEFAULT_POLICY, source: 'built-in', fallback: false };
  }

  private load(path: string): ResolvedPolicy | undefined {
    const open = this.openText(path);
    let result: PolicyResult;
    if (open !== undefined) result = loadPolicy(open);
    else {
      if (!existsSync(path)) return undefined;
      let mtime: number;
      try {
        const st = statSync(path);
        if (!st.isFile()) return undefined;
        mtime = st.mtimeMs;
      } catch {
        return undefined;
      }
      const cached = this.cache.get(path);
      if (cached && cached.mtime === mtime) result = cached.result;
      else {
        try {
          result = loadPolicy(readFileSync(path, 'utf8'));
        } catch {
          return undefined;
        }
        this.cache.set(path, { mtime, result });
      }
    }
    return { policy: result.policy, source: path, fallback: !result.usable, result };
  }
}
