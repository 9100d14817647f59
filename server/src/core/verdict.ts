import { runnerFieldSpan } from './anchors';
import { classPasses, networkPasses, sizePasses, type FitConnection, type StageFit, type WaiverKey } from './checks';
import { CHEAPER_THRESHOLD, stageUsage, type StageCost, type Usage } from './cost';
import { isLocation, isNetwork, isPhase, isRunnerClass, isWorkload, matrixRow, orderedTiers, tierOf, type Policy } from './data';
import type { IgnoreIndex } from './ignore';
import { RUNNER_FIELDS, type PipelineModel, type RunnerField, type StageModel } from './model';
import {
  candidatesFor,
  cheapestRunner,
  type CandidateMemo,
  explainNoRunner,
  passingRunners,
  recommend,
  type DeclaredRunner,
  type NoRunner,
  type PricedRunner,
  type Recommendation,
} from './recommend';
import { spanOf } from './yaml-ast';
import type { Span } from './types';

/**
 * Everything the engine decides about one stage, computed once per analysis: the inputs of the
 * checks, the recommended runner (or why there is none), the declared runner's cost, and a
 * cheaper runner for BC304. Rules, hover, completion, lenses, panels and the CLI read this.
 */
export interface StageVerdict {
  readonly stage: StageModel;
  readonly fit: StageFit;
  /** The declared runner after `spec.defaults.runner`, valid values only. */
  readonly declared: DeclaredRunner;
  /** False when phase, workload or a runner field has a schema error: no recommendation, no BC304. */
  readonly eligible: boolean;
  /** undefined: not eligible; null: no runner passes every check. */
  readonly recommended: Recommendation | null | undefined;
  readonly noRunner?: NoRunner;
  /** The declared runner passes every check (waivers applied). */
  readonly passes: boolean;
  readonly usage: Usage;
  readonly cost?: StageCost;
  /** A runner that passes every check and costs at least 40% less (BC304). */
  readonly cheaper?: { runner: PricedRunner; isRecommended: boolean };
}

type Mutable<T> = { -readonly [K in keyof T]: T[K] };

/** Why a stage gets no recommendation while a schema error is in the way (spec §5.1). */
export const NOT_ELIGIBLE = 'No recommendation until the stage’s phase, workload and runner fields are valid (BC002).';

/**
 * The span of a stage from the start of its first line (past indentation and `- `): where an
 * ignore comment above it points. A stage that shares its line with something before it (flow
 * style) starts where it does; its line's ignore comment covers the whole line anyway. Reads
 * only the stage's indentation, never the rest of a long line.
 */
export function stageLineSpan(text: string, stage: StageModel): Span | undefined {
  const r = stage.node.range;
  if (!r) return undefined;
  let start = r[0];
  while (start > 0 && (text.charCodeAt(start - 1) === 32 || text.charCodeAt(start - 1) === 45)) start--;
  return { start: start === 0 || text.charCodeAt(start - 1) === 10 ? start : r[0], end: r[1] };
}

/** The checks current waivers remove from a stage (spec §5.1, §5.3), and its connections whose reachability they waive, by index. */
export interface WaivedChecks {
  readonly waived: Set<WaiverKey>;
  readonly waivedConnections: Set<number>;
}

/**
 * What current waivers remove from the stage's checks: above the stage, every check; above a
 * line, the check reported on that line (BC202 above a connection waives reachability of that
 * connection only). An ignore comment may sit in the text of the stage before (indented past the
 * list's `- `): a kept stage is checked again against this when anything changed (analysis.ts).
 */
export function waivedChecks(text: string, stage: StageModel, ignores: IgnoreIndex | undefined): WaivedChecks {
  const waived = new Set<WaiverKey>();
  const waivedConnections = new Set<number>();
  if (!ignores) return { waived, waivedConnections };
  const silenced = (code: string, span: Span | undefined) => !!span && ignores.silencing(code, span.start) !== undefined;
  // A field's place is looked up only for a code some waiver names (most codes have none), once.
  const spans = new Map<RunnerField, Span | undefined>();
  const at = (field: RunnerField) => {
    if (!spans.has(field)) spans.set(field, runnerFieldSpan(stage, field, text));
    return spans.get(field);
  };
  const waivedAt = (code: string, field: RunnerField) => ignores.waives(code) && silenced(code, at(field));
  if (waivedAt('BC205', 'class')) waived.add('BC205/class');
  if (waivedAt('BC205', 'network')) waived.add('BC205/network');
  if (waivedAt('BC204', 'network')) waived.add('BC204');
  if (waivedAt('BC301', 'size')) waived.add('BC301');
  if (waivedAt('BC303', 'size') || silenced('BC303', spanOf(stage.estimate.durationMinutes?.node))) waived.add('BC303');
  if (waivedAt('BC101', 'class')) waived.add('BC101');
  if (waivedAt('BC102', 'network')) waived.add('BC102');
  if (RUNNER_FIELDS.some((f) => waivedAt('BC304', f))) waived.add('BC304');
  // Reachability waivers are rare: a connection's place is looked up only when one exists.
  if (ignores.waives('BC202'))
    for (let i = 0; i < stage.connections.length; i++) {
      const c = stage.connections[i]!;
      if (c.location && isLocation(c.location.value) && silenced('BC202', spanOf(c.location.node))) waivedConnections.add(i);
    }
  return { waived, waivedConnections };
}

/** Whether a stage's fit was made with exactly these waivers. */
export function sameWaivers(fit: StageFit, w: WaivedChecks): boolean {
  if (fit.waived.size !== w.waived.size || fit.waivedConnections.size !== w.waivedConnections.size) return false;
  for (const k of w.waived) if (!fit.waived.has(k)) return false;
  for (const i of w.waivedConnections) if (!fit.waivedConnections.has(i)) return false;
  return true;
}

/** The stage's checks' inputs, with what current waivers remove from them (waivedChecks). */
export function stageFit(
  text: string,
  pipeline: PipelineModel,
  stage: StageModel,
  policy: Policy,
  ignores: IgnoreIndex | undefined,
  tiers: readonly string[] = orderedTiers(policy),
): StageFit {
  const { waived, waivedConnections } = waivedChecks(text, stage, ignores);
  const connections: FitConnection[] = [];
  for (let i = 0; i < stage.connections.length; i++) {
    const c = stage.connections[i]!;
    if (!c.location || !isLocation(c.location.value) || waivedConnections.has(i)) continue;
    connections.push(
      c.name ? { name: c.name.value, location: c.location.value, privateLink: c.privateLink } : { location: c.location.value, privateLink: c.privateLink },
    );
  }
  const row = matrixRow(stage.phase?.value, stage.workload?.value);
  // Optional fields are set only when present (not spread from temporary objects: a fit is made per stage).
  const fit: StageFit = { policy, tiers, connections, justified: stage.justification !== undefined, waived, waivedConnections };
  if (pipeline.classification) fit.classification = pipeline.classification.value;
  if (stage.workload) fit.workload = stage.workload.value;
  if (row) fit.row = row;
  if (stage.estimate.durationMinutes) fit.durationMinutes = stage.estimate.durationMinutes.value;
  return fit;
}

function declaredOf(stage: StageModel, policy: Policy): DeclaredRunner {
  const cls = stage.runner.class?.value;
  const size = stage.runner.size?.value;
  const network = stage.runner.network?.value;
  const declared: DeclaredRunner = {};
  if (isRunnerClass(cls)) declared.class = cls;
  if (tierOf(policy, size)) declared.size = size;
  if (isNetwork(network)) declared.network = network;
  return declared;
}

/** Phase, workload and every runner field the stage has are valid (spec §5.1). */
function isEligible(stage: StageModel, policy: Policy): boolean {
  if (stage.badType.length > 0) return false;
  if (!isPhase(stage.phase?.value) || !isWorkload(stage.workload?.value)) return false;
  const { class: cls, size, network } = stage.runner;
  if (cls && !isRunnerClass(cls.value)) return false;
  if (size && !tierOf(policy, size.value)) return false;
  if (network && !isNetwork(network.value)) return false;
  return true;
}

export function stageVerdict(
  text: string,
  pipeline: PipelineModel,
  stage: StageModel,
  policy: Policy,
  ignores: IgnoreIndex | undefined,
  cost: StageCost | undefined,
  tiers: readonly string[] = orderedTiers(policy),
  /** Candidates found for other stages under the same policy and tiers (recommend.ts). */
  memo?: CandidateMemo,
): StageVerdict {
  const fit = stageFit(text, pipeline, stage, policy, ignores, tiers);
  const declared = declaredOf(stage, policy);
  const usage = cost?.inputs ?? stageUsage(stage);
  const eligible = isEligible(stage, policy);
  const passes =
    declared.class !== undefined &&
    declared.size !== undefined &&
    declared.network !== undefined &&
    classPasses(fit, declared.class) &&
    sizePasses(fit, declared.class, declared.size) &&
    networkPasses(fit, declared.network);
  // Optional fields are set only when present, not spread from temporary objects (a verdict per stage).
  if (!eligible) {
    const v: Mutable<StageVerdict> = { stage, fit, declared, eligible, recommended: undefined, passes, usage };
    if (cost) v.cost = cost;
    return v;
  }
  const among = candidatesFor(fit, memo);
  const recommended = recommend(fit, declared, usage, among) ?? null;
  let cheaper: StageVerdict['cheaper'];
  if (cost && cost.monthlyUsd > 0) {
    // Spec §5 BC304: the recommended runner when the declared one fails a check, else the
    // cheapest runner that passes every check at the declared size.
    const candidate = !passes
      ? recommended
      : cheapestRunner(
          fit,
          usage,
          among.filter((r) => r.size === cost.size),
        );
    if (candidate && candidate.monthlyUsd <= cost.monthlyUsd * (1 - CHEAPER_THRESHOLD)) cheaper = { runner: candidate, isRecommended: !passes };
  }
  const v: Mutable<StageVerdict> = { stage, fit, declared, eligible, recommended, passes, usage };
  if (recommended === null) v.noRunner = explainNoRunner(fit);
  if (cost) v.cost = cost;
  if (cheaper) v.cheaper = cheaper;
  return v;
}

/** The runners that pass every check, cheapest first, other than the declared one (panels, JSON). */
export function alternativesOf(v: StageVerdict): PricedRunner[] {
  if (!v.eligible) return [];
  const d = v.declared;
  return passingRunners(v.fit, v.usage).filter((r) => !(r.class === d.class && r.size === d.size && r.network === d.network));
}
