import assert from 'node:assert/strict';
import { test } from 'node:test';
import { cronRunsPerDay } from '../../server/src/core';
import { CronReader, cronInterval } from '../../server/src/core/cron';

const rows: Array<[string, string, number | string]> = [
  ['daily at 02:00', '0 2 * * *', 1],
  ['every 15 minutes', '*/15 * * * *', 96],
  ['every 6 hours', '0 */6 * * *', 4],
  ['hourly macro', '@hourly', 24],
  ['daily macro', '@daily', 1],
  ['weekdays at 08:30', '30 8 * * mon-fri', 261 / 365],
  ['weekly on Sunday written as 7', '0 0 * * 7', 52 / 365],
  ['first of the month', '0 0 1 * *', 12 / 365],
  ['list and range in hours', '0 8-10,14 * * *', 4],
  ['too few fields', '0 2 * *', 'a cron expression has 5 fields'],
  ['hour out of range', '0 25 * * *', 'not a valid hour'],
  ['backwards range', '0 5-2 * * *', 'runs backwards'],
  ['zero step', '*/0 * * * *', 'step'],
  ['never matches', '0 0 31 2 *', 'never matches'],
];

for (const [name, expr, expected] of rows) {
  test(`cron: ${name}`, () => {
    const r = cronRunsPerDay(expr);
    if (typeof expected === 'number') {
      assert.ok(r.ok, `expected ${expr} to parse`);
      assert.ok(Math.abs(r.runsPerDay - expected) < 1e-9, `${r.runsPerDay} != ${expected}`);
    } else {
      assert.ok(!r.ok, `expected ${expr} to be rejected`);
      assert.match(r.reason, new RegExp(expected));
    }
  });
}

test('a reader that shares fields between the schedules of a document answers as each schedule read alone', () => {
  // Field texts repeat across schedules (`*`, `*/6`, `0`): the reader reads each once and shares the
  // result, which must never carry one schedule's reading into another's.
  const expressions = [
    '0 * * * *',
    '*/6 * * * *',
    '0 */6 * * *',
    '0 0 * * 1-5',
    '0 0 1 * *',
    '*/6 */6 1 * 1-5',
    '0 0 31 2 *',
    '5 4 * * sun',
    '@daily',
    'x * * * *',
    '0 * * * *',
  ];
  const reader = new CronReader();
  for (const e of [...expressions, ...[...expressions].reverse()]) {
    const facts = reader.facts(e);
    assert.deepEqual(facts.runs, cronRunsPerDay(e), e);
    assert.equal(facts.interval, cronInterval(e), e);
  }
});
