/** Edit distance (Levenshtein) with an early exit once `limit` is exceeded. */
export function editDistance(a: string, b: string, limit = Infinity): number {
  if (a === b) return 0;
  if (Math.abs(a.length - b.length) > limit) return limit + 1;
  let prev = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    const cur = [i];
    let rowMin = i;
    for (let j = 1; j <= b.length; j++) {
      const cost = a.charCodeAt(i - 1) === b.charCodeAt(j - 1) ? 0 : 1;
      const v = Math.min(prev[j]! + 1, cur[j - 1]! + 1, prev[j - 1]! + cost);
      cur.push(v);
      if (v < rowMin) rowMin = v;
    }
    if (rowMin > limit) return limit + 1;
    prev = cur;
  }
  return prev[b.length]!;
}

/**
 * Names (stage names, keys, enum values) are at most 63 characters: longer words are not compared
 * by edit distance, which costs the product of their lengths (hostile 400-character names made
 * "did you mean" take seconds).
 */
const MAX_TYPO_LENGTH = 64;

/**
 * The candidates closest to `value`, if close enough to be a plausible typo: a case-only
 * difference, a prefix, or an edit distance of at most a third of the longer word (at least 2).
 * Several when they are equally close: then the typo has no one right correction.
 */
export function closestAll(value: string, candidates: readonly string[]): string[] {
  const lower = value.toLowerCase();
  let best: string[] = [];
  let bestScore = Infinity;
  for (const c of candidates) {
    const cl = c.toLowerCase();
    let score: number;
    if (cl === lower) score = 0;
    else if (lower.length >= 3 && (cl.startsWith(lower) || lower.startsWith(cl))) score = 0.5;
    else if (Math.max(c.length, value.length) > MAX_TYPO_LENGTH) continue;
    else {
      const limit = Math.max(2, Math.floor(Math.max(c.length, value.length) / 3));
      const d = editDistance(lower, cl, limit);
      if (d > limit) continue;
      score = d;
    }
    if (score < bestScore) {
      bestScore = score;
      best = [c];
    } else if (score === bestScore && !best.includes(c)) best.push(c);
  }
  return best;
}

/** The closest candidate (the first of equally close ones), for "did you mean" in messages. */
export function closest(value: string, candidates: readonly string[]): string | undefined {
  return closestAll(value, candidates)[0];
}

/**
 * Fixes that correct a typo: safe when exactly one valid name is close (spec §5.2), else one
 * suggestion per equally close name, for a person to choose.
 */
export function typoFixes<T>(
  matches: readonly string[],
  make: (name: string) => { title: string; edits: T[] },
): Array<{ title: string; edits: T[]; safety: 'safe' | 'suggestion'; isPreferred?: boolean }> {
  if (matches.length === 1) return [{ ...make(matches[0]!), safety: 'safe', isPreferred: true }];
  return matches.map((m) => ({ ...make(m), safety: 'suggestion' as const }));
}
