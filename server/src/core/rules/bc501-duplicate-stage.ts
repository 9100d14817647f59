import type { Field } from '../model';
import { spanOf } from '../yaml-ast';
import { defineRule } from './rule';

export const bc501 = defineRule({
  meta: {
    code: 'BC501',
    slug: 'duplicate-stage',
    category: 'structure',
    defaultSeverity: 'error',
    summary: 'Two stages of a pipeline have the same name.',
    messages: {
      duplicate:
        'Stage name "{name}" is already used by stage #{first}; stage names must be unique in a pipeline, or dependsOn and evidence cannot tell them apart.',
    },
    fixable: false,
  },
  check(ctx) {
    const seen = new Map<string, { field: Field<string>; index: number }>();
    for (const stage of ctx.pipeline?.stages ?? []) {
      if (!stage.name) continue;
      const prior = seen.get(stage.name.value);
      if (!prior) {
        seen.set(stage.name.value, { field: stage.name, index: stage.index });
        continue;
      }
      ctx.report({
        messageId: 'duplicate',
        data: { name: stage.name.value, first: prior.index + 1 },
        span: spanOf(stage.name.node)!,
        related: [{ span: spanOf(prior.field.node)!, message: `first stage named "${stage.name.value}"` }],
      });
    }
  },
});
