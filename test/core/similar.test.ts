import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { ClosestMemo, closestAll, editDistance } from '../../server/src/core/similar';

// "Did you mean" kept between analyses must answer exactly what a fresh search answers.
const RUNS = Number(process.env.FUZZ_RUNS ?? 300);
const SEED = Number(process.env.FUZZ_SEED ?? 20261130);

/** A plain Levenshtein table, row by row: what every shortcut of similar.ts must agree with. */
function levenshtein(a: string, b: string): number {
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const cur = [i];
    for (let j = 1; j <= b.length; j++) cur.push(Math.min(prev[j]! + 1, cur[j - 1]! + 1, prev[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1)));
    prev = cur;
  }
  return prev[b.length]!;
}

const word = fc.stringMatching(/^[a-d][a-d-]{0,7}$/);

test(`ClosestMemo answers as closestAll while the names change a little (${RUNS} runs, seed ${SEED})`, () => {
  fc.assert(
    fc.property(
      fc.array(word, { minLength: 1, maxLength: 30 }),
      fc.array(fc.tuple(fc.constantFrom('rename', 'add', 'drop', 'reset'), fc.nat(), word, fc.array(word, { maxLength: 4 })), { maxLength: 12 }),
      (start, steps) => {
        const memo = new ClosestMemo();
        let names = start;
        for (const [how, at, name, questions] of steps) {
          const i = at % Math.max(1, names.length);
          if (how === 'rename' && names.length) names = names.map((n, k) => (k === i ? name : n));
          else if (how === 'add') names = [...names.slice(0, i), name, ...names.slice(i)];
          else if (how === 'drop') names = names.filter((_, k) => k !== i);
          else names = [...names].reverse();
          const distinct = [...new Set(names)];
          memo.update(distinct);
          for (const q of [...questions, name]) {
            for (const exclude of [undefined, names[0]]) {
              assert.deepEqual(memo.closest(q, exclude), closestAll(q, distinct, exclude), `${q} among ${distinct.join(',')} without ${exclude}`);
            }
          }
        }
      },
    ),
    { numRuns: RUNS, seed: SEED },
  );
});

/** closestAll as the spec of "did you mean" says it, with none of its shortcuts (plain table). */
function reference(value: string, candidates: readonly string[], exclude?: string): string[] {
  const lower = value.toLowerCase();
  let best: string[] = [];
  let bestScore = Infinity;
  for (const c of candidates) {
    if (c === exclude) continue;
    const cl = c.toLowerCase();
    let score = Infinity;
    if (cl === lower) score = 0;
    else if (lower.length >= 3 && (cl.startsWith(lower) || lower.startsWith(cl))) score = 0.5;
    else if (Math.max(c.length, value.length) <= 64) {
      const limit = Math.max(2, Math.floor(Math.max(c.length, value.length) / 3));
      const d = levenshtein(lower, cl);
      if (d <= limit) score = d;
    }
    if (score < bestScore) {
      bestScore = score;
      best = [c];
    } else if (score === bestScore && score !== Infinity && !best.includes(c)) best.push(c);
  }
  return best;
}

test(`closestAll answers as the plain definition, Unicode case folding included (${RUNS} runs)`, () => {
  // Letters whose lower case is longer than they are (İ), or that a combining mark follows.
  const any = fc.array(fc.constantFrom('a', 'b', 'c', 'd', '-', 'İ', 'i\u0307', 'ß'), { maxLength: 9 }).map((cs) => cs.join(''));
  fc.assert(
    fc.property(any, fc.array(any, { maxLength: 12 }), (q, names) => {
      assert.deepEqual(closestAll(q, names), reference(q, names), `${q} among ${names.join(',')}`);
    }),
    { numRuns: RUNS, seed: SEED },
  );
  assert.deepEqual(closestAll('İİİİİİx', ['i̇i̇i̇i̇i̇i̇y']), reference('İİİİİİx', ['i̇i̇i̇i̇i̇i̇y']));
});

test('the distance and its bounds agree with a plain Levenshtein table', () => {
  fc.assert(
    fc.property(word, word, (a, b) => {
      assert.equal(editDistance(a, b), levenshtein(a, b));
      // Within the limit the exact distance; past it, anything past it.
      const d = levenshtein(a, b);
      if (d <= 2) assert.equal(editDistance(a, b, 2), d);
      else assert.ok(editDistance(a, b, 2) > 2);
    }),
    { numRuns: RUNS, seed: SEED },
  );
  assert.deepEqual(closestAll('stage-12-missing', ['stage-12-mising', 'stage-120-missing', 'other']), ['stage-12-mising', 'stage-120-missing']);
});

test(`the distance agrees with a plain table for words around 32 characters and beyond ASCII (${RUNS} runs)`, () => {
  // Words of up to 32 ASCII characters are compared as bits (one machine word), the others with
  // the table: both sides of that line, the 31st and 32nd bits, and characters past 127.
  const long = fc
    .tuple(fc.integer({ min: 0, max: 40 }), fc.array(fc.constantFrom('a', 'b', '-', '\u00e9', '\u0161', '\u{1F600}'), { maxLength: 6 }))
    .map(([n, extra]) => 'ab-'.repeat(14).slice(0, n) + extra.join(''));
  const mutate = fc.tuple(long, fc.array(fc.tuple(fc.nat(), fc.constantFrom('a', 'b', 'x', '\u00e9', '')), { maxLength: 5 })).map(([w, edits]) => {
    let out = w;
    for (const [at, ch] of edits) {
      const i = at % (out.length + 1);
      out = out.slice(0, i) + ch + out.slice(i + (ch === '' || at % 2 ? 1 : 0));
    }
    return [w, out] as const;
  });
  fc.assert(
    fc.property(mutate, fc.integer({ min: 0, max: 6 }), ([a, b], limit) => {
      const d = levenshtein(a, b);
      assert.equal(editDistance(a, b), d, `${a} / ${b}`);
      assert.equal(editDistance(b, a), d, `${b} / ${a}`);
      if (d <= limit) assert.equal(editDistance(a, b, limit), d);
      else assert.ok(editDistance(a, b, limit) > limit);
    }),
    { numRuns: RUNS * 10, seed: SEED },
  );
  const w32 = 'abcdefghijklmnopqrstuvwxyz-01234';
  assert.equal(editDistance(w32, `${w32.slice(0, 31)}5`), 1);
  assert.equal(editDistance(w32, w32.slice(1)), 1);
  assert.equal(editDistance(`${w32}5`, w32), 1);
  assert.equal(editDistance('', 'abc'), 3);
  assert.equal(editDistance('abc', ''), 3);
});
