import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { Pair, Scalar, isMap, isScalar, parseDocument, type Node } from 'yaml';
import { fastParse } from '../../server/src/core/fast-parse';
import { literalSecrets } from '../../server/src/core/secrets';
import { hasRange, someNode, spanOf } from '../../server/src/core/yaml-ast';

// A node the fast path makes keeps its range as three numbers, the library's node as an array;
// spanOf and hasRange read either. Where they disagree, a finding lands in the wrong place.

const EXAMPLE = readFileSync(new URL('../../examples/orders-daily.barecount.yaml', import.meta.url), 'utf8');

function nodesOf(root: unknown): Node[] {
  const out: Node[] = [];
  someNode(root, (n) => void out.push(n));
  return out;
}

test('a node read by the fast path and the same node read by the library have the same span', () => {
  const fast = fastParse(EXAMPLE);
  assert.ok(fast, 'the example is read by the fast path');
  const library = parseDocument(EXAMPLE, { keepSourceTokens: false });
  const a = nodesOf(fast.doc.contents);
  const b = nodesOf(library.contents);
  assert.equal(a.length, b.length);
  assert.ok(a.length > 50);
  for (let i = 0; i < a.length; i++) {
    assert.ok(hasRange(a[i]!), `fast node ${i} has a range`);
    assert.ok(hasRange(b[i]!), `library node ${i} has a range`);
    assert.deepEqual(spanOf(a[i]), spanOf(b[i]), `node ${i} (${EXAMPLE.slice(spanOf(b[i])!.start, spanOf(b[i])!.end).slice(0, 40)})`);
  }
  // And the span is where the value is written: a plain word's span holds the word, no more (not
  // the comment after it) and no less.
  let words = 0;
  for (const n of [...a, ...b]) {
    if (!isScalar(n) || n.type !== 'PLAIN' || typeof n.value !== 'string') continue;
    const { start, end } = spanOf(n)!;
    assert.equal(EXAMPLE.slice(start, end), n.value);
    words++;
  }
  assert.ok(words > 50);
  assert.ok(
    a.some((n) => isScalar(n) && n.range![2] > n.range![1]),
    'some value ends before its node does (a comment after it), so the two ends are told apart',
  );
});

test('a node made rather than read has no span, and is no literal secret in the file', () => {
  const made = new Scalar('hunter2-made-not-read');
  assert.equal(hasRange(made), false);
  assert.equal(spanOf(made), undefined);
  assert.equal(spanOf(null), undefined);
  assert.equal(spanOf('a string'), undefined);
  for (const doc of [fastParse('password: hunter2-read-from-text\n')!.doc, parseDocument('password: hunter2-read-from-text\n')]) {
    assert.ok(isMap(doc.contents));
    (doc.contents.items as unknown[]).push(new Pair(new Scalar('token'), made));
    const found = literalSecrets(doc.contents).map((s) => s.node.value);
    assert.deepEqual(found, ['hunter2-read-from-text']);
  }
});
