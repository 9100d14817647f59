import { orderedTiers, type RunnerClass } from '../data';
import { SERVERLESS_MAX_MEMORY_GB } from '../cost';
import { defineRule } from './rule';
import { isKnownClass, inheritedNote, inheritedRelated, runnerFieldSpan, setRunnerFieldFix, stageLabel } from './helpers';

export const bc301 = defineRule({
  meta: {
    code: 'BC301',
    slug: 'max-size',
    category: 'cost',
    defaultSeverity: 'warning',
    summary: 'The size tier is above the policy’s maxSize for the runner class.',
    messages: {
      tooLarge: 'Size {size}{inherited} of stage {stage} is above the policy’s largest {class} size, {max}. Use {max}, or a class that allows more.',
    },
    fixable: true,
  },
  check(ctx) {
    const order = orderedTiers(ctx.policy);
    for (const stage of ctx.pipeline?.stages ?? []) {
      const cls = stage.runner.class?.value as RunnerClass | undefined;
      const size = stage.runner.size;
      if (!cls || !isKnownClass(cls) || !size || !ctx.policy.sizes[size.value]) continue;
      const max = ctx.policy.maxSize[cls];
      if (!max || !ctx.policy.sizes[max] || order.indexOf(size.value) <= order.indexOf(max)) continue;
      // BC303 already reports a serverless size over the platform's memory limit.
      if (cls === 'serverless' && ctx.policy.sizes[size.value]!.memoryGb > SERVERLESS_MAX_MEMORY_GB) continue;
      ctx.report({
        messageId: 'tooLarge',
        data: { size: size.value, inherited: inheritedNote(stage, 'size'), stage: stageLabel(stage), class: cls, max },
        span: runnerFieldSpan(stage, 'size', ctx.text),
        fixes: [setRunnerFieldFix(ctx.text, stage, 'size', max, `Use size "${max}"`, true)],
        related: inheritedRelated(stage, 'size'),
      });
    }
  },
});
