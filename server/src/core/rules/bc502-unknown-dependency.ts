import { closestAll, typoFixes } from '../similar';
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
    const graph = ctx.graph;
    if (!graph || graph.unknown.length === 0) return;
    const names = [...graph.byName.keys()];
    for (const { stage, entry } of graph.unknown) {
      const matches = closestAll(
        entry.value,
        names.filter((n) => n !== stage.name?.value),
      );
      const best = matches[0];
      ctx.report({
        messageId: best ? 'unknownDidYouMean' : 'unknown',
        data: { stage: stageLabel(stage), name: entry.value, stages: names.slice(0, 8).join(', ') || 'none', ...(best ? { suggestion: best } : {}) },
        span: spanOf(entry.node)!,
        fixes: typoFixes(matches, (name) => ({ title: `Change to "${name}"`, edits: [replaceScalar(entry.node, name)] })),
      });
    }
  },
});
