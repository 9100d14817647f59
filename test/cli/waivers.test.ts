import assert from 'node:assert/strict';
import { test } from 'node:test';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { addDays, isoDate } from '../../server/src/core';
import { runCli, tempDir } from '../helpers';

// barecount-lint and waivers (spec §5.3, §8): waived findings listed under `waived` in JSON and
// as SARIF suppressions; an ended policy waiver is BC004 in the policy file (and exits 1); an
// unknown workload's fallback said in the cost table. Dates are relative to the clock the CLI reads.
const today = isoDate(new Date());

function workspace(): string {
  const dir = tempDir('bc-waivers-');
  writeFileSync(
    join(dir, 'barecount.policy.yaml'),
    `apiVersion: barecount/v1
kind: Policy
waivers:
  - { rule: BC101, pipeline: sync, stage: pull-leads, owner: security-team, reason: SDK rewrite in Q1, until: ${addDays(today, 20)} }
`,
  );
  const stage = (name: string, workload = 'api-poll') => `    - name: ${name}
      phase: ingestion
      workload: ${workload}
      runner: { class: serverless, size: small, network: private-vpc }
      connections:
        - { name: crm, kind: http-api, location: public-internet, direction: read }
`;
  writeFileSync(
    join(dir, 'm.barecount.yaml'),
    `apiVersion: barecount/v1
kind: Pipeline
metadata:
  name: sync
  owner: data-platform
  dataClassification: internal
  boundaries: [cloud-private, public-internet]
  tags: { cost-center: fin-ops }
spec:
  stages:
    # barecount-ignore BC101 until ${addDays(today, 5)}: vendor SDK
${stage('pull-campaigns')}${stage('pull-leads')}${stage('pull-misc', 'api-pol')}`,
  );
  return dir;
}

test('--format json lists waived findings with the waiver; SARIF marks them as suppressions', () => {
  const dir = workspace();
  const json = JSON.parse(runCli(['--format', 'json', '--cost', 'm.barecount.yaml'], dir).stdout);
  const file = json.files.find((f: { path: string }) => f.path === 'm.barecount.yaml');
  assert.ok(!file.diagnostics.some((d: { code: string }) => d.code === 'BC101'));
  const waived = file.waived as Array<{ code: string; range: { start: { line: number } }; waiver: Record<string, string> }>;
  assert.deepEqual(
    waived.map((w) => [w.code, w.range.start.line, w.waiver.source, w.waiver.owner ?? null, w.waiver.reason, w.waiver.until]),
    [
      ['BC101', 14, 'inline', null, 'vendor SDK', addDays(today, 5)],
      ['BC101', 20, 'policy', 'security-team', 'SDK rewrite in Q1', addDays(today, 20)],
    ],
  );
  // The unknown workload takes the generic fallback, and says so.
  const misc = json.files[0].cost.pipelines[0].stages.find((s: { name: string }) => s.name === 'pull-misc');
  assert.equal(misc.inputs.runsPerDay.basis, 'unknown-workload');
  assert.match(misc.inputs.runsPerDay.note, /workload "api-pol" is unknown/);

  const sarif = JSON.parse(runCli(['--format', 'sarif', 'm.barecount.yaml'], dir).stdout);
  const suppressed = sarif.runs[0].results.filter((r: { suppressions?: unknown[] }) => r.suppressions);
  assert.deepEqual(
    suppressed.map((r: { ruleId: string; suppressions: Array<{ kind: string; justification: string }> }) => [r.ruleId, r.suppressions[0]!.kind]),
    [
      ['BC101', 'inSource'],
      ['BC101', 'external'],
    ],
  );
  assert.match(suppressed[1].suppressions[0].justification, /SDK rewrite in Q1 \(until [\d-]+\) — security-team/);

  const text = runCli(['--cost', 'm.barecount.yaml'], dir).stdout;
  assert.match(text, /waived {2}BC101 waived by the policy \(owner security-team\), ends in 20 days/);
  assert.match(text, /estimate uses the generic fallback: workload "api-pol" is unknown/);
});

test('an ended policy waiver is BC004 in the policy file, and the finding is back in the manifest', () => {
  const dir = workspace();
  writeFileSync(
    join(dir, 'barecount.policy.yaml'),
    `apiVersion: barecount/v1\nkind: Policy\nwaivers:\n  - { rule: BC101, pipeline: sync, owner: sec, reason: old, until: ${addDays(today, -1)} }\n`,
  );
  const r = runCli(['--format', 'json', 'm.barecount.yaml'], dir);
  assert.equal(r.code, 1);
  const json = JSON.parse(r.stdout);
  const policy = json.files.find((f: { kind: string }) => f.kind === 'policy');
  assert.deepEqual(
    policy.diagnostics.map((d: { code: string }) => d.code),
    ['BC004'],
  );
  const manifest = json.files.find((f: { kind: string }) => f.kind === 'manifest');
  // pull-leads' BC101 is back; pull-campaigns' is still waived by its comment.
  const back = manifest.diagnostics.filter((d: { code: string }) => d.code === 'BC101');
  assert.equal(back.length, 1);
  assert.match(back[0].message, /pull-leads/);
  assert.equal(manifest.waived.length, 1);
});

test('--fix drops an ignore comment that silences nothing, keeps the ones that do, and nothing else changes', () => {
  const dir = workspace();
  const path = join(dir, 'm.barecount.yaml');
  const before = readFileSync(path, 'utf8');
  // An ignore comment over pull-misc, whose BC102 does not fire: it silences nothing.
  const withUnused = before.replace('    - name: pull-misc', '    # barecount-ignore BC102: leftover\n    - name: pull-misc');
  writeFileSync(path, withUnused);
  runCli(['--fix', 'm.barecount.yaml'], dir);
  // (The misspelt workload is a typo --fix corrects too.)
  assert.equal(readFileSync(path, 'utf8'), before.replace('workload: api-pol\n', 'workload: api-poll\n'));
});

test('with a policy that cannot be used, no ignore comment is called unused and --fix keeps them all', () => {
  const dir = workspace();
  const path = join(dir, 'm.barecount.yaml');
  // A comment that silences nothing under the built-in policy; the workspace's policy has an error.
  const text = readFileSync(path, 'utf8')
    .replace('workload: api-pol\n', 'workload: api-poll\n')
    .replace('    - name: pull-misc', '    # barecount-ignore BC102: approved by security\n    - name: pull-misc');
  writeFileSync(path, text);
  const good = readFileSync(join(dir, 'barecount.policy.yaml'), 'utf8');
  const codes = () =>
    (JSON.parse(runCli(['--format', 'json', 'm.barecount.yaml'], dir).stdout).files[0].diagnostics as Array<{ code: string }>).map((d) => d.code);
  // Control: with the workspace's own policy, the comment is BC005.
  assert.ok(codes().includes('BC005'));
  writeFileSync(join(dir, 'barecount.policy.yaml'), good.replace('kind: Policy', 'kind: Policy\nnetworks: 3'));
  assert.ok(!codes().includes('BC005'));
  runCli(['--fix', 'm.barecount.yaml'], dir);
  assert.equal(readFileSync(path, 'utf8'), text);
  // A manifest outside the working directory is checked with the built-in policy: the same.
  writeFileSync(join(dir, 'barecount.policy.yaml'), good);
  const elsewhere = tempDir('bc-elsewhere-');
  runCli(['--fix', path], elsewhere);
  assert.equal(readFileSync(path, 'utf8'), text);
});
