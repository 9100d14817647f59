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
 * The candidate closest to `value`, if it is close enough to be a plausible typo: a case-only
 * difference, a prefix, or an edit distance of at most a third of the longer word (at least 2).
 */
export function closest(value: string, candidates: readonly string[]): string | undefined {
  const lower = value.toLowerCase();
  let best: string | undefined;
  let bestScore = Infinity;
  for (const c of candidates) {
    const cl = c.toLowerCase();
    let score: number;
    if (cl === lower) score = 0;
    else if (lower.length >= 3 && (cl.startsWith(lower) || lower.startsWith(cl))) score = 0.5;
    else {
      const limit = Math.max(2, Math.floor(Math.max(c.length, value.length) / 3));
      const d = editDistance(lower, cl, limit);
      if (d > limit) continue;
      score = d;
    }
    if (score < bestScore) {
      bestScore = score;
      best = c;
    }
  }
  return best;
}
