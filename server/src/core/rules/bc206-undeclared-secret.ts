import { spanOf } from '../yaml-ast';
import { defineRule } from './rule';
import { addSecretEdit, secretRefFor } from './bc201-secret-literal';
import { stageLabel } from './helpers';

const REF = /\$\{secret:([^}]*)\}/g;

export const bc206 = defineRule({
  meta: {
    code: 'BC206',
    slug: 'undeclared-secret',
    category: 'security',
    defaultSeverity: 'error',
    summary: 'An env value refers to ${secret:NAME}, but the stage declares no secret of that name.',
    messages: {
      undeclared: 'Env {key} of stage {stage} refers to secret "{name}", which the stage’s secrets do not declare{known}. Add it with a secret:// ref.',
    },
    fixable: true,
  },
  check(ctx) {
    const pipeline = ctx.pipeline;
    if (!pipeline) return;
    for (const stage of pipeline.stages) {
      const declared = new Set(stage.secrets.map((s) => s.name?.value).filter((n): n is string => !!n));
      const added = new Set<string>();
      for (const entry of stage.env) {
        const v = entry.value;
        if (!v || !v.value.includes('${secret:')) continue;
        const source = ctx.text.slice(v.node.range![0], v.node.range![1]);
        for (const m of v.value.matchAll(REF)) {
          const name = m[1]!.trim();
          if (declared.has(name)) continue;
          // Point at the reference itself where the source spells it the same way, else at the value.
          const at = source.indexOf(m[0]);
          const span = at === -1 ? spanOf(v.node)! : { start: v.node.range![0] + at, end: v.node.range![0] + at + m[0].length };
          const first = !added.has(name);
          added.add(name);
          ctx.report({
            messageId: 'undeclared',
            data: { key: entry.key, stage: stageLabel(stage), name, known: declared.size ? ` (it declares ${[...declared].join(', ')})` : '' },
            span,
            fixes:
              first && name
                ? [
                    {
                      title: `Declare secret ${name} with ref ${secretRefFor(pipeline, stage, name)}`,
                      edits: [addSecretEdit(ctx.text, stage, { name, ref: secretRefFor(pipeline, stage, name) })],
                      safety: 'suggestion',
                    },
                  ]
                : [],
            related: stage.secretsSeq ? [{ span: spanOf(stage.secretsSeq)!, message: 'the stage’s secrets are declared here' }] : [],
          });
        }
      }
    }
  },
});
