import { closest } from '../similar';
import { spanOf } from '../yaml-ast';
import { replaceScalar } from '../yaml-edit';
import { defineRule } from './rule';
import { stageLabel } from './helpers';

export const bc502 = defineRule({
  meta: {
    code: 'BC502',
    slug: 'unknown-dependency',
    category: 'structure',
    defaultSeverity: 'error',
    summary: 'dependsOn names a stage that does not exist in the pipeline.',
    messages: {
      unknown: 'Stage {stage} depends on "{name}", which is not a stage of this pipeline. Stages: {stages}.',
      unknownDidYouMean: 'Stage {stage} depends on "{name}", which is not a stage of this pipeline. Did you mean "{suggestion}"?',
    },
    fixable: true,
  },
  check(ctx) {
    const stages = ctx.pipeline?.stages ?? [];
    const names = [...new Set(stages.map((s) => s.name?.value).filter((n): n is string => !!n))];
    const known = new Set(names);
    for (const stage of stages) {
      for (const dep of stage.dependsOn) {
        if (known.has(dep.value)) continue;
        const best = closest(
          dep.value,
          names.filter((n) => n !== stage.name?.value),
        );
        ctx.report({
          messageId: best ? 'unknownDidYouMean' : 'unknown',
          data: { stage: stageLabel(stage), name: dep.value, stages: names.slice(0, 8).join(', ') || 'none', ...(best ? { suggestion: best } : {}) },
          span: spanOf(dep.node)!,
          fixes: best ? [{ title: `Change to "${best}"`, edits: [replaceScalar(dep.node, best)], isPreferred: true }] : [],
        });
      }
    }
  },
});
