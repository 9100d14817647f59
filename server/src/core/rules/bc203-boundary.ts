import { spanOf } from '../yaml-ast';
import { appendToSeq, insertPair } from '../yaml-edit';
import type { Fix } from '../types';
import { defineRule } from './rule';
import { stageLabel } from './helpers';

export const bc203 = defineRule({
  meta: {
    code: 'BC203',
    slug: 'undeclared-boundary',
    category: 'security',
    defaultSeverity: 'error',
    summary: 'A connection’s location is not declared in metadata.boundaries: data would cross an undeclared boundary.',
    messages: {
      undeclared:
        'Connection {connection} of stage {stage} is at {location}, which metadata.boundaries does not declare{declared}. Data never crosses a boundary that is not declared in the manifest.',
    },
    perStage: true,
    fixable: true,
  },
  check(ctx) {
    const pipeline = ctx.pipeline;
    if (!pipeline) return;
    const declared = new Set(pipeline.boundaries);
    for (const stage of pipeline.stages) {
      for (const conn of stage.connections) {
        if (!conn.location || declared.has(conn.location.value)) continue;
        const location = conn.location.value;
        const fixes: Fix[] = [];
        // Boundaries are what auditors approve: a suggestion for a person to make, never applied by fix-all.
        const title = `Declare "${location}" in metadata.boundaries (a boundary auditors approve)`;
        if (pipeline.boundariesSeq) fixes.push({ title, edits: [appendToSeq(ctx.text, pipeline.boundariesSeq, location)], safety: 'suggestion' });
        else if (pipeline.boundariesPair) {
          // `boundaries:` left empty (or not a list): give it a flow list in place.
          const v = pipeline.boundariesPair.value as { range?: [number, number, number] } | null;
          const keyEnd = (pipeline.boundariesPair.key as { range?: [number, number, number] }).range![1];
          const edit =
            v?.range && v.range[1] > v.range[0]
              ? { start: v.range[0], end: v.range[1], newText: `[${location}]` }
              : { start: ctx.text.indexOf(':', keyEnd) + 1, end: ctx.text.indexOf(':', keyEnd) + 1, newText: ` [${location}]` };
          fixes.push({ title, edits: [edit], safety: 'suggestion' });
        } else if (pipeline.metadata) fixes.push({ title, edits: [insertPair(ctx.text, pipeline.metadata, 'boundaries', [location])], safety: 'suggestion' });
        ctx.report({
          messageId: 'undeclared',
          data: {
            connection: JSON.stringify(conn.name?.value ?? 'unnamed'),
            stage: stageLabel(stage),
            location,
            declared: pipeline.boundaries.length ? ` (it declares ${pipeline.boundaries.join(', ')})` : ' (it declares none)',
          },
          span: spanOf(conn.location.node)!,
          fixes,
          related: pipeline.boundariesPair ? [{ span: spanOf(pipeline.boundariesPair.key)!, message: 'boundaries are declared here' }] : [],
        });
      }
    }
  },
});
