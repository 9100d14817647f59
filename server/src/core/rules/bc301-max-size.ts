import { capacityProblem, maxSizeOf, sizeWithinMax } from '../checks';
import { defineRule } from './rule';
import { inheritedNote, inheritedRelated, recommendedRunnerFixes, runnerFieldSpan, runnerHint, stageLabel, withHint } from './helpers';

export const bc301 = defineRule({
  meta: {
    code: 'BC301',
    slug: 'max-size',
    category: 'cost',
    defaultSeverity: 'warning',
    summary: 'The size tier is above the policy’s maxSize for the runner class.',
    messages: {
      tooLarge: 'Size {size}{inherited} of stage {stage} is above the policy’s largest {class} size, {max}.{hint}',
    },
    perStage: true,
    fixable: true,
    concernsRunner: true,
  },
  check(ctx) {
    for (const v of ctx.verdicts) {
      const { class: cls, size } = v.declared;
      if (!cls || !size || sizeWithinMax(v.fit, cls, size)) continue;
      // BC303 already reports a serverless size over the platform's memory limit.
      if (capacityProblem(v.fit, cls, ctx.policy.sizes[size])?.memory) continue;
      ctx.report({
        messageId: 'tooLarge',
        data: {
          size,
          inherited: inheritedNote(v.stage, 'size'),
          stage: stageLabel(v.stage),
          class: cls,
          max: maxSizeOf(v.fit, cls)!,
          hint: withHint(runnerHint(v, 'BC301')),
        },
        span: runnerFieldSpan(v.stage, 'size', ctx.text),
        fixes: recommendedRunnerFixes(ctx.text, v),
        related: inheritedRelated(v.stage, 'size'),
      });
    }
  },
});
