import { execFile, execFileSync } from 'node:child_process';
import { dirname, relative, sep } from 'node:path';
import { decodeText, realRoot } from './read-file';

/**
 * A manifest as it was at a git revision (spec §8, `--baseline REF`, `barecount.baseline`), shared
 * by barecount-lint (synchronously) and the language server (without blocking): the steps are one
 * generator of git commands, run by either driver.
 *
 * git runs with the manifest's folder as its working directory and never runs anything the
 * workspace could have put there: no pager, no hooks, no fsmonitor, no external diff or textconv,
 * no lazy fetch or other transport, no prompt. Only plumbing that reads objects is used (rev-parse,
 * diff --cached --name-status, ls-tree, cat-file), and a revision is always passed after
 * `--end-of-options`, so "--output=…" is a revision name, never an option.
 */

export type BaselineText =
  /** The file's text at the revision; `path` is where it was (a renamed file's old path). */
  | { kind: 'text'; text: string; path: string }
  /** The file did not exist at the revision: everything in it is new. */
  | { kind: 'absent' };

/** Why a file cannot be compared: not in a repository, an unknown revision, an object git cannot show. */
export class BaselineError extends Error {}

interface GitResult {
  code: number;
  stdout: Buffer;
  stderr: string;
}

interface GitCommand {
  args: string[];
  cwd: string;
}

const SAFE_CONFIG = [
  '--no-pager',
  '-c',
  'core.fsmonitor=false',
  '-c',
  'core.hooksPath=/dev/null',
  '-c',
  'core.untrackedCache=false',
  '-c',
  'diff.external=',
  '-c',
  'protocol.allow=never',
];

const MAX_BLOB = 64 << 20;
const TIMEOUT_MS = 15_000;

function gitEnv(): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env, GIT_TERMINAL_PROMPT: '0', GIT_PAGER: 'cat', PAGER: 'cat', GIT_OPTIONAL_LOCKS: '0', GIT_NO_LAZY_FETCH: '1' };
  delete env.GIT_EXTERNAL_DIFF;
  delete env.GIT_ASKPASS;
  delete env.SSH_ASKPASS;
  return env;
}

/** git's first line of complaint, fit to quote: no control characters, not too long. */
function complaint(stderr: string): string {
  const line =
    stderr
      .split('\n')
      .map((l) => l.trim())
      .find(Boolean) ?? 'no message';
  const clean = line.replace(/^(fatal|error): /, '').replace(/[\u0000-\u001f\u007f]/g, '?');
  return clean.length > 160 ? `${clean.slice(0, 157)}...` : clean;
}

/** What the steps learn once per folder, repository and revision, for every file of a run. */
export class BaselineReader {
  private readonly tops = new Map<string, string | BaselineError>();
  private readonly commits = new Map<string, string | BaselineError>();
  private readonly renames = new Map<string, Map<string, string>>();

  constructor(readonly ref: string) {}

  /** The file's text at `ref` (or that it did not exist there); throws BaselineError naming `shown`. */
  readSync(abs: string, shown = abs): BaselineText {
    const steps = this.steps(abs, shown);
    let next = steps.next();
    while (!next.done) next = steps.next(runSync(next.value));
    return next.value;
  }

  /** `readSync` without blocking: for the language server. */
  async read(abs: string, shown = abs): Promise<BaselineText> {
    const steps = this.steps(abs, shown);
    let next = steps.next();
    while (!next.done) next = steps.next(await runAsync(next.value));
    return next.value;
  }

  private *steps(abs: string, shown: string): Generator<GitCommand, BaselineText, GitResult> {
    const ref = this.ref;
    const cwd = dirname(abs);
    if (!ref.trim() || ref.startsWith('-') || /[\u0000-\u001f]/.test(ref))
      throw new BaselineError(`"${ref.replace(/[\u0000-\u001f]/g, '?')}" is not a revision name`);
    let top = this.tops.get(cwd);
    if (top === undefined) {
      const r = yield { args: ['rev-parse', '--show-toplevel'], cwd };
      // git's own words only when they say something else (no git, a repository it will not read).
      const why = complaint(r.stderr);
      top =
        r.code === 0
          ? r.stdout.toString('utf8').trim()
          : new BaselineError(/not a git repository/i.test(why) ? `${shown} is not in a git repository` : `${shown}: git cannot read its repository (${why})`);
      this.tops.set(cwd, top);
    }
    if (top instanceof BaselineError) throw top;
    let commit = this.commits.get(top);
    if (commit === undefined) {
      const r = yield { args: ['rev-parse', '--verify', '--quiet', '--end-of-options', `${ref}^{commit}`], cwd };
      commit = r.code === 0 ? r.stdout.toString('utf8').trim() : new BaselineError(`unknown revision "${ref}" in the repository at ${top}`);
      this.commits.set(top, commit);
    }
    if (commit instanceof BaselineError) throw commit;
    // Both sides resolved alike (read-file's realRoot), so a link or a drive letter's case cannot put the file "outside".
    const rel = relative(realRoot(top), realRoot(abs)).split(sep).join('/');
    if (rel.startsWith('../') || rel === '..' || rel === '') throw new BaselineError(`git cannot show ${shown}: it is outside the repository at ${top}`);
    // Renames between the revision and the index (committed or staged): a moved file keeps its history.
    let moved = this.renames.get(top);
    if (!moved) {
      moved = new Map();
      const r = yield { args: ['diff', '--cached', '-M', '--name-status', '-z', '--no-ext-diff', '--no-textconv', '--end-of-options', commit, '--'], cwd };
      if (r.code === 0) {
        const parts = r.stdout.toString('utf8').split('\0');
        for (let i = 0; i < parts.length;) {
          const status = parts[i++] ?? '';
          if (status.startsWith('R') || status.startsWith('C')) {
            const from = parts[i++]!;
            const to = parts[i++]!;
            if (status.startsWith('R')) moved.set(to, from);
          } else i++;
        }
      }
      this.renames.set(top, moved);
    }
    const path = moved.get(rel) ?? rel;
    const listed = yield { args: ['ls-tree', '-l', '-z', '--full-tree', '--end-of-options', commit, '--', path], cwd };
    if (listed.code !== 0) throw new BaselineError(`git cannot show ${shown} at ${ref} (${complaint(listed.stderr)})`);
    const entry = listed.stdout
      .toString('utf8')
      .split('\0')
      .find((e) => e.endsWith(`\t${path}`));
    if (!entry) return { kind: 'absent' };
    const [mode, type, object, size] = entry.slice(0, entry.indexOf('\t')).split(/\s+/);
    if (type !== 'blob' || mode === '120000')
      throw new BaselineError(`git cannot show ${shown} at ${ref}: it is ${mode === '120000' ? 'a symbolic link' : `a ${type}`} there`);
    if (Number(size) > MAX_BLOB) throw new BaselineError(`git cannot show ${shown} at ${ref}: it is larger than ${MAX_BLOB >> 20} MiB there`);
    const blob = yield { args: ['cat-file', 'blob', object!], cwd };
    if (blob.code !== 0) throw new BaselineError(`git cannot show ${shown} at ${ref} (${complaint(blob.stderr)})`);
    return { kind: 'text', text: decodeText(blob.stdout).text, path };
  }
}

function runSync(c: GitCommand): GitResult {
  try {
    const stdout = execFileSync('git', [...SAFE_CONFIG, ...c.args], {
      cwd: c.cwd,
      env: gitEnv(),
      stdio: ['ignore', 'pipe', 'pipe'],
      maxBuffer: MAX_BLOB + (1 << 20),
      timeout: TIMEOUT_MS,
      windowsHide: true,
    });
    return { code: 0, stdout, stderr: '' };
  } catch (e) {
    const err = e as { status?: number | null; stdout?: Buffer; stderr?: Buffer; code?: string };
    if (err.code === 'ENOENT') return { code: 127, stdout: Buffer.alloc(0), stderr: 'git is not installed (or not on PATH)' };
    return { code: err.status ?? 1, stdout: err.stdout ?? Buffer.alloc(0), stderr: err.stderr?.toString('utf8') ?? String((e as Error).message) };
  }
}

function runAsync(c: GitCommand): Promise<GitResult> {
  return new Promise((resolve) => {
    execFile(
      'git',
      [...SAFE_CONFIG, ...c.args],
      { cwd: c.cwd, env: gitEnv(), encoding: 'buffer', maxBuffer: MAX_BLOB + (1 << 20), timeout: TIMEOUT_MS, windowsHide: true },
      (error, stdout, stderr) => {
        const code = error ? ((error as { code?: unknown }).code === 'ENOENT' ? 127 : typeof error.code === 'number' ? error.code : 1) : 0;
        const why = (error as { code?: unknown } | null)?.code === 'ENOENT' ? 'git is not installed (or not on PATH)' : stderr.toString('utf8');
        resolve({ code, stdout, stderr: why });
      },
    );
  });
}
