import { SERVERLESS_MAX_MEMORY_GB, SERVERLESS_MAX_MINUTES } from '../cost';
import type { StageModel } from '../model';
import type { Fix } from '../types';
import { spanOf } from '../yaml-ast';
import type { RuleContext } from './rule';
import { defineRule } from './rule';
import { inheritedNote, runnerFieldSpan, setRunnerFieldFix, stageLabel } from './helpers';

export const bc303 = defineRule({
  meta: {
    code: 'BC303',
    slug: 'class-capacity',
    category: 'cost',
    defaultSeverity: 'error',
    summary: 'The runner class cannot run the stage: serverless runs last at most 15 minutes and have at most 10 GiB of memory.',
    messages: {
      tooLong: 'Stage {stage} runs for {minutes} minutes, but serverless runs stop after {max} minutes. Use {alternatives}.',
      tooMuchMemory:
        'Size {size}{inherited} gives stage {stage} {memory} GiB of memory, but serverless runners have at most {max} GiB. Use {alternatives}, or a smaller size.',
    },
    fixable: true,
  },
  check(ctx) {
    for (const stage of ctx.pipeline?.stages ?? []) {
      if (stage.runner.class?.value !== 'serverless') continue;
      const duration = stage.estimate.durationMinutes;
      const fixes = () => alternatives(ctx, stage);
      const names = () =>
        fixes()
          .map((f) => f.title.replace(/^Switch to /, ''))
          .join(' or ') || 'another class';
      if (duration && duration.value > SERVERLESS_MAX_MINUTES) {
        ctx.report({
          messageId: 'tooLong',
          data: { stage: stageLabel(stage), minutes: duration.value, max: SERVERLESS_MAX_MINUTES, alternatives: names() },
          span: spanOf(duration.node)!,
          fixes: fixes(),
        });
      }
      const size = stage.runner.size;
      const tier = size ? ctx.policy.sizes[size.value] : undefined;
      if (size && tier && tier.memoryGb > SERVERLESS_MAX_MEMORY_GB) {
        ctx.report({
          messageId: 'tooMuchMemory',
          data: {
            size: size.value,
            inherited: inheritedNote(stage, 'size'),
            stage: stageLabel(stage),
            memory: tier.memoryGb,
            max: SERVERLESS_MAX_MEMORY_GB,
            alternatives: names(),
          },
          span: runnerFieldSpan(stage, 'size', ctx.text),
          fixes: fixes(),
        });
      }
    }
  },
});

/** The matrix's long-running alternatives to serverless, as the policy allows them. */
function alternatives(ctx: RuleContext, stage: StageModel): Fix[] {
  const options = (['container', 'managed-etl'] as const).filter((c) => ctx.policy.allowedClasses.includes(c));
  return options.map((c) => setRunnerFieldFix(ctx.text, stage, 'class', c, `Switch to ${c}`, options.length === 1));
}
