import type { Document, Node, Pair, Scalar, YAMLMap, YAMLSeq } from 'yaml';
import { CronReader, type CronResult } from './cron';
import { asMap, asScalar, asSeq, boolOf, deref, isScalar, keyString, numberOf, pairOf, stageHoldsAlias, stringOf, valueOf } from './yaml-ast';

/**
 * A typed view of one `kind: Pipeline` document that keeps the AST node behind every value, so
 * rules can point at the exact place and build minimal edits. Values of the wrong type read as
 * absent: the schema stage reports them.
 */

export interface Field<T> {
  value: T;
  node: Scalar;
}

export type RunnerField = 'class' | 'size' | 'network';
export const RUNNER_FIELDS: readonly RunnerField[] = ['class', 'size', 'network'];

export interface EffectiveRunnerField extends Field<string> {
  /** Where the value came from: the stage itself or `spec.defaults.runner`. */
  source: 'stage' | 'defaults';
}

export interface ConnectionModel {
  node: YAMLMap;
  name?: Field<string>;
  location?: Field<string>;
  /** `http-api`, `webhook`, `jdbc`… and `read` or `write`, as written (BC105, BC207). */
  kind?: Field<string>;
  direction?: Field<string>;
  privateLink: boolean;
}

export interface SecretModel {
  node: Node;
  name?: Field<string>;
}

export interface EnvEntry {
  key: string;
  keyNode: Scalar;
  value?: Field<string>;
}

export interface EstimateInputs {
  runsPerDay?: Field<number>;
  durationMinutes?: Field<number>;
  dataGb?: Field<number>;
  replicas?: Field<number>;
}

/** The inputs a stage's `estimate` may declare, in the order the cost model reads them. */
export const ESTIMATE_FIELDS: readonly (keyof EstimateInputs)[] = ['runsPerDay', 'durationMinutes', 'dataGb', 'replicas'];

/** Stage fields that decide its runner; one written with the wrong type is BC002's to report. */
export type DecidingField = 'phase' | 'workload' | 'runner' | RunnerField | 'justification';

export interface StageModel {
  /** Position of the stage's item in `spec.stages`. */
  index: number;
  node: YAMLMap;
  name?: Field<string>;
  phase?: Field<string>;
  workload?: Field<string>;
  runnerPair?: Pair<Node, Node | null>;
  runnerMap?: YAMLMap;
  runner: Partial<Record<RunnerField, EffectiveRunnerField>>;
  justification?: string;
  dependsOn: Field<string>[];
  connections: ConnectionModel[];
  secretsSeq?: YAMLSeq;
  secrets: SecretModel[];
  envMap?: YAMLMap;
  env: EnvEntry[];
  cron?: Field<string>;
  /** Runs a day of `schedule.cron`, computed once with the model. */
  cronRuns?: CronResult;
  /** The shortest gap between two runs of `schedule.cron` in minutes, when it can be read (BC305). */
  cronInterval?: number;
  event?: string;
  estimateMap?: YAMLMap;
  estimate: EstimateInputs;
  /** Deciding fields present with a value of the wrong type (inherited ones included). */
  badType: readonly DecidingField[];
}

export interface PipelineModel {
  documentIndex: number;
  doc: Document;
  root: YAMLMap;
  metadataPair?: Pair<Node, Node | null>;
  metadata?: YAMLMap;
  name?: Field<string>;
  classification?: Field<string>;
  boundariesPair?: Pair<Node, Node | null>;
  boundariesSeq?: YAMLSeq;
  boundaries: string[];
  tagsMap?: YAMLMap;
  tags: Map<string, string>;
  budget?: Field<number>;
  defaultsRunner?: YAMLMap;
  /** `spec.defaults.runner` fields as written. */
  defaults: Partial<Record<RunnerField, Field<string>>>;
  stagesSeq?: YAMLSeq;
  stages: StageModel[];
}

/**
 * Stage models an editor keeps across versions of one document, keyed by the (never mutated)
 * stage node: a stage an edit did not touch keeps its model. Owned by the adapter's cache.
 */
export type StageModelCache = WeakMap<YAMLMap, { model: StageModel; defaultsKey: string; anchors?: string }>;

function field<T>(node: Node | null, read: (n: Node | null) => T | undefined): Field<T> | undefined {
  const value = read(node);
  return value === undefined ? undefined : { value, node: node as Scalar };
}

const str = (n: Node | null) => field(n, stringOf);
const num = (n: Node | null) => field(n, numberOf);

/** `anchors`: ParsedFile.anchors, under whose key a stage holding an alias may keep its model. */
export function buildPipeline(doc: Document, documentIndex: number, cache?: StageModelCache, anchors?: ReadonlyMap<Node, string>): PipelineModel | undefined {
  const root = asMap(deref(doc.contents, doc));
  if (!root) return undefined;
  const metadataPair = pairOf(root, 'metadata');
  const metadata = asMap(deref(metadataPair?.value, doc));
  const boundariesPair = pairOf(metadata, 'boundaries');
  const boundariesSeq = asSeq(deref(boundariesPair?.value, doc));
  const tagsMap = asMap(valueOf(metadata, 'tags', doc));
  const tags = new Map<string, string>();
  for (const p of tagsMap?.items ?? []) {
    const k = keyString(p as Pair);
    if (k !== undefined) tags.set(k, stringOf(deref(p.value, doc)) ?? '');
  }
  const spec = asMap(valueOf(root, 'spec', doc));
  const defaultsRunner = asMap(valueOf(asMap(valueOf(spec, 'defaults', doc)), 'runner', doc));
  const stagesSeq = asSeq(valueOf(spec, 'stages', doc));
  const defaults: PipelineModel['defaults'] = {};
  for (const f of RUNNER_FIELDS) {
    const d = str(valueOf(defaultsRunner, f, doc));
    if (d) defaults[f] = d;
  }
  const stages: StageModel[] = [];
  // Each schedule of the document read once (a manifest repeats a few over many stages).
  const crons = new CronReader();
  // The editor's parse cache hands back the same node for a stage an edit did not touch; its
  // model is reused as long as the defaults it inherits from are the same.
  // Inherited fields point at the defaults' nodes: their values and place both count.
  const defaultsKey = defaultsRunner ? `${defaultsRunner.range?.join(',')}${JSON.stringify(defaultsRunner.toJSON())}` : '';
  stagesSeq?.items.forEach((item, index) => {
    const node = asMap(deref(item, doc));
    if (!node) return;
    const known = cache?.get(node);
    if (known && known.defaultsKey === defaultsKey && (known.anchors === undefined || known.anchors === anchors?.get(node))) {
      stages.push(known.model.index === index ? known.model : { ...known.model, index });
      return;
    }
    const model = buildStage(doc, node, index, defaultsRunner, crons);
    // A stage holding an alias reads the header's or another stage's nodes, which an edit there
    // replaces: kept only while its file's anchors are the same.
    const key = anchors?.get(node);
    if (cache && !stageHoldsAlias(node)) cache.set(node, { model, defaultsKey });
    else if (cache && key !== undefined) cache.set(node, { model, defaultsKey, anchors: key });
    stages.push(model);
  });
  const budget = num(valueOf(asMap(valueOf(metadata, 'budget', doc)), 'monthlyUsd', doc));
  return {
    documentIndex,
    doc,
    root,
    ...(metadataPair ? { metadataPair } : {}),
    ...(metadata ? { metadata } : {}),
    ...opt('name', str(valueOf(metadata, 'name', doc))),
    ...opt('classification', str(valueOf(metadata, 'dataClassification', doc))),
    ...(boundariesPair ? { boundariesPair } : {}),
    ...(boundariesSeq ? { boundariesSeq } : {}),
    boundaries: (boundariesSeq?.items ?? []).map((n) => stringOf(deref(n, doc))).filter((s): s is string => s !== undefined),
    ...(tagsMap ? { tagsMap } : {}),
    tags,
    ...opt('budget', budget),
    ...(defaultsRunner ? { defaultsRunner } : {}),
    defaults,
    ...(stagesSeq ? { stagesSeq } : {}),
    stages,
  };
}

function opt<K extends string, V>(key: K, value: V | undefined): { [P in K]?: V } {
  return (value === undefined ? {} : { [key]: value }) as { [P in K]?: V };
}

function buildStage(doc: Document, node: YAMLMap, index: number, defaultsRunner: YAMLMap | undefined, crons: CronReader): StageModel {
  // The stage's keys, read once (the first of duplicates, as pairOf finds it).
  const pairs = new Map<string, Pair<Node, Node | null>>();
  // Loops here are indexed: a thousand stages are read on open by unoptimised code, where an
  // iterator or a callback per item costs several times the loop's own work.
  const items = node.items;
  for (let i = 0; i < items.length; i++) {
    const item = items[i]!;
    const k = item.key;
    if (isScalar(k)) {
      const key = String(k.value);
      if (!pairs.has(key)) pairs.set(key, item as Pair<Node, Node | null>);
    }
  }
  const own = (key: string) => {
    const p = pairs.get(key);
    return p ? deref(p.value, doc) : null;
  };
  const runnerPair = pairs.get('runner');
  const runnerMap = asMap(deref(runnerPair?.value, doc));
  const runner: StageModel['runner'] = {};
  const badType: DecidingField[] = [];
  // A key present with a value that is not text (empty counts as absent: BC104 reports it).
  const wrong = (map: YAMLMap | undefined, key: string) => {
    const p = map === node ? pairs.get(key) : pairOf(map, key);
    const v = p ? deref(p.value, doc) : null;
    return !!p && v !== null && !(isScalar(v) && (v.value === null || typeof v.value === 'string'));
  };
  for (let i = 0; i < RUNNER_FIELDS.length; i++) {
    const f = RUNNER_FIELDS[i]!;
    const mine = str(valueOf(runnerMap, f, doc));
    const inherited = str(valueOf(defaultsRunner, f, doc));
    if (mine) runner[f] = { value: mine.value, node: mine.node, source: 'stage' };
    else if (inherited) runner[f] = { value: inherited.value, node: inherited.node, source: 'defaults' };
    if (wrong(runnerMap, f) || (!pairOf(runnerMap, f) && wrong(defaultsRunner, f))) badType.push(f);
  }
  const runnerValue = deref(runnerPair?.value, doc);
  if (runnerPair && runnerValue !== null && !runnerMap && !(isScalar(runnerValue) && (runnerValue.value === null || runnerValue.value === '')))
    badType.push('runner');
  if (wrong(node, 'phase')) badType.push('phase');
  if (wrong(node, 'workload')) badType.push('workload');
  if (wrong(runnerMap, 'justification') || (!pairOf(runnerMap, 'justification') && wrong(defaultsRunner, 'justification'))) badType.push('justification');
  const justification = stringOf(valueOf(runnerMap, 'justification', doc)) ?? stringOf(valueOf(defaultsRunner, 'justification', doc));
  const dependsOn: Field<string>[] = [];
  const dependsItems = asSeq(own('dependsOn'))?.items ?? [];
  for (let i = 0; i < dependsItems.length; i++) {
    const f = str(deref(dependsItems[i], doc));
    if (f !== undefined) dependsOn.push(f);
  }
  const connections: ConnectionModel[] = [];
  const connectionItems = asSeq(own('connections'))?.items ?? [];
  for (let i = 0; i < connectionItems.length; i++) {
    const c = asMap(deref(connectionItems[i], doc));
    if (!c) continue;
    const conn: ConnectionModel = { node: c, privateLink: boolOf(valueOf(c, 'privateLink', doc)) ?? false };
    const name = str(valueOf(c, 'name', doc));
    if (name) conn.name = name;
    const location = str(valueOf(c, 'location', doc));
    if (location) conn.location = location;
    const kind = str(valueOf(c, 'kind', doc));
    if (kind) conn.kind = kind;
    const direction = str(valueOf(c, 'direction', doc));
    if (direction) conn.direction = direction;
    connections.push(conn);
  }
  const secretsSeq = asSeq(own('secrets'));
  const secrets: SecretModel[] = [];
  const secretItems = secretsSeq?.items ?? [];
  for (let i = 0; i < secretItems.length; i++) {
    const n = deref(secretItems[i], doc);
    const secret: SecretModel = { node: n as Node };
    const name = str(valueOf(asMap(n), 'name', doc));
    if (name) secret.name = name;
    secrets.push(secret);
  }
  const envMap = asMap(own('env'));
  const env: EnvEntry[] = [];
  const envItems = envMap?.items ?? [];
  for (let i = 0; i < envItems.length; i++) {
    const p = envItems[i]!;
    const keyNode = asScalar(p.key as Node);
    if (!keyNode) continue;
    const entry: EnvEntry = { key: String(keyNode.value), keyNode };
    const value = str(deref(p.value, doc));
    if (value) entry.value = value;
    env.push(entry);
  }
  const schedule = asMap(own('schedule'));
  const cron = str(valueOf(schedule, 'cron', doc));
  const estimateMap = asMap(own('estimate'));
  const estimate: EstimateInputs = {};
  for (let i = 0; i < ESTIMATE_FIELDS.length; i++) {
    const k = ESTIMATE_FIELDS[i]!;
    const v = num(valueOf(estimateMap, k, doc));
    if (v) estimate[k] = v;
  }
  // Built by assignment, not by spreading optional parts: a thousand stages are built on open.
  const model: StageModel = { index, node, runner, dependsOn, connections, secrets, env, estimate, badType };
  const name = str(own('name'));
  if (name) model.name = name;
  const phase = str(own('phase'));
  if (phase) model.phase = phase;
  const workload = str(own('workload'));
  if (workload) model.workload = workload;
  if (runnerPair) model.runnerPair = runnerPair;
  if (runnerMap) model.runnerMap = runnerMap;
  if (justification !== undefined && justification.trim() !== '') model.justification = justification;
  if (secretsSeq) model.secretsSeq = secretsSeq;
  if (envMap) model.envMap = envMap;
  if (cron) {
    model.cron = cron;
    const read = crons.facts(cron.value);
    model.cronRuns = read.runs;
    if (read.interval !== undefined) model.cronInterval = read.interval;
  }
  const event = stringOf(valueOf(schedule, 'event', doc));
  if (event !== undefined) model.event = event;
  if (estimateMap) model.estimateMap = estimateMap;
  return model;
}
