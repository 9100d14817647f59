import { closeSync, openSync, readFileSync, readSync, readdirSync, statSync } from 'node:fs';
import { join, relative, resolve, sep } from 'node:path';
import { isManifestByName, isManifestFirstLine, isPolicyPath, isYamlPath } from '../core';

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
      if (entry.isDirectory()) {
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
      st = statSync(abs);
    } catch (e) {
      errors.push(
        `cannot read ${p}: ${(e as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file or folder' : ((e as NodeJS.ErrnoException).code ?? (e as Error).message)}`,
      );
      continue;
    }
    if (st.isDirectory()) walk(abs, 0);
    else add(abs, isPolicyPath(abs) ? 'policy' : 'manifest');
  }
  return { targets, errors };
}

/** Reads a file as text; bytes that are not UTF-8 become U+FFFD, which the engine reports as binary. */
export function readText(abs: string): string {
  const buf = readFileSync(abs);
  return new TextDecoder('utf-8', { fatal: false, ignoreBOM: false }).decode(buf);
}

export function exists(abs: string): boolean {
  try {
    return statSync(abs).isFile();
  } catch {
    return false;
  }
}
