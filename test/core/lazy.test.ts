import assert from 'node:assert/strict';
import { test } from 'node:test';
import { lazyProperty } from '../../server/src/core/lazy';
import { lazyFix } from '../../server/src/core/types';

test('a lazy property is computed at its first read, once, and then kept', () => {
  const define = lazyProperty<string[]>('edits');
  let runs = 0;
  const a = { title: 'a' };
  define(a, () => {
    runs++;
    return ['x'];
  });
  assert.equal(runs, 0, 'computed before anything read it');
  const first = (a as { edits?: string[] }).edits;
  assert.deepEqual(first, ['x']);
  assert.equal((a as { edits?: string[] }).edits, first, 'a second read gets the same value');
  assert.equal(runs, 1);
});

test('a lazy property reads as an own property, and what computes it is seen nowhere', () => {
  const define = lazyProperty<number>('usd');
  const a = { label: 'compute' };
  define(a, () => 4.5);
  assert.deepEqual(Object.keys(a), ['label', 'usd']);
  assert.equal(JSON.stringify(a), '{"label":"compute","usd":4.5}');
  assert.deepEqual({ ...a }, { label: 'compute', usd: 4.5 });
  const seen: string[] = [];
  for (const k in a) seen.push(k);
  assert.deepEqual(seen, ['label', 'usd']);
  // Two objects defined alike compare equal to a plain one (no hidden state shows).
  const b = { label: 'compute' };
  define(b, () => 4.5);
  assert.deepStrictEqual(a, { label: 'compute', usd: 4.5 });
  assert.deepStrictEqual(a, b);
});

test('objects given the same lazy property stay separate', () => {
  const define = lazyProperty<number>('n');
  const objects = [1, 2, 3].map((n) => {
    const o = {};
    define(o, () => n);
    return o as { n: number };
  });
  assert.deepEqual(
    objects.map((o) => o.n),
    [1, 2, 3],
  );
});

test('a lazy fix keeps its title and safety as they were, and builds its edits when read', () => {
  let built = 0;
  const fix = lazyFix({ title: 'Change to "a"', safety: 'safe', isPreferred: true }, () => {
    built++;
    return [{ start: 1, end: 2, newText: 'a' }];
  });
  assert.equal(built, 0);
  assert.deepEqual(Object.keys(fix), ['title', 'safety', 'isPreferred', 'edits']);
  assert.deepEqual(fix.edits, [{ start: 1, end: 2, newText: 'a' }]);
  void fix.edits;
  assert.equal(built, 1);
});
