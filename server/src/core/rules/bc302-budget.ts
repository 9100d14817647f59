import { usd } from '../cost';
import { spanOf } from '../yaml-ast';
import { defineRule } from './rule';

export const bc302 = defineRule({
  meta: {
    code: 'BC302',
    slug: 'over-budget',
    category: 'cost',
    defaultSeverity: 'warning',
    summary: 'The pipeline’s monthly estimate is above its budget.',
    messages: {
      overBudget:
        'Pipeline "{pipeline}" is estimated at {total} a month, above its {source} budget of {budget}. The costliest stage is "{stage}" at {stageCost}.',
    },
    fixable: false,
  },
  check(ctx) {
    const cost = ctx.cost;
    const pipeline = ctx.pipeline;
    if (!cost || !pipeline || cost.monthlyUsd <= cost.budgetUsd || !cost.costliest) return;
    const span = spanOf(pipeline.budget?.node) ?? spanOf(pipeline.name?.node) ?? spanOf(pipeline.metadataPair?.key) ?? { start: 0, end: 0 };
    ctx.report({
      messageId: 'overBudget',
      data: {
        pipeline: cost.name,
        total: usd(cost.monthlyUsd),
        source: cost.budgetSource === 'manifest' ? 'declared' : 'policy default',
        budget: usd(cost.budgetUsd),
        stage: cost.costliest.name,
        stageCost: usd(cost.costliest.monthlyUsd),
      },
      span,
    });
  },
});
