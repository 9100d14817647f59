import { Words, closestAll, typoFixes } from '../similar';
import { spanOf } from '../yaml-ast';
import { replaceScalar } from '../yaml-edit';
import { defineRule } from './rule';
import { stageLabel } from './helpers';
import type { StageModel } from '../model';

/**
 * How many comparisons of an unknown name with a stage name "did you mean" may make in one
 * pipeline: every distinct misspelling of a few in a large pipeline, not thousands of them.
 */
const COMPARISONS = 50_000;

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
    // Lower-cased once, and only without an editor's memo (which keeps its own).
    let words: Words | undefined;
    const stages = names.slice(0, 8).join(', ') || 'none';
    // Each distinct misspelling is compared with every stage name once, while COMPARISONS lasts:
    // thousands of different unknown names would otherwise cost their number times the stages'
    // (quadratic). The rest are reported without a suggestion.
    const suggestions = new Map<string, string[]>();
    let compared = 0;
    const labels = new Map<StageModel, string>();
    for (const { stage, entry } of graph.unknown) {
      const own = stage.name?.value;
      const key = `${own ?? ''}\u0000${entry.value}`;
      let matches = suggestions.get(key);
      if (!matches) {
        matches = [];
        if (compared + names.length <= COMPARISONS) {
          compared += names.length;
          ctx.work.add(names.length);
          matches = ctx.closestStage ? ctx.closestStage(entry.value, own) : closestAll(entry.value, (words ??= new Words(names)), own);
        }
        suggestions.set(key, matches);
      }
      let label = labels.get(stage);
      if (label === undefined) labels.set(stage, (label = stageLabel(stage)));
      const best = matches[0];
      ctx.report({
        messageId: best ? 'unknownDidYouMean' : 'unknown',
        data: { stage: label, name: entry.value, stages, ...(best ? { suggestion: best } : {}) },
        span: spanOf(entry.node)!,
        fixes: typoFixes(matches, (name) => ({ title: `Change to "${name}"`, edits: [replaceScalar(entry.node, name, ctx.text)] })),
      });
    }
  },
});
