import {
  capacityProblem,
  classAllowed,
  matrixApplies,
  networkAllowed,
  networkCarriesClassification,
  reachable,
  sizeWithinMax,
  SERVERLESS_MAX_MEMORY_GB,
  SERVERLESS_MAX_MINUTES,
  type StageFit,
} from '../checks';
import { computeCost, transferCost, usageOf, usd, type Usage } from '../cost';
import { CLASSES, LOCATIONS, MATRIX, NETWORKS, isLocation, isNetwork, isRunnerClass, matrixRow, orderedTiers, tierOf, type Policy } from '../data';
import { addDays, ignoreCodesBefore } from '../ignore';
import { runnerLabel, type DeclaredRunner, type Recommendation } from '../recommend';
import { RULES } from '../rules/registry';
import { PIPELINE_SCHEMA, POLICY_SCHEMA, resolveRef, schemaAtPath, type JsonSchema } from '../schema';
import type { Span } from '../types';
import type { StageVerdict } from '../verdict';
import { cursorContext, type CursorContext } from './cursor';
import { classificationIn, stageAt, stageNamesIn, type StageText } from './stage-text';

/** Completion as plain data: the server turns these into LSP items. */

export type CompletionKind = 'property' | 'value' | 'enum' | 'snippet' | 'reference' | 'constant';

export interface CompletionEntry {
  label: string;
  kind: CompletionKind;
  detail?: string;
  documentation?: string;
  insertText: string;
  isSnippet?: boolean;
  span: Span;
  sortText: string;
  filterText?: string;
  preselect?: boolean;
  /** Ask the editor for completion again after inserting (a key whose value has choices). */
  retrigger?: boolean;
}

export interface CompletionInput {
  text: string;
  offset: number;
  kind: 'manifest' | 'policy';
  policy: Policy;
  /** Stage names and defaults from the last analysis, when the current text cannot tell. */
  knownStageNames?: readonly string[];
  defaults?: { class?: string; size?: string; network?: string };
  /** Offer whole-pipeline, stage, connection and secret snippets (default true). */
  snippets?: boolean;
  /** The analysed stage under the cursor, when the current text has one: its verdict ranks runner values. */
  verdict?: StageVerdict;
  /** Today's date where the editor runs: an ignore comment's `until` is offered 90 days out. */
  today?: string;
}

/** How long a waiver written in the editor is offered to last. */
export const WAIVER_DAYS = 90;

export function complete(input: CompletionInput): CompletionEntry[] {
  const { text, offset } = input;
  const directive = ignoreDirective(text, offset, input.today);
  if (directive) return directive;
  const ctx = cursorContext(text, offset);
  if (!ctx) return [];
  const root = input.kind === 'policy' ? POLICY_SCHEMA : PIPELINE_SCHEMA;
  const schemaPath = ctx.path.map((s) => (s === '[]' ? 0 : s));
  const out: CompletionEntry[] = [];

  if (ctx.kind === 'key') {
    const container = schemaAtPath(root, schemaPath);
    // `- ab|` under a list of scalars: an entry, not a key.
    if (ctx.newItem && ctx.key && container && !container.properties) return valueEntries(input, ctx, ctx.key, schemaAtPath(root, schemaPath) ?? {});
    if (container?.properties) out.push(...keyEntries(ctx, container, root));
    if (input.kind === 'manifest' && input.snippets !== false) out.push(...snippets(ctx, text));
    return out;
  }
  const key = ctx.key!;
  const valueSchema = ctx.kind === 'item' ? resolveRef(schemaAtPath(root, [...schemaPath, key])?.items, root) : schemaAtPath(root, [...schemaPath, key]);
  return valueEntries(input, ctx, key, valueSchema ?? {});
}

function docOf(s: JsonSchema | undefined): string {
  if (!s) return '';
  const parts: string[] = [];
  if (s.title) parts.push(`**${s.title}**`);
  if (s.description) parts.push(s.description);
  const ex = s.examples?.[0];
  if (ex !== undefined) parts.push(`Example: \`${typeof ex === 'string' ? ex : JSON.stringify(ex)}\``);
  return parts.join('\n\n');
}

function keyEntries(ctx: CursorContext, container: JsonSchema, root: JsonSchema): CompletionEntry[] {
  const required = new Set(container.required ?? []);
  const out: CompletionEntry[] = [];
  const indent = ' '.repeat(ctx.column);
  for (const [name, raw] of Object.entries(container.properties ?? {})) {
    if (ctx.siblings.includes(name)) continue;
    const s = resolveRef(raw, root) ?? {};
    const type = s.type ?? (s.const !== undefined ? 'string' : s.properties ? 'object' : undefined);
    let insertText = `${name}: `;
    let isSnippet = false;
    let retrigger = false;
    if (ctx.flow) insertText = `${name}: `;
    else if (type === 'object') {
      insertText = `${name}:\n${indent}  $0`;
      isSnippet = true;
    } else if (type === 'array') {
      const items = resolveRef(s.items, root);
      insertText = items?.properties ? `${name}:\n${indent}  - $0` : `${name}: [$0]`;
      isSnippet = true;
      retrigger = !items?.properties;
    } else if (s.const !== undefined) insertText = `${name}: ${String(s.const)}`;
    else if (s.enum || type === 'boolean' || name === 'class' || name === 'network' || name === 'size') retrigger = true;
    out.push({
      label: name,
      kind: 'property',
      detail: `${required.has(name) ? 'required · ' : ''}${s.title ?? name}`,
      documentation: docOf(s),
      insertText,
      ...(isSnippet ? { isSnippet } : {}),
      span: ctx.span,
      sortText: `${required.has(name) ? '0' : '1'}${name}`,
      ...(retrigger ? { retrigger } : {}),
    });
  }
  return out;
}

function valueEntries(input: CompletionInput, ctx: CursorContext, key: string, schema: JsonSchema): CompletionEntry[] {
  const { text, offset, policy } = input;
  const inStageRunner = ctx.path.length >= 4 && ctx.path[0] === 'spec' && ctx.path[1] === 'stages' && ctx.path[3] === 'runner';
  const inStage = ctx.path.length === 3 && ctx.path[0] === 'spec' && ctx.path[1] === 'stages';
  const entry = (
    label: string,
    sortText: string,
    detail: string | undefined,
    documentation?: string,
    extra: Partial<CompletionEntry> = {},
  ): CompletionEntry => ({
    label,
    kind: 'enum',
    ...(detail ? { detail } : {}),
    ...(documentation ? { documentation } : {}),
    insertText: label,
    span: ctx.span,
    sortText,
    ...extra,
  });

  if (input.kind === 'manifest' && inStageRunner && (key === 'class' || key === 'network' || key === 'size')) {
    return rankedRunnerValues(key, input.verdict ? undefined : stageAt(text, offset), input, entry);
  }
  if (input.kind === 'manifest' && key === 'size') return sizeEntries(undefined, input, entry);
  if (input.kind === 'manifest' && inStage && key === 'dependsOn') {
    const stage = stageAt(text, offset);
    const names = stageNamesIn(text);
    const all = names.length ? names : [...(input.knownStageNames ?? [])];
    return [...new Set(all)]
      .filter((n) => n !== stage?.name)
      .map((n, i) => ({ ...entry(n, String(i).padStart(4, '0'), 'stage of this pipeline'), kind: 'reference' as const }));
  }
  if (input.kind === 'manifest' && ctx.path.length === 1 && ctx.path[0] === 'metadata' && key === 'boundaries') {
    const present = new Set([...text.matchAll(/boundaries:\s*\[([^\]\n]*)/g)].flatMap((m) => m[1]!.split(',').map((s) => s.trim())));
    const descs = schema.enumDescriptions as string[] | undefined;
    return LOCATIONS.filter((l) => !present.has(l)).map((l, i) => entry(l, `${i}`, 'location', descs?.[i]));
  }
  if (input.kind === 'manifest' && inStage && key === 'workload') {
    const stage = stageAt(text, offset);
    const descs = schema.enumDescriptions as string[] | undefined;
    const values = (schema.enum ?? []) as string[];
    return values.map((w, i) => {
      const fits = !stage?.phase || matrixRow(stage.phase, w) !== undefined;
      return entry(
        w,
        `${fits ? '0' : '9'}${String(i).padStart(2, '0')}`,
        fits ? (stage?.phase ? `${stage.phase} workload` : 'workload') : `not a ${stage!.phase} workload`,
        descs?.[i],
      );
    });
  }
  if (schema.enum) {
    const descs = schema.enumDescriptions as string[] | undefined;
    return (schema.enum as unknown[]).map((v, i) => entry(String(v), String(i).padStart(3, '0'), schema.title, descs?.[i]));
  }
  if (schema.const !== undefined) return [entry(String(schema.const), '0', schema.title, schema.description)];
  if (schema.type === 'boolean') return ['true', 'false'].map((v, i) => ({ ...entry(v, String(i), schema.title), kind: 'constant' as const }));
  if (input.kind === 'policy' && (key === 'maxSize' || ctx.path[ctx.path.length - 1] === 'maxSize'))
    return orderedTiers(policy).map((t, i) => entry(t, String(i), 'size tier'));
  return [];
}

type Entry = (label: string, sortText: string, detail: string | undefined, documentation?: string, extra?: Partial<CompletionEntry>) => CompletionEntry;

/** What ranking a stage's runner values needs: the checks' inputs and the recommended runner. */
interface RunnerContext {
  fit: StageFit;
  declared: DeclaredRunner;
  recommended: Recommendation | null | undefined;
  usage: Usage;
}

/**
 * The analysed stage's verdict when the server has one for the cursor's text (the same answer
 * hover, lenses and the panels give); else the stage as read from the text being typed, ranked by
 * the same predicates, without a recommendation.
 */
function runnerContext(input: CompletionInput, stage: StageText | undefined): RunnerContext | undefined {
  const v = input.verdict;
  if (v) return { fit: v.fit, declared: v.declared, recommended: v.recommended, usage: v.usage };
  if (!stage) return undefined;
  const row = matrixRow(stage.phase, stage.workload);
  const classification = classificationIn(input.text);
  const fit: StageFit = {
    policy: input.policy,
    tiers: orderedTiers(input.policy),
    ...(classification ? { classification } : {}),
    connections: stage.connections.flatMap((c) =>
      isLocation(c.location) ? [{ ...(c.name ? { name: c.name } : {}), location: c.location, privateLink: c.privateLink }] : [],
    ),
    ...(stage.workload ? { workload: stage.workload } : {}),
    ...(row ? { row } : {}),
    justified: !!stage.justification,
    ...(stage.estimate.durationMinutes !== undefined ? { durationMinutes: stage.estimate.durationMinutes } : {}),
    waived: new Set(),
    waivedConnections: new Set(),
  };
  const d = input.defaults ?? {};
  const cls = stage.runner.class ?? d.class;
  const size = stage.runner.size ?? d.size;
  const network = stage.runner.network ?? d.network;
  const declared: DeclaredRunner = {
    ...(isRunnerClass(cls) ? { class: cls } : {}),
    ...(tierOf(input.policy, size) ? { size: size! } : {}),
    ...(isNetwork(network) ? { network } : {}),
  };
  const usage = usageOf({ workload: stage.workload, cron: stage.cron, estimate: stage.estimate });
  // The recommended runner is the analysis' to say (with the stage's waivers and schema errors);
  // text being typed is ranked by the same checks, and nothing is claimed as recommended.
  return { fit, declared, recommended: undefined, usage };
}

function rankedRunnerValues(key: 'class' | 'network' | 'size', stage: StageText | undefined, input: CompletionInput, entry: Entry): CompletionEntry[] {
  const rc = runnerContext(input, stage);
  if (!rc) return key === 'size' ? sizeEntries(undefined, input, entry) : [];
  const { fit, declared } = rc;
  const rec = rc.recommended ?? undefined;
  const row = fit.row;
  const pw = row ? `${row.phase} / ${fit.workload}` : '';
  const classSchema = PIPELINE_SCHEMA.definitions!.runner!.properties!.class!;
  const networkSchema = PIPELINE_SCHEMA.definitions!.runner!.properties!.network!;
  const recommendedNote = rec ? `recommended runner: ${runnerLabel(rec)}` : '';
  if (key === 'class') {
    const tier = tierOf(fit.policy, declared.size);
    return CLASSES.map((c, i) => {
      let rank = '5';
      let detail = matrixApplies(fit) ? `not the matrix's class for ${pw}; say why in runner.justification` : 'runner class';
      if (rec?.class === c) [rank, detail] = ['0', recommendedNote];
      else if (!classAllowed(fit, c)) [rank, detail] = ['9', 'not allowed by the policy'];
      else if (capacityProblem(fit, c, tier))
        [rank, detail] = ['8', `cannot run this stage: serverless has at most ${SERVERLESS_MAX_MEMORY_GB} GiB and ${SERVERLESS_MAX_MINUTES} minutes`];
      else if (matrixApplies(fit) && row!.class === c) [rank, detail] = ['1', `recommended for ${pw}`];
      else if (!matrixApplies(fit)) rank = '2';
      return entry(c, `${rank}${i}`, detail, (classSchema.enumDescriptions as string[])[i], rec?.class === c ? { preselect: true } : {});
    });
  }
  if (key === 'network') {
    return NETWORKS.map((n, i) => {
      const typical = row ? row.networks.indexOf(n) : -1;
      let rank = `5${i}`;
      let detail = matrixApplies(fit) ? `not typical for ${pw}; say why in runner.justification` : 'network profile';
      const blocked = fit.connections.find((c) => !reachable(fit, n, c));
      if (rec?.network === n) [rank, detail] = ['00', recommendedNote];
      else if (!networkAllowed(fit, n)) [rank, detail] = [`9${i}`, 'not allowed by the policy'];
      else if (!networkCarriesClassification(fit, n)) [rank, detail] = [`9${i}`, `not allowed for ${fit.classification} data`];
      else if (blocked) [rank, detail] = [`8${i}`, `cannot reach ${blocked.name ?? 'a connection'} (${blocked.location})`];
      else if (typical !== -1) [rank, detail] = [`1${typical}`, typical === 0 ? `preferred for ${pw}` : `typical for ${pw}`];
      else if (!matrixApplies(fit)) [rank, detail] = [`2${i}`, 'reaches every connection'];
      return entry(n, rank, detail, (networkSchema.enumDescriptions as string[])[i], rec?.network === n ? { preselect: true } : {});
    });
  }
  return sizeEntries(rc, input, entry);
}

function sizeEntries(rc: RunnerContext | undefined, input: CompletionInput, entry: Entry): CompletionEntry[] {
  const { policy } = input;
  const rec = rc?.recommended ?? undefined;
  const cls = rc?.declared.class ?? rec?.class;
  const network = rc?.declared.network ?? rec?.network;
  return orderedTiers(policy).map((t, i) => {
    const tier = policy.sizes[t]!;
    const specs = `${tier.vcpu} vCPU · ${tier.memoryGb} GB${tier.concurrency ? ` · concurrency ${tier.concurrency}` : ''}`;
    let note = '';
    let rank = '2';
    if (cls && rc) {
      const monthly = computeCost(cls, tier, rc.usage, policy).usd + (network ? transferCost(network, rc.usage, policy).usd : 0);
      note = ` · ${usd(monthly)}/month`;
      if (rec?.size === t) [rank, note] = ['0', `${note} · recommended runner: ${runnerLabel(rec)}`];
      else if (capacityProblem(rc.fit, cls, tier)?.memory) [rank, note] = ['9', `${note} · too much memory for ${cls}`];
      else if (!sizeWithinMax(rc.fit, cls, t)) [rank, note] = ['8', `${note} · above the policy's largest ${cls} size`];
    }
    return entry(
      t,
      `${rank}${String(i).padStart(2, '0')}`,
      `${specs}${note}`,
      `**${t}**: ${specs}${tier.dpu ? `, ${tier.dpu} DPU` : ''}.${cls && note ? `\n\nThis stage on ${cls}${network ? ` over ${network}` : ''}: ${note.replace(/^ \u00b7 /, '')}.` : ''}`,
      rec?.size === t ? { preselect: true } : {},
    );
  });
}

/** Codes in `# barecount-ignore ` comments. */
function ignoreDirective(text: string, offset: number, today: string | undefined): CompletionEntry[] | undefined {
  const at = ignoreCodesBefore(text, offset);
  if (!at) return undefined;
  // A waiver that ends: `until` and a date 90 days out, once a code is listed.
  const until = today ? addDays(today, WAIVER_DAYS) : undefined;
  const lineStart = text.lastIndexOf('\n', offset - 1) + 1;
  const afterUntil = /\buntil\s+(\S*)$/i.exec(text.slice(lineStart, offset));
  if (afterUntil) {
    return until
      ? [
          {
            label: until,
            kind: 'constant',
            detail: `the waiver ends in ${WAIVER_DAYS} days`,
            insertText: `${until}: `,
            span: { start: offset - afterUntil[1]!.length, end: offset },
            sortText: '000',
          },
        ]
      : [];
  }
  const present = new Set(at.listed);
  const ending: CompletionEntry[] =
    until && at.listed.length > 0
      ? [
          {
            label: `until ${until}`,
            kind: 'snippet',
            detail: `the waiver ends in ${WAIVER_DAYS} days (BC004 after that)`,
            documentation: 'The last day the waiver holds. After it, the finding it waived is reported again, and the comment is BC004.',
            insertText: `until \${1:${until}}: \${2:reason}`,
            isSnippet: true,
            span: { start: offset - at.prefix.length, end: offset },
            sortText: '000',
            filterText: `until ${until}`,
          },
        ]
      : [];
  return [
    ...ending,
    ...RULES.filter((r) => !present.has(r.meta.code)).map((r, i) => ({
      label: r.meta.code,
      kind: 'value' as const,
      detail: r.meta.slug,
      documentation: r.meta.summary,
      insertText: `${r.meta.code}: `,
      span: { start: offset - at.prefix.length, end: offset },
      sortText: String(i + 1).padStart(3, '0'),
    })),
  ];
}

/** Snippets: a whole pipeline on an empty document, a stage per matrix row, a connection, a secret. */
function snippets(ctx: CursorContext, text: string): CompletionEntry[] {
  const out: CompletionEntry[] = [];
  const ind = ' '.repeat(ctx.column);
  if (ctx.path.length === 0 && text.trim().length <= ctx.prefix.length) {
    out.push({
      label: 'BareCount pipeline',
      kind: 'snippet',
      detail: 'a whole manifest',
      documentation: 'A pipeline with metadata, boundaries, tags and one stage.',
      insertText: [
        'apiVersion: barecount/v1',
        'kind: Pipeline',
        'metadata:',
        '  name: ${1:my-pipeline}',
        '  owner: ${2:data-platform}',
        '  dataClassification: ${3|internal,public,confidential,restricted|}',
        '  boundaries: [${4:cloud-private}]',
        '  tags: { cost-center: ${5:fin-ops} }',
        'spec:',
        '  stages:',
        '    - name: ${6:ingest}',
        '      phase: ingestion',
        '      workload: small-batch',
        '      runner: { class: serverless, size: small, network: public-egress }',
        '      schedule: { cron: "${7:0 2 * * *}" }',
        '$0',
      ].join('\n'),
      isSnippet: true,
      span: ctx.span,
      sortText: '00',
    });
  }
  const list = ctx.path[ctx.path.length - 1] === '[]' ? ctx.path[ctx.path.length - 2] : undefined;
  if (ctx.newItem && ctx.siblings.length === 0 && list === 'stages' && ctx.path.length === 3) {
    let i = 0;
    for (const row of MATRIX.rows) {
      for (const workload of row.workloads) {
        const k = ind;
        out.push({
          label: `stage: ${row.phase} / ${workload}`,
          kind: 'snippet',
          detail: `${row.class} · ${row.networks[0]}`,
          documentation: `A ${row.guide.toLowerCase()} stage on the recommended runner: ${row.class}, typical network ${row.networks.join(' or ')}.`,
          insertText: [
            `name: \${1:${workload}}`,
            `${k}phase: ${row.phase}`,
            `${k}workload: ${workload}`,
            `${k}runner: { class: ${row.class}, size: \${2:small}, network: ${row.networks[0]} }`,
            '$0',
          ].join('\n'),
          isSnippet: true,
          span: ctx.span,
          sortText: `2${String(i++).padStart(2, '0')}`,
          filterText: `stage ${row.phase} ${workload}`,
        });
      }
    }
  }
  if (ctx.newItem && ctx.siblings.length === 0 && list === 'connections') {
    out.push({
      label: 'connection',
      kind: 'snippet',
      detail: 'a system this stage reads or writes',
      insertText: [
        'name: ${1:orders-db}',
        `${ind}kind: \${2|jdbc,odbc,http-api,webhook,object-store,warehouse,queue,sftp|}`,
        `${ind}location: \${3|cloud-private,public-internet,partner-network,on-premise|}`,
        `${ind}direction: \${4|read,write|}`,
        '$0',
      ].join('\n'),
      isSnippet: true,
      span: ctx.span,
      sortText: '20',
    });
  }
  if (ctx.newItem && ctx.siblings.length === 0 && list === 'secrets') {
    out.push({
      label: 'secret',
      kind: 'snippet',
      detail: 'fetched at run time from the secrets service',
      insertText: ['name: ${1:DB_PASSWORD}', `${ind}ref: "secret://\${2:pipeline}/\${3:db-password}"`, '$0'].join('\n'),
      isSnippet: true,
      span: ctx.span,
      sortText: '20',
    });
  }
  return out;
}
