import { lazyFix } from '../types';
import { spanOf } from '../yaml-ast';
import { defineRule } from './rule';
import { addSecretEdit, secretRefFor } from './bc201-secret-literal';
import { stageLabel } from './helpers';

/**
 * The `${secret:NAME}` references in a value, as `/\$\{secret:([^}]*)\}/g` finds them, in one
 * pass: when one has no closing brace, no later one has either (the expression re-read the rest
 * of the value from every `${secret:`, quadratic).
 */
function secretRefs(value: string): Array<{ ref: string; name: string }> {
  const out: Array<{ ref: string; name: string }> = [];
  for (let from = 0; ;) {
    const at = value.indexOf('${secret:', from);
    if (at === -1) return out;
    const close = value.indexOf('}', at + 9);
    if (close === -1) return out;
    out.push({ ref: value.slice(at, close + 1), name: value.slice(at + 9, close) });
    from = close + 1;
  }
}

/** How many declared names a message lists. */
const LISTED = 8;

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
    perStage: true,
    fixable: true,
  },
  check(ctx) {
    const pipeline = ctx.pipeline;
    if (!pipeline) return;
    for (const stage of pipeline.stages) {
      const declared = new Set(stage.secrets.map((s) => s.name?.value).filter((n): n is string => !!n));
      ctx.work.add(1 + stage.secrets.length + stage.env.length);
      const names = [...declared];
      const known = names.length ? ` (it declares ${names.slice(0, LISTED).join(', ')}${names.length > LISTED ? ', …' : ''})` : '';
      const added = new Set<string>();
      const label = stageLabel(stage);
      for (const entry of stage.env) {
        const v = entry.value;
        if (!v || !v.value.includes('${secret:')) continue;
        const source = ctx.text.slice(v.node.range![0], v.node.range![1]);
        ctx.work.add(v.value.length + source.length);
        // Each reference is looked for after the one before it, so the source is read once.
        let from = 0;
        for (const m of secretRefs(v.value)) {
          const name = m.name.trim();
          // Point at the reference itself where the source spells it the same way, else at the value.
          const at = source.indexOf(m.ref, from);
          // Where the source spells a reference differently (escapes), the rest point at the value.
          from = at === -1 ? source.length : at + m.ref.length;
          if (declared.has(name)) continue;
          const span = at === -1 ? spanOf(v.node)! : { start: v.node.range![0] + at, end: v.node.range![0] + at + m.ref.length };
          const first = !added.has(name);
          added.add(name);
          ctx.report({
            messageId: 'undeclared',
            data: { key: entry.key, stage: label, name, known },
            span,
            fixes:
              first && name
                ? [
                    lazyFix({ title: `Declare secret ${name} with ref ${secretRefFor(pipeline, stage, name)}`, safety: 'suggestion' }, () => [
                      addSecretEdit(ctx.text, stage, { name, ref: secretRefFor(pipeline, stage, name) }),
                    ]),
                  ]
                : [],
            related: stage.secretsSeq ? [{ span: spanOf(stage.secretsSeq)!, message: 'the stage’s secrets are declared here' }] : [],
          });
        }
      }
    }
  },
});
