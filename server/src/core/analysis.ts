import { isScalar, type Node } from 'yaml';
import { costPipeline, type PipelineCost, type StageCost, type StageCostMemo } from './cost';
import { DEFAULT_POLICY, orderedTiers, type Policy } from './data';
import { compareCodes, resolveSeverity, sortFindings, toFinding } from './findings';
import { buildGraph, type StageGraph } from './graph';
import { findIgnores, IgnoreIndex, type IgnoreComment } from './ignore';
import { ParseCache } from './incremental';
import { DEFAULT_LIMITS, type Limits } from './limits';
import { buildPipeline, type PipelineModel, type StageModel, type StageModelCache } from './model';
import { stageHoldsAlias } from './yaml-ast';
import type { ParsedDocument, ParsedFile } from './parse';
import { bc001 } from './rules/bc001-yaml-syntax';
import { bc002 } from './rules/bc002-schema';
import { KNOWN_CODES, RULES } from './rules/registry';
import type { Report, RuleContext, RuleMeta } from './rules/rule';
import { lazyFix, type Finding, type Fix, type SeveritySetting, type Span } from './types';
import { sameWaivers, stageLineSpan, stageVerdict, waivedChecks, type StageVerdict } from './verdict';
import type { StageFit } from './checks';
import { pairOf } from './yaml-ast';
import { secretsOf } from './redact';
import { ClosestMemo } from './similar';
import type { CandidateMemo } from './recommend';
import { literalSecrets, type LiteralSecret, type StageSecretsMemo } from './secrets';
import { OutOfWork, Work } from './work';

/**
 * The one entry point of the engine: `analyze(text, env)` returns an immutable analysis of a
 * manifest (its documents, each stage's verdict, the findings). Everything else reads it.
 */

/** Where an analysis runs: the policy, the limits and today's date are data, never globals. */
export interface AnalysisEnv {
  /** The merged policy (see loadPolicy); the built-in policy when left out. */
  readonly policy?: Policy;
  readonly limits?: Limits;
  /** Today's date where the analysis runs (YYYY-MM-DD): waivers expire against it. */
  readonly today: string;
  /** Per-rule severities from editor settings; they win over the policy's `severity` map. */
  readonly severityOverrides?: Readonly<Record<string, SeveritySetting>>;
  /**
   * The policy meant for this manifest could not be used (it has errors, was not read, or was
   * withheld) and the built-in one stands in: a finding a waiver silences may not fire under it,
   * so no ignore comment is called unused (BC005), and no fix removes one.
   */
  readonly policyFallback?: boolean;
}

/**
 * Steps (work.ts) counted for what costs far more than a character: a document (parsing it into
 * a model, twenty rules set up) and a rule's report (its message and fixes). Calibrated so that
 * steps follow time on documents full of tiny documents or of findings, not only on long text.
 */
const DOCUMENT_STEPS = 5000;
const REPORT_STEPS = 1000;

/** Today's date as the adapters pass it: the local calendar day. */
export function isoDate(d: Date): string {
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}`;
}

/**
 * What an editor keeps between versions of one document so an edit costs what it touched: the
 * parse of each stage and each stage's model. Owned by the adapter; never shared between documents.
 */
export class AnalysisCache {
  readonly parse = new ParseCache();
  readonly models: StageModelCache = new WeakMap();
  /** Per stage node: its verdict and its per-stage rules' findings, valid for one generation. */
  readonly stages = new WeakMap<Node, StageMemo>();
  /** "Did you mean" answers among the stage names (BC502), kept while the names change little. */
  readonly closest = new ClosestMemo();
  /** Per stage node: its literal secrets (secrets.ts), which depend on nothing else. */
  readonly secrets: StageSecretsMemo = new WeakMap();
  /** Per stage model: its cost under a policy. */
  readonly costs: StageCostMemo = new WeakMap();
  /**
   * Per document: what every stage's results depend on besides the stage, and its generation (a
   * new one starts when the context changes; `generation` counts them all).
   */
  readonly contexts: Array<{ context: StageContext; generation: number } | undefined> = [];
  generation = 0;
  /** Policies by content, computed once per policy object. */
  readonly policyKeys = new WeakMap<Policy, string>();
  /** Stages whose results the last analysis reused, for tests and the benchmark. */
  lastReused = 0;

  constructor() {
    // Fixes are built when read, from the text and nodes as they were. Before a stage's nodes
    // move, the fixes of its kept findings are built, so that they can be moved with the stage:
    // the silenced ones too, which are reported again when their waiver goes.
    this.parse.onShift = (node) => {
      const memo = this.stages.get(node);
      if (memo) buildFixes(memo);
    };
  }
}

/**
 * A stage's results as they were computed, `at` the offset its node started then. The parse cache
 * hands back the same node for a stage whose text did not change, shifted in place when it moved:
 * its findings are moved by as much. A cache therefore serves one document, and an analysis made
 * with it describes the text until the next analysis made with it.
 */
interface StageMemo {
  generation: number;
  index: number;
  at: number;
  end: number;
  verdict: StageVerdict;
  findings: Finding[];
  /** Its findings a waiver silenced (found again by position when reused, so BC005 knows the waiver is used). */
  waived: Finding[];
  /** The work (work.ts) computing them took. */
  steps: number;
  /** Whether the fixes of its findings are built (buildFixes). */
  built: boolean;
  /** For a stage holding an alias: the key of what its aliases resolved to (ParsedFile.anchors); undefined for others. */
  anchors: string | undefined;
}

interface StageContext {
  header: string;
  policy: Policy;
  today: string;
  overrides: AnalysisEnv['severityOverrides'];
  limits: Limits;
}

/** Builds every fix of a stage's kept findings, reported and silenced, that is built when read (once: they stay built). */
function buildFixes(memo: StageMemo): void {
  if (memo.built) return;
  for (const f of memo.findings) for (const fix of f.fixes) void fix.edits;
  for (const f of memo.waived) for (const fix of f.fixes) void fix.edits;
  memo.built = true;
}

/** A finding of a stage that moved `delta` characters: spans inside the stage move with it. */
function moved(f: Finding, delta: number, stageStart: number): Finding {
  if (delta === 0) return f;
  const span = <T extends Span>(s: T): T => (s.start >= stageStart ? { ...s, start: s.start + delta, end: s.end + delta } : s);
  // Every finding after an edit moves on every keystroke: one with no related information or
  // fixes (most) keeps its empty lists, which nothing changes once a finding is made.
  return {
    ...f,
    span: span(f.span),
    related: f.related.length === 0 ? f.related : f.related.map((r) => ({ ...r, span: span(r.span) })),
    // Edits are moved when a code action reads them, not for every finding of every edit.
    fixes: f.fixes.length === 0 ? f.fixes : f.fixes.map((fix) => lazyFix(withoutEdits(fix), () => fix.edits.map(span))),
  };
}

/** A fix's title, safety… without reading its edits (which may be built only when read). */
function withoutEdits(fix: Fix): Omit<Fix, 'edits'> {
  const out: Record<string, unknown> = {};
  for (const k of Object.keys(fix)) if (k !== 'edits') out[k] = (fix as unknown as Record<string, unknown>)[k];
  return out as unknown as Omit<Fix, 'edits'>;
}

/** Whether a fix builds its edits when they are read (lazyFix): from its stage's own nodes. */
function builtWhenRead(fix: Fix): boolean {
  return Object.getOwnPropertyDescriptor(fix, 'edits')?.get !== undefined;
}

export type ProfileKey = 'parse' | 'schema' | 'rules' | 'cost';

export interface DocumentAnalysis {
  readonly index: number;
  readonly span: Span;
  readonly pipeline?: PipelineModel;
  readonly cost?: PipelineCost;
  readonly graph?: StageGraph;
  /** One per stage, in stage order. */
  readonly verdicts: readonly StageVerdict[];
  /** Every waiver of the document: its ignore comments, and the policy's waivers for its pipeline. */
  readonly waivers: readonly IgnoreComment[];
}

/** A finding a current waiver silenced, and the waiver (spec §5.3): listed apart, never reported. */
export interface WaivedFinding {
  readonly finding: Finding;
  readonly waiver: IgnoreComment;
}

export interface Analysis {
  readonly text: string;
  readonly policy: Policy;
  readonly limits: Limits;
  readonly today: string;
  readonly file: ParsedFile;
  readonly documents: readonly DocumentAnalysis[];
  /** Sorted by position; silenced and `off` findings are left out. */
  readonly findings: readonly Finding[];
  /** The findings current waivers silenced, sorted by position (`off` rules' left out). */
  readonly waived: readonly WaivedFinding[];
  /** Every secret the text holds, silenced or not: what the redaction layer masks in any output about it. */
  readonly secrets: readonly string[];
  /** Steps of work the analysis took (work.ts); it stops past `limits.maxWork`. */
  readonly steps: number;
}

/** Analyses every document of a manifest file. Never throws. */
export function analyze(text: string, env: AnalysisEnv, cache?: AnalysisCache, profile?: Record<ProfileKey, number>): Analysis {
  const policy = env.policy ?? DEFAULT_POLICY;
  const limits = env.limits ?? DEFAULT_LIMITS;
  let mark = profile ? performance.now() : 0;
  const lap = (key: ProfileKey) => {
    if (!profile) return;
    const now = performance.now();
    profile[key] += now - mark;
    mark = now;
  };
  // Without a cache the text is still read piece by piece: one unusual stage costs only itself.
  const file = (cache?.parse ?? new ParseCache()).parse(text, limits);
  if (cache) cache.lastReused = 0;
  const tiers = orderedTiers(policy);
  lap('parse');
  const findings: Finding[] = [];
  const documents: DocumentAnalysis[] = [];

  // Steps of work (work.ts): past limits.maxWork the analysis stops with what it has found.
  const work = new Work(limits.maxWork);
  // Each document's literal secrets, walked once: BC201 reports them, the redaction layer masks them.
  const walked = new Map<number, readonly LiteralSecret[]>();

  const waived: WaivedFinding[] = [];
  /** The waivers that silenced something, per document (BC005 reports the others). */
  let used = new Set<IgnoreComment>();
  /** The waiver lists already marked used: comments stacked over a scope come back as one shared list. */
  let marked = new WeakSet<readonly IgnoreComment[]>();
  const markUsed = (all: readonly IgnoreComment[]) => {
    if (marked.has(all)) return;
    marked.add(all);
    work.add(all.length);
    for (const w of all) used.add(w);
  };
  const emitter = (meta: RuleMeta, documentIndex: number, ignores: IgnoreIndex | undefined, counted = true) => {
    const severity = resolveSeverity(meta, policy, env.severityOverrides);
    // Findings about waivers themselves are never waived.
    const waivable = !WAIVER_CODES.has(meta.code);
    return (r: Report) => {
      // A finding costs what building its message and fixes does, and what every adapter does
      // with it after (ranges, redaction, serialising): many steps of a scan.
      if (counted) work.add(REPORT_STEPS);
      const all = ignores && waivable ? ignores.silencers(meta.code, r.span.start) : undefined;
      const by = all?.[0];
      if (by) {
        // A comment over an `off` rule still counts as used: the rule may be turned back on. So
        // does every waiver of the finding, not only the one named (comments stacked over a stage).
        markUsed(all);
        if (severity !== 'off') waived.push({ finding: toFinding(meta, r, severity, documentIndex), waiver: by });
        return;
      }
      if (severity === 'off') return;
      findings.push(toFinding(meta, r, severity, documentIndex));
    };
  };

  function analyzeDocument(document: ParsedDocument): void {
    // Per-stage results are kept for a document read piece by piece, while its context stays the same.
    const header = document.header ?? (file.documents.length === 1 ? file.header : undefined);
    const generation =
      cache && header !== undefined
        ? stageGeneration(cache, document.index, { header, policy, today: env.today, overrides: env.severityOverrides, limits })
        : undefined;
    const ownFirst = findings.length;
    const empty = document.ok && (document.data === null || document.data === undefined);
    if (empty) return;
    work.add(DOCUMENT_STEPS);
    lap('rules');
    const pipeline = document.ok ? buildPipeline(document.doc, document.index, cache?.models, file.anchors) : undefined;
    work.add(pipeline?.stages.length ?? 0);
    const comments = findIgnores(text, document.span, stageLines(text, pipeline), work);
    const fromPolicy = pipeline ? policyWaivers(text, pipeline, policy, document.span) : [];
    const ignores = new IgnoreIndex(comments, env.today, fromPolicy);
    used = new Set();
    marked = new WeakSet();
    const literal = literalSecrets(document.doc.contents, work, cache?.secrets);
    walked.set(document.index, literal);
    // An editor's cache answers "did you mean" among stage names from what it was asked before.
    // The stage names are handed over when BC502 first asks (most analyses have nothing to ask).
    let named = false;
    const closestStage =
      cache && pipeline && document.index === 0
        ? (value: string, exclude: string | undefined) => {
            if (!named) cache.closest.update([...new Set(pipeline.stages.map((st) => st.name?.value).filter((n): n is string => n !== undefined))]);
            named = true;
            return cache.closest.closest(value, exclude);
          }
        : undefined;
    // Every rule context of the document has this one shape (a context spread per rule and stage
    // cost more than the rules' own work on a large file).
    const context = (
      pipeline: RuleContext['pipeline'],
      cost: RuleContext['cost'],
      verdicts: readonly StageVerdict[],
      graph: RuleContext['graph'],
      report: RuleContext['report'],
    ): RuleContext => ({
      text,
      file,
      document,
      policy,
      ignores: comments,
      knownCodes: KNOWN_CODES,
      today: env.today,
      work,
      literalSecrets: literal,
      closestStage,
      pipeline,
      cost,
      verdicts,
      graph,
      report,
    });
    if (!document.ok) {
      bc001.check(context(undefined, undefined, [], undefined, emitter(bc001.meta, document.index, ignores)));
      return;
    }
    const kind = pipeline ? pairOf(pipeline.root, 'kind') : undefined;
    if (kind && isScalar(kind.value) && kind.value.value === 'Policy') {
      emitter(
        bc002.meta,
        document.index,
        ignores,
      )({ messageId: 'notPipeline', data: { kind: 'Policy' }, span: { start: kind.value.range![0], end: kind.value.range![1] } });
      return;
    }
    lap('rules');
    const cost = pipeline ? costPipeline(pipeline, policy, cache?.costs) : undefined;
    lap('cost');
    // Stage costs by index, gathered when a stage is first computed afresh (an edit computes one).
    let costs: Map<number, StageCost> | undefined;
    const costOf = (index: number) => (costs ??= new Map((cost?.stages ?? []).map((c) => [c.stageIndex, c]))).get(index);
    // Stages whose node, position in the list and context are as last time keep their verdict
    // and their per-stage findings (moved with the stage): an edit costs the stage it touched.
    const memos = generation !== undefined ? cache!.stages : undefined;
    const reusable = (s: StageModel): StageMemo | undefined => {
      const m = memos?.get(s.node);
      return m &&
        m.generation === generation &&
        m.index === s.index &&
        m.verdict.stage === s &&
        (m.anchors === undefined || m.anchors === file.anchors?.get(s.node)) &&
        waiversKept(m.verdict.fit, s)
        ? m
        : undefined;
    };
    // A stage's waivers may come from outside its text (an ignore comment indented into the stage
    // before it, a policy waiver): a kept stage whose waivers changed gets a new verdict, or it
    // would keep recommending what the old waivers allowed.
    const waiversKept = (fit: StageFit, s: StageModel) =>
      (ignores.empty && fit.waived.size === 0 && fit.waivedConnections.size === 0) || sameWaivers(fit, waivedChecks(text, s, ignores));
    // One document's stages share a policy and its tiers: candidate runners found for one stage
    // serve every stage that asks the checks the same questions.
    const candidates: CandidateMemo = new Map();
    // Each stage's kept results, if any: asked once per stage (the waivers are compared when any exist).
    const kept: Array<StageMemo | undefined> = [];
    const verdicts = (pipeline?.stages ?? []).map((s, i) => {
      work.add(1 + s.connections.length);
      const memo = (kept[i] = reusable(s));
      return memo?.verdict ?? stageVerdict(text, pipeline!, s, policy, ignores, costOf(s.index), tiers, candidates);
    });
    const graph = pipeline ? buildGraph(pipeline.stages, work) : undefined;
    documents.push({
      index: document.index,
      span: document.span,
      ...(pipeline ? { pipeline } : {}),
      ...(cost ? { cost } : {}),
      ...(graph ? { graph } : {}),
      verdicts,
      waivers: [...comments, ...fromPolicy],
    });
    lap('rules');
    const run = (rule: (typeof RULES)[number], ctx: RuleContext, stage = false) => {
      try {
        if (stage && rule.checkStage) rule.checkStage(ctx);
        else rule.check(ctx);
        lap(rule.meta.code === 'BC002' ? 'schema' : 'rules');
      } catch (e) {
        if (e instanceof OutOfWork) throw e;
        // A rule bug must not take the others down; it surfaces as a finding a user can report.
        const f = toFinding(
          rule.meta,
          { messageId: 'internal', data: {}, span: { start: document.span.start, end: document.span.start } },
          'error',
          document.index,
        );
        findings.push({ ...f, message: `${rule.meta.code} failed on this document (${(e as Error).name}); please report it. Other rules ran.` });
      }
    };
    for (const rule of DOCUMENT_RULES) {
      work.add(1 + verdicts.length);
      run(rule, context(pipeline, cost, verdicts, graph, emitter(rule.meta, document.index, ignores)));
    }
    if (!pipeline) return;
    const emitters = STAGE_RULES.map((rule) => emitter(rule.meta, document.index, ignores));
    // The header before the list: what a stage's finding may point at besides the stage.
    const headerEnd = pipeline.stages[0]?.node.range?.[0] ?? 0;
    // A kept finding, silenced or reported by the waivers found again where they are now: the
    // comment that silences it may be outside its stage's text (indented into the stage before).
    const keep = (m: Finding) => {
      const all = ignores.silencers(m.code, m.span.start);
      const by = all[0];
      if (by) {
        markUsed(all);
        waived.push({ finding: m, waiver: by });
      } else findings.push(m);
    };
    for (let i = 0; i < verdicts.length; i++) {
      const v = verdicts[i]!;
      const s = v.stage;
      const r = s.node.range;
      const memo = kept[i];
      if (memo && r) {
        cache!.lastReused++;
        // As much work as computing it took, so that the work limit does not depend on history.
        work.add(memo.steps);
        // Fixes not read yet are built now, from the text they were made for (the stage did not
        // move, or onShift built them): a kept finding holds no older version of the text.
        buildFixes(memo);
        // Stage rules report no finding about waivers themselves (which no waiver silences).
        if (ignores.empty) for (const f of memo.findings) findings.push(moved(f, r[0] - memo.at, memo.at));
        else for (const f of memo.findings) keep(moved(f, r[0] - memo.at, memo.at));
        for (const f of memo.waived) keep(moved(f, r[0] - memo.at, memo.at));
        continue;
      }
      const first = findings.length;
      const firstWaived = waived.length;
      const before = work.steps;
      // The pipeline seen from one stage: its own \`stages\` over the pipeline's other fields (not a
      // copy of them all per stage).
      const one: PipelineModel = Object.create(pipeline) as PipelineModel;
      one.stages = [s];
      work.add(STAGE_RULES.length);
      // One context per stage, its reporter switched per rule.
      const ctx = context(one, cost, [v], graph, emitters[0]!);
      for (let i = 0; i < STAGE_RULES.length; i++) {
        ctx.report = emitters[i]!;
        run(STAGE_RULES[i]!, ctx, true);
      }
      // Kept only when every span is in the header before the list or in the stage itself: those
      // stay or move as the stage does.
      if (memos && r) {
        const own = findings.slice(first);
        const ownWaived: Finding[] = [];
        for (let i = firstWaived; i < waived.length; i++) ownWaived.push(waived[i]!.finding);
        const local = staysWithStage(own, document.span.start, headerEnd, r) && staysWithStage(ownWaived, document.span.start, headerEnd, r);
        // A stage holding an alias, while its file's anchors stay the same (ParsedFile.anchors).
        const aliased = stageHoldsAlias(s.node);
        const key = aliased ? file.anchors?.get(s.node) : undefined;
        if (local && (!aliased || key !== undefined))
          memos.set(s.node, {
            anchors: key,
            generation: generation!,
            index: s.index,
            at: r[0],
            end: r[2],
            verdict: v,
            findings: own,
            waived: ownWaived,
            steps: work.steps - before,
            built: false,
          });
      }
    }
    // Last: which waivers silenced something is known only now. While a finding that stops other
    // rules from running is in the document (its own findings come after `ownFirst`), BC005 waits.
    let blocked = env.policyFallback === true;
    for (let i = ownFirst; i < findings.length && !blocked; i++) blocked = BLOCKING.has(findings[i]!.code);
    for (const rule of WAIVER_RULES)
      run(rule, { ...context(pipeline, cost, verdicts, graph, emitter(rule.meta, document.index, ignores)), usedWaivers: used, waiversBlocked: blocked });
  }

  try {
    // The text is read once whole (scanned for ignore comments, secrets); a file refused before
    // parsing is not, and is charged only what it is allowed to be.
    work.add(Math.min(text.length, limits.maxDocumentSize));
    if (file.documents.length === 0) {
      for (const p of file.problems) emitter(bc001.meta, p.documentIndex, undefined)({ messageId: p.kind, data: { detail: p.message }, span: p.span });
    }
    for (const document of file.documents) analyzeDocument(document);
  } catch (e) {
    if (!(e instanceof OutOfWork)) throw e;
    // One finding at the top, naming the limit; what the rules found until then stays.
    const nl = text.indexOf('\n');
    emitter(
      bc001.meta,
      0,
      undefined,
      false,
    )({ messageId: 'too-much-work', data: { limit: limits.maxWork }, span: { start: 0, end: nl === -1 ? text.length : nl } });
  }
  const sorted = oncePerSchemaIssue(sortFindings(findings), (f) => f);
  const silenced = oncePerSchemaIssue(
    waived.sort((a, b) => a.finding.span.start - b.finding.span.start || compareCodes(a.finding.code, b.finding.code)),
    (w) => w.finding,
  );
  lap('rules');
  return { text, policy, limits, today: env.today, file, documents, findings: sorted, waived: silenced, secrets: secretsOf(file, walked), steps: work.steps };
}

/**
 * Whether findings stay or move with their stage: every span (the finding's, its related places',
 * its fixes' edits) is in its document's header before the list (from `docStart` to `headerEnd`)
 * or inside the stage's range. Fixes built when read edit the stage's own nodes; the others are
 * checked now. Indexed loops: every stage asks on open.
 */
function staysWithStage(list: readonly Finding[], docStart: number, headerEnd: number, r: readonly number[]): boolean {
  const inside = (x: Span) => (x.start >= docStart && x.end <= headerEnd) || (x.start >= r[0]! && x.end <= r[2]!);
  for (let i = 0; i < list.length; i++) {
    const f = list[i]!;
    if (!inside(f.span)) return false;
    for (let j = 0; j < f.related.length; j++) if (!inside(f.related[j]!.span)) return false;
    for (let j = 0; j < f.fixes.length; j++) {
      const fix = f.fixes[j]!;
      if (!builtWhenRead(fix) && !fix.edits.every(inside)) return false;
    }
  }
  return true;
}

/**
 * Schema findings once each: stages are validated apart (BC002's checkStage), and stages that share
 * an anchored value each report its error at the anchor, where the whole schema reported it once.
 */
function oncePerSchemaIssue<T>(list: T[], finding: (x: T) => Finding): T[] {
  let seen: Set<string> | undefined;
  return list.filter((x) => {
    const f = finding(x);
    if (f.code !== 'BC002') return true;
    const key = `${f.span.start}:${f.span.end}:${f.message}`;
    if (seen?.has(key)) return false;
    (seen ??= new Set()).add(key);
    return true;
  });
}

/** The generation of a document's per-stage results the context belongs to: a new one when anything in it changed. */
function stageGeneration(cache: AnalysisCache, index: number, context: StageContext): number {
  const known = cache.contexts[index];
  const c = known?.context;
  // The policy by content: an open policy file is read into a new object at every analysis.
  const policyKey = (p: Policy) => {
    let key = cache.policyKeys.get(p);
    if (key === undefined) cache.policyKeys.set(p, (key = JSON.stringify(p)));
    return key;
  };
  const same =
    c &&
    c.header === context.header &&
    (c.policy === context.policy || policyKey(c.policy) === policyKey(context.policy)) &&
    c.today === context.today &&
    JSON.stringify(c.overrides ?? null) === JSON.stringify(context.overrides ?? null) &&
    JSON.stringify(c.limits) === JSON.stringify(context.limits);
  if (!same || !known) {
    cache.contexts[index] = { context, generation: ++cache.generation };
    return cache.generation;
  }
  return known.generation;
}

/** Findings about waivers themselves, which no waiver silences. */
const WAIVER_CODES: ReadonlySet<string> = new Set(['BC003', 'BC004', 'BC005']);
/**
 * Findings that stop other rules from running: a typo fix-all will correct (a schema error, an
 * unknown dependency), a workload not of its phase or a missing runner field. BC005 waits for them.
 */
const BLOCKING: ReadonlySet<string> = new Set(['BC002', 'BC103', 'BC104', 'BC502']);
/** BC004 and BC005 run after every other rule of a document (BC005 reads which waivers were used). */
const WAIVER_RULES = RULES.filter((r) => r.meta.code === 'BC004' || r.meta.code === 'BC005');
/**
 * Rules run once per stage (their findings reused while the stage is unchanged): `perStage` ones,
 * and the stage part of a document rule (checkStage). Then the others, once per document.
 */
const STAGE_RULES = RULES.filter((r) => r.meta.perStage || r.checkStage);
const DOCUMENT_RULES = RULES.filter((r) => !r.meta.perStage && !WAIVER_RULES.includes(r));

/**
 * The policy's waivers of a pipeline (spec §5.3) as the ignore index reads them: one per entry
 * naming the pipeline, covering its stage (by name; every stage of that name) or the whole document.
 */
function policyWaivers(text: string, pipeline: PipelineModel, policy: Policy, documentSpan: Span): IgnoreComment[] {
  const name = pipeline.name?.value;
  if (!name || !policy.waivers?.length) return [];
  const out: IgnoreComment[] = [];
  const empty = { start: documentSpan.start, end: documentSpan.start };
  // The stages by name, made when a waiver names one: not a walk over the stages per entry.
  let byName: Map<string, StageModel[]> | undefined;
  for (const w of policy.waivers) {
    if (w.pipeline !== name) continue;
    const base = { codes: [w.rule], reason: w.reason, until: w.until, comment: empty, codeSpans: [], policy: { owner: w.owner } };
    if (w.stage === undefined) {
      out.push({ ...base, scope: documentSpan, stage: false });
      continue;
    }
    if (!byName) {
      byName = new Map();
      for (const s of pipeline.stages) {
        if (!s.name) continue;
        const list = byName.get(s.name.value);
        if (list) list.push(s);
        else byName.set(s.name.value, [s]);
      }
    }
    for (const s of byName.get(w.stage) ?? []) {
      const span = stageLineSpan(text, s);
      if (span) out.push({ ...base, scope: span, stage: true });
    }
  }
  return out;
}

/** Where each stage's first line starts: an ignore comment directly above it covers the stage. */
function stageLines(text: string, pipeline: PipelineModel | undefined): Map<number, Span> {
  const out = new Map<number, Span>();
  for (const s of pipeline?.stages ?? []) {
    const span = stageLineSpan(text, s);
    if (span) out.set(span.start, span);
  }
  return out;
}

/** The document of an analysis that holds an offset (the first when none does). */
export function documentAt(a: Analysis, offset: number): { parsed: ParsedDocument; result?: DocumentAnalysis } | undefined {
  const parsed = a.file.documents.find((d) => offset >= d.span.start && offset <= d.span.end) ?? a.file.documents[0];
  if (!parsed) return undefined;
  const result = a.documents.find((d) => d.index === parsed.index);
  return { parsed, ...(result ? { result } : {}) };
}

/** The verdict of the stage that holds an offset. */
export function verdictAt(a: Analysis, offset: number): { document: DocumentAnalysis; verdict: StageVerdict } | undefined {
  const document = documentAt(a, offset)?.result;
  if (!document) return undefined;
  for (const v of document.verdicts) {
    const span = stageLineSpan(a.text, v.stage);
    if (span && offset >= span.start && offset <= span.end) return { document, verdict: v };
  }
  return undefined;
}
