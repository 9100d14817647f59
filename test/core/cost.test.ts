import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { DEFAULT_POLICY, loadPolicy, type Policy, type StageCost } from '../../server/src/core';
import { lint } from '../helpers';

// Named rows, figures computed by hand from spec §7 (30 days, 730 hours, default prices).
function stageCost(stage: string, policy: Policy = DEFAULT_POLICY): StageCost {
  const text = `apiVersion: barecount/v1
kind: Pipeline
metadata: { name: p, owner: o, dataClassification: internal, boundaries: [cloud-private], tags: { cost-center: c } }
spec:
  stages:
${stage.replace(/^/gm, '    ')}
`;
  const r = lint(text, { policy });
  const cost = r.documents[0]?.cost;
  assert.ok(cost, 'no cost computed');
  assert.equal(cost.stages.length, 1, `stage not costed: ${JSON.stringify(cost.uncosted)}`);
  return cost.stages[0]!;
}

function checkCost(stage: string, expected: { compute: number; transfer: number }, policy?: Policy): StageCost {
  const c = stageCost(stage, policy);
  assert.ok(Math.abs(c.computeUsd - expected.compute) < 1e-6, `compute ${c.computeUsd} != ${expected.compute}`);
  assert.ok(Math.abs(c.transferUsd - expected.transfer) < 1e-6, `transfer ${c.transferUsd} != ${expected.transfer}`);
  assert.ok(Math.abs(c.monthlyUsd - expected.compute - expected.transfer) < 1e-6);
  return c;
}

describe('cost model (spec §7)', () => {
  test('serverless: runs × (seconds × memoryGb × 0.0000166667 + 0.0000002), public egress', () => {
    checkCost(
      `- { name: s, phase: ingestion, workload: webhook, runner: { class: serverless, size: small, network: public-egress }, estimate: { runsPerDay: 100, durationMinutes: 2, dataGb: 0.5 } }`,
      { compute: 3000 * (120 * 2 * 0.0000166667 + 0.0000002), transfer: 3000 * 0.5 * 0.09 },
    );
  });
  test('container: replicas × 730 × (vcpu × 0.04048 + memoryGb × 0.004445), private VPC', () => {
    checkCost(
      `- { name: s, phase: normalization, workload: medium-transform, runner: { class: container, size: medium, network: private-vpc }, estimate: { runsPerDay: 24, dataGb: 1, replicas: 2 } }`,
      { compute: 170.1192, transfer: 32.4 },
    );
  });
  test('managed ETL: runs × dpu × 0.44 × minutes / 60, PrivateLink', () => {
    checkCost(
      `- { name: s, phase: normalization, workload: heavy-join, runner: { class: managed-etl, size: large, network: privatelink }, estimate: { runsPerDay: 2, durationMinutes: 45, dataGb: 100 } }`,
      { compute: 198, transfer: 60 },
    );
  });
  test('managed ETL bills at least one minute a run', () => {
    checkCost(
      `- { name: s, phase: normalization, workload: heavy-join, runner: { class: managed-etl, size: medium, network: on-premise-agent }, estimate: { runsPerDay: 1, durationMinutes: 0.5, dataGb: 10 } }`,
      { compute: (30 * 4 * 0.44 * 1) / 60, transfer: 0 },
    );
  });
  test('dedicated compute: 730 × (vcpu × 0.048 + memoryGb × 0.006), VPN', () => {
    checkCost(
      `- { name: s, phase: ingestion, workload: bulk-extract, runner: { class: dedicated-compute, size: xlarge, network: vpn }, estimate: { runsPerDay: 1, dataGb: 10 } }`,
      { compute: 1121.28, transfer: 15 },
    );
  });
  test('line items spell out their formula: in JSON output (label, formula, usd) and when read', () => {
    const c = checkCost(
      `- { name: s, phase: ingestion, workload: webhook, runner: { class: serverless, size: small, network: public-egress }, estimate: { runsPerDay: 100, durationMinutes: 2, dataGb: 0.5 } }`,
      { compute: 3000 * (120 * 2 * 0.0000166667 + 0.0000002), transfer: 3000 * 0.5 * 0.09 },
    );
    const [compute, transfer] = c.lineItems;
    assert.equal(compute!.formula, '3000 runs × (120 s × 2 GB × 0.0000166667 + 0.0000002)');
    assert.equal(transfer!.formula, '3000 runs × 0.5 GB × 0.09');
    // A cost report (CLI JSON, the panel) writes every line item whole, in this order.
    assert.equal(
      JSON.stringify(c.lineItems),
      JSON.stringify([
        { label: 'compute (serverless, small)', formula: compute!.formula, usd: c.computeUsd },
        { label: 'transfer (public-egress)', formula: transfer!.formula, usd: c.transferUsd },
      ]),
    );
    assert.deepEqual(Object.keys(compute!), ['label', 'formula', 'usd']);
  });
  test('policy prices override the defaults key by key', () => {
    const { policy } = loadPolicy(
      'apiVersion: barecount/v1\nkind: Policy\nprices: { container: { perVcpuHour: 0.05 }, transferPerGb: { private-vpc: 0.1 } }\n',
    );
    checkCost(
      `- { name: s, phase: normalization, workload: medium-transform, runner: { class: container, size: medium, network: private-vpc }, estimate: { runsPerDay: 1, dataGb: 1 } }`,
      { compute: 730 * (2 * 0.05 + 8 * 0.004445), transfer: 30 * 1 * 0.1 },
      policy,
    );
  });
  test('runs per day come from the cron schedule when the estimate leaves them out', () => {
    const c = checkCost(
      `- { name: s, phase: normalization, workload: heavy-join, runner: { class: managed-etl, size: small, network: private-vpc }, schedule: { cron: "0 */6 * * *" }, estimate: { durationMinutes: 30, dataGb: 0 } }`,
      { compute: (120 * 2 * 0.44 * 30) / 60, transfer: 0 },
    );
    assert.equal(c.inputs.runsPerDay.source, 'schedule');
    assert.deepEqual(c.defaulted, ['runsPerDay']);
  });
  test('documented workload defaults fill a missing estimate, and the estimate says so', () => {
    // webhook defaults: 500 runs a day, 1 minute, 0.01 GB (docs/cost-model.md).
    const c = checkCost(`- { name: s, phase: ingestion, workload: webhook, runner: { class: serverless, size: small, network: public-egress } }`, {
      compute: 15000 * (60 * 2 * 0.0000166667 + 0.0000002),
      transfer: 15000 * 0.01 * 0.09,
    });
    assert.deepEqual(c.defaulted, ['runsPerDay', 'durationMinutes', 'dataGb']);
    assert.equal(c.inputs.durationMinutes.source, 'default');
  });
  test('a stage without a size is reported as not costed, the others still are', () => {
    const text = `apiVersion: barecount/v1
kind: Pipeline
metadata: { name: p, owner: o, dataClassification: internal, tags: { cost-center: c } }
spec:
  stages:
    - { name: a, phase: ingestion, workload: webhook, runner: { class: serverless, network: public-egress } }
    - { name: b, phase: ingestion, workload: webhook, runner: { class: serverless, size: small, network: public-egress } }
`;
    const cost = lint(text).documents[0]!.cost!;
    assert.deepEqual(
      cost.uncosted.map((u) => [u.name, u.reason]),
      [['a', 'no size tier']],
    );
    assert.deepEqual(
      cost.stages.map((s) => s.name),
      ['b'],
    );
  });
});
