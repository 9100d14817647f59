import { lstatSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import {
  DEFAULT_POLICY,
  LineIndex,
  analyze,
  baselineCosts,
  compareFindings,
  compareFindingsByMessage,
  fixAll,
  isoDate,
  limitsWithSize,
  loadPolicy,
  policyCandidates,
  Redactor,
  parseYaml,
  secretsInText,
  secretsOf,
  type Analysis,
  type AnalysisEnv,
  type AppliedFix,
  type Finding,
  type Policy,
  type PolicyResult,
} from '../core';
import { decodeText, encodeText, isInside, isReallyInside, readRegularFile, realRoot, type RegularFileRead } from '../read-file';
import { BaselineError, BaselineReader } from '../git';
import { USAGE, parseArgs } from './args';
import { collectTargets, displayPath, readManifest, writeFixed, type ManifestRead, type Target } from './files';
import { formatJson } from './format-json';
import { formatMarkdown } from './format-markdown';
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
  /** Tests only: runs while --fix holds a file's new bytes, just before it checks the file is unchanged and replaces it. */
  beforeFixWrite?: (abs: string) => void;
}

interface LoadedPolicy {
  kind: 'loaded';
  result: PolicyResult;
  text: string;
  showSource: boolean;
}

/** Whether a file's source lines may be printed: UTF-8 text, with no NUL and nothing the engine called binary. */
function printable(valid: boolean, text: string, findings: readonly Finding[]): boolean {
  return valid && !text.includes('\0') && !findings.some((f) => f.code === 'BC001' && f.messageId === 'binary');
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
  /** Secrets of files as they were before --fix changed them. */
  const fixedAway = new Set<string>();
  // Each policy file is read and checked once, however many manifests it governs; one that is not
  // there, not a regular file or not readable is remembered too, and reported once.
  const policies = new Map<string, LoadedPolicy | Exclude<RegularFileRead, { kind: 'file' }>>();
  const unreadSaid = new Set<string>();

  const policyReport = (abs: string, loaded: LoadedPolicy) => {
    if (reports.has(abs)) return;
    const { result, text, showSource } = loaded;
    reports.set(abs, { display: displayPath(abs), abs, kind: 'policy', text, lines: new LineIndex(text), findings: result.findings, fixed: [], showSource });
  };
  const readPolicy = (abs: string) => {
    const cached = policies.get(abs);
    if (cached) return cached;
    const read = readRegularFile(abs);
    if (read.kind !== 'file') {
      policies.set(abs, read);
      return read;
    }
    const { text, valid } = decodeText(read.bytes);
    const result = loadPolicy(text, limits, { today });
    const loaded: LoadedPolicy = { kind: 'loaded', result, text, showSource: printable(valid, text, result.findings) };
    policies.set(abs, loaded);
    if (result.findings.length > 0) policyReport(abs, loaded);
    if (!result.usable) notices.push(`${displayPath(abs)} has errors; the built-in policy is used instead for the manifests it governs.`);
    return loaded;
  };
  /** Says once why a policy file was not read: an io error, so the run exits 2 and CI notices. */
  const unread = (abs: string, message: string) => {
    if (unreadSaid.has(abs)) return;
    unreadSaid.add(abs);
    ioErrors.push(`${message} — the built-in policy is used in its place`);
  };
  /**
   * The policy a manifest is checked with, and whether the built-in one stands in for a policy
   * that could not be used (errors, not read, not looked for): then no waiver is called unused.
   */
  type Governing = { policy: Policy; fallback: boolean };
  const FALLBACK: Governing = { policy: DEFAULT_POLICY, fallback: true };
  /** The policy a found file stands for: its own, the built-in one when it has errors or was not read, or 'missing'. */
  const policyOf = (abs: string): Governing | 'missing' => {
    const p = readPolicy(abs);
    if (p.kind === 'loaded') return { policy: p.result.policy, fallback: !p.result.usable };
    if (p.kind === 'missing') return 'missing';
    unread(
      abs,
      p.kind === 'refused' ? `${displayPath(abs)} ${p.reason}; policies are read only from regular files` : `cannot read policy ${displayPath(abs)}: ${p.code}`,
    );
    return FALLBACK;
  };

  let explicit: Governing | undefined;
  if (args.policy) {
    // Named on the command line, it may be anywhere; it is still read only from a regular file.
    const p = readPolicy(resolve(args.policy));
    if (p.kind !== 'loaded') {
      const why = p.kind === 'missing' ? 'no such file' : p.kind === 'refused' ? `it ${p.reason}; policies are read only from regular files` : p.code;
      io.stderr(`barecount-lint: cannot read policy ${args.policy}: ${why}\n`);
      return 2;
    }
    explicit = { policy: p.result.policy, fallback: !p.result.usable };
  }

  // Discovery never reads above the working directory, nor through a link that leaves it (spec §1).
  const cwd = process.cwd();
  const cwdReal = realRoot(cwd);
  const folderInside = new Map<string, boolean>();
  let outsideRoot = 0;
  const policyFor = (manifestAbs: string): Governing => {
    if (explicit) return explicit;
    if (!isInside(cwd, manifestAbs)) {
      outsideRoot++;
      return FALLBACK;
    }
    for (const candidate of policyCandidates(manifestAbs, cwd)) {
      const abs = resolve(candidate);
      const folder = dirname(abs);
      let inside = folderInside.get(folder);
      if (inside === undefined) folderInside.set(folder, (inside = isReallyInside(cwdReal, folder)));
      if (!inside) {
        // Only whether something is there is looked at, to say that it was not read.
        if (!somethingAt(abs)) continue;
        unread(abs, `${displayPath(abs)} was not read: a symbolic link takes its folder outside the working directory`);
        return FALLBACK;
      }
      const governing = policyOf(abs);
      if (governing !== 'missing') return governing;
    }
    return { policy: DEFAULT_POLICY, fallback: false };
  };

  // --baseline: each manifest as it was at REF, read with git (git.ts). A file git cannot give
  // (no repository, an unknown REF, a tree or link there) stops the run with exit 2: a comparison
  // that silently compared nothing would pass CI for the wrong reason.
  const baselineReader = args.baseline !== undefined ? new BaselineReader(args.baseline) : undefined;
  const baselineErrors = new Set<string>();
  /** Secrets of the files as they were at REF: a fixed finding's message may quote one. */
  const baselineSecrets: string[] = [];
  /** The manifest at REF compared with `now`, its analysis of `text` (reused when the file did not change). */
  const baselineOf = (t: Target, env: AnalysisEnv, text: string, now: Analysis) => {
    if (!baselineReader) return undefined;
    try {
      const read = baselineReader.readSync(t.abs, t.display);
      const analysis = read.kind === 'absent' ? null : read.text === text ? now : analyze(read.text, env);
      if (analysis && analysis !== now) baselineSecrets.push(...analysis.secrets);
      const baseline = { ref: baselineReader.ref, analysis };
      return { ...baseline, costs: baselineCosts(baseline), ...compareFindings(now, analysis) };
    } catch (e) {
      if (!(e instanceof BaselineError)) throw e;
      baselineErrors.add(e.message);
      return undefined;
    }
  };

  const { targets, errors } = collectTargets(args.paths);
  ioErrors.push(...errors);
  for (const t of targets) checkTarget(t);

  function checkTarget(t: Target) {
    if (t.kind === 'policy') {
      // Listed even without findings, so a run over a folder says which policies it checked.
      if (policyOf(t.abs) === 'missing') ioErrors.push(`cannot read policy ${t.display}: no such file`);
      const p = policies.get(t.abs);
      if (p?.kind === 'loaded') policyReport(t.abs, p);
      return;
    }
    let read: ManifestRead;
    try {
      read = readManifest(t.abs);
    } catch (e) {
      ioErrors.push(`cannot read ${t.display}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
      return;
    }
    let text = read.decoded.text;
    const { policy, fallback } = policyFor(t.abs);
    const env: AnalysisEnv = { policy, limits, today, policyFallback: fallback };
    let fixed: AppliedFix[] = [];
    if (args.fix) {
      const r = fixAll(text, env, args.unsafeFixes ? 'unsafe' : 'safe');
      if (r.text !== text) {
        // A fix can take a secret out of the file (BC201): it is still masked in what is printed.
        for (const s of secretsOf(parseYaml(text, limits))) fixedAway.add(s);
        // Every byte the fixes do not touch is written back as it was (a BOM, CRLF, the rest):
        // which needs the file to be UTF-8 in the first place.
        if (!read.decoded.valid)
          ioErrors.push(`${t.display} was not fixed: it is not valid UTF-8 text, and --fix writes back only what it can keep byte for byte`);
        else {
          try {
            const w = writeFixed(t.abs, read, encodeText(r.text, read.decoded.bom), io.beforeFixWrite);
            if (w.written) {
              text = r.text;
              fixed = r.applied;
            } else ioErrors.push(`${t.display} was not fixed: ${w.reason}`);
          } catch (e) {
            ioErrors.push(`cannot write ${t.display}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
          }
        }
      }
    }
    // What is reported is what the file now holds: the fixed text when it was written, else the text read.
    const analysis = analyze(text, env);
    const baseline = baselineOf(t, env, text, analysis);
    reports.set(t.abs, {
      ...(baseline ? { baseline } : {}),
      display: t.display,
      abs: t.abs,
      kind: 'manifest',
      text,
      lines: new LineIndex(text),
      findings: analysis.findings,
      analysis,
      fixed,
      showSource: printable(read.decoded.valid, text, analysis.findings),
    });
  }

  // A policy's waivers naming a near miss of a pipeline linted in this run (known only now).
  const pipelines = [...reports.values()].flatMap((r) => r.analysis?.documents.flatMap((d) => (d.pipeline?.name ? [d.pipeline.name.value] : [])) ?? []);
  for (const [abs, p] of policies) {
    if (p.kind !== 'loaded' || !p.result.usable || pipelines.length === 0) continue;
    const again = loadPolicy(p.text, limits, { today, knownPipelines: pipelines });
    if (again.findings.length === p.result.findings.length) continue;
    reports.delete(abs);
    policyReport(abs, { ...p, result: again });
  }

  // Policy files have no manifest tree: their findings are compared by code and message.
  if (baselineReader)
    for (const [abs, r] of reports) {
      if (r.kind !== 'policy') continue;
      try {
        const read = baselineReader.readSync(abs, r.display);
        const then = read.kind === 'absent' ? null : loadPolicy(read.text, limits, { today, knownPipelines: pipelines });
        if (read.kind === 'text') baselineSecrets.push(...secretsInText(read.text));
        const baseline = { ref: baselineReader.ref, analysis: null };
        reports.set(abs, { ...r, baseline: { ...baseline, costs: baselineCosts(baseline), ...compareFindingsByMessage(r.findings, then?.findings ?? null) } });
      } catch (e) {
        if (!(e instanceof BaselineError)) throw e;
        baselineErrors.add(e.message);
      }
    }
  // --only-new: what is reported, and what sets the exit code, is what the change introduced.
  if (args.onlyNew)
    for (const [abs, r] of reports) {
      if (!r.baseline) continue;
      const isNew = r.baseline.isNew;
      reports.set(abs, { ...r, findings: r.findings.filter((_, i) => isNew[i]), baseline: { ...r.baseline, isNew: isNew.filter(Boolean) } });
    }

  if (outsideRoot > 0)
    notices.push(
      `${outsideRoot === 1 ? '1 manifest is' : `${outsideRoot} manifests are`} outside the working directory and ${outsideRoot === 1 ? 'was' : 'were'} checked with the built-in policy: barecount.policy.yaml files are looked for only inside the working directory (--policy names one for every manifest).`,
    );

  // Manifests first in the order given, then the policy files that governed them.
  const files = [...reports.values()].sort((a, b) => Number(a.kind === 'policy') - Number(b.kind === 'policy'));
  // One redaction layer for the whole run: a secret of any file is masked in every output.
  const secrets = new Set<string>([...fixedAway, ...baselineSecrets]);
  for (const f of files) {
    if (f.analysis) for (const s of f.analysis.secrets) secrets.add(s);
    else secretsInText(f.text, secrets);
  }
  const redactor = new Redactor(secrets);
  if (baselineErrors.size > 0) {
    for (const e of baselineErrors) io.stderr(redactor.text(`barecount-lint: --baseline ${args.baseline}: ${e}\n`));
    return 2;
  }
  const report: RunReport = { files, withCost: args.cost, notices, redactor, ...(args.baseline !== undefined ? { baselineRef: args.baseline } : {}) };
  const color = args.color ?? (io.isTty && !io.env.NO_COLOR && io.env.TERM !== 'dumb');
  if (args.format === 'json') io.stdout(`${formatJson(report)}\n`);
  else if (args.format === 'sarif') io.stdout(`${formatSarif(report, VERSION)}\n`);
  else if (args.format === 'markdown') io.stdout(`${formatMarkdown(report)}\n`);
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

function somethingAt(abs: string): boolean {
  try {
    lstatSync(abs);
    return true;
  } catch {
    return false;
  }
}
