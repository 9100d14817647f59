import type { Analysis } from '../analysis';
import { usd } from '../cost';
import { recommendedRunnerFixes } from '../rules/helpers';
import { runnerLabel, changesLabel } from '../recommend';
import type { Fix, Span } from '../types';
import { waiversByStage, waiverSummary } from './waivers';
import { spanOf } from '../yaml-ast';
import { changeLabel, costThen, type BaselineCosts } from '../baseline';

/** Code lens content: per stage its monthly cost and its recommended runner; per pipeline the total. */
export interface Lens {
  span: Span;
  title: string;
  /** Clicking applies this fix; absent for information-only lenses. */
  fix?: Fix;
}

/**
 * With the baseline's figures (`barecount.baseline`), each pipeline's and stage's lens also says
 * what the change did to its cost, matched as the cost report matches them (baseline.ts).
 */
export function lenses(a: Analysis, baseline?: BaselineCosts): Lens[] {
  const out: Lens[] = [];
  const at = (s: Span | undefined): Span => s ?? { start: 0, end: 0 };
  for (const d of a.documents) {
    const pipeline = d.pipeline;
    if (!pipeline) continue;
    const cost = d.cost;
    const vs = (now: number, stage?: string) => (baseline && cost ? ` · ${changeLabel(now, costThen(baseline, cost.name, stage), baseline.ref)}` : '');
    if (cost) {
      const pct = cost.budgetUsd > 0 ? Math.round((cost.monthlyUsd / cost.budgetUsd) * 100) : 0;
      out.push({
        span: at(spanOf(pipeline.name?.node) ?? spanOf(pipeline.metadataPair?.key)),
        title: `${usd(cost.monthlyUsd)}/month of ${usd(cost.budgetUsd)} budget (${pct}%)${cost.monthlyUsd > cost.budgetUsd ? ' · over budget' : ''}${cost.uncosted.length ? ` · ${cost.uncosted.length} stage(s) not estimated` : ''}${vs(cost.monthlyUsd)}`,
      });
    }
    const byStage = waiversByStage(d);
    for (const v of d.verdicts) {
      const span = at(spanOf(v.stage.name?.node) ?? spanOf(v.stage.node));
      const c = v.cost;
      if (c)
        out.push({
          span,
          title: `${usd(c.monthlyUsd)}/month · ${c.class} ${c.size} ${c.network}${c.defaulted.length ? ' · estimated usage' : ''}${vs(c.monthlyUsd, c.name)}`,
        });
      const r = v.recommended;
      if (r && r.changes.length) {
        out.push({ span, title: `Recommended: ${runnerLabel(r)} (${changesLabel(r.changes)})`, fix: recommendedRunnerFixes(a.text, v)[0]! });
      } else if (r === null) out.push({ span, title: 'No runner passes every check (hover the stage name for why)' });
      const waivers = waiverSummary(byStage.get(v.stage) ?? [], a.today);
      if (waivers) out.push({ span, title: waivers });
    }
  }
  return out;
}
