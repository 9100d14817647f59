import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { copyFileSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT, runCli, tempDir } from '../helpers';

// Through the built bin (dist/cli.js), as CI jobs run it.
const SNAPSHOTS = join(__dirname, 'snapshots');
const UPDATE = process.env.UPDATE_SNAPSHOTS === '1';

function checkSnapshot(name: string, actual: string) {
  const file = join(SNAPSHOTS, name);
  const normalised = actual.split(ROOT).join('<root>');
  if (UPDATE || !existsSync(file)) {
    if (!UPDATE) assert.fail(`snapshot ${name} is missing: run UPDATE_SNAPSHOTS=1 npm test -- cli and review the diff`);
    writeFileSync(file, normalised);
    return;
  }
  assert.equal(normalised, readFileSync(file, 'utf8'), `snapshot ${name} differs (UPDATE_SNAPSHOTS=1 rewrites it)`);
}

const CLEAN = 'examples/orders-daily.barecount.yaml';
const BAD = 'examples/marketing-sync.barecount.yaml';

describe('barecount-lint output', () => {
  test('text with --cost on the examples (snapshot)', () => {
    const r = runCli(['--cost', 'examples']);
    assert.equal(r.code, 1);
    checkSnapshot('examples-text-cost.out', r.stdout);
  });
  test('json with --cost on the examples (snapshot)', () => {
    const r = runCli(['--format', 'json', '--cost', 'examples']);
    assert.equal(r.code, 1);
    checkSnapshot('examples-json-cost.out', JSON.stringify(JSON.parse(r.stdout), null, 2) + '\n');
  });
  test('sarif on the examples (snapshot)', () => {
    const r = runCli(['--format', 'sarif', 'examples']);
    checkSnapshot('examples.sarif.out', r.stdout);
  });
});

describe('exit codes', () => {
  test('0 when nothing at error severity is found', () => {
    assert.equal(runCli([CLEAN]).code, 0);
  });
  test('1 when an error is found', () => {
    assert.equal(runCli([BAD]).code, 1);
  });
  test('1 with more warnings than --max-warnings', () => {
    const dir = tempDir('barecount-cli-');
    writeFileSync(
      join(dir, 'w.barecount.yaml'),
      readFileSync(join(ROOT, CLEAN), 'utf8').replace('tags: { cost-center: fin-ops, team: orders }', 'tags: { team: orders }'),
    );
    assert.equal(runCli([dir]).code, 0);
    const r = runCli(['--max-warnings', '0', dir]);
    assert.equal(r.code, 1);
    assert.match(r.stderr, /more than --max-warnings 0/);
  });
  test('2 on bad usage, with the usage text', () => {
    for (const args of [[], ['--format', 'xml', CLEAN], ['--bogus', CLEAN], ['--max-warnings', 'many', CLEAN]]) {
      const r = runCli(args);
      assert.equal(r.code, 2, args.join(' '));
      assert.match(r.stderr, /Usage: barecount-lint/);
    }
  });
  test('2 on a missing path, after checking the others', () => {
    const r = runCli(['--format', 'json', CLEAN, 'no/such/file.yaml']);
    assert.equal(r.code, 2);
    assert.match(r.stderr, /cannot read no\/such\/file\.yaml: no such file or folder/);
    assert.equal(JSON.parse(r.stdout).files.length, 1);
  });
  test('2 on a missing --policy file', () => {
    const r = runCli(['--policy', 'nope.yaml', CLEAN]);
    assert.equal(r.code, 2);
    assert.match(r.stderr, /cannot read policy nope\.yaml/);
  });
  test('--help and --version exit 0', () => {
    assert.match(runCli(['--help']).stdout, /--format text\|json\|sarif/);
    assert.match(runCli(['--version']).stdout, /^\d+\.\d+\.\d+/);
  });
});

describe('json (spec §8)', () => {
  test('one object with files, diagnostics with LSP positions, and cost per pipeline', () => {
    const out = JSON.parse(runCli(['--format', 'json', '--cost', BAD]).stdout);
    const file = out.files[0];
    assert.equal(file.path, BAD);
    const d = file.diagnostics.find((x: { code: string }) => x.code === 'BC303');
    assert.equal(d.severity, 'error');
    // size: xlarge is on line 18, column 15 (1-based) of the example.
    assert.deepEqual(d.range, { start: { line: 17, character: 14 }, end: { line: 17, character: 20 } });
    const p = file.cost.pipelines[0];
    assert.equal(p.name, 'marketing-sync');
    assert.equal(p.budgetUsd, 2500);
    assert.ok(Math.abs(p.monthlyUsd - p.stages.reduce((s: number, x: { monthlyUsd: number }) => s + x.monthlyUsd, 0)) < 0.001);
    assert.deepEqual(
      p.stages.map((s: { name: string; class: string }) => [s.name, s.class]),
      [
        ['pull-campaigns', 'serverless'],
        ['score-leads', 'managed-etl'],
        ['push-audiences', 'container'],
      ],
    );
    assert.equal(file.cost.monthlyUsd, p.monthlyUsd);
  });
  test('each cost stage carries its recommended runner, or null and why', () => {
    const json = JSON.parse(runCli(['--format', 'json', '--cost', 'examples']).stdout);
    const stages = new Map<string, Record<string, unknown>>();
    for (const f of json.files) for (const p of f.cost?.pipelines ?? []) for (const s of [...p.stages, ...p.uncosted]) stages.set(s.name, s);
    const poll = stages.get('poll-fx-rates')!;
    assert.deepEqual(poll.recommended && Object.keys(poll.recommended as object).sort(), [
      'changes',
      'class',
      'computeUsd',
      'monthlyUsd',
      'network',
      'savingUsd',
      'size',
      'transferUsd',
    ]);
    assert.deepEqual(poll.recommended && [(poll.recommended as { class: string }).class, (poll.recommended as { size: string }).size], ['container', 'large']);
    // No runner passes: null, and the reason names both connections.
    assert.equal(stages.get('pull-campaigns')!.recommended, null);
    assert.match((stages.get('pull-campaigns')!.noRecommendation as string[])[0]!, /"ads-api" at public-internet and "crm" at partner-network/);
    // A schema error in the workload: null too, and it says so.
    assert.equal(stages.get('score-leads')!.recommended, null);
    assert.match((stages.get('score-leads')!.noRecommendation as string[])[0]!, /until the stage’s phase, workload and runner fields are valid \(BC002\)/);
  });

  test('cost appears only with --cost', () => {
    const out = JSON.parse(runCli(['--format', 'json', CLEAN]).stdout);
    assert.equal(out.files[0].cost, undefined);
  });
  test('a policy file with findings gets its own entry, and the fallback is said once', () => {
    const dir = tempDir('barecount-cli-');
    writeFileSync(join(dir, 'barecount.policy.yaml'), 'apiVersion: barecount/v1\nkind: Policy\nallowedNetworks: [vnp]\n');
    copyFileSync(join(ROOT, CLEAN), join(dir, 'a.barecount.yaml'));
    copyFileSync(join(ROOT, CLEAN), join(dir, 'b.barecount.yaml'));
    const r = runCli(['--format', 'json', dir]);
    const out = JSON.parse(r.stdout);
    const policy = out.files.find((f: { path: string }) => f.path.endsWith('barecount.policy.yaml'));
    assert.equal(policy.diagnostics[0].code, 'BC002');
    assert.deepEqual(policy.diagnostics[0].range.start, { line: 2, character: 18 });
    assert.equal(r.stderr.match(/built-in policy is used instead/g)?.length, 1);
    assert.equal(r.code, 1);
  });
  test('the nearest policy governs a manifest; --policy overrides it', () => {
    const dir = tempDir('barecount-cli-');
    mkdirSync(join(dir, 'team'));
    writeFileSync(join(dir, 'barecount.policy.yaml'), 'apiVersion: barecount/v1\nkind: Policy\nallowedClasses: [serverless]\n');
    writeFileSync(join(dir, 'team', 'barecount.policy.yaml'), 'apiVersion: barecount/v1\nkind: Policy\nrequiredTags: [cost-center, team]\n');
    copyFileSync(join(ROOT, CLEAN), join(dir, 'team', 'p.barecount.yaml'));
    const near = JSON.parse(runCli(['--format', 'json', join(dir, 'team', 'p.barecount.yaml')], dir).stdout);
    assert.deepEqual(
      near.files[0].diagnostics.map((d: { code: string }) => d.code),
      [],
    );
    const forced = JSON.parse(runCli(['--format', 'json', '--policy', join(dir, 'barecount.policy.yaml'), join(dir, 'team', 'p.barecount.yaml')], dir).stdout);
    assert.ok(forced.files[0].diagnostics.some((d: { code: string }) => d.code === 'BC205'));
  });
  test('folders are searched recursively for manifests by name and by first line', () => {
    const dir = tempDir('barecount-cli-');
    mkdirSync(join(dir, 'a', 'b'), { recursive: true });
    mkdirSync(join(dir, 'node_modules'));
    copyFileSync(join(ROOT, CLEAN), join(dir, 'a', 'b', 'deep.barecount.yml'));
    writeFileSync(join(dir, 'a', 'plain.yaml'), readFileSync(join(ROOT, CLEAN), 'utf8').replace(/^#.*\n/, ''));
    writeFileSync(join(dir, 'a', 'other.yaml'), 'name: not a manifest\n');
    copyFileSync(join(ROOT, CLEAN), join(dir, 'node_modules', 'x.barecount.yaml'));
    const out = JSON.parse(runCli(['--format', 'json', dir], dir).stdout);
    assert.deepEqual(out.files.map((f: { path: string }) => f.path).sort(), ['a/b/deep.barecount.yml', 'a/plain.yaml']);
  });
});

describe('sarif', () => {
  test('SARIF 2.1.0 with rule metadata, help links and regions', () => {
    const log = JSON.parse(runCli(['--format', 'sarif', BAD]).stdout);
    assert.equal(log.version, '2.1.0');
    const run = log.runs[0];
    const rules = run.tool.driver.rules;
    assert.ok(rules.length >= 21);
    const bc202 = rules.find((r: { id: string }) => r.id === 'BC202');
    assert.match(bc202.helpUri, /docs\/rules\/BC202\.md$/);
    assert.equal(bc202.defaultConfiguration.level, 'error');
    const res = run.results.find((r: { ruleId: string }) => r.ruleId === 'BC303');
    assert.equal(rules[res.ruleIndex].id, 'BC303');
    assert.equal(res.level, 'error');
    assert.equal(res.locations[0].physicalLocation.artifactLocation.uri, BAD);
    assert.deepEqual([res.locations[0].physicalLocation.region.startLine, res.locations[0].physicalLocation.region.startColumn], [18, 15]);
    const finance = JSON.parse(runCli(['--format', 'sarif', 'examples/finance-reporting.barecount.yaml']).stdout).runs[0];
    const info = finance.results.find((r: { ruleId: string }) => r.ruleId === 'BC304');
    assert.equal(info.level, 'note');
  });
});

describe('--fix', () => {
  function fixedCopy(example: string, args: string[]) {
    const dir = tempDir('barecount-cli-');
    const f = join(dir, 'm.barecount.yaml');
    copyFileSync(join(ROOT, example), f);
    copyFileSync(join(ROOT, 'examples/barecount.policy.yaml'), join(dir, 'barecount.policy.yaml'));
    const before = readFileSync(f, 'utf8');
    const r = runCli([...args, f], dir);
    return { f, dir, before, after: readFileSync(f, 'utf8'), r };
  }

  test('corrects typos only, says what changed, keeps comments, and decides nothing', () => {
    const { f, dir, before, after, r } = fixedCopy(BAD, ['--fix']);
    assert.match(r.stdout, /fixed BC502: Change to "pull-campaigns"/);
    assert.match(after, /dependsOn: \[pull-campaigns\]/);
    assert.match(after, /workload: heavy-join\n/);
    // Everything else is a decision: runner, boundaries, tags and secrets stay as written.
    const rest = (t: string) => t.replace('heavy-joins', 'heavy-join').replace('[pull-campaign]', '[pull-campaigns]');
    assert.equal(after, rest(before));
    assert.doesNotMatch(r.stdout, /fixed BC(101|201|203|204|303|401)/);
    // A second run changes nothing.
    const again = runCli(['--fix', f], dir);
    assert.doesNotMatch(again.stdout, /fixed /);
    assert.equal(readFileSync(f, 'utf8'), after);
  });

  test('--unsafe-fixes also applies each stage’s recommended runner as one edit, and other lone suggestions', () => {
    const { f, dir, after, r } = fixedCopy('examples/finance-reporting.barecount.yaml', ['--fix', '--unsafe-fixes']);
    assert.match(r.stdout, /fixed BC101: Use the recommended runner container · large · private-vpc \(changes class, size and network\)/);
    assert.match(after, /class: container\n\s+size: large # sized for the old batch job\n\s+network: private-vpc/);
    assert.match(after, /runner: \{ class: managed-etl, size: xlarge \}/);
    // No runner finding is left, and the runner fix was not traded for another finding.
    const left = JSON.parse(runCli(['--format', 'json', f], dir).stdout).files[0].diagnostics.map((d: { code: string }) => d.code);
    assert.deepEqual(
      left.filter((c: string) => /^BC(10[124]|20[245]|30[134])$/.test(c)),
      [],
    );
  });

  test('--unsafe-fixes needs --fix', () => {
    const r = runCli(['--unsafe-fixes', BAD]);
    assert.equal(r.code, 2);
    assert.match(r.stderr, /--unsafe-fixes applies only with --fix/);
  });
});

describe('secrets never reach the output', () => {
  const SECRETS = ['ya29.a0AfH6SMBx3kq9Lr2tPq7Zr1', 'Summer2026', 'sync:Summer2026'];
  for (const format of ['text', 'json', 'sarif']) {
    test(format, () => {
      const r = runCli(['--format', format, '--cost', BAD]);
      for (const s of SECRETS) {
        assert.ok(!r.stdout.includes(s), `${format} stdout repeats a secret`);
        assert.ok(!r.stderr.includes(s), `${format} stderr repeats a secret`);
      }
    });
  }
});
