import assert from 'node:assert/strict';
import { test } from 'node:test';
import { toFinding } from '../../server/src/core/findings';
import { RULES } from '../../server/src/core/rules/registry';
import { formatMessage } from '../../server/src/core/rules/rule';

const span = { start: 0, end: 1 };

/** Every placeholder name of a template. */
function names(template: string): string[] {
  return [...template.matchAll(/\{(\w+)\}/g)].map((m) => m[1]!);
}

test('every message of every rule reads the same from its cut template as from its text, however often it is formatted', () => {
  let checked = 0;
  for (const rule of RULES) {
    for (const [id, template] of Object.entries(rule.meta.messages)) {
      // Data for every placeholder, with a control character (from the file) in one value.
      const data: Record<string, string | number> = {};
      names(template).forEach((n, i) => (data[n] = i === 0 ? `v\u0007${n}` : i));
      const want = formatMessage(template, data);
      assert.ok(!want.includes('\u0007'), `${rule.meta.code}.${id}: a control character reached the message`);
      for (let round = 0; round < 3; round++) {
        assert.equal(toFinding(rule.meta, { messageId: id, data, span }, 'warning', 0).message, want, `${rule.meta.code}.${id}, round ${round}`);
      }
      // A placeholder the report gave no data for stays as written.
      if (names(template).length > 0) assert.equal(toFinding(rule.meta, { messageId: id, span }, 'warning', 0).message, template);
      checked++;
    }
  }
  assert.ok(checked > 40, `only ${checked} messages`);
});

test('a message id no rule defines is its own message', () => {
  const meta = RULES[0]!.meta;
  assert.equal(toFinding(meta, { messageId: 'Nothing {here}', data: { here: 'x' }, span }, 'warning', 0).message, 'Nothing x');
});
