import { AnalysisCache, analyze, type Analysis, type AnalysisEnv } from './analysis';
import type { Finding, Fix, TextEdit } from './types';
import { applyEdits } from './yaml-edit';
import { EditTrail } from './text';
import { Redactor } from './redact';
import { keepsYamlValid, parsesCleanly } from './safe-fix';

export interface AppliedFix {
  code: string;
  title: string;
}

export interface FixAllResult {
  text: string;
  /** The edits of the original text that give `text`: one per place a fix changed. */
  edits: TextEdit[];
  applied: AppliedFix[];
  rounds: number;
  /** Stopped at the time budget before reaching a fixed point (run it again for the rest). */
  partial: boolean;
}

export interface FixAllBudget {
  maxRounds?: number;
  /** Milliseconds; rounds already applied are kept, so the result is always consistent. */
  timeMs?: number;
}

/**
 * What fix-all may apply without a person choosing (spec §5.2). `safe`: fix-all, fix-on-save
 * and `barecount-lint --fix`. `unsafe`: `--fix --unsafe-fixes`, which also applies each stage's
 * recommended runner and every other suggestion that is the only one offered for its finding,
 * except those that decide a phase or workload, or a runner other than the recommended one.
 */
export type FixMode = 'safe' | 'unsafe';

/** The fix fix-all applies for a finding in a mode, if any. */
export function autoFix(f: Finding, mode: FixMode): Fix | undefined {
  const only = f.fixes.length === 1 ? f.fixes[0] : undefined;
  if (mode === 'safe') return only?.safety === 'safe' ? only : undefined;
  const recommended = f.fixes.find((x) => x.decides === 'recommended-runner');
  if (recommended) return recommended;
  if (!only || only.decides === 'classification' || only.decides === 'other-runner') return undefined;
  return only;
}

function overlaps(a: TextEdit, b: TextEdit): boolean {
  // Two insertions at one point, or any shared character, conflict: take one, the next round the other.
  return a.start <= b.end && b.start <= a.end;
}

/** A fix whose own edits overlap cannot be applied (a rule bug): fix-all skips it rather than fail. */
function selfOverlapping(edits: readonly TextEdit[]): boolean {
  const sorted = [...edits].sort((a, b) => a.start - b.start || a.end - b.end);
  return sorted.some((e, i) => i > 0 && e.start < sorted[i - 1]!.end);
}

/** The largest set of unambiguous fixes that do not touch each other, in document order. */
export function compatibleFixes(findings: readonly Finding[], mode: FixMode = 'safe', secrets?: Redactor): Array<{ finding: Finding; fix: Fix }> {
  const accepted: Array<{ finding: Finding; fix: Fix }> = [];
  const edits: TextEdit[] = [];
  const seen = new Set<string>();
  for (const finding of findings) {
    const fix = autoFix(finding, mode);
    if (!fix || fix.edits.length === 0 || selfOverlapping(fix.edits)) continue;
    // A fix that would write a secret somewhere new (a name copied through an alias) is left out.
    if (secrets && fix.edits.some((e) => secrets.holds(e.newText))) continue;
    const key = JSON.stringify(fix.edits);
    if (seen.has(key)) continue;
    if (fix.edits.some((e) => edits.some((x) => overlaps(e, x)))) continue;
    seen.add(key);
    edits.push(...fix.edits);
    accepted.push({ finding, fix });
  }
  return accepted;
}

/**
 * Applies the fixes a mode allows, round after round until none is left: the source action
 * `source.fixAll.barecount` and `barecount-lint --fix`. Stops on a repeated text, so it always ends.
 */
export function fixAll(text: string, env: AnalysisEnv, mode: FixMode = 'safe', budget: FixAllBudget = {}, analysed?: Analysis): FixAllResult {
  const maxRounds = budget.maxRounds ?? 20;
  const deadline = budget.timeMs === undefined ? Infinity : performance.now() + budget.timeMs;
  // A round that would end past the deadline is not started: rounds take about as long as the last.
  let lastRound = 0;
  let partial = false;
  let current = text;
  let trail = EditTrail.of(text);
  const applied: AppliedFix[] = [];
  // Rounds differ by a few edits: re-parse only the stages they touched.
  const cache = new AnalysisCache();
  const seen = new Set<string>([current]);
  let rounds = 0;
  // The secrets of the text as given: no fix may write one of them anywhere.
  let guard: Redactor | undefined;
  let previous: { text: string; trail: EditTrail; batch: Array<{ finding: Finding; fix: Fix }> } | undefined;
  while (rounds < maxRounds) {
    const started = performance.now();
    if (started + lastRound > deadline) {
      partial = true;
      break;
    }
    // The caller's analysis of the text serves as the first round.
    const analysis = rounds === 0 && analysed && analysed.text === current ? analysed : analyze(current, env, cache);
    const { findings } = analysis;
    if (previous && findings.some((f) => f.code === 'BC001')) {
      // The last round broke YAML that parsed: undo it, and keep only the fixes that are safe alone.
      const safe = previous.batch.filter((b) => keepsYamlValid(previous!.text, b.fix));
      applied.splice(applied.length - previous.batch.length, previous.batch.length);
      current = previous.text;
      trail = previous.trail;
      previous = undefined;
      if (safe.length === 0) break;
      const safeEdits = safe.flatMap((b) => b.fix.edits);
      const next = applyEdits(current, safeEdits);
      if (!parsesCleanly(next)) break;
      current = next;
      trail = trail.apply(safeEdits);
      seen.add(next);
      for (const b of safe) applied.push({ code: b.finding.code, title: b.fix.title });
      continue;
    }
    guard ??= new Redactor(analysis.secrets);
    const batch = compatibleFixes(findings, mode, guard);
    lastRound = performance.now() - started;
    if (batch.length === 0) break;
    const batchEdits = batch.flatMap((b) => b.fix.edits);
    const next = applyEdits(current, batchEdits);
    rounds++;
    if (seen.has(next)) break;
    seen.add(next);
    previous = findings.some((f) => f.code === 'BC001') ? undefined : { text: current, trail, batch };
    current = next;
    trail = trail.apply(batchEdits);
    for (const b of batch) applied.push({ code: b.finding.code, title: b.fix.title });
  }
  return { text: current, edits: current === text ? [] : trail.edits(), applied, rounds, partial };
}
