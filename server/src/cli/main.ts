import { writeFileSync } from 'node:fs';
import { resolve, sep } from 'node:path';
import {
  DEFAULT_POLICY,
  LineIndex,
  analyze,
  fixAll,
  isoDate,
  limitsWithSize,
  loadPolicy,
  policyCandidates,
  Redactor,
  secretsInText,
  type AnalysisEnv,
  type AppliedFix,
  type Policy,
  type PolicyResult,
} from '../core';
import { USAGE, parseArgs } from './args';
import { collectTargets, displayPath, exists, readText, type Target } from './files';
import { formatJson } from './format-json';
import { formatSarif } from './format-sarif';
import { COLOR, PLAIN, formatText } from './format-text';
import { counts, type FileReport, type RunReport } from './report';

declare const __BARECOUNT_VERSION__: string | undefined;
export const VERSION = typeof __BARECOUNT_VERSION__ === 'string' ? __BARECOUNT_VERSION__ : '0.0.0-dev';

export interface Io {
  stdout(s: string): void;
  stderr(s: string): void;
  isTty: boolean;
  env: Readonly<Record<string, string | undefined>>;
}

export function run(argv: readonly string[], io: Io): number {
  const parsed = parseArgs(argv);
  if (!parsed.ok) {
    io.stderr(`barecount-lint: ${parsed.error}\n\n${USAGE}\n`);
    return 2;
  }
  const args = parsed.args;
  if (args.help) {
    io.stdout(`${USAGE}\n`);
    return 0;
  }
  if (args.version) {
    io.stdout(`${VERSION}\n`);
    return 0;
  }

  const limits = limitsWithSize(args.maxFileSizeKb);
  // Today's date is read here, once per run: the engine has no clock.
  const today = isoDate(new Date());
  const ioErrors: string[] = [];
  const notices: string[] = [];
  const reports = new Map<string, FileReport>();
  // Each policy file is read and checked once, however many manifests it governs.
  const policies = new Map<string, { result: PolicyResult; text: string }>();

  const policyReport = (abs: string, result: PolicyResult, text: string) => {
    if (reports.has(abs)) return;
    reports.set(abs, { display: displayPath(abs), abs, kind: 'policy', text, lines: new LineIndex(text), findings: result.findings, fixed: [] });
  };
  const loadPolicyFile = (abs: string): PolicyResult | undefined => {
    const cached = policies.get(abs);
    if (cached) return cached.result;
    let text: string;
    try {
      text = readText(abs);
    } catch (e) {
      ioErrors.push(`cannot read policy ${displayPath(abs)}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
      return undefined;
    }
    const result = loadPolicy(text, limits);
    policies.set(abs, { result, text });
    if (result.findings.length > 0) policyReport(abs, result, text);
    if (!result.usable) notices.push(`${displayPath(abs)} has errors; the built-in policy is used instead for the manifests it governs.`);
    return result;
  };

  let explicit: Policy | undefined;
  if (args.policy) {
    const abs = resolve(args.policy);
    if (!exists(abs)) {
      io.stderr(`barecount-lint: cannot read policy ${args.policy}: no such file\n`);
      return 2;
    }
    const r = loadPolicyFile(abs);
    if (!r) {
      io.stderr(`barecount-lint: ${ioErrors.join('\n')}\n`);
      return 2;
    }
    explicit = r.policy;
  }

  const cwd = process.cwd();
  const policyFor = (manifestAbs: string): Policy => {
    if (explicit) return explicit;
    const root = manifestAbs.startsWith(cwd + sep) ? cwd : undefined;
    for (const candidate of policyCandidates(manifestAbs, root)) {
      const abs = resolve(candidate);
      if (exists(abs)) return loadPolicyFile(abs)?.policy ?? DEFAULT_POLICY;
    }
    return DEFAULT_POLICY;
  };

  const { targets, errors } = collectTargets(args.paths);
  ioErrors.push(...errors);
  for (const t of targets) checkTarget(t);

  function checkTarget(t: Target) {
    if (t.kind === 'policy') {
      // Listed even without findings, so a run over a folder says which policies it checked.
      const r = loadPolicyFile(t.abs);
      const loaded = policies.get(t.abs);
      if (r && loaded && !reports.has(t.abs)) policyReport(t.abs, r, loaded.text);
      return;
    }
    let text: string;
    try {
      text = readText(t.abs);
    } catch (e) {
      ioErrors.push(`cannot read ${t.display}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
      return;
    }
    const policy = policyFor(t.abs);
    const env: AnalysisEnv = { policy, limits, today };
    let fixed: AppliedFix[] = [];
    if (args.fix) {
      const r = fixAll(text, env, args.unsafeFixes ? 'unsafe' : 'safe');
      if (r.text !== text) {
        try {
          writeFileSync(t.abs, r.text);
          text = r.text;
          fixed = r.applied;
        } catch (e) {
          ioErrors.push(`cannot write ${t.display}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
        }
      }
    }
    const analysis = analyze(text, env);
    reports.set(t.abs, {
      display: t.display,
      abs: t.abs,
      kind: 'manifest',
      text,
      lines: new LineIndex(text),
      findings: analysis.findings,
      analysis,
      fixed,
    });
  }

  // Manifests first in the order given, then the policy files that governed them.
  const files = [...reports.values()].sort((a, b) => Number(a.kind === 'policy') - Number(b.kind === 'policy'));
  // One redaction layer for the whole run: a secret of any file is masked in every output.
  const secrets = new Set<string>();
  for (const f of files) {
    if (f.analysis) for (const s of f.analysis.secrets) secrets.add(s);
    else secretsInText(f.text, secrets);
  }
  const redactor = new Redactor(secrets);
  const report: RunReport = { files, withCost: args.cost, notices, redactor };
  const color = args.color ?? (io.isTty && !io.env.NO_COLOR && io.env.TERM !== 'dumb');
  if (args.format === 'json') io.stdout(`${formatJson(report)}\n`);
  else if (args.format === 'sarif') io.stdout(`${formatSarif(report, VERSION)}\n`);
  else io.stdout(`${formatText(report, color || io.env.FORCE_COLOR ? COLOR : PLAIN)}\n`);
  for (const n of notices) io.stderr(redactor.text(`barecount-lint: note: ${n}\n`));
  if (targets.length === 0 && ioErrors.length === 0) io.stderr('barecount-lint: note: no manifests found under the given paths.\n');
  for (const e of ioErrors) io.stderr(redactor.text(`barecount-lint: ${e}\n`));
  if (ioErrors.length > 0) return 2;
  const c = counts(report);
  if (c.errors > 0) return 1;
  if (args.maxWarnings !== undefined && c.warnings > args.maxWarnings) {
    io.stderr(`barecount-lint: ${c.warnings} warnings, more than --max-warnings ${args.maxWarnings}.\n`);
    return 1;
  }
  return 0;
}
