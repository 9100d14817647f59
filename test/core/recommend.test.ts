import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import {
  applyEdits,
  candidates,
  candidatesFor,
  changesLabel,
  loadPolicy,
  passingRunners,
  runnerLabel,
  type Analysis,
  type CandidateMemo,
  type Policy,
} from '../../server/src/core';
import { generateCorpusManifest } from '../../bench/corpus';
import { recommendedRunnerFixes } from '../../server/src/core/rules/helpers';
import { ROOT, lint } from '../helpers';

/** The findings that mean "this stage's runner fails a check" (spec §5.1, checks 1 to 6). */
const RUNNER_CODES = new Set(['BC101', 'BC102', 'BC104', 'BC202', 'BC204', 'BC205', 'BC301', 'BC303']);
const RUNS = Number(process.env.FUZZ_RUNS ?? 300);
const SEED = Number(process.env.FUZZ_SEED ?? 20261130);

const EXAMPLE_POLICY = loadPolicy(readFileSync(join(ROOT, 'examples/barecount.policy.yaml'), 'utf8')).policy;

function manifest(classification: string, stages: string[], boundaries = 'public-internet, cloud-private, partner-network, on-premise'): string {
  return [
    'apiVersion: barecount/v1',
    'kind: Pipeline',
    'metadata:',
    '  name: p',
    '  owner: o',
    `  dataClassification: ${classification}`,
    `  boundaries: [${boundaries}]`,
    '  tags: { cost-center: c, team: t }',
    'spec:',
    '  stages:',
    ...stages,
    '',
  ].join('\n');
}

/** The recommended runner of the first stage, as "class · size · network (changes …)". */
function recommendation(text: string, policy?: Policy): string {
  const v = lint(text, policy ? { policy } : {}).documents[0]!.verdicts[0]!;
  if (v.recommended === undefined) return 'not eligible';
  if (v.recommended === null) return `none: ${v.noRunner!.summary}`;
  return `${runnerLabel(v.recommended)} (${changesLabel(v.recommended.changes)})`;
}

describe('the recommended runner (spec §5.1), named rows', () => {
  const rows: Array<[string, string, string, Policy?]> = [
    [
      'a justified stage that passes every check keeps its runner, size included',
      manifest('confidential', [
        '    - name: extract-orders',
        '      phase: ingestion',
        '      workload: bulk-extract',
        '      runner: { class: dedicated-compute, size: large, network: vpn, justification: needs the vendor ODBC driver }',
        '      connections: [{ name: erp, kind: odbc, location: on-premise, direction: read }]',
      ]),
      'dedicated-compute · large · vpn (no change)',
    ],
    [
      'one fix changes class, size and network together',
      manifest('confidential', [
        '    - name: poll',
        '      phase: ingestion',
        '      workload: api-poll',
        '      runner: { class: serverless, size: xlarge, network: public-egress }',
        '      connections: [{ name: api, kind: http-api, location: public-internet, direction: read }]',
        '      estimate: { durationMinutes: 20 }',
      ]),
      'container · large · private-vpc (changes class, size and network)',
      EXAMPLE_POLICY,
    ],
    [
      'no allowed network reaches both connections: none, and the reason names them',
      manifest('restricted', [
        '    - name: pull-campaigns',
        '      phase: ingestion',
        '      workload: api-poll',
        '      runner: { class: serverless, size: xlarge, network: public-egress }',
        '      connections:',
        '        - { name: ads-api, kind: http-api, location: public-internet, direction: read }',
        '        - { name: crm, kind: jdbc, location: partner-network, direction: read }',
      ]),
      'none: No network allowed for restricted data (privatelink, vpn, on-premise-agent) reaches both "ads-api" at public-internet and "crm" at partner-network.',
      EXAMPLE_POLICY,
    ],
    [
      'a missing size gets the smallest tier that passes',
      manifest('internal', [
        '    - name: t',
        '      phase: normalization',
        '      workload: medium-transform',
        '      runner: { class: container, network: private-vpc }',
      ]),
      'container · small · private-vpc (changes size)',
    ],
    [
      'the larger size not above the declared one: xlarge becomes the largest the class allows',
      manifest('internal', [
        '    - name: t',
        '      phase: normalization',
        '      workload: medium-transform',
        '      runner: { class: container, size: xlarge, network: private-vpc }',
      ]),
      'container · large · private-vpc (changes size)',
      EXAMPLE_POLICY,
    ],
    [
      'ties go to the earlier typical network',
      manifest('internal', [
        '    - name: j',
        '      phase: normalization',
        '      workload: heavy-join',
        '      runner: { class: managed-etl, size: large, network: vpn }',
        '      connections: [{ name: lake, kind: object-store, location: cloud-private, direction: read }]',
      ]),
      'managed-etl · large · private-vpc (changes network)',
    ],
    [
      'a waiver of BC102 above the stage lets it keep its network',
      manifest('internal', [
        '    # barecount-ignore BC102: the lake is only reachable over the VPN',
        '    - name: j',
        '      phase: normalization',
        '      workload: heavy-join',
        '      runner: { class: managed-etl, size: large, network: vpn }',
        '      connections: [{ name: lake, kind: object-store, location: cloud-private, direction: read }]',
      ]),
      'managed-etl · large · vpn (no change)',
    ],
    [
      'a waiver of BC204 above the network line waives that check',
      manifest('restricted', [
        '    - name: j',
        '      phase: normalization',
        '      workload: heavy-join',
        '      runner:',
        '        class: managed-etl',
        '        size: large',
        '        # barecount-ignore BC204: approved exception SEC-42',
        '        network: private-vpc',
      ]),
      'managed-etl · large · private-vpc (no change)',
    ],
    [
      'a waiver of BC204 above another line of the stage silences nothing there, and waives nothing',
      manifest('restricted', [
        '    - name: j',
        '      phase: normalization',
        '      workload: heavy-join',
        '      runner: { class: managed-etl, size: large, network: private-vpc }',
        '      connections:',
        '        # barecount-ignore BC204: placed on the wrong line',
        '        - { name: lake, kind: object-store, location: cloud-private, direction: read }',
      ]),
      'managed-etl · large · privatelink (changes network)',
    ],
    [
      'an expired waiver waives nothing',
      manifest('restricted', [
        '    # barecount-ignore BC204 until 2026-05-31: exception expired the day before the tests run',
        '    - name: j',
        '      phase: normalization',
        '      workload: heavy-join',
        '      runner: { class: managed-etl, size: large, network: private-vpc }',
      ]),
      'managed-etl · large · privatelink (changes network)',
    ],
    [
      'a waiver holds through its until day',
      manifest('restricted', [
        '    # barecount-ignore BC204 until 2026-06-01: exception ends today',
        '    - name: j',
        '      phase: normalization',
        '      workload: heavy-join',
        '      runner: { class: managed-etl, size: large, network: private-vpc }',
      ]),
      'managed-etl · large · private-vpc (no change)',
    ],
    [
      'a size that names an inherited property of an object is no tier',
      manifest('internal', [
        '    - name: t',
        '      phase: normalization',
        '      workload: medium-transform',
        '      runner: { class: container, size: constructor, network: private-vpc }',
      ]),
      'not eligible',
    ],
    [
      'the policy allows only serverless and the stage runs too long: ask for another class',
      manifest('internal', [
        '    - name: j',
        '      phase: normalization',
        '      workload: heavy-join',
        '      runner: { class: serverless, size: small, network: private-vpc, justification: only serverless is allowed here }',
        '      estimate: { durationMinutes: 45 }',
      ]),
      'none: The policy allows only serverless, but the stage runs 45 minutes and serverless runs stop after 15.',
      loadPolicy('apiVersion: barecount/v1\nkind: Policy\nallowedClasses: [serverless]\n').policy,
    ],
    [
      'a schema error in the workload: no recommendation until it is fixed',
      manifest('internal', [
        '    - name: j',
        '      phase: normalization',
        '      workload: heavy-joins',
        '      runner: { class: managed-etl, size: large, network: vpn }',
      ]),
      'not eligible',
    ],
    [
      'serverless by the matrix, but the stage runs too long: none, and what a justification would allow',
      manifest('internal', [
        '    - name: hook',
        '      phase: ingestion',
        '      workload: webhook',
        '      runner: { class: serverless, size: small, network: public-egress }',
        '      estimate: { durationMinutes: 30 }',
      ]),
      'none: The selection matrix recommends serverless, but the stage runs 30 minutes and serverless runs stop after 15.',
    ],
  ];
  for (const [name, text, expected, policy] of rows) test(name, () => assert.equal(recommendation(text, policy), expected));

  test('the findings a waiver silences and the checks it waives are the same', () => {
    const text = manifest('restricted', [
      '    - name: j',
      '      phase: normalization',
      '      workload: heavy-join',
      '      runner: { class: managed-etl, size: large, network: private-vpc }',
      '      connections:',
      '        # barecount-ignore BC204: placed on the wrong line',
      '        - { name: lake, kind: object-store, location: cloud-private, direction: read }',
    ]);
    const a = lint(text);
    assert.ok(
      a.findings.some((f) => f.code === 'BC204'),
      'BC204 is still reported',
    );
    assert.ok(a.findings.find((f) => f.code === 'BC204')!.fixes.some((f) => f.decides === 'recommended-runner'));
  });

  test('a stage or connection named like a credential is not repeated in the runner findings', () => {
    const token = 'ghp_AAAABBBBCCCCDDDDEEEEFFFFGGGGHHHH1234';
    const text = manifest('restricted', [
      `    - name: ${token}`,
      '      phase: ingestion',
      '      workload: api-poll',
      '      runner: { class: serverless, size: xlarge, network: public-egress }',
      `      connections: [{ name: ${token}x, kind: http-api, location: public-internet, direction: read }, { name: crm, kind: jdbc, location: partner-network, direction: read }]`,
    ]);
    const findings = lint(text).findings.filter((f) => /^BC(10[1-4]|20[2-5]|30[1-4])$/.test(f.code));
    assert.ok(findings.length >= 4);
    for (const f of findings) assert.ok(!f.message.includes(token), `${f.code}: ${f.message}`);
  });

  test('"until" must be a date: otherwise BC003, and the comment silences nothing', () => {
    const text = manifest('restricted', [
      '    # barecount-ignore BC204 until next quarter: vendor adds PrivateLink',
      '    - name: j',
      '      phase: normalization',
      '      workload: heavy-join',
      '      runner: { class: managed-etl, size: large, network: private-vpc }',
    ]);
    const codes = lint(text).findings.map((f) => `${f.code}:${f.messageId}`);
    assert.ok(codes.includes('BC003:badUntil'), codes.join(' '));
    assert.ok(codes.includes('BC204:notAllowed'), codes.join(' '));
    assert.ok(!codes.includes('BC003:unknownCode'), 'until and its words are not taken for rule codes');
  });

  test('following the matrix is never reported as too expensive (BC304)', () => {
    for (const size of ['medium', 'large', 'xlarge']) {
      const text = manifest('internal', [
        '    - name: extract',
        '      phase: ingestion',
        '      workload: bulk-extract',
        `      runner: { class: dedicated-compute, size: ${size}, network: vpn }`,
        '      connections: [{ name: erp, kind: odbc, location: on-premise, direction: read }]',
      ]);
      assert.deepEqual(
        lint(text).findings.map((f) => f.code),
        [],
        size,
      );
    }
  });
});

// ---- the property: applying each stage's recommended runner leaves it clean, and is a fixed point ----

const CLASSES = ['serverless', 'container', 'managed-etl', 'dedicated-compute'];
const NETWORKS = ['public-egress', 'private-vpc', 'privatelink', 'vpn', 'on-premise-agent'];
const LOCATIONS = ['public-internet', 'cloud-private', 'partner-network', 'on-premise'];
const SIZES = ['small', 'medium', 'large', 'xlarge'];
const ROWS = [
  ['ingestion', 'webhook'],
  ['ingestion', 'small-batch'],
  ['ingestion', 'api-poll'],
  ['ingestion', 'bulk-extract'],
  ['normalization', 'medium-transform'],
  ['normalization', 'heavy-join'],
  ['kpi-materialization', 'tested-compute'],
  ['kpi-materialization', 'window-backfill'],
  ['publish', 'api-push'],
  ['publish', 'file-export'],
  ['orchestration', 'control-task'],
  // Not in the matrix: check 6 does not apply.
  ['publish', 'medium-transform'],
];

const opt = <T>(a: fc.Arbitrary<T>) => fc.option(a, { nil: undefined });

const stageArb = fc.record({
  row: fc.constantFrom(...ROWS),
  cls: opt(fc.constantFrom(...CLASSES)),
  size: opt(fc.constantFrom(...SIZES)),
  network: opt(fc.constantFrom(...NETWORKS)),
  flow: fc.boolean(),
  justified: fc.boolean(),
  duration: opt(fc.constantFrom(1, 10, 15, 16, 45)),
  connections: fc.array(fc.record({ location: fc.constantFrom(...LOCATIONS), privateLink: fc.boolean() }), { maxLength: 3 }),
  ignore: opt(fc.constantFrom('BC101', 'BC102', 'BC202', 'BC204', 'BC205', 'BC301', 'BC303')),
  // Above the stage, or above one of its lines (where it silences only what is reported there).
  ignoreAbove: fc.constantFrom('stage', 'class', 'size', 'network', 'connection'),
});

const policyArb = fc.record({
  classes: fc.subarray(CLASSES, { minLength: 1 }),
  networks: fc.subarray(NETWORKS, { minLength: 1 }),
  natEgress: fc.boolean(),
  maxContainer: fc.constantFrom(...SIZES),
  restricted: fc.subarray(NETWORKS),
});

type GenStage = typeof stageArb extends fc.Arbitrary<infer T> ? T : never;

function stageText(s: GenStage, i: number): string[] {
  const runner = [
    s.cls && `class: ${s.cls}`,
    s.size && `size: ${s.size}`,
    s.network && `network: ${s.network}`,
    s.justified && 'justification: reviewed',
  ].filter(Boolean) as string[];
  const out = [
    ...(s.ignore ? [`    # barecount-ignore ${s.ignore}: accepted for the test`] : []),
    `    - name: s${i}`,
    `      phase: ${s.row[0]}`,
    `      workload: ${s.row[1]}`,
  ];
  if (runner.length) out.push(...(s.flow ? [`      runner: { ${runner.join(', ')} }`] : ['      runner:', ...runner.map((r) => `        ${r}`)]));
  if (s.connections.length) {
    out.push('      connections:');
    s.connections.forEach((c, j) =>
      out.push(`        - { name: c${j}, kind: http-api, location: ${c.location}, direction: read, privateLink: ${c.privateLink} }`),
    );
  }
  if (s.duration !== undefined) out.push(`      estimate: { durationMinutes: ${s.duration} }`);
  return out;
}

function runnerFindingsOf(a: Analysis, stageIndex: number): string[] {
  const d = a.documents[0]!;
  const v = d.verdicts.find((x) => x.stage.index === stageIndex)!;
  const r = v.stage.node.range!;
  return a.findings.filter((f) => RUNNER_CODES.has(f.code) && f.span.start >= r[0] && f.span.start <= r[1]).map((f) => `${f.code}: ${f.message}`);
}

describe('the recommended runner, over generated manifests and policies', () => {
  test('applied, it leaves its stage clean of runner findings and is recommended again unchanged; every runner fix of a stage is that one', () => {
    fc.assert(
      fc.property(
        fc.array(stageArb, { minLength: 1, maxLength: 4 }),
        policyArb,
        fc.constantFrom('public', 'internal', 'confidential', 'restricted'),
        (stages, p, classification) => {
          const policyText = [
            'apiVersion: barecount/v1',
            'kind: Policy',
            `allowedClasses: [${p.classes.join(', ')}]`,
            `allowedNetworks: [${p.networks.join(', ')}]`,
            `natEgress: ${p.natEgress}`,
            `maxSize: { container: ${p.maxContainer} }`,
            `classificationNetworks: { restricted: [${p.restricted.join(', ')}] }`,
            '',
          ].join('\n');
          const loaded = loadPolicy(policyText);
          assert.ok(loaded.usable, loaded.findings.map((f) => f.message).join('; '));
          const policy = loaded.policy;
          const text = manifest(
            classification,
            stages.flatMap((s, i) => stageText(s, i)),
          );
          const before = lint(text, { policy });
          const verdicts = before.documents[0]!.verdicts;
          // No two findings of one stage advise different runners.
          for (const v of verdicts) {
            const r = v.stage.node.range!;
            const runnerFixes = before.findings
              .filter((f) => f.span.start >= r[0] && f.span.start <= r[1])
              .flatMap((f) => f.fixes.filter((x) => x.decides === 'recommended-runner'))
              .map((x) => JSON.stringify(x.edits));
            assert.ok(new Set(runnerFixes).size <= 1, `stage ${v.stage.index} has different runner fixes`);
          }
          const edits = verdicts.flatMap((v) => recommendedRunnerFixes(text, v).flatMap((f) => f.edits));
          const after = lint(applyEdits(text, edits), { policy });
          assert.ok(!after.findings.some((f) => f.code === 'BC001'), 'the runner edits broke the YAML');
          for (const v of verdicts) {
            if (!v.recommended) continue;
            assert.deepEqual(
              runnerFindingsOf(after, v.stage.index),
              [],
              `stage ${v.stage.index} after ${runnerLabel(v.recommended)}:\n${applyEdits(text, edits)}`,
            );
            const again = after.documents[0]!.verdicts.find((x) => x.stage.index === v.stage.index)!.recommended;
            assert.ok(again, 'no recommendation after applying it');
            assert.deepEqual([again.class, again.size, again.network, again.changes], [v.recommended.class, v.recommended.size, v.recommended.network, []]);
          }
        },
      ),
      { numRuns: RUNS, seed: SEED },
    );
  });
});

// The recommendation as spec §5.1 states it, spelt out the slow way: every passing runner, sorted by
// the criteria in order, then by cost. The engine scores without sorting; both must agree.
test('the recommended and the cheaper runner equal the spec’s ordering over every passing runner', () => {
  let compared = 0;
  for (const seed of [1, 2, 3]) {
    const text = generateCorpusManifest({ stages: 120, seed, dirty: true, unusual: false });
    for (const v of lint(text).documents[0]!.verdicts) {
      if (!v.eligible) continue;
      const { fit, declared } = v;
      const all = passingRunners(fit, v.usage);
      const tiers = fit.tiers;
      const dt = declared.size === undefined ? -1 : tiers.indexOf(declared.size);
      const typical = fit.row?.networks ?? [];
      const key = (r: (typeof all)[number]) => [
        (r.class !== declared.class ? 1 : 0) + (r.size !== declared.size ? 1 : 0) + (r.network !== declared.network ? 1 : 0),
        fit.row && r.class === fit.row.class ? 0 : 1,
        typical.includes(r.network) ? typical.indexOf(r.network) : typical.length,
        dt === -1 ? 0 : tiers.indexOf(r.size) <= dt ? dt - tiers.indexOf(r.size) : tiers.length + tiers.indexOf(r.size),
      ];
      const lexical = (a: number[], b: number[]) => a.findIndex((x, i) => x !== b[i]);
      // Stable: runners equal on every criterion stay cheapest first.
      const expected = [...all].sort((a, b) => {
        const ka = key(a);
        const kb = key(b);
        const i = lexical(ka, kb);
        return i === -1 ? 0 : ka[i]! - kb[i]!;
      })[0];
      const label = (r: { class: string; size: string; network: string } | null | undefined) => (r ? `${r.class} ${r.size} ${r.network}` : String(r));
      assert.equal(label(v.recommended), label(expected ?? null), `stage ${v.stage.name?.value}`);
      if (v.cost && v.passes) {
        const cheapest = all.filter((r) => r.size === v.cost!.size)[0];
        const expectCheaper = cheapest && cheapest.monthlyUsd <= v.cost.monthlyUsd * 0.6 ? cheapest : undefined;
        assert.equal(label(v.cheaper?.runner), label(expectCheaper), `stage ${v.stage.name?.value}: cheaper`);
      }
      compared++;
    }
  }
  assert.ok(compared > 300, `${compared} stages compared`);
});

test('stages that share candidate runners in an analysis get exactly the ones they would alone', () => {
  // Pairs of stages that differ in one thing the checks read: PrivateLink to a public endpoint,
  // a duration over the serverless limit, a waiver, a justification, the matrix row, a location.
  const stage = (name: string, extra: { conn?: string; minutes?: number; ignore?: string; justified?: boolean; workload?: string }) => [
    ...(extra.ignore ? [`    # barecount-ignore ${extra.ignore}: reviewed`] : []),
    `    - name: ${name}`,
    '      phase: publish',
    `      workload: ${extra.workload ?? 'api-push'}`,
    `      runner: { class: container, size: medium, network: private-vpc${extra.justified ? ', justification: vendor limits' : ''} }`,
    `      connections: [${extra.conn ?? '{ name: api, kind: http-api, location: public-internet, direction: write }'}]`,
    `      estimate: { durationMinutes: ${extra.minutes ?? 10}, runsPerDay: 2 }`,
  ];
  const text = manifest('internal', [
    ...stage('plain', {}),
    ...stage('privatelink', { conn: '{ name: api, kind: http-api, location: public-internet, direction: write, privateLink: true }' }),
    ...stage('long', { minutes: 40 }),
    ...stage('waived', { ignore: 'BC102' }),
    ...stage('justified', { justified: true }),
    ...stage('other-row', { workload: 'file-export' }),
    ...stage('partner', { conn: '{ name: api, kind: http-api, location: partner-network, direction: write }' }),
    ...stage('again', {}),
  ]);
  for (const policy of [undefined, EXAMPLE_POLICY]) {
    const memo: CandidateMemo = new Map();
    const verdicts = lint(text, policy ? { policy } : {}).documents[0]!.verdicts;
    assert.equal(verdicts.length, 8);
    const lists = verdicts.map((v) => {
      const alone = candidates(v.fit);
      assert.deepEqual(candidatesFor(v.fit, memo), alone, `stage ${v.stage.name?.value}`);
      return alone.map(runnerLabel).join('; ');
    });
    // The pairs do differ (or the test would not test the key): each of the first seven stages
    // asks something no stage before it asked, and the last asks what the first did.
    // The last stage asks what the first asked, and gets it from the memo; the stages that differ
    // from the first in what the checks read get other runners (so the test tells keys apart).
    assert.ok(memo.size < verdicts.length);
    assert.equal(lists[7], lists[0]);
    for (const i of [1, 2, 4, 6]) assert.notEqual(lists[i], lists[0], `${verdicts[i]!.stage.name?.value}: ${lists[i]}`);
  }
});
