import { usd } from '../cost';
import { changesLabel, runnerLabel } from '../recommend';
import type { RunnerField } from '../model';
import { defineRule } from './rule';
import { inheritedRelated, runnerFieldSpan, runnerFix, stageLabel } from './helpers';

export const bc304 = defineRule({
  meta: {
    code: 'BC304',
    slug: 'cheaper-runner',
    category: 'cost',
    defaultSeverity: 'info',
    summary: 'A runner that passes every check costs at least 40% less a month than the declared one.',
    messages: {
      cheaper: 'Stage {stage} would cost {altCost} a month on {alt} instead of {current} on {current_runner} ({percent}% less; {basis}).',
    },
    perStage: true,
    fixable: true,
    concernsRunner: true,
  },
  check(ctx) {
    for (const v of ctx.verdicts) {
      const c = v.cost;
      const cheaper = v.cheaper;
      if (!c || !cheaper) continue;
      const r = cheaper.runner;
      const changes = (['class', 'size', 'network'] as RunnerField[]).filter((f) => r[f] !== c[f]);
      const saving = c.monthlyUsd - r.monthlyUsd;
      ctx.report({
        messageId: 'cheaper',
        data: {
          stage: stageLabel(v.stage),
          altCost: usd(r.monthlyUsd),
          alt: runnerLabel(r),
          current: usd(c.monthlyUsd),
          current_runner: runnerLabel(c),
          percent: Math.floor((saving / c.monthlyUsd) * 100),
          basis: cheaper.isRecommended ? 'it is the recommended runner' : `it passes every check at the same size`,
        },
        span: runnerFieldSpan(v.stage, changes.includes('class') ? 'class' : changes[0]!, ctx.text),
        fixes: [
          runnerFix(
            ctx.text,
            v.stage,
            r,
            changes,
            `Switch to ${runnerLabel(r)} (${changesLabel(changes)}; saves ${usd(saving)} a month)`,
            cheaper.isRecommended ? 'recommended-runner' : 'other-runner',
          ),
        ],
        related: inheritedRelated(v.stage, 'class'),
      });
    }
  },
});
