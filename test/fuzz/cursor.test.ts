import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { cursorContext, lineInfo } from '../../server/src/core/features/cursor';
import { generateCorpusManifest } from '../../bench/corpus';
import { corpus, mutate, mutationOf } from './corpus';

// Completion finds the mapping the cursor is in by reading the lines above it. It jumps over a
// long list above the cursor with a search; what it finds must be what reading every line finds.
const RUNS = Number(process.env.FUZZ_RUNS ?? 300);
const SEED = Number(process.env.FUZZ_SEED ?? 20261130);

/** The plain definition: every line above the cursor, nearest first. */
function readEveryLine(text: string, offset: number): { path: string[]; siblings: string[] } {
  const lineStart = text.lastIndexOf('\n', offset - 1) + 1;
  const head = lineInfo(text.slice(lineStart, offset) + 'x');
  const newItem = head.dashes > 0;
  let col = newItem ? head.indent : head.column;
  const up: string[] = newItem ? ['[]'] : [];
  const siblings: string[] = [];
  let firstLevel = true;
  const lines = text.slice(0, Math.max(0, lineStart - 1)).split('\n');
  if (lineStart === 0) lines.length = 0;
  for (let i = lines.length - 1; i >= 0 && col > 0; i--) {
    const info = lineInfo(lines[i]!);
    if (info.blank) continue;
    if (info.dashes > 0 && info.column === col && !newItem && firstLevel) {
      if (info.key) siblings.push(info.key);
      up.push('[]');
      col = info.indent;
      firstLevel = false;
    } else if (info.dashes > 0 && info.column === col) {
      up.push('[]');
      col = info.indent;
    } else if (info.column < col && info.key !== undefined) {
      up.push(info.key);
      col = info.column;
      firstLevel = false;
      if (info.dashes > 0) {
        up.push('[]');
        col = info.indent;
      }
    } else if (info.column === col && info.dashes === 0 && info.key !== undefined && firstLevel && !newItem) siblings.push(info.key);
  }
  return { path: up.reverse(), siblings };
}

function check(text: string, offset: number): void {
  const ctx = cursorContext(text, offset);
  if (!ctx || ctx.flow) return;
  const want = readEveryLine(text, offset);
  assert.deepEqual(ctx.path, want.path, `path at ${offset}`);
  // Keys below the cursor are added after the ones above.
  assert.deepEqual(ctx.siblings.slice(0, want.siblings.length), want.siblings, `siblings at ${offset}`);
}

test('the mapping at the cursor is the same whether the lines above are read one by one or jumped over', () => {
  const texts = [...corpus(), ...[1, 2, 3].map((seed) => generateCorpusManifest({ stages: 40, seed, dirty: seed !== 2 }))];
  const mutation = mutationOf(texts.length);
  fc.assert(
    fc.property(mutation, fc.nat(), (m, at) => {
      const text = mutate(texts, m);
      // At a line's end, where completion is asked most, and anywhere.
      const ends = [...text.matchAll(/\n/g)].map((x) => x.index);
      check(text, ends.length ? ends[at % ends.length]! : 0);
      check(text, at % (text.length + 1));
    }),
    { numRuns: RUNS, seed: SEED },
  );
  // Every line end of a generated manifest (blank lines, comments at every indentation).
  const big = generateCorpusManifest({ stages: 60, seed: 7, dirty: true });
  for (const m of big.matchAll(/\n/g)) check(big, m.index);
});
