import { ParseCache } from './incremental';
import { lintManifest, type LintOptions } from './lint';
import { NOT_FOR_FIX_ALL } from './rules/registry';
import type { Finding, Fix, TextEdit } from './types';
import { applyEdits } from './yaml-edit';

export interface AppliedFix {
  code: string;
  title: string;
}

export interface FixAllResult {
  text: string;
  applied: AppliedFix[];
  rounds: number;
}

/** A finding's fix is unambiguous when it is the only one offered (spec §5). */
export function unambiguousFix(f: Finding): Fix | undefined {
  return f.fixes.length === 1 && !NOT_FOR_FIX_ALL.has(f.code) ? f.fixes[0] : undefined;
}

function overlaps(a: TextEdit, b: TextEdit): boolean {
  // Two insertions at one point, or any shared character, conflict: take one, the next round the other.
  return a.start <= b.end && b.start <= a.end;
}

/** The largest set of unambiguous fixes that do not touch each other, in document order. */
export function compatibleFixes(findings: readonly Finding[]): Array<{ finding: Finding; fix: Fix }> {
  const accepted: Array<{ finding: Finding; fix: Fix }> = [];
  const edits: TextEdit[] = [];
  const seen = new Set<string>();
  for (const finding of findings) {
    const fix = unambiguousFix(finding);
    if (!fix || fix.edits.length === 0) continue;
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
 * Applies unambiguous fixes round after round until none is left: the source action
 * `source.fixAll.barecount` and `barecount-lint --fix`. Stops on a repeated text, so it always ends.
 */
export function fixAll(text: string, options: LintOptions = {}, maxRounds = 20): FixAllResult {
  let current = text;
  const applied: AppliedFix[] = [];
  // Rounds differ by a few edits: re-parse only the stages they touched.
  const cache = options.cache ?? new ParseCache();
  const seen = new Set<string>([current]);
  let rounds = 0;
  while (rounds < maxRounds) {
    const { findings } = lintManifest(current, { ...options, cache });
    const batch = compatibleFixes(findings);
    if (batch.length === 0) break;
    const next = applyEdits(current, batch.flatMap((b) => b.fix.edits));
    rounds++;
    if (seen.has(next)) break;
    seen.add(next);
    current = next;
    for (const b of batch) applied.push({ code: b.finding.code, title: b.fix.title });
  }
  return { text: current, applied, rounds };
}
