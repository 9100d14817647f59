import { randomBytes } from 'node:crypto';
import {
  accessSync,
  closeSync,
  constants,
  fchmodSync,
  fchownSync,
  fstatSync,
  fsyncSync,
  lstatSync,
  openSync,
  readFileSync,
  readSync,
  readdirSync,
  renameSync,
  statSync,
  unlinkSync,
  writeSync,
  type Stats,
} from 'node:fs';
import { basename, dirname, join, relative, resolve, sep } from 'node:path';
import { isManifestByName, isManifestFirstLine, isPolicyPath, isYamlPath } from '../core';
import { decodeText, nonRegularReason, type DecodedText } from '../read-file';

/** File-system side of the linter: which files to check and how to read them. */

export interface Target {
  /** As shown to the user: relative to the working directory where possible. */
  display: string;
  abs: string;
  kind: 'manifest' | 'policy';
}

export interface Collected {
  targets: Target[];
  errors: string[];
}

const SKIP_DIRS = new Set(['node_modules', '.git', '.hg', '.svn', 'dist', 'out']);

export function displayPath(abs: string, cwd = process.cwd()): string {
  const rel = relative(cwd, abs);
  return rel && !rel.startsWith('..') && !rel.startsWith(sep) ? rel.split(sep).join('/') : abs;
}

function firstLine(abs: string): string {
  const fd = openSync(abs, 'r');
  try {
    const buf = Buffer.alloc(256);
    const n = readSync(fd, buf, 0, buf.length, 0);
    const text = buf.subarray(0, n).toString('utf8');
    const nl = text.indexOf('\n');
    return nl === -1 ? text : text.slice(0, nl);
  } finally {
    closeSync(fd);
  }
}

export function collectTargets(paths: readonly string[]): Collected {
  const targets: Target[] = [];
  const errors: string[] = [];
  const seen = new Set<string>();
  const add = (abs: string, kind: Target['kind']) => {
    if (seen.has(abs)) return;
    seen.add(abs);
    targets.push({ abs, display: displayPath(abs), kind });
  };
  const walk = (dir: string, depth: number) => {
    if (depth > 64) return;
    let entries;
    try {
      entries = readdirSync(dir, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    } catch (e) {
      errors.push(`cannot read folder ${displayPath(dir)}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
      return;
    }
    for (const entry of entries) {
      const abs = join(dir, entry.name);
      // A policy that is a link, a folder or anything but a regular file is listed, to be reported
      // (and never read) rather than skipped in silence.
      if (isPolicyPath(abs) && !entry.isFile()) add(abs, 'policy');
      else if (entry.isDirectory()) {
        if (!SKIP_DIRS.has(entry.name) && !entry.name.startsWith('.')) walk(abs, depth + 1);
      } else if (entry.isFile()) {
        if (isPolicyPath(abs)) add(abs, 'policy');
        else if (isManifestByName(abs)) add(abs, 'manifest');
        else if (isYamlPath(abs)) {
          try {
            if (isManifestFirstLine(firstLine(abs))) add(abs, 'manifest');
          } catch {
            // Unreadable files that were not asked for by name are not manifests we know of.
          }
        }
      }
    }
  };
  for (const p of paths) {
    const abs = resolve(p);
    let st;
    try {
      // A policy named on the command line is not followed: reading it decides what it is. A
      // manifest or a folder named there is followed, as the person typed the link.
      st = isPolicyPath(abs) ? lstatSync(abs) : statSync(abs);
    } catch (e) {
      errors.push(
        `cannot read ${p}: ${(e as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file or folder' : ((e as NodeJS.ErrnoException).code ?? (e as Error).message)}`,
      );
      continue;
    }
    if (isPolicyPath(abs)) add(abs, 'policy');
    else if (st.isDirectory()) walk(abs, 0);
    else add(abs, 'manifest');
  }
  return { targets, errors };
}

/** A manifest as read: its bytes, their text, and the file they came from (to notice a change). */
export interface ManifestRead {
  bytes: Buffer;
  decoded: DecodedText;
  stats: Stats;
}

/**
 * Reads a manifest, following a link named on the command line; its stats are those of what was
 * read. Only a regular file is read: a FIFO would block and a device (`/dev/zero`) never end.
 */
export function readManifest(abs: string): ManifestRead {
  const fd = openSync(abs, constants.O_RDONLY | (constants.O_NONBLOCK ?? 0));
  try {
    const stats = fstatSync(fd);
    const reason = nonRegularReason(stats);
    if (reason) throw Object.assign(new Error(`it ${reason}`), { code: undefined });
    const bytes = readFileSync(fd);
    return { bytes, decoded: decodeText(bytes), stats };
  } finally {
    closeSync(fd);
  }
}

function sameFile(a: Stats, b: Stats): boolean {
  return a.dev === b.dev && a.ino === b.ino && a.size === b.size && a.mtimeMs === b.mtimeMs;
}

/**
 * Writes the fixed bytes of a manifest in place of what was read, or says why not. Never through a
 * link, never over a file that changed since it was read, and atomically: a temporary file in the
 * same folder with the original's mode (and owner), synced, then renamed over the original. A
 * failed write leaves the original as it was and no temporary file behind; it throws.
 * `beforeReplace` runs once the temporary file is complete, before the checks: tests change the
 * file there.
 */
export function writeFixed(
  abs: string,
  read: ManifestRead,
  bytes: Buffer,
  beforeReplace?: (abs: string) => void,
): { written: true } | { written: false; reason: string } {
  const now = lstatSync(abs);
  if (now.isSymbolicLink()) return { written: false, reason: 'it is a symbolic link; --fix writes only regular files (run it on the file the link points to)' };
  const kind = nonRegularReason(now);
  if (kind) return { written: false, reason: `it ${kind}; --fix writes only regular files` };
  const changed = { written: false as const, reason: 'it changed while barecount-lint was fixing it; not written' };
  if (!sameFile(now, read.stats)) return changed;
  // Renaming over a read-only file would work: the file's own permission decides, as an in-place write would.
  accessSync(abs, constants.W_OK);
  const temp = join(dirname(abs), `.${basename(abs)}.barecount-fix-${process.pid}-${randomBytes(6).toString('hex')}`);
  const fd = openSync(temp, 'wx', 0o600);
  let renamed = false;
  try {
    try {
      // The owner and group of the file, when they differ from ours; where we may not set them,
      // the file is left as it is rather than handed over to us. Then its mode, exactly: the one
      // given to open passed through the umask.
      const mine = fstatSync(fd);
      if (mine.uid !== read.stats.uid || mine.gid !== read.stats.gid) {
        try {
          fchownSync(fd, read.stats.uid, read.stats.gid);
        } catch {
          return { written: false, reason: 'it belongs to another user or group, which a rewritten file could not keep; not written' };
        }
      }
      fchmodSync(fd, read.stats.mode & 0o7777);
      for (let off = 0; off < bytes.length;) off += writeSync(fd, bytes, off, bytes.length - off);
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
    beforeReplace?.(abs);
    const latest = lstatSync(abs);
    if (!latest.isFile() || !sameFile(latest, read.stats) || !readFileSync(abs).equals(read.bytes)) return changed;
    renameSync(temp, abs);
    renamed = true;
    return { written: true };
  } finally {
    if (!renamed) {
      try {
        unlinkSync(temp);
      } catch {
        // Already gone: nothing is left behind either way.
      }
    }
  }
}
