import type { Analysis } from '../analysis';
import { usd } from '../cost';
import { recommendedRunnerFixes } from '../rules/helpers';
import { runnerLabel, changesLabel } from '../recommend';
import type { Fix, Span } from '../types';
import { stageWaivers, waiverSummary } from './waivers';
import { spanOf } from '../yaml-ast';
import { changeLabel } from '../baseline';
import type { CostReport } from './cost-report';

/** Code lens content: per stage its monthly cost and its recommended runner; per pipeline the total. */
export interface Lens {
  span: Span;
  title: string;
  /** Clicking applies this fix; absent for information-only lenses. */
  fix?: Fix;
}

/**
 * `report` is the document's cost report with a baseline (features/cost-report.ts): each pipeline's
 * and stage's lens then says what the change did to its cost, with the figures every surface shows.
 */
export function lenses(a: Analysis, report?: CostReport): Lens[] {
  const out: Lens[] = [];
  const ref = report?.baseline?.ref;
  const at = (s: Span | undefined): Span => s ?? { start: 0, end: 0 };
  for (const d of a.documents) {
    const pipeline = d.pipeline;
    if (!pipeline) continue;
    const cost = d.cost;
    const reported = ref !== undefined ? report!.pipelines.find((p) => p.documentIndex === d.index) : undefined;
    const vs = (now: number, then: number | null | undefined) => (ref !== undefined && reported ? ` · ${changeLabel(now, then, ref)}` : '');
    if (cost) {
      const pct = cost.budgetUsd > 0 ? Math.round((cost.monthlyUsd / cost.budgetUsd) * 100) : 0;
      out.push({
        span: at(spanOf(pipeline.name?.node) ?? spanOf(pipeline.metadataPair?.key)),
        title: `${usd(cost.monthlyUsd)}/month of ${usd(cost.budgetUsd)} budget (${pct}%)${cost.monthlyUsd > cost.budgetUsd ? ' · over budget' : ''}${cost.uncosted.length ? ` · ${cost.uncosted.length} stage(s) not estimated` : ''}${vs(cost.monthlyUsd, reported?.baselineMonthlyUsd)}`,
      });
    }
    for (const v of d.verdicts) {
      const span = at(spanOf(v.stage.name?.node) ?? spanOf(v.stage.node));
      const c = v.cost;
      const stageThen = reported?.stages.find((s) => s.index === v.stage.index)?.baselineMonthlyUsd;
      if (c)
        out.push({
          span,
          title: `${usd(c.monthlyUsd)}/month · ${c.class} ${c.size} ${c.network}${c.defaulted.length ? ' · estimated usage' : ''}${vs(c.monthlyUsd, stageThen)}`,
        });
      const r = v.recommended;
      if (r && r.changes.length) {
        out.push({ span, title: `Recommended: ${runnerLabel(r)} (${changesLabel(r.changes)})`, fix: recommendedRunnerFixes(a.text, v)[0]! });
      } else if (r === null) out.push({ span, title: 'No runner passes every check (hover the stage name for why)' });
      const waivers = waiverSummary(stageWaivers(d, v.stage), a.today);
      if (waivers) out.push({ span, title: waivers });
    }
  }
  return out;
}
