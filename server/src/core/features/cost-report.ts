import type { Analysis } from '../analysis';
import type { StageCost } from '../cost';
import type { RunnerField } from '../model';
import type { PricedRunner } from '../recommend';
import type { Span } from '../types';
import { NOT_ELIGIBLE, alternativesOf, type StageVerdict } from '../verdict';
import { countsAsWaiver, stageWaived } from './waivers';
import { costThen, type BaselineCosts } from '../baseline';

/**
 * The cost of every pipeline and stage of a manifest, with each stage's recommended runner and
 * the other runners that pass every check: what the cost panel, the status bar and
 * `barecount-lint --format json --cost` show. Built from the analysis, never recomputed.
 */

/** A runner that passes every check, and what it saves against the declared one (negative: dearer). */

export interface RunnerOption extends PricedRunner {
  savingUsd: number;
}

export interface RecommendedOption extends RunnerOption {
  changes: RunnerField[];
}

/** What the report says of a stage's recommended runner (shared by costed and uncosted stages). */
export interface RecommendationPart {
  /** null: no runner passes every check, or the stage's phase, workload or runner has a schema error. */
  recommended: RecommendedOption | null;
  /** When no runner passes: which checks leave none, in sentences. */
  noRecommendation?: string[];
}

export interface StageCostReport extends Omit<StageCost, 'stageIndex'>, RecommendationPart {
  index: number;
  /** Runners that pass every check, other than the declared one, cheapest first. */
  alternatives: RunnerOption[];
  /** Findings in the stage that waivers silenced (spec §5.3). */
  waived: number;
  span: Span;
  /** With a baseline: the stage's cost there (by pipeline and stage name), null where it was not costed. */
  baselineMonthlyUsd?: number | null;
}

export interface UncostedStageReport extends RecommendationPart {
  index: number;
  name: string;
  reason: string;
  span: Span;
}

export interface PipelineCostReport {
  documentIndex: number;
  name: string;
  monthlyUsd: number;
  budgetUsd: number;
  budgetSource: 'manifest' | 'policy';
  overBudget: boolean;
  stages: StageCostReport[];
  uncosted: UncostedStageReport[];
  /** Findings of the pipeline that waivers silenced, and its waivers, for the panel's count. */
  waived: number;
  waivers: number;
  span: Span;
  /** With a baseline: the pipeline's total there (by name), null where it did not exist. */
  baselineMonthlyUsd?: number | null;
}

export interface CostReport {
  pipelines: PipelineCostReport[];
  totalUsd: number;
  /** With a baseline: its revision, and the file's total there (null: the file did not exist, or could not be estimated). */
  baseline?: { ref: string; totalUsd: number | null };
  /** Syntax errors stop the estimate: say so rather than show stale figures. */
  error?: string;
}

export function recommendationPart(v: StageVerdict): RecommendationPart {
  const declared = v.cost?.monthlyUsd;
  const r = v.recommended;
  return {
    recommended: r ? { ...r, savingUsd: declared === undefined ? 0 : declared - r.monthlyUsd } : null,
    ...(r === null && v.noRunner ? { noRecommendation: v.noRunner.reasons } : {}),
    ...(r === undefined ? { noRecommendation: [NOT_ELIGIBLE] } : {}),
  };
}

function nodeSpan(node: { range?: [number, number, number] | null } | undefined): Span {
  return { start: node?.range?.[0] ?? 0, end: node?.range?.[1] ?? 0 };
}

export function costReport(a: Analysis, baseline?: BaselineCosts, maxAlternatives = 8): CostReport {
  const report = ownReport(a, maxAlternatives);
  if (!baseline) return report;
  // Each figure at the baseline beside the figure now (baseline.ts says how they are matched).
  return {
    ...report,
    baseline: { ref: baseline.ref, totalUsd: baseline.totalUsd },
    pipelines: report.pipelines.map((p) => ({
      ...p,
      baselineMonthlyUsd: costThen(baseline, p.name),
      stages: p.stages.map((s) => ({ ...s, baselineMonthlyUsd: costThen(baseline, p.name, s.name) })),
    })),
  };
}

function ownReport(a: Analysis, maxAlternatives: number): CostReport {
  if (a.file.documents.some((d) => !d.ok) || a.file.problems.length)
    return { pipelines: [], totalUsd: 0, error: 'The manifest has YAML errors; fix them to see the estimate.' };
  const pipelines: PipelineCostReport[] = [];
  for (const d of a.documents) {
    if (!d.pipeline || !d.cost) continue;
    const cost = d.cost;
    const byIndex = new Map(d.verdicts.map((v) => [v.stage.index, v]));
    pipelines.push({
      documentIndex: d.index,
      name: cost.name,
      monthlyUsd: cost.monthlyUsd,
      budgetUsd: cost.budgetUsd,
      budgetSource: cost.budgetSource,
      overBudget: cost.monthlyUsd > cost.budgetUsd,
      span: nodeSpan(d.pipeline.root),
      waived: a.waived.filter((w) => w.finding.documentIndex === d.index).length,
      waivers: d.waivers.filter(countsAsWaiver).length,
      stages: cost.stages.map((s) => {
        const v = byIndex.get(s.stageIndex)!;
        const { stageIndex, ...cost } = s;
        return {
          index: stageIndex,
          ...cost,
          ...recommendationPart(v),
          alternatives: alternativesOf(v)
            .slice(0, maxAlternatives)
            .map((r) => ({ ...r, savingUsd: s.monthlyUsd - r.monthlyUsd })),
          waived: stageWaived(a.waived, v.stage).length,
          span: nodeSpan(v.stage.node),
        };
      }),
      uncosted: cost.uncosted.map((u) => {
        const v = byIndex.get(u.stageIndex)!;
        return { index: u.stageIndex, name: u.name, reason: u.reason, ...recommendationPart(v), span: nodeSpan(v.stage.node) };
      }),
    });
  }
  return { pipelines, totalUsd: pipelines.reduce((sum, p) => sum + p.monthlyUsd, 0) };
}
