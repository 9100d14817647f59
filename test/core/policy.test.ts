import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { DEFAULT_POLICY, LineIndex, loadPolicy, policyCandidates } from '../../server/src/core';

function load(body: string) {
  const text = `apiVersion: barecount/v1\nkind: Policy\n${body}`;
  return { text, ...loadPolicy(text) };
}

describe('policy merging (spec §6)', () => {
  test('an empty policy is the built-in one', () => {
    assert.deepEqual(load('').policy, DEFAULT_POLICY);
  });
  test('lists replace the default list', () => {
    const { policy } = load('allowedClasses: [container]\nrequiredTags: []\n');
    assert.deepEqual(policy.allowedClasses, ['container']);
    assert.deepEqual(policy.requiredTags, []);
    assert.deepEqual(policy.allowedNetworks, DEFAULT_POLICY.allowedNetworks);
  });
  test('maps merge key by key, nested tiers too', () => {
    const { policy, usable } = load(
      'sizes:\n  medium: { vcpu: 4 }\n  huge: { vcpu: 64, memoryGb: 512, dpu: 40 }\nseverity: { BC302: error }\nclassificationNetworks: { restricted: [vpn] }\n',
    );
    assert.equal(usable, true);
    assert.deepEqual(policy.sizes.medium, { vcpu: 4, memoryGb: 8, concurrency: 4, dpu: 4 });
    assert.deepEqual(policy.sizes.huge, { vcpu: 64, memoryGb: 512, dpu: 40 });
    assert.ok(policy.sizes.small);
    assert.deepEqual(policy.severity, { BC101: 'warning', BC302: 'error' });
    assert.deepEqual(policy.classificationNetworks.restricted, ['vpn']);
    assert.deepEqual(policy.classificationNetworks.confidential, DEFAULT_POLICY.classificationNetworks.confidential);
  });
  test('prices merge per class', () => {
    const { policy } = load('prices: { managed-etl: { perDpuHour: 0.5 } }\n');
    assert.equal(policy.prices['managed-etl'].perDpuHour, 0.5);
    assert.deepEqual(policy.prices.container, DEFAULT_POLICY.prices.container);
  });
});

describe('a broken policy gets findings at the right place and falls back', () => {
  const rows: Array<[string, string, string, string]> = [
    ['syntax error', 'allowedClasses: [container\n', 'BC001', 'allowedClasses: [container'],
    ['unknown key, with a suggestion', 'allowedClass: [container]\n', 'BC002', 'allowedClass'],
    ['bad enum value in a list', 'allowedNetworks: [private-vpc, pubic-egress]\n', 'BC002', 'pubic-egress'],
    ['wrong type', 'natEgress: sometimes\n', 'BC002', 'sometimes'],
    ['severity for something that is not a rule code', 'severity: { bc101: off }\n', 'BC002', 'bc101'],
    ['maxSize naming no tier', 'maxSize: { container: jumbo }\n', 'BC002', 'jumbo'],
    ['a new tier without memory', 'sizes: { jumbo: { vcpu: 32 } }\n', 'BC002', 'jumbo'],
  ];
  for (const [name, body, code, at] of rows) {
    test(name, () => {
      const { text, policy, usable, findings } = load(body);
      assert.equal(usable, false);
      assert.deepEqual(policy, DEFAULT_POLICY);
      assert.ok(findings.length > 0);
      const f = findings[0]!;
      assert.equal(f.code, code);
      const lines = new LineIndex(text);
      assert.equal(lines.positionAt(f.span.start).line, 2, `reported on line ${lines.positionAt(f.span.start).line + 1}: ${f.message}`);
      assert.ok(
        text.slice(f.span.start, f.span.end).includes(at) || at.includes(text.slice(f.span.start, f.span.end)),
        `span "${text.slice(f.span.start, f.span.end)}" is not at "${at}"`,
      );
    });
  }
});

test('every error of a broken policy is reported at once, structural and semantic', () => {
  const { findings, usable } = load('bogusKey: 1\nmaxSize: { serverless: huge }\nallowedNetworks: { restricted: [vpn] }\nnatEgress: sometimes\n');
  assert.equal(usable, false);
  const messages = findings.map((f) => f.message).join('\n');
  for (const part of ['bogusKey', 'huge', 'allowedNetworks', 'NAT egress']) assert.ok(messages.includes(part), `${part} not reported in:\n${messages}`);
});

describe('policy discovery order', () => {
  test('nearest folder first, up to the workspace root', () => {
    assert.deepEqual(policyCandidates('/ws/teams/orders/pipe.barecount.yaml', '/ws'), [
      '/ws/teams/orders/barecount.policy.yaml',
      '/ws/teams/barecount.policy.yaml',
      '/ws/barecount.policy.yaml',
    ]);
  });
  test('never above the root: none without a root, none for a manifest outside it, however it is spelt', () => {
    assert.deepEqual(policyCandidates('/a/b.yaml', undefined), []);
    assert.deepEqual(policyCandidates('/elsewhere/b.yaml', '/ws'), []);
    assert.deepEqual(policyCandidates('/ws-other/b.yaml', '/ws'), []);
    assert.deepEqual(policyCandidates('/ws/../etc/b.yaml', '/ws'), []);
    assert.deepEqual(policyCandidates('/ws/a/./../b.yaml', '/ws/'), ['/ws/barecount.policy.yaml']);
    assert.deepEqual(policyCandidates('/a/b.yaml', '/'), ['/a/barecount.policy.yaml', '/barecount.policy.yaml']);
  });
  test('Windows separators are understood', () => {
    assert.deepEqual(policyCandidates('C:\\ws\\x\\p.yaml', 'C:\\ws'), ['C:/ws/x/barecount.policy.yaml', 'C:/ws/barecount.policy.yaml']);
  });
});
