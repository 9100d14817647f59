import { CHEAPER_THRESHOLD, usd } from '../cost';
import { defineRule } from './rule';
import { inheritedNote, inheritedRelated, runnerFieldSpan, setRunnerFieldFix, stageLabel } from './helpers';

export const bc304 = defineRule({
  meta: {
    code: 'BC304',
    slug: 'cheaper-class',
    category: 'cost',
    defaultSeverity: 'info',
    summary: 'Another allowed class that can run the stage at the same size would cost at least 40% less a month in compute.',
    messages: {
      cheaper:
        'Stage {stage} would cost {altCost} a month in compute on {alt} instead of {current} on {class}{inherited} ({percent}% less, same size {size}; transfer left out).',
    },
    fixable: true,
  },
  check(ctx) {
    const costs = new Map((ctx.cost?.stages ?? []).map((c) => [c.stageIndex, c]));
    for (const stage of ctx.pipeline?.stages ?? []) {
      const c = costs.get(stage.index);
      if (!c || c.computeUsd <= 0) continue;
      const cheaper = c.alternatives.filter((a) => a.computeSaving >= CHEAPER_THRESHOLD - 1e-12).sort((a, b) => a.computeUsd - b.computeUsd);
      const best = cheaper[0];
      if (!best) continue;
      ctx.report({
        messageId: 'cheaper',
        data: {
          stage: stageLabel(stage),
          altCost: usd(best.computeUsd),
          alt: best.class,
          current: usd(c.computeUsd),
          class: c.class,
          inherited: inheritedNote(stage, 'class'),
          percent: Math.floor(best.computeSaving * 100),
          size: c.size,
        },
        span: runnerFieldSpan(stage, 'class', ctx.text),
        fixes: cheaper.map((a, i) =>
          setRunnerFieldFix(
            ctx.text,
            stage,
            'class',
            a.class,
            `Switch to ${a.class} (${usd(a.computeUsd)}/month compute, saves ${usd(c.computeUsd - a.computeUsd)})`,
            i === 0 && cheaper.length === 1,
          ),
        ),
        related: inheritedRelated(stage, 'class'),
      });
    }
  },
});
