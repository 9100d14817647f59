import type { RunnerField, StageModel } from '../model';
import { quote } from '../secrets';
export { runnerFieldSpan, stageAnchor } from '../anchors';
import { changesLabel, compliantNetworks, runnerLabel, type Runner } from '../recommend';
import { runnerEdits } from '../stage-edits';
import { lazyFix, type Fix, type RelatedInfo } from '../types';
import type { StageVerdict } from '../verdict';
import { spanOf } from '../yaml-ast';

/** How messages name a stage: by its name; an unnamed one by its place in the list. */
export function stageLabel(stage: StageModel): string {
  // quote(): a name that looks like a credential is not repeated in any message.
  return stage.name ? quote(stage.name.value) : `#${stage.index + 1} (unnamed)`;
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
  // Built when read (a code action, fix-all): most findings' fixes are never asked for.
  return lazyFix({ title, safety: 'suggestion', decides, isPreferred: decides === 'recommended-runner' }, () => runnerEdits(text, stage, fields));
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

/**
 * The sentence a runner finding ends with: the recommended runner, or why there is none. The
 * advice on what to do goes with the finding of the check that leaves no runner (`code` among
 * the verdict's), so a stage's findings do not all repeat one paragraph.
 */
export function runnerHint(v: StageVerdict, code?: string): string {
  if (v.recommended)
    return v.recommended.changes.length ? `The recommended runner is ${runnerLabel(v.recommended)} (${changesLabel(v.recommended.changes)}).` : '';
  if (v.recommended === null && v.noRunner) {
    const codes = v.noRunner.codes as readonly string[];
    // When no network is left, the network findings (BC202, BC204) both say what would work.
    const networkSide = codes.some((c) => c === 'BC202' || c === 'BC204' || c === 'BC102');
    const advise = code === undefined || codes.includes(code) || (networkSide && (code === 'BC202' || code === 'BC204'));
    return `No runner passes every check: ${lowerFirst(v.noRunner.summary)}${advise ? ` ${v.noRunner.advice}` : ''}`;
  }
  return '';
}

/** For a stage with no recommendation yet (a schema error): the networks that pass checks 1 to 3. */
export function networkHint(v: StageVerdict, code: string): string {
  if (v.recommended !== undefined) return runnerHint(v, code);
  const ok = compliantNetworks(v.fit);
  const reaching = v.fit.connections.length ? ' that reach its connections' : '';
  return ok.length ? `Networks allowed${v.fit.classification ? ` for ${v.fit.classification} data` : ''}${reaching}: ${ok.join(', ')}.` : '';
}

export function lowerFirst(s: string): string {
  return /^[A-Z][a-z]/.test(s) ? s[0]!.toLowerCase() + s.slice(1) : s;
}

/** A message's data with the trailing hint, and no stray space when there is none. */
export function withHint(hint: string): string {
  return hint ? ` ${hint}` : '';
}
