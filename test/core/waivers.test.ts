import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import fc from 'fast-check';
import { AnalysisCache, addDays, cronInterval, cronRunsPerDay, daysBetween, hover, loadPolicy, waiverInfo, type Analysis } from '../../server/src/core';
import { TODAY, lint } from '../helpers';

// Waivers (spec §5.3): comments and policy entries silence findings until their date, are listed
// with who waived what and why, and are reported when they end (BC004) or silence nothing (BC005).

const HEAD = `apiVersion: barecount/v1
kind: Pipeline
metadata:
  name: marketing-sync
  owner: data-platform
  dataClassification: internal
  boundaries: [cloud-private, public-internet, on-premise]
  tags: { cost-center: fin-ops }
spec:
  stages:
`;
/** A stage the matrix wants on container: on serverless it is BC101 (info). */
const POLL = (name: string) => `    - name: ${name}
      phase: ingestion
      workload: api-poll
      runner: { class: serverless, size: small, network: private-vpc }
      connections:
        - { name: crm, kind: http-api, location: public-internet, direction: read }
`;

function policyWith(waivers: string, check = {}) {
  const text = `apiVersion: barecount/v1\nkind: Policy\nwaivers:\n${waivers}`;
  return { text, ...loadPolicy(text, undefined, { today: TODAY, ...check }) };
}

const codes = (a: Analysis) => a.findings.map((f) => f.code);

describe('policy waivers', () => {
  const manifest = HEAD + POLL('pull-campaigns') + POLL('pull-leads');
  test('a stage waiver silences that stage only, and is listed with its owner, reason and date', () => {
    const { policy, usable, findings } = policyWith(
      '  - { rule: BC101, pipeline: marketing-sync, stage: pull-campaigns, owner: security-team, reason: vendor SDK, until: 2026-12-31 }\n',
    );
    assert.equal(usable, true);
    assert.deepEqual(findings, []);
    const a = lint(manifest, { policy });
    assert.deepEqual(codes(a), ['BC101']);
    assert.match(a.findings[0]!.message, /pull-leads/);
    assert.equal(a.waived.length, 1);
    const w = a.waived[0]!;
    assert.equal(w.finding.code, 'BC101');
    assert.match(w.finding.message, /pull-campaigns/);
    assert.deepEqual(w.waiver.policy?.owner, 'security-team');
    assert.equal(w.waiver.until, '2026-12-31');
  });
  test('a waiver without a stage covers the whole pipeline; another pipeline is not covered', () => {
    const { policy } = policyWith('  - { rule: BC101, pipeline: marketing-sync, owner: sec, reason: r, until: 2026-12-31 }\n');
    assert.deepEqual(codes(lint(manifest, { policy })), []);
    assert.equal(lint(manifest, { policy }).waived.length, 2);
    assert.deepEqual(codes(lint(manifest.replace('name: marketing-sync', 'name: other'), { policy })), ['BC101', 'BC101']);
  });
  test('past its date it waives nothing: BC004 in the policy at its until value, the finding back in the manifest', () => {
    const { policy, usable, findings, text } = policyWith('  - { rule: BC101, pipeline: marketing-sync, owner: sec, reason: r, until: 2026-05-31 }\n');
    // A policy whose only findings are BC004 still governs.
    assert.equal(usable, true);
    assert.deepEqual(
      findings.map((f) => [f.code, text.slice(f.span.start, f.span.end)]),
      [['BC004', '2026-05-31']],
    );
    assert.match(findings[0]!.message, /ended on 2026-05-31/);
    const a = lint(manifest, { policy });
    assert.deepEqual(codes(a), ['BC101', 'BC101']);
    assert.equal(a.waived.length, 0);
  });
  test('an unknown rule code and a near miss of a pipeline name get "did you mean"', () => {
    const { findings, usable } = policyWith('  - { rule: BC10l, pipeline: marketing-synk, owner: sec, reason: r, until: 2026-12-31 }\n', {
      knownPipelines: ['marketing-sync', 'orders-daily'],
    });
    // BC10l is not a code at all (the schema's pattern); BC109 is a code that does not exist.
    assert.equal(usable, false);
    assert.ok(findings.some((f) => f.code === 'BC002'));
    const second = policyWith('  - { rule: BC109, pipeline: marketing-synk, owner: sec, reason: r, until: 2026-12-31 }\n', {
      knownPipelines: ['marketing-sync', 'orders-daily'],
    });
    assert.equal(second.usable, true);
    assert.deepEqual(
      second.findings.map((f) => f.code),
      ['BC003', 'BC003'],
    );
    assert.match(second.findings[0]!.message, /not a BareCount rule code.*Did you mean BC10\d\?/);
    assert.match(second.findings[1]!.message, /did you mean "marketing-sync"/);
    assert.equal(second.findings[1]!.fixes[0]!.safety, 'suggestion');
  });
});

describe('ignore comments that end, and ones that silence nothing', () => {
  test('until today it waives; the day after it is BC004 and the finding is back', () => {
    const text = (until: string) => HEAD + `    # barecount-ignore BC101 until ${until}: vendor SDK\n` + POLL('pull');
    assert.deepEqual(codes(lint(text(TODAY))), []);
    assert.deepEqual(codes(lint(text(addDays(TODAY, -1)))), ['BC004', 'BC101']);
  });
  test('an expired comment is BC004 only, never also BC005', () => {
    const text = HEAD + `    # barecount-ignore BC102 until ${addDays(TODAY, -3)}: old\n` + POLL('pull').replace('serverless', 'container');
    assert.deepEqual(codes(lint(text)), ['BC004']);
  });
  test('BC005 knows a comment is used when the stage it silences is kept from an earlier analysis', () => {
    const text = HEAD + `    # barecount-ignore BC101: vendor SDK\n` + POLL('pull') + POLL('other').replace('serverless', 'container');
    const cache = new AnalysisCache();
    assert.deepEqual(codes(lint(text, {}, cache)), []);
    // An edit in the other stage: the first is kept, its waived finding with it.
    const edited = text.replace('name: other', 'name: otherx');
    const again = lint(edited, {}, cache);
    assert.ok(cache.lastReused >= 1, 'the first stage was not kept');
    assert.deepEqual(codes(again), []);
    assert.equal(again.waived.length, 1);
  });
  test('a comment over a stage with a schema error is not judged unused: its rule may not have run', () => {
    // A workload being retyped: no matrix row, so BC101 cannot be evaluated; the waiver must stay.
    const text = HEAD + `    # barecount-ignore BC101: vendor SDK\n` + POLL('pull').replace('workload: api-poll', 'workload: api-pol');
    const found = codes(lint(text));
    assert.ok(found.includes('BC002'), found.join(', '));
    assert.ok(!found.includes('BC005'), found.join(', '));
  });
  test('no BC005 while a typo elsewhere may hide the finding a comment waives (fix-all must not drop it)', () => {
    // A misspelt dependency (BC502) or a misspelt value in another stage (BC002): both are typos
    // --fix corrects; the comment is judged once they are gone.
    const text =
      HEAD +
      `    # barecount-ignore BC101: vendor SDK\n` +
      POLL('pull').replace('serverless', 'container') +
      POLL('other').replace('size: small', 'size: smalk');
    const found = codes(lint(text));
    assert.ok(found.includes('BC002') && !found.includes('BC005'), found.join(', '));
    const fixed = text.replace('size: smalk', 'size: small');
    assert.ok(codes(lint(fixed)).includes('BC005'));
  });
  test('stacked comments over one stage are all used; the longest-lasting one is named', () => {
    const text =
      HEAD +
      `    # barecount-ignore BC101: permanent exception\n    # barecount-ignore BC101 until ${addDays(TODAY, 20)}: also tracked in JIRA-12\n` +
      POLL('pull');
    const a = lint(text);
    assert.deepEqual(codes(a), []);
    assert.equal(a.waived[0]!.waiver.reason, 'permanent exception');
  });
  test('the BC005 fix removes the comment line and nothing else', () => {
    const text = HEAD + `    # barecount-ignore BC101: vendor SDK\n` + POLL('pull').replace('serverless', 'container');
    const f = lint(text).findings.find((x) => x.code === 'BC005')!;
    assert.equal(f.fixes[0]!.safety, 'safe');
    const e = f.fixes[0]!.edits[0]!;
    assert.equal(text.slice(0, e.start) + e.newText + text.slice(e.end), HEAD + POLL('pull').replace('serverless', 'container'));
  });
});

describe('what a policy waiver says is masked where it is shown', () => {
  test('a credential-shaped token in a policy waiver\u2019s reason or owner never reaches an output', () => {
    const token = 'ghp_' + 'abcdefghijklmnopqrstuvwxyz0123456789';
    const { policy } = policyWith(`  - { rule: BC101, pipeline: marketing-sync, owner: "bot ${token}", reason: "see ${token}", until: 2026-12-31 }\n`);
    const a = lint(HEAD + POLL('pull'), { policy });
    const info = waiverInfo(a.waived[0]!.waiver);
    assert.ok(!info.reason.includes(token) && !info.owner!.includes(token), JSON.stringify(info));
    const h = hover({
      text: a.text,
      offset: a.text.indexOf('name: pull') + 7,
      kind: 'manifest',
      doc: a.file.documents[0]!.doc,
      document: a.documents[0]!,
      policy,
      today: TODAY,
    });
    assert.ok(h && !h.markdown.includes(token.slice(4)), h?.markdown);
  });
});

describe('dates and intervals', () => {
  test('addDays and daysBetween agree with the calendar', () => {
    fc.assert(
      fc.property(fc.integer({ min: -400_000, max: 400_000 }), fc.integer({ min: -2000, max: 2000 }), (day, n) => {
        const iso = (d: number) => new Date(d * 86_400_000).toISOString().slice(0, 10);
        assert.equal(addDays(iso(day), n), iso(day + n));
        assert.equal(daysBetween(iso(day), iso(day + n)), n);
      }),
    );
  });
  test('cron intervals: the shortest gap between two runs, wrap-around included', () => {
    assert.equal(cronInterval('0,10 * * * *'), 10);
    assert.equal(cronInterval('*/15 9-17 * * 1-5'), 15);
    assert.equal(cronInterval('0 2 * * *'), 1440);
    assert.equal(cronInterval('0 22,2 * * *'), 240);
    assert.equal(cronInterval('0 2 * * 1'), 7 * 1440);
    assert.equal(cronInterval('@hourly'), 60);
    assert.equal(cronInterval('not a cron'), undefined);
    // `*/20` in the day of the month runs on the 1st and 21st, not every day: the shortest gap
    // is from February 21 to March 1.
    assert.equal(cronInterval('0 0 */20 * *'), 8 * 1440);
    // Both day fields restricted: cron ORs them, so `1-31 … 1` runs every day. BC305 and the cost
    // estimate read it alike: one run a day, a day apart.
    assert.equal(cronInterval('0 0 1-31 * 1'), 1440);
    assert.deepEqual(cronRunsPerDay('0 0 1-31 * 1'), { ok: true, runsPerDay: 1 });
    assert.equal(cronInterval('0 0 * * 1'), 7 * 1440);
  });
});

describe('BC305 and BC207 in more shapes', () => {
  const stage = (extra: string) =>
    HEAD +
    `    - name: refresh\n      phase: normalization\n      workload: medium-transform\n      runner: { class: container, size: small, network: private-vpc }\n${extra}`;
  test('runsPerDay gives the interval when there is no cron; replicas add concurrency on container', () => {
    assert.ok(codes(lint(stage('      estimate: { runsPerDay: 96, durationMinutes: 45 }\n'))).includes('BC305'));
    assert.ok(!codes(lint(stage('      estimate: { runsPerDay: 96, durationMinutes: 45, replicas: 2 }\n'))).includes('BC305'));
    // A default duration never counts.
    assert.ok(!codes(lint(stage('      estimate: { runsPerDay: 960 }\n'))).includes('BC305'));
  });
  test('BC207 does not depend on which of two stages of one name comes first', () => {
    const st = (name: string, network: string, deps = '') =>
      `    - name: ${name}\n      phase: normalization\n      workload: medium-transform\n${deps}      runner: { class: serverless, size: small, network: ${network}, justification: j }\n`;
    const d = st('d', 'vpn', '      dependsOn: [x]\n');
    for (const order of [st('x', 'vpn') + st('x', 'on-premise-agent'), st('x', 'on-premise-agent') + st('x', 'vpn')]) {
      const found = codes(lint(HEAD + order + d));
      assert.ok(found.includes('BC207'), found.join(', '));
    }
  });
  test('BC207 offers on-premise-agent to a stage with no connections; BC105 leaves misspelt connections to BC002', () => {
    const text =
      HEAD +
      `    - name: plant\n      phase: ingestion\n      workload: bulk-extract\n      runner: { class: serverless, size: small, network: on-premise-agent, justification: j }\n` +
      `    - name: sum\n      phase: normalization\n      workload: medium-transform\n      dependsOn: [plant]\n      runner: { class: serverless, size: small, network: private-vpc, justification: j }\n`;
    const f = lint(text).findings.find((x) => x.code === 'BC207')!;
    assert.equal(f.fixes[0]?.title, 'Run this stage on on-premise-agent too');
    const misspelt = HEAD + POLL('pull').replace('kind: http-api', 'kind: http-apl');
    assert.deepEqual(
      codes(lint(misspelt)).filter((c) => c === 'BC105'),
      [],
    );
  });
  test('BC207 follows dependsOn transitively and names the path, shortened when long', () => {
    const chain = (n: number) => {
      let t = HEAD.replace('boundaries: [cloud-private, public-internet, on-premise]', 'boundaries: [cloud-private, public-internet, on-premise]');
      t += `    - name: s0\n      phase: ingestion\n      workload: bulk-extract\n      runner: { class: serverless, size: small, network: on-premise-agent, justification: site }\n`;
      for (let i = 1; i <= n; i++)
        t += `    - name: s${i}\n      phase: normalization\n      workload: medium-transform\n      dependsOn: [s${i - 1}]\n      runner: { class: serverless, size: small, network: private-vpc, justification: site }\n`;
      return t;
    };
    // Every stage downstream is reported, each with its path to the nearest facility-bound stage.
    const short = lint(chain(3)).findings.filter((f) => f.code === 'BC207');
    assert.equal(short.length, 3);
    assert.match(short[2]!.message, /\(s3 ← s2 ← s1 ← s0\)/);
    const long = lint(chain(12))
      .findings.filter((f) => f.code === 'BC207')
      .pop()!;
    assert.match(long.message, /s12 ← s11 ← s10 ← … ← s1 ← s0 \(12 steps\)/);
  });
});
