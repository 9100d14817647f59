import { costReport, docsUrl, waiverInfo, type Analysis, type BaselineCosts, type Finding, type RecommendationPart, type RunnerOption } from '../core';
import { money, type FileReport, type RunReport } from './report';

/** The `--format json` object of spec §8; fields beyond the spec are additions, never renames. */

export function diagnosticJson(file: FileReport, d: Finding) {
  const start = file.lines.positionAt(d.span.start);
  const end = file.lines.positionAt(d.span.end);
  return {
    code: d.code,
    severity: d.severity,
    message: d.message,
    range: { start, end },
    messageId: d.messageId,
    docs: docsUrl(d.code),
    fixable: d.fixes.length > 0,
    fixes: d.fixes.map((f) => f.title),
    related: d.related.map((r) => ({ message: r.message, range: { start: file.lines.positionAt(r.span.start), end: file.lines.positionAt(r.span.end) } })),
  };
}

const runnerJson = (r: RunnerOption) => ({
  class: r.class,
  size: r.size,
  network: r.network,
  monthlyUsd: money(r.monthlyUsd),
  computeUsd: money(r.computeUsd),
  transferUsd: money(r.transferUsd),
  savingUsd: money(r.savingUsd),
});

/** `recommended` of spec §8: the stage's recommended runner, or null when there is none. */
function recommendedJson(part: RecommendationPart) {
  return {
    recommended: part.recommended ? { ...runnerJson(part.recommended), changes: part.recommended.changes } : null,
    ...(part.noRecommendation ? { noRecommendation: part.noRecommendation } : {}),
  };
}

/** Money at the baseline: null where the file, pipeline or stage did not exist there (spec §8). */
const moneyOrNull = (n: number | null | undefined) => (n === null || n === undefined ? null : money(n));

export function costJson(analysis: Analysis | undefined, baseline?: BaselineCosts) {
  const report = analysis ? costReport(analysis, baseline) : { pipelines: [], totalUsd: 0 };
  const base = baseline ? report.baseline : undefined;
  return {
    monthlyUsd: money(report.totalUsd),
    ...(baseline ? { baselineMonthlyUsd: moneyOrNull(base?.totalUsd), baselineRef: baseline.ref } : {}),
    pipelines: report.pipelines.map((p) => ({
      name: p.name,
      monthlyUsd: money(p.monthlyUsd),
      budgetUsd: money(p.budgetUsd),
      budgetSource: p.budgetSource,
      overBudget: p.overBudget,
      ...(baseline ? { baselineMonthlyUsd: moneyOrNull(p.baselineMonthlyUsd) } : {}),
      stages: p.stages.map((s) => ({
        name: s.name,
        class: s.class,
        size: s.size,
        network: s.network,
        monthlyUsd: money(s.monthlyUsd),
        ...(baseline ? { baselineMonthlyUsd: moneyOrNull(s.baselineMonthlyUsd) } : {}),
        computeUsd: money(s.computeUsd),
        transferUsd: money(s.transferUsd),
        inputs: Object.fromEntries(
          Object.entries(s.inputs).map(([k, v]) => [
            k,
            { value: v.value, source: v.source, ...(v.basis ? { basis: v.basis } : {}), ...(v.note ? { note: v.note } : {}) },
          ]),
        ),
        defaulted: s.defaulted,
        ...recommendedJson(s),
        alternatives: s.alternatives.map(runnerJson),
      })),
      uncosted: p.uncosted.map((u) => ({ name: u.name, reason: u.reason, ...recommendedJson(u) })),
    })),
  };
}

export function formatJson(report: RunReport): string {
  return report.redactor.json({
    files: report.files.map((f) => ({
      path: f.display,
      kind: f.kind,
      // With --baseline every diagnostic says whether the change introduced it (spec section 8).
      diagnostics: f.findings.map((d, i) => ({ ...diagnosticJson(f, d), ...(f.baseline ? { new: f.baseline.isNew[i] ?? true } : {}) })),
      // Findings of the file at the baseline that are gone: where they were is in the old text, so no range.
      ...(f.baseline
        ? {
            fixedSinceBaseline: f.baseline.fixed.map((d) => ({
              code: d.code,
              severity: d.severity,
              message: d.message,
              messageId: d.messageId,
              docs: docsUrl(d.code),
            })),
          }
        : {}),
      // Findings current waivers silenced (spec section 5.3), with who waived them, why and until when.
      ...(f.kind === 'manifest' ? { waived: (f.analysis?.waived ?? []).map((w) => ({ ...diagnosticJson(f, w.finding), waiver: waiverInfo(w.waiver) })) } : {}),
      ...(f.fixed.length ? { fixed: f.fixed } : {}),
      ...(report.withCost && f.kind === 'manifest' ? { cost: costJson(f.analysis, f.baseline?.costs) } : {}),
    })),
    ...(report.baselineRef !== undefined ? { baseline: report.baselineRef } : {}),
    ...(report.notices.length ? { notices: report.notices } : {}),
  });
}
