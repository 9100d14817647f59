import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { DEFAULT_LIMITS, LineIndex, fixAll, type Finding } from '../../server/src/core';
import { ROOT, env, lint } from '../helpers';

// `timeout` below only guards against a hang; no test asserts how fast anything is.
const GUARD = { timeout: 20_000 };

function only(findings: readonly Finding[], code: string, messageId?: string): Finding {
  assert.equal(findings.length, 1, `expected one finding, got: ${findings.map((f) => `${f.code} ${f.message}`).join(' | ')}`);
  const f = findings[0]!;
  assert.equal(f.code, code);
  if (messageId) assert.equal(f.messageId, messageId);
  return f;
}

function assertInside(text: string, findings: readonly Finding[]) {
  for (const f of findings) {
    assert.ok(
      f.span.start >= 0 && f.span.start <= f.span.end && f.span.end <= text.length,
      `${f.code} span ${f.span.start}-${f.span.end} outside 0-${text.length}`,
    );
    for (const r of f.related) assert.ok(r.span.end <= text.length);
  }
}

describe('hostile and broken input', () => {
  test('an alias bomb is refused with one BC001 at the first alias', GUARD, () => {
    const levels = ['a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]'];
    for (let i = 1; i < 10; i++)
      levels.push(
        `${String.fromCharCode(97 + i)}: &${String.fromCharCode(97 + i)} [${Array(9)
          .fill(`*${String.fromCharCode(96 + i)}`)
          .join(',')}]`,
      );
    const text = `apiVersion: barecount/v1\n${levels.join('\n')}\n`;
    const f = only(lint(text).findings, 'BC001', 'aliases');
    assert.equal(text.slice(f.span.start, f.span.end), '*a');
  });

  test('a 10 MB file gets one finding on its first line and is not parsed', GUARD, () => {
    const text = `apiVersion: barecount/v1\n${'# padding padding padding padding\n'.repeat(320_000)}`;
    assert.ok(text.length > 10_000_000);
    const f = only(lint(text).findings, 'BC001', 'too-large');
    assert.equal(new LineIndex(text).positionAt(f.span.start).line, 0);
    assert.match(f.message, /MB/);
  });

  test('the size limit is configurable', () => {
    const text = readFileSync(join(ROOT, 'examples/orders-daily.barecount.yaml'), 'utf8');
    only(lint(text, { limits: { ...DEFAULT_LIMITS, maxDocumentSize: 100 } }).findings, 'BC001', 'too-large');
  });

  test('binary junk is reported as binary, where the first NUL is', GUARD, () => {
    const bytes = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0x00, 0x00, 0x00, 0x0d, 0x49, 0x48]);
    const text = new TextDecoder().decode(bytes);
    const f = only(lint(text).findings, 'BC001', 'binary');
    assert.ok(f.span.start <= text.indexOf('\u0000'));
  });

  test('deep nesting is refused, not a stack overflow', GUARD, () => {
    const text = `apiVersion: barecount/v1\nspec: ${'['.repeat(100_000)}${']'.repeat(100_000)}\n`;
    only(lint(text).findings, 'BC001', 'too-deep');
  });

  test('wrong types at every level give BC002, never a crash', () => {
    for (const text of [
      '5',
      '- a\n- b',
      'apiVersion: barecount/v1\nkind: Pipeline\nmetadata: []\nspec: 5\n',
      'apiVersion: barecount/v1\nkind: Pipeline\nmetadata: {name: x, owner: y, dataClassification: public, tags: {cost-center: c}}\nspec: { stages: "many" }\n',
      'apiVersion: barecount/v1\nkind: Pipeline\nmetadata: ~\nspec:\n  stages:\n    - 42\n    - [a]\n    - { name: x, runner: [1], connections: {a: 1}, env: [1], dependsOn: x }\n',
    ]) {
      const { findings } = lint(text);
      assert.ok(findings.length > 0, `no finding for ${JSON.stringify(text)}`);
      assert.ok(
        findings.every((f) => f.code === 'BC002'),
        findings.map((f) => `${f.code} ${f.message}`).join('\n'),
      );
      assertInside(text, findings);
    }
  });

  test('empty files, comment-only files and empty documents are fine', () => {
    for (const text of ['', '\n', '# just a comment\n', '---\n---\n']) assert.deepEqual(lint(text).findings, []);
  });

  test('every truncation of the examples lints without throwing, spans inside the text', GUARD, () => {
    for (const name of ['orders-daily.barecount.yaml', 'marketing-sync.barecount.yaml']) {
      const full = readFileSync(join(ROOT, 'examples', name), 'utf8');
      for (let cut = 0; cut <= full.length; cut += 7) {
        const text = full.slice(0, cut);
        assertInside(text, lint(text).findings);
      }
    }
  });

  test('fix-all reaches a fixed point on the examples and the result parses', () => {
    const text = readFileSync(join(ROOT, 'examples/marketing-sync.barecount.yaml'), 'utf8');
    const once = fixAll(text, env());
    assert.ok(once.applied.length > 0);
    assert.ok(lint(once.text).findings.every((f) => f.code !== 'BC001'));
    assert.equal(fixAll(once.text, env()).text, once.text);
  });
});

describe('lines the yaml library must read count as work', () => {
  test('a million blank lines around a tag (the library reads it): one BC001, never a seconds-long parse', GUARD, () => {
    const text = `apiVersion: barecount/v1\nkind: Pipeline\n${'\n'.repeat(1_000_000)}metadata: !!map { name: x }\n`;
    const f = only(lint(text).findings, 'BC001', 'too-many-lines');
    assert.match(f.message, /1000004 lines/);
    assert.equal(f.span.start, 0);
  });

  test('the same layout with fewer lines, and a large regular file, are analysed as usual', GUARD, () => {
    const text = `apiVersion: barecount/v1\nkind: Pipeline\n${'\n'.repeat(50_000)}metadata: !!map { name: x }\n`;
    assert.ok(!lint(text).findings.some((f) => f.messageId === 'too-many-lines'));
    // The fast path reads blank lines itself: a million of them in a regular manifest are fine.
    const regular = `apiVersion: barecount/v1\nkind: Pipeline\n${'\n'.repeat(1_000_000)}metadata: { name: x }\n`;
    assert.ok(!lint(regular).findings.some((f) => f.messageId === 'too-many-lines'));
  });
});

test('a comment line of dashes or brackets is not nesting', GUARD, () => {
  const text = `apiVersion: barecount/v1\nkind: Pipeline\n# ${'- '.repeat(80)}\n  # ${'['.repeat(80)}\nmetadata: { name: x, owner: o, dataClassification: internal }\nspec: { stages: [] }\n`;
  assert.ok(!lint(text).findings.some((f) => f.messageId === 'too-deep'));
});
