/** Edit distance (Levenshtein) with an early exit once `limit` is exceeded. */
export function editDistance(a: string, b: string, limit = Infinity): number {
  const scratch = new Scratch();
  return scratch.setWord(a) ? bitDistance(a.length, b, limit, scratch) : distance(a, b, limit, scratch);
}

/** Buffers one search reuses for every comparison, so that a comparison allocates nothing. */
class Scratch {
  rowA = new Int32Array(66);
  rowB = new Int32Array(66);
  /** Letter counts of the word being matched (folded to 7 bits), and of letters already paired. */
  readonly wanted = new Int32Array(128);
  readonly paired = new Int32Array(128);
  /** For each ASCII code, the positions where the word being matched has it, one bit each (bitDistance). */
  readonly positions = new Int32Array(128);
  /** Whether `positions` holds the word: 1 to 32 ASCII characters. */
  bits = false;

  /** The word every comparison until clearWord is with: its letter counts, and its positions when it fits in 32 bits. */
  setWord(word: string): boolean {
    if (word.length > MAX_TYPO_LENGTH) return (this.bits = false);
    let ascii = true;
    for (let i = 0; i < word.length; i++) {
      const c = word.charCodeAt(i);
      this.wanted[c & 127]!++;
      if (c >= 128) ascii = false;
    }
    // Positions only for a word whose every position has a bit (1 << 32 would be 1 again).
    this.bits = ascii && word.length > 0 && word.length <= 32;
    if (this.bits) for (let i = 0; i < word.length; i++) this.positions[word.charCodeAt(i)]! |= 1 << i;
    return this.bits;
  }

  clearWord(): void {
    this.wanted.fill(0);
    this.positions.fill(0);
    this.bits = false;
  }
}

/**
 * The edit distance from the word in `scratch.positions` (`m` characters) to `b`, a column of the
 * table per character of `b` kept as bits (Myers 1999, in Hyyrö's form for the whole word): a
 * comparison costs a few operations per character instead of a row of the table. Past `limit`,
 * anything past it (it stops when even a match of every remaining character would not come back).
 */
function bitDistance(m: number, b: string, limit: number, scratch: Scratch): number {
  const positions = scratch.positions;
  const last = 1 << (m - 1);
  // Vertical differences of the column (+1 everywhere in the first); bits above m are ignored.
  let up = -1;
  let down = 0;
  let score = m;
  const n = b.length;
  for (let j = 0; j < n; j++) {
    const c = b.charCodeAt(j);
    const eq = c < 128 ? positions[c]! : 0;
    const xv = eq | down;
    const xh = ((((eq & up) + up) | 0) ^ up) | eq;
    let right = down | ~(xh | up);
    let left = up & xh;
    if (right & last) score++;
    else if (left & last) score--;
    if (score - (n - 1 - j) > limit) return limit + 1;
    right = (right << 1) | 1;
    left <<= 1;
    up = left | ~(xv | right);
    down = right & xv;
  }
  return score;
}

function distance(a: string, b: string, limit: number, scratch: Scratch): number {
  if (a === b) return 0;
  if (Math.abs(a.length - b.length) > limit) return limit + 1;
  const n = b.length;
  if (n + 1 > scratch.rowA.length) {
    scratch.rowA = new Int32Array(n + 1);
    scratch.rowB = new Int32Array(n + 1);
  }
  let prev = scratch.rowA;
  let cur = scratch.rowB;
  for (let j = 0; j <= n; j++) prev[j] = j;
  for (let i = 1; i <= a.length; i++) {
    const ca = a.charCodeAt(i - 1);
    cur[0] = i;
    let rowMin = i;
    for (let j = 1; j <= n; j++) {
      let v = prev[j]! + 1;
      const left = cur[j - 1]! + 1;
      if (left < v) v = left;
      const diag = prev[j - 1]! + (ca === b.charCodeAt(j - 1) ? 0 : 1);
      if (diag < v) v = diag;
      cur[j] = v;
      if (v < rowMin) rowMin = v;
    }
    if (rowMin > limit) return limit + 1;
    const t = prev;
    prev = cur;
    cur = t;
  }
  return prev[n]!;
}

/**
 * Names (stage names, keys, enum values) are at most 63 characters: longer words are not compared
 * by edit distance, which costs the product of their lengths (hostile 400-character names made
 * "did you mean" take seconds).
 */
const MAX_TYPO_LENGTH = 64;

/**
 * A lower bound of the edit distance from letter counts alone: letters of either word without a
 * partner in the other, halved (a substitution leaves two unpaired, an insertion or deletion one).
 * Characters are folded to 7 bits, which can only pair more and so keeps the bound low.
 * `scratch.wanted` holds the counts of `a` (closestAll fills it once per word).
 */
function letterBound(a: string, b: string, scratch: Scratch): number {
  const { wanted, paired } = scratch;
  let unpaired = a.length + b.length;
  for (let i = 0; i < b.length; i++) {
    const k = b.charCodeAt(i) & 127;
    if (paired[k]! < wanted[k]!) {
      paired[k]!++;
      unpaired -= 2;
    }
  }
  for (let i = 0; i < b.length; i++) paired[b.charCodeAt(i) & 127] = 0;
  return Math.ceil(unpaired / 2);
}

/** Candidate words with their lower-case forms, for a caller that asks about one list many times. */
export class Words {
  readonly lower: readonly string[];
  constructor(readonly list: readonly string[]) {
    this.lower = list.map((w) => w.toLowerCase());
  }
}

/**
 * The candidates closest to `value`, if close enough to be a plausible typo: a case-only
 * difference, a prefix, or an edit distance of at most a third of the longer word (at least 2).
 * Several when they are equally close: then the typo has no one right correction.
 */
export function closestAll(value: string, words: readonly string[] | Words, exclude?: string): string[] {
  return closestScored(value, words instanceof Words ? words : new Words(words), exclude).matches;
}

/** The closest candidates and how close they are (Infinity: none is close enough). */
interface Closest {
  matches: string[];
  score: number;
}

function closestScored(value: string, words: Words, exclude?: string): Closest {
  const { list: candidates, lower: lowered } = words;
  const lower = value.toLowerCase();
  const scratch = new Scratch();
  const counted = lower.length <= MAX_TYPO_LENGTH;
  scratch.setWord(lower);
  let best: string[] = [];
  let bestScore = Infinity;
  for (let i = 0; i < candidates.length; i++) {
    const c = candidates[i]!;
    if (c === exclude) continue;
    // Only as close as the best so far matters: a farther candidate stops as soon as it is farther.
    const score = scoreOf(value, lower, c, lowered[i]!, counted, scratch, bestScore);
    if (score < bestScore) {
      bestScore = score;
      best = [c];
    } else if (score === bestScore && score !== Infinity && !best.includes(c)) best.push(c);
  }
  return { matches: best, score: bestScore };
}

/**
 * How close a candidate is: 0 a case-only difference, 0.5 a prefix, else the edit distance;
 * Infinity when not close, or farther than `cap` (the best score so far: only ties and better count).
 */
function scoreOf(value: string, lower: string, c: string, cl: string, counted: boolean, scratch: Scratch, cap = Infinity): number {
  if (cl === lower) return 0;
  if (lower.length >= 3 && (cl.startsWith(lower) || lower.startsWith(cl))) return 0.5;
  if (!counted || c.length > MAX_TYPO_LENGTH) return Infinity;
  const limit = Math.min(cap, Math.max(2, Math.floor(Math.max(c.length, value.length) / 3)));
  if (Math.abs(cl.length - lower.length) > limit) return Infinity;
  if (scratch.bits) {
    const d = bitDistance(lower.length, cl, limit, scratch);
    return d > limit ? Infinity : d;
  }
  // The letters each word has that the other lacks bound the distance from below at little
  // cost: most candidates stop here, before the distance table.
  if (letterBound(lower, cl, scratch) > limit) return Infinity;
  const d = distance(lower, cl, limit, scratch);
  return d > limit ? Infinity : d;
}

/**
 * "Did you mean" over a list that changes a little between calls, as stage names do while one is
 * typed: answers are kept, and when the list changes only the names added are compared with each
 * kept question (a question whose answer lost a name is asked afresh). The answers are exactly
 * those of closestAll over the current list.
 */
export class ClosestMemo {
  private words = new Words([]);
  private readonly known = new Map<string, Closest>();

  /** The candidates for the next questions. */
  update(names: readonly string[]): void {
    const old = this.words.list;
    // Where the lists differ: an edit renames, adds or removes a name or two. Names the two
    // share before and after that stretch are in both as many times, so the names removed and
    // added are the difference of the stretches alone (a list of thousands is not counted).
    let from = 0;
    while (from < old.length && from < names.length && old[from] === names[from]) from++;
    if (from === old.length && from === names.length) return;
    let oldEnd = old.length;
    let newEnd = names.length;
    while (oldEnd > from && newEnd > from && old[oldEnd - 1] === names[newEnd - 1]) {
      oldEnd--;
      newEnd--;
    }
    this.words = new Words(names);
    if (this.known.size > 10_000) {
      this.known.clear();
      return;
    }
    const count = (list: readonly string[], start: number, end: number) => {
      const m = new Map<string, number>();
      for (let i = start; i < end; i++) m.set(list[i]!, (m.get(list[i]!) ?? 0) + 1);
      return m;
    };
    const before = count(old, from, oldEnd);
    const after = count(names, from, newEnd);
    const removed = [...before].filter(([n, k]) => (after.get(n) ?? 0) < k).map(([n]) => n);
    const added = [...after].filter(([n, k]) => (before.get(n) ?? 0) < k).map(([n]) => n);
    if (removed.length + added.length > 16) {
      this.known.clear();
      return;
    }
    // Positions in the new list, made only when equally close names need ordering.
    let order: Map<string, number> | undefined;
    const position = (n: string) => {
      if (!order) {
        order = new Map<string, number>();
        for (let i = 0; i < names.length; i++) if (!order.has(names[i]!)) order.set(names[i]!, i);
      }
      return order.get(n)!;
    };
    const scratch = new Scratch();
    for (const [key, c] of this.known) {
      // An answer that lost a name is asked afresh (a name no longer in the list was removed).
      if (c.matches.some((m) => removed.includes(m))) {
        this.known.delete(key);
        continue;
      }
      const cut = key.indexOf('\u0000');
      const exclude = key[0] === '1' ? key.slice(1, cut) : undefined;
      const value = key.slice(cut + 1);
      const lower = value.toLowerCase();
      const counted = lower.length <= MAX_TYPO_LENGTH;
      scratch.setWord(lower);
      let { matches, score } = c;
      for (const a of added) {
        if (a === exclude) continue;
        const s = scoreOf(value, lower, a, a.toLowerCase(), counted, scratch, score);
        if (s < score) {
          score = s;
          matches = [a];
        } else if (s === score && s !== Infinity && !matches.includes(a)) matches = [...matches, a];
      }
      scratch.clearWord();
      // Equally close names in list order, as a fresh search finds them.
      this.known.set(key, { matches: matches.length < 2 ? matches : [...matches].sort((x, y) => position(x) - position(y)), score });
    }
  }

  /** closestAll(value, the current list, exclude). */
  closest(value: string, exclude: string | undefined): string[] {
    const key = `${exclude === undefined ? '0' : `1${exclude}`}\u0000${value}`;
    let c = this.known.get(key);
    if (!c) this.known.set(key, (c = closestScored(value, this.words, exclude)));
    return c.matches;
  }
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
