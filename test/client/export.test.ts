import assert from 'node:assert/strict';
import { test } from 'node:test';
import { csvCell, toCsv, toMarkdown } from '../../client/src/export';
import { acceptPanelMessage, panelMessage } from '../../client/src/messages';
import type { CostEstimateResult } from '../../server/src/protocol';

// The panel's export and message validation: plain functions, no editor needed.
const stage = (name: string, total: number) => ({
  index: 0,
  name,
  class: 'container',
  size: 'medium',
  network: 'private-vpc',
  computeUsd: total - 1,
  transferUsd: 1,
  monthlyUsd: total,
  inputs: {
    runsPerDay: { value: 1, source: 'declared' as const },
    durationMinutes: { value: 1, source: 'declared' as const },
    dataGb: { value: 1, source: 'default' as const },
    replicas: { value: 1, source: 'default' as const },
  },
  defaulted: ['dataGb' as const, 'replicas' as const],
  lineItems: [],
  recommended: null,
  alternatives: [],
  waived: 0,
  range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } },
});
const est: CostEstimateResult = {
  uri: 'file:///x',
  version: 1,
  policySource: 'built-in',
  policyFallback: false,
  totalUsd: 100.5,
  pipelines: [
    {
      documentIndex: 0,
      name: 'orders',
      monthlyUsd: 100.5,
      budgetUsd: 50,
      budgetSource: 'manifest',
      overBudget: true,
      uncosted: [],
      waived: 0,
      waivers: 0,
      range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } },
      stages: [stage('=HYPERLINK("http://x")', 85.06), stage('a|b,c', 15.44)],
    },
  ],
};

test('CSV: one row per stage and a total, separators quoted, formulas neutralised', () => {
  const lines = toCsv(est).trim().split('\n');
  assert.equal(lines[0], 'pipeline,stage,class,size,network,compute_usd,transfer_usd,total_usd,assumed_inputs');
  assert.equal(lines[1], `orders,"'=HYPERLINK(""http://x"")",container,medium,private-vpc,84.06,1.00,85.06,dataGb replicas`);
  assert.equal(lines[2], 'orders,"a|b,c",container,medium,private-vpc,14.44,1.00,15.44,dataGb replicas');
  assert.equal(lines[3], 'orders,TOTAL,,,,,,100.50,budget 50.00');
});

test('Markdown: a table per pipeline with the over-budget state, pipes escaped', () => {
  const md = toMarkdown(est);
  assert.match(md, /^## orders: \$100\.50 a month of \$50\.00 budget \(over budget\)/);
  assert.match(md, /\| a\\\|b,c \| container \| medium \| private-vpc \| \$14\.44 \| \$1\.00 \| \$15\.44 \| dataGb, replicas \|/);
});

test('messages from the page: valid ones pass, anything else is dropped', () => {
  assert.equal(panelMessage.safeParse({ type: 'apply', documentIndex: 0, stageIndex: 2, class: 'managed-etl', size: 'large', network: 'vpn' }).success, true);
  assert.equal(panelMessage.safeParse({ type: 'setEstimate', documentIndex: 0, stageIndex: 0, estimate: { runsPerDay: 3 } }).success, true);
  for (const bad of [
    null,
    'apply',
    { type: 'apply', documentIndex: 0, stageIndex: 0, class: 'x; rm -rf /', size: 'l', network: 'v' },
    { type: 'apply', documentIndex: -1, stageIndex: 0, class: 'container', size: 'small', network: 'vpn' },
    { type: 'setEstimate', documentIndex: 0, stageIndex: 0, estimate: { runsPerDay: -1 } },
    { type: 'setEstimate', documentIndex: 0, stageIndex: 0, estimate: { script: 'alert(1)' } },
    { type: 'export', format: 'html' },
    { type: 'ready', extra: true },
    { type: 'runCommand', command: 'workbench.action.terminal.new' },
  ]) {
    assert.equal(panelMessage.safeParse(bad).success, false, JSON.stringify(bad));
  }
});

test('a dropped message is logged without its content', () => {
  const lines: string[] = [];
  const hostile = { type: 'apply', documentIndex: 0, stageIndex: 0, class: '<img src=x onerror=alert(1)> AKIAIOSFODNN7EXAMPLE', size: 's', network: 'n' };
  assert.equal(
    acceptPanelMessage(hostile, 'cost', (l) => lines.push(l)),
    undefined,
  );
  assert.equal(lines.length, 1);
  assert.match(lines[0]!, /dropped a message from the cost panel that failed validation \(\d+ issue\(s\)\)/);
  assert.ok(!lines[0]!.includes('img') && !lines[0]!.includes('AKIA'));
  assert.deepEqual(
    acceptPanelMessage({ type: 'ready' }, 'cost', (l) => lines.push(l)),
    { type: 'ready' },
  );
});

test('CSV: formulas after leading spaces and cells holding another locale separator are neutralised', () => {
  assert.equal(csvCell(' =HYPERLINK("http://x")'), `"' =HYPERLINK(""http://x"")"`);
  assert.equal(csvCell('\u00a0+1'), "'\u00a0+1");
  // Opened where ';' separates cells, an unquoted `a;=cmd` would start a formula in its second cell.
  assert.equal(csvCell('a;=cmd|x'), '"a;=cmd|x"');
  assert.equal(csvCell('plain-name'), 'plain-name');
});

test('Markdown: every manifest-derived string is escaped, raw HTML and images included', () => {
  const evil = structuredClone(est);
  const s = evil.pipelines[0]!.stages[0]!;
  s.network = '<img src=x onerror=alert(1)>';
  s.class = '![t](https://attacker.example/p.png)';
  s.name = 'a|b';
  const md = toMarkdown(evil);
  assert.doesNotMatch(md, /(^|[^\\])<img/);
  assert.ok(!md.includes('![t]('), md);
  assert.ok(md.includes('a\\|b'), md);
});
