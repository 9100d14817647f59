import { md } from '../../server/src/core/markup';
import type { CostEstimateResult } from '../../server/src/protocol';

/** The cost table as CSV and Markdown, from the server's estimate (no editor API here). */

const HEADER = ['pipeline', 'stage', 'class', 'size', 'network', 'compute_usd', 'transfer_usd', 'total_usd', 'assumed_inputs'];

/**
 * A CSV cell a spreadsheet reads as text: a formula start (`=`, `+`, `-`, `@`, tab or CR, after
 * any leading spaces) gets a leading `'`, and a cell holding a separator of any locale (`,` `;`)
 * or a quote is quoted, so `a;=cmd` stays one cell where `;` separates.
 */
export function csvCell(v: string | number): string {
  const s = String(v);
  const safe = /^[\s\u00a0]*[=+\-@\t\r]/.test(s) ? `'${s}` : s;
  return /[",;\n\r\t]/.test(safe) || safe !== safe.trim() ? `"${safe.replace(/"/g, '""')}"` : safe;
}

const fix2 = (n: number) => (Math.round(n * 100) / 100).toFixed(2);

export function toCsv(est: CostEstimateResult): string {
  const rows: Array<Array<string | number>> = [HEADER];
  for (const p of est.pipelines) {
    for (const s of p.stages)
      rows.push([p.name, s.name, s.class, s.size, s.network, fix2(s.computeUsd), fix2(s.transferUsd), fix2(s.monthlyUsd), s.defaulted.join(' ')]);
    rows.push([p.name, 'TOTAL', '', '', '', '', '', fix2(p.monthlyUsd), `budget ${fix2(p.budgetUsd)}`]);
  }
  return rows.map((r) => r.map(csvCell).join(',')).join('\n') + '\n';
}

/** A table cell: escaped like every manifest-derived string in Markdown, and no `|` ends it early. */
function mdCell(v: string): string {
  return md(v);
}

export function toMarkdown(est: CostEstimateResult): string {
  const out: string[] = [];
  for (const p of est.pipelines) {
    out.push(`## ${mdCell(p.name)}: $${fix2(p.monthlyUsd)} a month of $${fix2(p.budgetUsd)} budget${p.overBudget ? ' (over budget)' : ''}`, '');
    out.push('| stage | class | size | network | compute | transfer | total | assumed inputs |', '|---|---|---|---|---:|---:|---:|---|');
    for (const s of p.stages)
      out.push(
        `| ${mdCell(s.name)} | ${mdCell(s.class)} | ${mdCell(s.size)} | ${mdCell(s.network)} | $${fix2(s.computeUsd)} | $${fix2(s.transferUsd)} | $${fix2(s.monthlyUsd)} | ${mdCell(s.defaulted.join(', ') || '-')} |`,
      );
    out.push('');
  }
  return out.join('\n');
}
