import { defineRule } from './rule';
import { isKnownClass, inheritedNote, inheritedRelated, rowOf, runnerFieldSpan, setRunnerFieldFix, stageLabel } from './helpers';

export const bc101 = defineRule({
  meta: {
    code: 'BC101',
    slug: 'class-recommendation',
    category: 'selection',
    defaultSeverity: 'info',
    summary: 'The runner class differs from the selection matrix recommendation for the stage’s phase and workload.',
    messages: {
      differs:
        'Stage {stage} runs on {actual}{inherited}, but the selection matrix recommends {recommended} for {phase} / {workload} ({guide}). Switch to {recommended}, or say why in runner.justification.',
    },
    fixable: true,
  },
  check(ctx) {
    for (const stage of ctx.pipeline?.stages ?? []) {
      const row = rowOf(stage);
      const cls = stage.runner.class;
      if (!row || !cls || !isKnownClass(cls.value) || cls.value === row.class || stage.justification) continue;
      ctx.report({
        messageId: 'differs',
        data: {
          stage: stageLabel(stage),
          actual: cls.value,
          inherited: inheritedNote(stage, 'class'),
          recommended: row.class,
          phase: row.phase,
          workload: stage.workload!.value,
          guide: row.guide.toLowerCase(),
        },
        span: runnerFieldSpan(stage, 'class', ctx.text),
        fixes: [setRunnerFieldFix(ctx.text, stage, 'class', row.class, `Use the recommended class "${row.class}"`, true)],
        related: inheritedRelated(stage, 'class'),
      });
    }
  },
});
