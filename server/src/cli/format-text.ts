import {
  changeLabel,
  changesLabel,
  costReport,
  inputBasisLabel,
  lowerFirst,
  runnerLabel,
  unknownWorkloadNote,
  usd,
  usdChange,
  waivedReport,
  type Finding,
  type RecommendationPart,
  type Redactor,
  type Span,
  type StageCostReport,
} from '../core';
import { counts, type FileReport, type RunReport } from './report';

/** Human output: `path:line:col  severity  message  [BCnnn]`, the source line and a marker. */

export interface Style {
  red(s: string): string;
  yellow(s: string): string;
  blue(s: string): string;
  dim(s: string): string;
  bold(s: string): string;
}

const wrap = (open: number, close: number) => (s: string) => `\u001b[${open}m${s}\u001b[${close}m`;
export const COLOR: Style = { red: wrap(31, 39), yellow: wrap(33, 39), blue: wrap(36, 39), dim: wrap(2, 22), bold: wrap(1, 22) };
const id = (s: string) => s;
export const PLAIN: Style = { red: id, yellow: id, blue: id, dim: id, bold: id };

function severityLabel(d: Finding, style: Style): string {
  const label = d.severity.padEnd(7);
  return d.severity === 'error' ? style.red(label) : d.severity === 'warning' ? style.yellow(label) : style.blue(label);
}

/**
 * A source line fit to print: every secret masked with `*` (columns kept for the marker), control
 * characters made visible, tabs expanded. Masked before it is shortened, so no part of a secret
 * survives the cut. Files that are not valid text print no source at all.
 */
function safeLine(file: FileReport, line: number, redactor: Redactor, secretSpans: readonly Span[]): string {
  const start = file.lines.lineStart(line);
  const raw = file.lines.lineText(line);
  // BC201's own spans first (a value too short to search for, or one written over several
  // lines), found by binary search; then everything the redaction layer knows.
  let first = 0;
  for (let hi = secretSpans.length; first < hi;) {
    const mid = (first + hi) >> 1;
    if (secretSpans[mid]!.end <= start) first = mid + 1;
    else hi = mid;
  }
  let masked = '';
  let at = 0;
  for (let k = first; k < secretSpans.length && secretSpans[k]!.start < start + raw.length; k++) {
    const from = Math.max(at, secretSpans[k]!.start - start);
    const to = Math.min(raw.length, secretSpans[k]!.end - start);
    if (to <= from) continue;
    masked += raw.slice(at, from) + '*'.repeat(to - from);
    at = to;
  }
  masked += raw.slice(at);
  const text = redactor
    .mask(masked)
    .replace(/\t/g, ' ')
    .replace(/[\u0000-\u001f\u007f\u202a-\u202e\u2066-\u2069]/g, '?');
  return text.length > 200 ? `${text.slice(0, 197)}...` : text;
}

export function formatFindingsText(file: FileReport, style: Style, redactor: Redactor): string[] {
  const out: string[] = [];
  // Each shown line is masked once: thousands of findings on one long line (a dependsOn of
  // 20,000 entries) would otherwise mask it 20,000 times over.
  const shown = new Map<number, string>();
  const secretSpans = file.findings
    .filter((d) => d.code === 'BC201')
    .map((d) => d.span)
    .sort((a, b) => a.start - b.start);
  file.findings.forEach((d, i) => {
    const s = file.lines.positionAt(d.span.start);
    const e = file.lines.positionAt(d.span.end);
    // With --baseline, what the change introduced says so after the code (the problem matcher reads up to the code).
    const isNew = file.baseline?.isNew[i] ? `  ${style.bold('new')}` : '';
    out.push(
      `${style.bold(`${file.display}:${s.line + 1}:${s.character + 1}`)}  ${severityLabel(d, style)}  ${d.message}  ${style.dim(`[${d.code}]`)}${isNew}`,
    );
    if (file.showSource && s.line < file.lines.lineCount && file.text.length > 0) {
      const gutter = String(s.line + 1);
      let src = shown.get(s.line);
      if (src === undefined) shown.set(s.line, (src = safeLine(file, s.line, redactor, secretSpans)));
      const width = Math.max(1, e.line === s.line ? e.character - s.character : src.length - s.character);
      const marker = ' '.repeat(Math.min(s.character, src.length)) + '^'.repeat(Math.min(width, Math.max(1, 200 - s.character)));
      out.push(style.dim(`  ${gutter} | `) + src);
      out.push(style.dim(`  ${' '.repeat(gutter.length)} | `) + (d.severity === 'error' ? style.red(marker) : style.yellow(marker)));
    }
  });
  return out;
}

function round(n: number): string {
  return String(Math.round(n * 100) / 100);
}

function pad(s: string, n: number, right = false): string {
  return right ? s.padStart(n) : s.padEnd(n);
}

export function formatCostText(file: FileReport, style: Style, redactor: Redactor): string[] {
  const out: string[] = [];
  if (!file.analysis) return out;
  const baseline = file.baseline;
  const report = costReport(file.analysis, baseline?.costs);
  for (const p of report.pipelines) {
    const change = baseline ? `, ${changeLabel(p.monthlyUsd, p.baselineMonthlyUsd, baseline.ref)}` : '';
    const total = `${usd(p.monthlyUsd)} of ${usd(p.budgetUsd)} budget${p.budgetSource === 'policy' ? ' (policy default)' : ''}${change}`;
    out.push(`${style.bold(`${file.display}  ${p.name}`)}  ${p.overBudget ? style.red(`${total}  OVER BUDGET`) : total}`);
    const header = ['stage', 'class', 'size', 'network', 'compute', 'transfer', 'total', ...(baseline ? [`vs ${baseline.ref}`] : []), 'assumed inputs'];
    const assumed = (s: StageCostReport) => s.defaulted.map((i) => `${i}=${round(s.inputs[i].value)} (${inputBasisLabel(s.inputs[i])})`).join(', ') || '-';
    const vs = (s: StageCostReport) =>
      baseline ? [s.baselineMonthlyUsd === null || s.baselineMonthlyUsd === undefined ? 'new' : usdChange(s.monthlyUsd, s.baselineMonthlyUsd)] : [];
    const rows = p.stages.map((s) => [
      redactor.text(s.name),
      s.class,
      s.size,
      s.network,
      usd(s.computeUsd),
      usd(s.transferUsd),
      usd(s.monthlyUsd),
      ...vs(s),
      assumed(s),
    ]);
    const lastNumber = baseline ? 7 : 6;
    const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
    const line = (cells: string[]) =>
      '  ' +
      cells
        .map((c, i) => pad(c, widths[i]!, i >= 4 && i <= lastNumber))
        .join('  ')
        .trimEnd();
    out.push(style.dim(line(header)));
    p.stages.forEach((s, i) => {
      out.push(line(rows[i]!));
      // A workload the matrix does not know (a typo) takes the generic fallback: said, not silent.
      const unknown = unknownWorkloadNote(s.inputs, s.defaulted);
      if (unknown) out.push(style.yellow(`    estimate uses the ${unknown}`));
      const verdict = recommendationLine(s);
      if (verdict) out.push(style.dim(`    ${verdict}`));
    });
    for (const u of p.uncosted) {
      out.push(style.dim(`  ${u.name}: not estimated (${u.reason})`));
      const verdict = recommendationLine(u);
      if (verdict) out.push(style.dim(`    ${verdict}`));
    }
  }
  return out;
}

/** The stage's recommended runner under its row, when it differs from the declared one. */
function recommendationLine(s: RecommendationPart & { monthlyUsd?: number }): string | undefined {
  const r = s.recommended;
  if (r && r.changes.length) {
    const delta = s.monthlyUsd === undefined ? '' : r.savingUsd >= 0 ? `, saves ${usd(r.savingUsd)}` : `, costs ${usd(-r.savingUsd)} more`;
    return `recommended: ${runnerLabel(r)} (${changesLabel(r.changes)}) at ${usd(r.monthlyUsd)}${delta}`;
  }
  if (!r && s.noRecommendation) return `no recommended runner: ${lowerFirst(s.noRecommendation[0]!)}`;
  return undefined;
}

/** The text report; everything in it has passed the run's redaction layer, and is safe for a terminal. */
export function formatText(report: RunReport, style: Style): string {
  return terminalSafe(report.redactor.text(textReport(report, style)));
}

/**
 * What a terminal would act on, whatever put it in a line (a stage name, a file name, a value):
 * control and bidirectional-override characters become `?`, and an escape is kept only as the
 * colour codes Style writes (`ESC [ n m`), which can do no more than colour.
 */
function terminalSafe(text: string): string {
  return text.replace(/\u001b(?!\[\d{1,2}m)/g, '?').replace(/[\u0000-\u0008\u000b-\u001a\u001c-\u001f\u007f\u200b-\u200f\u202a-\u202e\u2066-\u2069]/g, '?');
}

function textReport(report: RunReport, style: Style): string {
  const out: string[] = [];
  for (const f of report.files) {
    for (const fx of f.fixed) out.push(`${f.display}: fixed ${fx.code}: ${fx.title}`);
    for (const line of formatFindingsText(f, style, report.redactor)) out.push(line);
    // Findings the change fixed: where they were is in the old text, so they have no line here.
    for (const d of f.baseline?.fixed ?? []) out.push(style.dim(`${f.display}  fixed    ${d.message}  [${d.code}]  (was in ${f.baseline!.ref})`));
    // Waived findings are not problems; they are listed, dimmed, so nobody forgets they exist.
    for (const w of f.analysis?.waived ?? []) {
      const at = f.lines.positionAt(w.finding.span.start);
      out.push(style.dim(`${f.display}:${at.line + 1}:${at.character + 1}  waived  ${waivedReport(w, f.analysis!.today).summary}`));
    }
  }
  if (report.withCost) {
    const costLines = report.files.filter((f) => f.kind === 'manifest').flatMap((f) => formatCostText(f, style, report.redactor));
    if (costLines.length) {
      if (out.length) out.push('');
      out.push(style.bold('Monthly cost estimate (USD, 30 days, 730 hours)'));
      for (const line of costLines) out.push(line);
    }
  }
  const c = counts(report);
  const problems = c.errors + c.warnings + c.infos + c.hints;
  if (out.length) out.push('');
  const checked = `${report.files.length} file${report.files.length === 1 ? '' : 's'} checked`;
  const compared = baselineSummary(report);
  if (problems === 0) out.push(`${checked}, no problems.${compared}`);
  else {
    const parts = [`${c.errors} error${c.errors === 1 ? '' : 's'}`, `${c.warnings} warning${c.warnings === 1 ? '' : 's'}`];
    if (c.infos) parts.push(`${c.infos} info`);
    if (c.hints) parts.push(`${c.hints} hint${c.hints === 1 ? '' : 's'}`);
    const summary = `${checked}: ${problems} problem${problems === 1 ? '' : 's'} (${parts.join(', ')}).${compared}`;
    out.push(c.errors ? style.red(summary) : summary);
  }
  return out.join('\n');
}

/** " 2 new, 1 fixed vs origin/main." after the summary, with --baseline. */
function baselineSummary(report: RunReport): string {
  if (report.baselineRef === undefined) return '';
  let added = 0;
  let fixed = 0;
  for (const f of report.files) {
    added += f.baseline?.isNew.filter(Boolean).length ?? 0;
    fixed += f.baseline?.fixed.length ?? 0;
  }
  return ` ${added} new, ${fixed} fixed vs ${report.baselineRef}.`;
}
