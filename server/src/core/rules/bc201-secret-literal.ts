import type { Scalar } from 'yaml';
import type { EnvEntry, PipelineModel, StageModel } from '../model';
import { credentialKind } from '../secrets';
import { lazyFix, type Fix } from '../types';
import { appendToSeq, insertPair, replaceScalar } from '../yaml-edit';
import { defineRule } from './rule';
import { stageLabel } from './helpers';

export const bc201 = defineRule({
  meta: {
    code: 'BC201',
    slug: 'secret-literal',
    category: 'security',
    defaultSeverity: 'error',
    summary: 'A secret is written into the manifest as a literal instead of being fetched from the secrets service.',
    messages: {
      literal:
        'Secret written as a literal in {where} ({kind}). Secrets are fetched at run time from the platform secrets service, never embedded: move it to "secrets" with a secret:// ref and refer to it as ${secret:NAME}. Rotate it if this file was ever shared.',
    },
    fixable: true,
  },
  check(ctx) {
    // The secret names a stage declares, gathered once per stage rather than once per literal.
    const declared = new Map<StageModel, ReadonlySet<string>>();
    const declaredOf = (stage: StageModel) => {
      let names = declared.get(stage);
      if (!names) declared.set(stage, (names = new Set(stage.secrets.map((s) => s.name?.value).filter((n): n is string => !!n))));
      return names;
    };
    // In the file's order: when the work limit stops the analysis here, the findings kept are
    // the first ones of the file, whatever order the walk found them in.
    const inOrder = [...ctx.literalSecrets].sort((a, b) => a.node.range![0] - b.node.range![0]);
    for (const { node, kind, path } of inOrder) {
      const segs = path();
      // A stage's env value: found through the stage its path names, not an index of every env value.
      const stage = ctx.pipeline && isStagePath(segs) ? stageAtIndex(ctx.pipeline.stages, segs[2]) : undefined;
      const entry = stage && segs[3] === 'env' && segs.length === 5 ? stage.env.find((e) => e.value?.node === node) : undefined;
      ctx.report({
        messageId: 'literal',
        data: { where: whereOf(segs, ctx.pipeline), kind },
        span: { start: node.range![0], end: node.range![1] },
        // An anchored value is read by its aliases too: replacing it would change what they say.
        fixes: stage && entry && ctx.pipeline && !node.anchor ? [moveToSecrets(ctx.text, ctx.pipeline, stage, entry, node, declaredOf(stage))] : [],
      });
    }
  },
});

/** Where a value sits, for a person: `env.DB_PASSWORD of stage "load"` rather than `spec.stages[0].env.DB_PASSWORD`. */
function whereOf(segs: Array<string | number>, pipeline: PipelineModel | undefined): string {
  const join = (parts: Array<string | number>) =>
    parts.reduce<string>((out, seg) => (typeof seg === 'number' ? `${out}[${seg}]` : out ? `${out}.${seg}` : seg), '');
  if (isStagePath(segs)) {
    const stage = pipeline ? stageAtIndex(pipeline.stages, segs[2]) : undefined;
    const rest = join(segs.slice(3));
    const label = stage ? stageLabel(stage) : `#${segs[2] + 1}`;
    return rest ? `${rest} of stage ${label}` : `stage ${label}`;
  }
  return join(segs) || 'the document';
}

/** A path into a stage item: `spec.stages[i]…`. */
function isStagePath(segs: Array<string | number>): segs is ['spec', 'stages', number, ...Array<string | number>] {
  return segs[0] === 'spec' && segs[1] === 'stages' && typeof segs[2] === 'number';
}

/** The stage at a place in the list, by binary search (stages are in order; items that are not mappings have none). */
function stageAtIndex(stages: readonly StageModel[], index: number): StageModel | undefined {
  let lo = 0;
  let hi = stages.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (stages[mid]!.index < index) lo = mid + 1;
    else hi = mid;
  }
  return stages[lo]?.index === index ? stages[lo] : undefined;
}

export function secretNameFor(key: string, taken: ReadonlySet<string>): string {
  const base =
    key
      .toUpperCase()
      .replace(/[^A-Z0-9]+/g, '_')
      .replace(/^_+|_+$/g, '') || 'SECRET';
  let name = base;
  for (let i = 2; taken.has(name); i++) name = `${base}_${i}`;
  return name;
}

export function secretRefFor(pipeline: PipelineModel, stage: StageModel, name: string): string {
  const slug = name.toLowerCase().replace(/_/g, '-');
  // A name that is itself a credential is never copied into the ref.
  const safe = (v: string | undefined) => (v && !credentialKind(v) ? v : undefined);
  return `secret://${safe(pipeline.name?.value) ?? 'pipeline'}/${safe(stage.name?.value) ?? `stage-${stage.index + 1}`}/${slug}`;
}

/** An edit that declares a secret entry on the stage. */
export function addSecretEdit(text: string, stage: StageModel, entry: { name: string; ref: string }) {
  return stage.secretsSeq ? appendToSeq(text, stage.secretsSeq, entry) : insertPair(text, stage.node, 'secrets', [entry]);
}

function moveToSecrets(text: string, pipeline: PipelineModel, stage: StageModel, entry: EnvEntry, node: Scalar, taken: ReadonlySet<string>): Fix {
  const name = secretNameFor(entry.key, taken);
  const ref = secretRefFor(pipeline, stage, name);
  return lazyFix(
    // The literal leaves the file: whoever applies this must have stored the value first.
    {
      title: `Store the value in the secrets service first, then move it to secrets as ${name} and use \${secret:${name}}`,
      safety: 'suggestion',
    },
    () => [replaceScalar(node, `\${secret:${name}}`, text), addSecretEdit(text, stage, { name, ref })],
  );
}
