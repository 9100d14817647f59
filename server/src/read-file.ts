import { closeSync, constants, fstatSync, lstatSync, openSync, readFileSync, realpathSync, type Stats } from 'node:fs';
import { isAbsolute, relative } from 'node:path';

/**
 * Reading files from a workspace that may be hostile, shared by barecount-lint and the language
 * server (spec §1). A policy is read only from a regular file: a symbolic link could make us print
 * /proc/self/environ or a `.env` in a finding's source line, a FIFO blocks whoever opens it, and a
 * device may never end. Text is checked to be UTF-8 so that nothing else is ever printed or
 * rewritten.
 */

export type RegularFileRead =
  | { kind: 'file'; bytes: Buffer; stats: Stats }
  | { kind: 'missing' }
  /** Something is there that is not a regular file; `reason` completes "<path> …". */
  | { kind: 'refused'; reason: string }
  | { kind: 'error'; code: string };

/** What a file-system entry is, when it is not a regular file: "is a symbolic link", … */
export function nonRegularReason(st: Stats): string | undefined {
  if (st.isFile()) return undefined;
  if (st.isSymbolicLink()) return 'is a symbolic link';
  if (st.isDirectory()) return 'is a folder';
  if (st.isFIFO()) return 'is a FIFO (named pipe)';
  if (st.isSocket()) return 'is a socket';
  if (st.isCharacterDevice() || st.isBlockDevice()) return 'is a device';
  return 'is not a regular file';
}

function errorCode(e: unknown): string {
  return (e as NodeJS.ErrnoException).code ?? (e as Error).message;
}

// Absent on Windows, where neither a FIFO nor O_NOFOLLOW exists in this form.
const NO_FOLLOW = constants.O_NOFOLLOW ?? 0;
const NON_BLOCK = constants.O_NONBLOCK ?? 0;

export type EntryStat = { kind: 'file'; stats: Stats } | Exclude<RegularFileRead, { kind: 'file' }>;

/** What is at a path, without following a link there: a regular file's stats, or why it is none. */
export function statEntry(abs: string): EntryStat {
  let st: Stats;
  try {
    st = lstatSync(abs);
  } catch (e) {
    const code = errorCode(e);
    return code === 'ENOENT' || code === 'ENOTDIR' ? { kind: 'missing' } : { kind: 'error', code };
  }
  const reason = nonRegularReason(st);
  return reason ? { kind: 'refused', reason } : { kind: 'file', stats: st };
}

/**
 * Reads a file only if it is a regular file, never following a symbolic link at its last step and
 * never opening a FIFO or a device: `lstat` decides first, then the file is opened without
 * following links or blocking, and the open file must be the very one that `lstat` saw.
 */
export function readRegularFile(abs: string): RegularFileRead {
  const entry = statEntry(abs);
  if (entry.kind !== 'file') return entry;
  const st = entry.stats;
  let fd: number;
  try {
    fd = openSync(abs, constants.O_RDONLY | NO_FOLLOW | NON_BLOCK);
  } catch (e) {
    // Replaced by a link between lstat and open.
    if (errorCode(e) === 'ELOOP') return { kind: 'refused', reason: 'is a symbolic link' };
    return { kind: 'error', code: errorCode(e) };
  }
  try {
    const now = fstatSync(fd);
    if (!now.isFile() || now.ino !== st.ino || now.dev !== st.dev) return { kind: 'refused', reason: nonRegularReason(now) ?? 'changed while it was opened' };
    return { kind: 'file', bytes: readFileSync(fd), stats: now };
  } catch (e) {
    return { kind: 'error', code: errorCode(e) };
  } finally {
    closeSync(fd);
  }
}

/** Whether `path` is `root` or lies under it, comparing the paths as written. */
export function isInside(root: string, path: string): boolean {
  const rel = relative(root, path);
  return rel === '' || (!rel.startsWith('..') && !isAbsolute(rel));
}

/**
 * Whether a folder, once every symbolic link in its path is resolved, is `realRoot` or lies under
 * it: a folder of the workspace that links to /etc is not part of the workspace. False when the
 * folder cannot be resolved.
 */
export function isReallyInside(realRoot: string, folder: string): boolean {
  try {
    return isInside(realRoot, realpathSync.native(folder));
  } catch {
    return false;
  }
}

/** A root as the file system knows it, for `isReallyInside`; the path itself when it cannot be resolved. */
export function realRoot(root: string): string {
  try {
    return realpathSync.native(root);
  } catch {
    return root;
  }
}

export interface DecodedText {
  /** The text without a leading BOM; bytes that are not UTF-8 become U+FFFD (the engine reports binary). */
  text: string;
  /** The bytes are UTF-8 and `bom` + the text encode back to exactly them. */
  valid: boolean;
  bom: boolean;
}

const UTF8_BOM = Buffer.from([0xef, 0xbb, 0xbf]);

export function decodeText(bytes: Uint8Array): DecodedText {
  const buf = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const bom = buf.subarray(0, 3).equals(UTF8_BOM);
  try {
    const text = new TextDecoder('utf-8', { fatal: true, ignoreBOM: false }).decode(buf);
    // Valid UTF-8 always encodes back to its bytes; checked so that --fix can rely on it.
    const valid = Buffer.concat([bom ? UTF8_BOM : Buffer.alloc(0), Buffer.from(text, 'utf8')]).equals(buf);
    return { text, valid, bom };
  } catch {
    return { text: new TextDecoder('utf-8', { fatal: false, ignoreBOM: false }).decode(buf), valid: false, bom };
  }
}

/** The bytes of `text` as the file held it: UTF-8, with its BOM when it had one. */
export function encodeText(text: string, bom: boolean): Buffer {
  return bom ? Buffer.concat([UTF8_BOM, Buffer.from(text, 'utf8')]) : Buffer.from(text, 'utf8');
}
