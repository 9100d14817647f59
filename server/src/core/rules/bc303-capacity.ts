import { capacityProblem, SERVERLESS_MAX_MEMORY_GB, SERVERLESS_MAX_MINUTES } from '../checks';
import { tierOf } from '../data';
import { spanOf } from '../yaml-ast';
import { defineRule } from './rule';
import { inheritedNote, recommendedRunnerFixes, runnerFieldSpan, runnerHint, stageLabel, withHint } from './helpers';

export const bc303 = defineRule({
  meta: {
    code: 'BC303',
    slug: 'class-capacity',
    category: 'cost',
    defaultSeverity: 'error',
    summary: 'The runner class cannot run the stage: serverless runs last at most 15 minutes and have at most 10 GiB of memory.',
    messages: {
      tooLong: 'Stage {stage} runs for {minutes} minutes, but serverless runs stop after {max} minutes.{hint}',
      tooMuchMemory: 'Size {size}{inherited} gives stage {stage} {memory} GiB of memory, but serverless runners have at most {max} GiB.{hint}',
    },
    perStage: true,
    fixable: true,
    concernsRunner: true,
  },
  check(ctx) {
    for (const v of ctx.verdicts) {
      const cls = v.declared.class;
      if (!cls) continue;
      const size = v.declared.size;
      const tier = tierOf(ctx.policy, size);
      const problem = capacityProblem(v.fit, cls, tier);
      if (!problem) continue;
      // Without a recommendation, the matrix's long-running classes are where to go.
      const hint = withHint(runnerHint(v, 'BC303') || 'Use container or managed-etl.');
      const duration = v.stage.estimate.durationMinutes;
      if (problem.duration && duration) {
        ctx.report({
          messageId: 'tooLong',
          data: { stage: stageLabel(v.stage), minutes: duration.value, max: SERVERLESS_MAX_MINUTES, hint },
          span: spanOf(duration.node)!,
          fixes: recommendedRunnerFixes(ctx.text, v),
        });
      }
      if (problem.memory && size && tier) {
        ctx.report({
          messageId: 'tooMuchMemory',
          data: { size, inherited: inheritedNote(v.stage, 'size'), stage: stageLabel(v.stage), memory: tier.memoryGb, max: SERVERLESS_MAX_MEMORY_GB, hint },
          span: runnerFieldSpan(v.stage, 'size', ctx.text),
          fixes: recommendedRunnerFixes(ctx.text, v),
        });
      }
    }
  },
});
