import { costReport, estimateEdits, recommendationsReport, runnerEdits, type LineIndex, type Span } from '../core';
import {
  COST_ESTIMATE,
  ESTIMATE_EDIT,
  RECOMMENDATIONS,
  RUNNER_EDIT,
  type CostEstimateResult,
  type EditResult,
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

/** Every `span` of a core report becomes the `range` the protocol speaks in. */
function withRanges<T>(value: T, lines: LineIndex): unknown {
  if (Array.isArray(value)) return value.map((v) => withRanges(v, lines));
  if (value === null || typeof value !== 'object') return value;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value)) {
    if (k === 'span') out.range = toRange(lines, v as Span) satisfies Range;
    else out[k] = withRanges(v, lines);
  }
  return out;
}

export function registerCustomRequests(session: Session): void {
  const { connection } = session;

  connection.onRequest(COST_ESTIMATE, (params): CostEstimateResult | null => {
    const state = session.current(params.uri);
    if (!state) return null;
    const base = { uri: params.uri, version: state.version, policySource: state.policy.source, policyFallback: state.policy.fallback };
    if (!state.analysis) return { ...base, totalUsd: 0, pipelines: [], error: 'This is a policy file.' };
    const report = costReport(state.analysis);
    return { ...base, ...(withRanges(report, state.lines) as Pick<CostEstimateResult, 'pipelines' | 'totalUsd' | 'error'>) };
  });

  connection.onRequest(RECOMMENDATIONS, (params): RecommendationsResult | null => {
    const state = session.current(params.uri);
    if (!state) return null;
    if (!state.analysis) return { uri: params.uri, version: state.version, stages: [], matrix: [], error: 'This is a policy file.' };
    const report = recommendationsReport(state.analysis);
    return { uri: params.uri, version: state.version, ...(withRanges(report, state.lines) as Pick<RecommendationsResult, 'stages' | 'matrix' | 'error'>) };
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
    return { uri: params.uri, version: state.version, edits: toEdits(state.lines, runnerEdits(state.text, stage, fields)) };
  });

  connection.onRequest(ESTIMATE_EDIT, (params): EditResult | null => {
    const state = session.current(params.uri);
    const stage = stageOf(state, params.version, params.documentIndex, params.stageIndex);
    if (!state || !stage) return null;
    return { uri: params.uri, version: state.version, edits: toEdits(state.lines, estimateEdits(state.text, stage, params.estimate ?? {})) };
  });
}
