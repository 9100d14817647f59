import { parseArgs as parseNodeArgs } from 'node:util';

/** Command-line arguments of barecount-lint, read by node:util's parser. Parsing never exits; main decides. */

export type Format = 'text' | 'json' | 'sarif' | 'markdown';
const FORMATS: readonly Format[] = ['text', 'json', 'sarif', 'markdown'];

export interface CliArgs {
  format: Format;
  policy?: string;
  fix: boolean;
  unsafeFixes: boolean;
  cost: boolean;
  /** Git revision to compare each manifest with (`--baseline REF`). */
  baseline?: string;
  onlyNew: boolean;
  maxWarnings?: number;
  maxFileSizeKb?: number;
  color?: boolean;
  help: boolean;
  version: boolean;
  paths: string[];
}

export type ParseResult = { ok: true; args: CliArgs } | { ok: false; error: string };

export const USAGE = `Usage: barecount-lint [options] PATH...

Checks BareCount pipeline manifests (*.barecount.yaml, *.barecount.yml, or YAML whose first
line is "apiVersion: barecount/v1") against the selection matrix, the security policy and
cost guardrails. Folders are searched recursively; barecount.policy.yaml files are validated.

Options:
  --format text|json|sarif|markdown
                            Output format (default: text). markdown is a summary for a
                            pull-request comment or a CI job summary
  --policy FILE             Policy file to use for every manifest (default: the nearest
                            barecount.policy.yaml above each manifest, up to the working
                            directory, else the built-in one). Policies are read only from
                            regular files, never through a symbolic link.
  --fix                     Correct typos in place (safe fixes only: a misspelt value, key or
                            stage name with one close valid name) and say what changed. Other
                            bytes stay; files that are not UTF-8, links and files changed
                            meanwhile are not written
  --unsafe-fixes            With --fix, also apply suggestions: each stage's recommended
                            runner, and every other fix that is the only one offered for its
                            finding (never a phase or workload). Review the diff.
  --cost                    Add monthly cost estimates per stage and pipeline
  --baseline REF            Also lint and cost each manifest as it was at git revision REF
                            (origin/main, HEAD~1, a tag): findings are marked new or not,
                            fixed ones are listed, and costs show their change. git runs in
                            each manifest's folder, with no hooks, pager or fsmonitor
  --only-new                With --baseline, report (and set the exit code from) new
                            findings only
  --max-warnings N          Exit 1 when more than N warnings are found
  --max-file-size KB        Larger files get one finding instead of a full check (default: 1024)
  --color, --no-color       Force or disable colours (default: on a terminal only)
  -h, --help                Show this help
  -v, --version             Show the version

Exit codes: 0 no errors, 1 errors found (or too many warnings), 2 bad usage, an unreadable
path, a policy file that was not read, a file --fix did not write, or a --baseline that
cannot be read (not a git repository, an unknown REF, a file git cannot show).
Rules: https://github.com/barecount/barecount-manifests/tree/main/docs/rules`;

const OPTIONS = {
  format: { type: 'string', short: 'f' },
  policy: { type: 'string' },
  fix: { type: 'boolean' },
  'unsafe-fixes': { type: 'boolean' },
  cost: { type: 'boolean' },
  baseline: { type: 'string' },
  'only-new': { type: 'boolean' },
  'max-warnings': { type: 'string' },
  'max-file-size': { type: 'string' },
  color: { type: 'boolean' },
  'no-color': { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
  version: { type: 'boolean', short: 'v' },
} as const;

export function parseArgs(argv: readonly string[]): ParseResult {
  let parsed;
  try {
    parsed = parseNodeArgs({ args: [...argv], options: OPTIONS, allowPositionals: true, strict: true });
  } catch (e) {
    // node:util names the option; say it the way the rest of this tool does.
    const m = /Unknown option '([^']+)'/.exec((e as Error).message);
    if (m) return { ok: false, error: `unknown option "${m[1]}"` };
    const missing = /Option '(?:-\w, )?(--[\w-]+)[^']*' argument missing/.exec((e as Error).message);
    if (missing) return { ok: false, error: `${missing[1]} needs a value` };
    return { ok: false, error: (e as Error).message.split('\n')[0]! };
  }
  const v = parsed.values;
  const args: CliArgs = {
    format: 'text',
    fix: !!v.fix,
    unsafeFixes: !!v['unsafe-fixes'],
    cost: !!v.cost,
    onlyNew: !!v['only-new'],
    help: !!v.help,
    version: !!v.version,
    paths: parsed.positionals,
  };
  if (v.format !== undefined) {
    if (!FORMATS.includes(v.format as Format))
      return { ok: false, error: `--format takes ${FORMATS.slice(0, -1).join(', ')} or ${FORMATS[FORMATS.length - 1]}, not "${v.format}"` };
    args.format = v.format as Format;
  }
  if (v.policy !== undefined) {
    if (!v.policy) return { ok: false, error: '--policy takes a file path' };
    args.policy = v.policy;
  }
  if (v.baseline !== undefined) {
    if (!v.baseline.trim()) return { ok: false, error: '--baseline takes a git revision (origin/main, HEAD~1, a tag)' };
    if (v.baseline.startsWith('-')) return { ok: false, error: `--baseline takes a git revision, not "${v.baseline}"` };
    args.baseline = v.baseline;
  }
  if (args.onlyNew && args.baseline === undefined) return { ok: false, error: '--only-new applies only with --baseline REF' };
  if (v['max-warnings'] !== undefined) {
    if (!/^\d+$/.test(v['max-warnings'])) return { ok: false, error: `--max-warnings takes a whole number, not "${v['max-warnings']}"` };
    args.maxWarnings = Number(v['max-warnings']);
  }
  if (v['max-file-size'] !== undefined) {
    const kb = v['max-file-size'];
    if (!/^\d+$/.test(kb) || Number(kb) === 0) return { ok: false, error: `--max-file-size takes a size in KB, not "${kb}"` };
    args.maxFileSizeKb = Number(kb);
  }
  if (v.color) args.color = true;
  if (v['no-color']) args.color = false;
  if (args.unsafeFixes && !args.fix) return { ok: false, error: '--unsafe-fixes applies only with --fix' };
  if (!args.help && !args.version && args.paths.length === 0) return { ok: false, error: 'no path given' };
  return { ok: true, args };
}
