import { matrixClass } from '../checks';
import { defineRule } from './rule';
import { inheritedNote, inheritedRelated, recommendedRunnerFixes, runnerFieldSpan, runnerHint, stageLabel, withHint } from './helpers';

export const bc101 = defineRule({
  meta: {
    code: 'BC101',
    slug: 'class-recommendation',
    category: 'selection',
    defaultSeverity: 'info',
    summary: 'The runner class differs from the selection matrix recommendation for the stage’s phase and workload.',
    messages: {
      differs:
        'Stage {stage} runs on {actual}{inherited}, but the selection matrix recommends {recommended} for {phase} / {workload} ({guide}); say why in runner.justification if it must stay.{hint}',
    },
    perStage: true,
    fixable: true,
    concernsRunner: true,
  },
  check(ctx) {
    for (const v of ctx.verdicts) {
      const row = v.fit.row;
      const cls = v.declared.class;
      if (!row || v.fit.justified || !cls || matrixClass(v.fit, cls)) continue;
      ctx.report({
        messageId: 'differs',
        data: {
          stage: stageLabel(v.stage),
          actual: cls,
          inherited: inheritedNote(v.stage, 'class'),
          recommended: row.class,
          phase: row.phase,
          workload: v.fit.workload!,
          guide: row.guide.toLowerCase(),
          hint: withHint(runnerHint(v, 'BC101')),
        },
        span: runnerFieldSpan(v.stage, 'class', ctx.text),
        fixes: recommendedRunnerFixes(ctx.text, v),
        related: inheritedRelated(v.stage, 'class'),
      });
    }
  },
});
