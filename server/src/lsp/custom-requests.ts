import { costReport, estimateEdits, recommendationsReport, runnerEdits, type LineIndex, type Span, type TextEdit } from '../core';
import {
  COST_ESTIMATE,
  ESTIMATE_EDIT,
  RECOMMENDATIONS,
  RUNNER_EDIT,
  type CostEstimateResult,
  type EditResult,
  type PipelineEstimate,
  type StageRecommendation,
  type RecommendationsResult,
  type Range,
} from '../protocol';
import { toEdits, toRange } from './convert';
import type { DocState } from './documents';
import type { Session } from './session';

/**
 * The requests of protocol.ts. The engine builds the data (the same the CLI prints); this file
 * only turns offsets into positions.
 */

/** A core report with each `span` (offsets) as the `range` (positions) the protocol speaks in. */
type Ranged<T> = T extends readonly (infer U)[]
  ? Ranged<U>[]
  : T extends object
    ? { [K in keyof T as K extends 'span' ? 'range' : K]: K extends 'span' ? Range : Ranged<T[K]> }
    : T;

function withRanges<T>(value: T, lines: LineIndex): Ranged<T> {
  if (Array.isArray(value)) return value.map((v) => withRanges(v, lines)) as Ranged<T>;
  if (value === null || typeof value !== 'object') return value as Ranged<T>;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value)) {
    if (k === 'span') out.range = toRange(lines, v as Span);
    else out[k] = withRanges(v, lines);
  }
  return out as Ranged<T>;
}

export function registerCustomRequests(session: Session): void {
  const { connection } = session;

  connection.onRequest(COST_ESTIMATE, (params): CostEstimateResult | null => {
    const state = session.current(params.uri);
    if (!state) return null;
    const base = { uri: params.uri, version: state.version, policySource: state.policy.source, policyFallback: state.policy.fallback };
    if (!state.analysis) return { ...base, totalUsd: 0, pipelines: [], error: 'This is a policy file.' };
    // Typed end to end: the protocol's types must accept what the engine reports.
    // With barecount.baseline, the same report carries each figure at the baseline (the panel's "vs" column).
    const report = withRanges(session.costReportOf(state) ?? costReport(state.analysis), state.lines);
    const pipelines: PipelineEstimate[] = report.pipelines;
    return {
      ...base,
      totalUsd: report.totalUsd,
      pipelines,
      ...(report.baseline ? { baseline: report.baseline } : {}),
      ...(report.error ? { error: report.error } : {}),
    };
  });

  connection.onRequest(RECOMMENDATIONS, (params): RecommendationsResult | null => {
    const state = session.current(params.uri);
    if (!state) return null;
    if (!state.analysis) return { uri: params.uri, version: state.version, stages: [], matrix: [], error: 'This is a policy file.' };
    const report = withRanges(recommendationsReport(state.analysis), state.lines);
    const stages: StageRecommendation[] = report.stages;
    return { uri: params.uri, version: state.version, stages, matrix: report.matrix, ...(report.error ? { error: report.error } : {}) };
  });

  /** The stage a panel asked about, in the version it was showing (none if the text moved on). */
  function stageOf(state: DocState | undefined, version: number | undefined, documentIndex: number, stageIndex: number) {
    if (!state?.analysis || (version !== undefined && version !== state.version)) return undefined;
    return state.analysis.documents.find((d) => d.index === documentIndex)?.pipeline?.stages.find((s) => s.index === stageIndex);
  }

  connection.onRequest(RUNNER_EDIT, (params): EditResult | null => {
    const state = session.current(params.uri);
    const stage = stageOf(state, params.version, params.documentIndex, params.stageIndex);
    if (!state || !stage) return null;
    const fields = Object.fromEntries(
      (['class', 'size', 'network'] as const).filter((f) => typeof params[f] === 'string').map((f) => [f, params[f] as string]),
    );
    return safeEdits(session, params.uri, state, runnerEdits(state.text, stage, fields));
  });

  connection.onRequest(ESTIMATE_EDIT, (params): EditResult | null => {
    const state = session.current(params.uri);
    const stage = stageOf(state, params.version, params.documentIndex, params.stageIndex);
    if (!state || !stage) return null;
    return safeEdits(session, params.uri, state, estimateEdits(state.text, stage, params.estimate ?? {}));
  });
}

/** Edits for a panel, unless they would write a secret again (masked, they would overwrite it). */
function safeEdits(session: Session, uri: string, state: DocState, edits: TextEdit[]): EditResult | null {
  if (session.secrets.current().deepHolds(edits)) return null;
  return { uri, version: state.version, edits: toEdits(state.lines, edits) };
}
