import type { PipelineModel, RunnerField, StageModel } from '../model';
import { changesLabel, compliantNetworks, runnerLabel, type Runner } from '../recommend';
import { runnerEdits } from '../stage-edits';
import type { Fix, RelatedInfo, Span } from '../types';
import type { StageVerdict } from '../verdict';
import { spanOf } from '../yaml-ast';

/** Where a stage's problems are reported when no better node exists: its name, else its first line. */
export function stageAnchor(stage: StageModel, text: string): Span {
  const named = spanOf(stage.name?.node);
  if (named) return named;
  const start = stage.node.range?.[0] ?? 0;
  const nl = text.indexOf('\n', start);
  return { start, end: nl === -1 ? text.length : nl };
}

/** How messages name a stage: by its name; an unnamed one by its place in the list. */
export function stageLabel(stage: StageModel): string {
  return stage.name ? `"${stage.name.value}"` : `#${stage.index + 1} (unnamed)`;
}

/** The span of a runner field as declared, or of the stage name when it is inherited or missing. */
export function runnerFieldSpan(stage: StageModel, field: RunnerField, text: string): Span {
  const f = stage.runner[field];
  if (f?.source === 'stage') return spanOf(f.node) ?? stageAnchor(stage, text);
  return stageAnchor(stage, text);
}

export function inheritedNote(stage: StageModel, field: RunnerField): string {
  return stage.runner[field]?.source === 'defaults' ? ` (inherited from spec.defaults.runner.${field})` : '';
}

export function inheritedRelated(stage: StageModel, field: RunnerField): RelatedInfo[] {
  const f = stage.runner[field];
  const span = f?.source === 'defaults' ? spanOf(f.node) : undefined;
  return span ? [{ span, message: `${field} "${f!.value}" is set here for every stage that leaves it out` }] : [];
}

/** The fix that sets a whole runner on the stage as one edit. */
export function runnerFix(text: string, stage: StageModel, runner: Runner, changes: readonly RunnerField[], title: string, decides: Fix['decides']): Fix {
  const fields: Partial<Record<RunnerField, string>> = {};
  for (const f of changes) fields[f] = runner[f];
  return { title, edits: runnerEdits(text, stage, fields), safety: 'suggestion', decides, isPreferred: decides === 'recommended-runner' };
}

/**
 * The fixes of BC101, BC102, BC104, BC202, BC204, BC205, BC301 and BC303: the stage's recommended
 * runner as one edit (spec §5.1), so a fix never trades one finding for another. None when no
 * runner passes, or the stage gets no recommendation.
 */
export function recommendedRunnerFixes(text: string, v: StageVerdict): Fix[] {
  const r = v.recommended;
  if (!r || r.changes.length === 0) return [];
  return [runnerFix(text, v.stage, r, r.changes, `Use the recommended runner ${runnerLabel(r)} (${changesLabel(r.changes)})`, 'recommended-runner')];
}

/** The sentence a runner finding ends with: the recommended runner, or why there is none. */
export function runnerHint(v: StageVerdict): string {
  if (v.recommended)
    return v.recommended.changes.length ? `The recommended runner is ${runnerLabel(v.recommended)} (${changesLabel(v.recommended.changes)}).` : '';
  if (v.recommended === null && v.noRunner) return `No runner passes every check: ${lowerFirst(v.noRunner.summary)} ${v.noRunner.advice}`;
  return '';
}

/** For a stage with no recommendation yet (a schema error): the networks that pass checks 1 to 3. */
export function networkHint(v: StageVerdict): string {
  if (v.recommended !== undefined) return runnerHint(v);
  const ok = compliantNetworks(v.fit);
  return ok.length ? `Networks allowed${v.fit.classification ? ` for ${v.fit.classification} data` : ''} that reach its connections: ${ok.join(', ')}.` : '';
}

function lowerFirst(s: string): string {
  return /^[A-Z][a-z]/.test(s) ? s[0]!.toLowerCase() + s.slice(1) : s;
}

/** A message's data with the trailing hint, and no stray space when there is none. */
export function withHint(hint: string): string {
  return hint ? ` ${hint}` : '';
}

export function pipelineKeySpan(pipeline: PipelineModel): Span | undefined {
  return spanOf(pipeline.name?.node) ?? spanOf(pipeline.metadataPair?.key);
}
