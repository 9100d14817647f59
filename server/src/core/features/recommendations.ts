import type { Analysis } from '../analysis';
import { MATRIX } from '../data';
import { explainChecks, type CheckLine } from '../explain';
import { RULES_BY_CODE, docsUrl } from '../rules/registry';
import type { Severity, Span } from '../types';
import { stageLineSpan } from '../verdict';
import { recommendationPart, type RecommendationPart } from './cost-report';
import { stageWaived, waivedReport, type WaivedReport } from './waivers';

/**
 * Per stage: the declared runner, the recommended one (or why there is none), the findings that
 * concern its runner, and every check with its outcome: the recommendations preview.
 */

export interface Deviation {
  code: string;
  severity: Severity;
  message: string;
  docs: string;
  fixable: boolean;
}

export interface StageRecommendationReport extends RecommendationPart {
  documentIndex: number;
  index: number;
  name: string;
  phase?: string;
  workload?: string;
  declared: { class?: string; size?: string; network?: string; sources: Record<string, 'stage' | 'defaults'> };
  /** The selection matrix row of the stage's phase and workload. */
  matrix?: { class: string; networks: string[]; guide: string };
  justification?: string;
  deviations: Deviation[];
  /** Findings in the stage that waivers silenced, listed apart from the deviations (spec §5.3). */
  waived: WaivedReport[];
  checks: CheckLine[];
  span: Span;
}

export interface MatrixRowReport {
  phase: string;
  workloads: string[];
  class: string;
  networks: string[];
  guide: string;
}

export interface RecommendationsReport {
  stages: StageRecommendationReport[];
  matrix: MatrixRowReport[];
  error?: string;
}

export function recommendationsReport(a: Analysis): RecommendationsReport {
  const matrix = MATRIX.rows.map((r) => ({ phase: r.phase, workloads: [...r.workloads], class: r.class, networks: [...r.networks], guide: r.guide }));
  if (a.file.documents.some((d) => !d.ok)) return { stages: [], matrix, error: 'The manifest has YAML errors.' };
  const stages: StageRecommendationReport[] = [];
  for (const d of a.documents) {
    if (!d.pipeline) continue;
    // Findings come sorted by position: each stage takes the runner findings inside its lines.
    const runnerFindings = a.findings.filter((f) => f.documentIndex === d.index && RULES_BY_CODE.get(f.code)?.meta.concernsRunner);
    for (const v of d.verdicts) {
      const stage = v.stage;
      const span = stageLineSpan(a.text, stage) ?? { start: 0, end: 0 };
      const sources: Record<string, 'stage' | 'defaults'> = {};
      for (const f of ['class', 'size', 'network'] as const) if (stage.runner[f]) sources[f] = stage.runner[f]!.source;
      const row = v.fit.row;
      stages.push({
        documentIndex: d.index,
        index: stage.index,
        name: stage.name?.value ?? `stage ${stage.index + 1}`,
        ...(stage.phase ? { phase: stage.phase.value } : {}),
        ...(stage.workload ? { workload: stage.workload.value } : {}),
        declared: {
          ...(stage.runner.class ? { class: stage.runner.class.value } : {}),
          ...(stage.runner.size ? { size: stage.runner.size.value } : {}),
          ...(stage.runner.network ? { network: stage.runner.network.value } : {}),
          sources,
        },
        ...(row ? { matrix: { class: row.class, networks: [...row.networks], guide: row.guide } } : {}),
        ...(stage.justification ? { justification: stage.justification } : {}),
        ...recommendationPart(v),
        deviations: within(runnerFindings, span).map((f) => ({
          code: f.code,
          severity: f.severity,
          message: f.message,
          docs: docsUrl(f.code),
          fixable: f.fixes.length > 0,
        })),
        waived: stageWaived(a.waived, stage).map((w) => waivedReport(w, a.today)),
        checks: explainChecks(v, d.pipeline),
        span: { start: stage.node.range?.[0] ?? span.start, end: span.end },
      });
    }
  }
  return { stages, matrix };
}

/** The findings (sorted by start) that start inside a span, by binary search. */
function within<T extends { span: Span }>(sorted: readonly T[], span: Span): T[] {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (sorted[mid]!.span.start < span.start) lo = mid + 1;
    else hi = mid;
  }
  const out: T[] = [];
  for (let i = lo; i < sorted.length && sorted[i]!.span.start <= span.end; i++) out.push(sorted[i]!);
  return out;
}
