/** Command-line arguments of barecount-lint. Parsing never exits; main decides. */

export type Format = 'text' | 'json' | 'sarif';

export interface CliArgs {
  format: Format;
  policy?: string;
  fix: boolean;
  cost: boolean;
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
  --format text|json|sarif  Output format (default: text)
  --policy FILE             Policy file to use for every manifest (default: the nearest
                            barecount.policy.yaml above each manifest, else the built-in one)
  --fix                     Apply every unambiguous fix in place and say what changed
  --cost                    Add monthly cost estimates per stage and pipeline
  --max-warnings N          Exit 1 when more than N warnings are found
  --max-file-size KB        Larger files get one finding instead of a full check (default: 1024)
  --color, --no-color       Force or disable colours (default: on a terminal only)
  -h, --help                Show this help
  -v, --version             Show the version

Exit codes: 0 no errors, 1 errors found (or too many warnings), 2 bad usage or unreadable path.
Rules: https://github.com/barecount/barecount-manifests/tree/main/docs/rules`;

export function parseArgs(argv: readonly string[]): ParseResult {
  const args: CliArgs = { format: 'text', fix: false, cost: false, help: false, version: false, paths: [] };
  for (let i = 0; i < argv.length; i++) {
    const raw = argv[i]!;
    if (raw === '--') {
      args.paths.push(...argv.slice(i + 1));
      break;
    }
    const eq = raw.startsWith('--') ? raw.indexOf('=') : -1;
    const name = eq === -1 ? raw : raw.slice(0, eq);
    const inline = eq === -1 ? undefined : raw.slice(eq + 1);
    const value = (): string | undefined => inline ?? argv[++i];
    switch (name) {
      case '-h':
      case '--help':
        args.help = true;
        break;
      case '-v':
      case '--version':
        args.version = true;
        break;
      case '--fix':
        args.fix = true;
        break;
      case '--cost':
        args.cost = true;
        break;
      case '--color':
        args.color = true;
        break;
      case '--no-color':
        args.color = false;
        break;
      case '--format':
      case '-f': {
        const v = value();
        if (v !== 'text' && v !== 'json' && v !== 'sarif')
          return { ok: false, error: `--format takes text, json or sarif${v === undefined ? '' : `, not "${v}"`}` };
        args.format = v;
        break;
      }
      case '--policy': {
        const v = value();
        if (!v) return { ok: false, error: '--policy takes a file path' };
        args.policy = v;
        break;
      }
      case '--max-warnings': {
        const v = value();
        if (v === undefined || !/^\d+$/.test(v)) return { ok: false, error: `--max-warnings takes a whole number${v === undefined ? '' : `, not "${v}"`}` };
        args.maxWarnings = Number(v);
        break;
      }
      case '--max-file-size': {
        const v = value();
        if (v === undefined || !/^\d+$/.test(v) || Number(v) === 0)
          return { ok: false, error: `--max-file-size takes a size in KB${v === undefined ? '' : `, not "${v}"`}` };
        args.maxFileSizeKb = Number(v);
        break;
      }
      default:
        if (raw.startsWith('-') && raw !== '-') return { ok: false, error: `unknown option "${raw}"` };
        args.paths.push(raw);
    }
  }
  if (!args.help && !args.version && args.paths.length === 0) return { ok: false, error: 'no path given' };
  return { ok: true, args };
}
