import { usd, type PipelineCost } from './cost';
import type { Policy } from './data';
import type { PipelineModel } from './model';
import { rowOf, setRunnerFieldFix } from './rules/helpers';
import type { Fix, Span } from './types';
import { spanOf } from './yaml-ast';

/** Code lens content: per stage its monthly cost and the recommended runner; per pipeline the total. */
export interface Lens {
  span: Span;
  title: string;
  /** Clicking applies this fix; absent for information-only lenses. */
  fix?: Fix;
}

export function lenses(pipeline: PipelineModel, cost: PipelineCost | undefined, text: string, policy: Policy): Lens[] {
  const out: Lens[] = [];
  const at = (s: Span | undefined): Span => s ?? { start: 0, end: 0 };
  if (cost) {
    const pct = cost.budgetUsd > 0 ? Math.round((cost.monthlyUsd / cost.budgetUsd) * 100) : 0;
    out.push({
      span: at(spanOf(pipeline.name?.node) ?? spanOf(pipeline.metadataPair?.key as never)),
      title: `${usd(cost.monthlyUsd)}/month of ${usd(cost.budgetUsd)} budget (${pct}%)${cost.monthlyUsd > cost.budgetUsd ? ' · over budget' : ''}${cost.uncosted.length ? ` · ${cost.uncosted.length} stage(s) not estimated` : ''}`,
    });
  }
  for (const stage of pipeline.stages) {
    const span = at(spanOf(stage.name?.node) ?? spanOf(stage.node));
    const c = cost?.stages.find((s) => s.stageIndex === stage.index);
    if (c) out.push({ span, title: `${usd(c.monthlyUsd)}/month · ${c.class} ${c.size} ${c.network}${c.defaulted.length ? ' · estimated usage' : ''}` });
    const row = rowOf(stage);
    const cls = stage.runner.class?.value;
    if (row && cls && cls !== row.class && !stage.justification && policy.allowedClasses.includes(row.class)) {
      out.push({
        span,
        title: `Recommended: ${row.class}`,
        fix: setRunnerFieldFix(text, stage, 'class', row.class, `Use the recommended class "${row.class}"`, true),
      });
    }
  }
  return out;
}
