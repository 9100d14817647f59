import type { Finding, PipelineCost } from '../core';
import { docsUrl } from '../core';
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

export function costJson(costs: readonly PipelineCost[]) {
  return {
    monthlyUsd: money(costs.reduce((s, p) => s + p.monthlyUsd, 0)),
    pipelines: costs.map((p) => ({
      name: p.name,
      monthlyUsd: money(p.monthlyUsd),
      budgetUsd: money(p.budgetUsd),
      budgetSource: p.budgetSource,
      overBudget: p.monthlyUsd > p.budgetUsd,
      stages: p.stages.map((s) => ({
        name: s.name,
        class: s.class,
        size: s.size,
        network: s.network,
        monthlyUsd: money(s.monthlyUsd),
        computeUsd: money(s.computeUsd),
        transferUsd: money(s.transferUsd),
        inputs: Object.fromEntries(Object.entries(s.inputs).map(([k, v]) => [k, { value: v.value, source: v.source }])),
        defaulted: s.defaulted,
        alternatives: s.alternatives.map((a) => ({
          class: a.class,
          size: a.size,
          network: a.network,
          monthlyUsd: money(a.monthlyUsd),
          computeUsd: money(a.computeUsd),
          savingUsd: money(a.savingUsd),
        })),
      })),
      uncosted: p.uncosted.map((u) => ({ name: u.name, reason: u.reason })),
    })),
  };
}

export function formatJson(report: RunReport): string {
  return JSON.stringify({
    files: report.files.map((f) => ({
      path: f.display,
      kind: f.kind,
      diagnostics: f.findings.map((d) => diagnosticJson(f, d)),
      ...(f.fixed.length ? { fixed: f.fixed } : {}),
      ...(report.withCost && f.kind === 'manifest' ? { cost: costJson(f.costs) } : {}),
    })),
    ...(report.notices.length ? { notices: report.notices } : {}),
  });
}
