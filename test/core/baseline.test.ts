import assert from 'node:assert/strict';
import { test } from 'node:test';
import { generateCorpusManifest } from '../../bench/corpus';
import { baselineCosts, compareFindings, costReport, lenses, stageWaived, stageWaivers, waiversByStage } from '../../server/src/core';
import { manifest, stage } from '../baseline-fixtures';
import { lint } from '../helpers';

// The comparison with a baseline (spec §8) in the core: which findings are the same, and the
// figures at the baseline every surface reads. git and the formats are tested in test/cli.

const codesOf = (xs: readonly { code: string }[]) => xs.map((x) => x.code).sort();

test('the same finding on the same stage or key is not new, whatever its line or the pipeline name', () => {
  const base = lint(manifest('orders', stage('extract') + stage('load', 'small', '      dependsOn: [extrct]\n')));
  // Stages reordered, a comment and a blank line above, the pipeline renamed: nothing new, nothing fixed.
  const moved = lint(manifest('orders-v2', `    # moved\n\n${stage('load', 'small', '      dependsOn: [extrct]\n')}${stage('extract')}`));
  assert.ok(moved.findings.some((f) => f.code === 'BC502'));
  const d = compareFindings(moved, base);
  assert.deepEqual(
    d.isNew,
    moved.findings.map(() => false),
  );
  assert.deepEqual(d.fixed, []);
});

test('findings are counted: a second one at the same place is new, and one gone is fixed', () => {
  const base = lint(manifest('orders', stage('a') + stage('b', 'small', '      dependsOn: [nowhere]\n')));
  const now = lint(
    manifest('orders', stage('a') + stage('b', 'small', '      dependsOn: [nowhere, nowhere-else]\n') + stage('c', 'small', '      dependsOn: [gone]\n')),
  );
  const d = compareFindings(now, base);
  const bc502 = now.findings.map((f, i) => [f, d.isNew[i]] as const).filter(([f]) => f.code === 'BC502');
  assert.deepEqual(
    bc502.map(([f, isNew]) => [String(f.data.dependency ?? f.message.match(/"([^"]+)", which/)?.[1]), isNew]),
    [
      ['nowhere', false],
      ['nowhere-else', true],
      ['gone', true],
    ],
  );
  // The other way round: what the later version fixed.
  const back = compareFindings(base, now);
  assert.deepEqual(codesOf(back.fixed), ['BC502', 'BC502']);
  assert.ok(back.isNew.every((x) => !x));
  // No file at the baseline: everything is new.
  assert.ok(compareFindings(now, null).isNew.every(Boolean));
});

test('the figures at the baseline are the same in the cost report and the code lens', () => {
  const base = lint(manifest('orders', stage('extract') + stage('load')));
  const now = lint(manifest('orders', stage('extract') + stage('load', 'large') + stage('publish')));
  const costs = baselineCosts({ ref: 'HEAD', analysis: base });
  const report = costReport(now, costs);
  const p = report.pipelines[0]!;
  assert.equal(p.baselineMonthlyUsd, base.documents[0]!.cost!.monthlyUsd);
  assert.equal(report.baseline?.totalUsd, p.baselineMonthlyUsd);
  assert.equal(p.stages.find((s) => s.name === 'publish')!.baselineMonthlyUsd, null);
  const titles = lenses(now, costs).map((l) => l.title);
  const change = (n: number) => `+$${n.toLocaleString('en-US', { minimumFractionDigits: 2, maximumFractionDigits: 2 })} vs HEAD`;
  assert.ok(
    titles.some((t) => t.includes(change(p.monthlyUsd - p.baselineMonthlyUsd!))),
    titles.join(' | '),
  );
  const load = p.stages.find((s) => s.name === 'load')!;
  assert.ok(
    titles.some((t) => t.includes(change(load.monthlyUsd - load.baselineMonthlyUsd!))),
    titles.join(' | '),
  );
  assert.ok(titles.some((t) => t.includes('new since HEAD')));
  // A file that did not exist, or does not parse, at the baseline has no figures there.
  assert.equal(baselineCosts({ ref: 'HEAD', analysis: null }).totalUsd, null);
  assert.equal(baselineCosts({ ref: 'HEAD', analysis: lint('a: [') }).totalUsd, null);
});

test('waivers and waived findings per stage, found in one sweep, equal their plain definitions', () => {
  let seen = 0;
  for (const seed of [3, 11, 29]) {
    const a = lint(generateCorpusManifest({ stages: 300, seed, dirty: true }));
    for (const d of a.documents) {
      const byStage = waiversByStage(d);
      for (const s of d.pipeline?.stages ?? []) {
        assert.deepEqual(byStage.get(s) ?? [], stageWaivers(d, s));
        const plain = a.waived.filter((w) => w.finding.span.start >= s.node.range![0] && w.finding.span.start < s.node.range![2]);
        assert.deepEqual(stageWaived(a.waived, s), plain);
        seen += plain.length + (byStage.get(s)?.length ?? 0);
      }
    }
  }
  assert.ok(seen > 0, 'the corpus has waivers');
});
