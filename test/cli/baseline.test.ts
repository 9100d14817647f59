import assert from 'node:assert/strict';
import { test } from 'node:test';
import { execFileSync } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import MarkdownIt from 'markdown-it';
import { ROOT, runCli, tempDir } from '../helpers';
import { manifest, stage } from '../baseline-fixtures';

// barecount-lint --baseline REF (spec §8): temporary git repositories with two commits, one
// scenario each, through every format. git really runs here; nothing is mocked.

function git(dir: string, ...args: string[]): string {
  return execFileSync('git', ['-c', 'user.email=t@example.com', '-c', 'user.name=t', '-c', 'init.defaultBranch=main', ...args], { cwd: dir, encoding: 'utf8' });
}

function repo(files: Record<string, string>): string {
  const dir = tempDir('bc-baseline-');
  git(dir, 'init', '-q');
  write(dir, files);
  git(dir, 'add', '-A');
  git(dir, 'commit', '-qm', 'base');
  return dir;
}

function write(dir: string, files: Record<string, string>): void {
  for (const [name, text] of Object.entries(files)) {
    mkdirSync(join(dir, name, '..'), { recursive: true });
    writeFileSync(join(dir, name), text);
  }
}

function commit(dir: string, message = 'change'): void {
  git(dir, 'add', '-A');
  git(dir, 'commit', '-qm', message);
}

interface JsonDiag {
  code: string;
  message: string;
  new?: boolean;
}
interface JsonStage {
  name: string;
  monthlyUsd: number;
  baselineMonthlyUsd: number | null;
}
interface JsonPipeline {
  name: string;
  monthlyUsd: number;
  baselineMonthlyUsd: number | null;
  stages: JsonStage[];
}
interface JsonFile {
  path: string;
  diagnostics: JsonDiag[];
  fixedSinceBaseline?: Array<{ code: string; message: string }>;
  cost?: { monthlyUsd: number; baselineMonthlyUsd: number | null; pipelines: JsonPipeline[] };
}

function json(dir: string, ...args: string[]): { files: JsonFile[]; baseline?: string } {
  const r = runCli(['--format', 'json', '--cost', '--baseline', 'HEAD~1', ...args, '.'], dir);
  assert.ok(r.code === 0 || r.code === 1, r.stderr);
  return JSON.parse(r.stdout) as { files: JsonFile[] };
}

const round = (n: number) => Math.round(n * 100) / 100;

test('a stage added, a size raised and a stage removed: each figure against the baseline, equal in every format', () => {
  const dir = repo({ 'p.barecount.yaml': manifest('orders', stage('extract') + stage('load') + stage('old-report')) });
  write(dir, { 'p.barecount.yaml': manifest('orders', stage('extract') + stage('load', 'large') + stage('publish')) });
  commit(dir);
  const out = json(dir);
  const file = out.files.find((f) => f.path === 'p.barecount.yaml')!;
  const p = file.cost!.pipelines[0]!;
  const byName = new Map(p.stages.map((s) => [s.name, s]));
  // Unchanged stage: the same figure; raised size: dearer; added stage: none at the baseline.
  assert.equal(byName.get('extract')!.baselineMonthlyUsd, byName.get('extract')!.monthlyUsd);
  assert.ok(byName.get('load')!.baselineMonthlyUsd! < byName.get('load')!.monthlyUsd);
  assert.equal(byName.get('publish')!.baselineMonthlyUsd, null);
  assert.ok(!byName.has('old-report'));
  // The pipeline's baseline is its old total: the removed stage counted there, not now.
  assert.ok(p.baselineMonthlyUsd !== null && p.baselineMonthlyUsd > 0);
  assert.equal(file.cost!.baselineMonthlyUsd, p.baselineMonthlyUsd);
  const change = round(p.monthlyUsd - p.baselineMonthlyUsd);

  // Text: the pipeline line says the change, with the revision as given.
  const text = runCli(['--cost', '--baseline', 'HEAD~1', '.'], dir);
  const sign = change > 0 ? '+' : '-';
  const abs = Math.abs(change).toLocaleString('en-US', { minimumFractionDigits: 2, maximumFractionDigits: 2 });
  assert.ok(text.stdout.includes(`${sign}$${abs} vs HEAD~1`), text.stdout);
  assert.match(text.stdout, /vs HEAD~1/);
  assert.match(text.stdout, /publish .* new /);

  // Markdown: the same change in the pipeline's row.
  const md = runCli(['--format', 'markdown', '--cost', '--baseline', 'HEAD~1', '.'], dir);
  const html = new MarkdownIt().render(md.stdout);
  assert.ok(html.includes(`${sign}$${abs}`), html);
});

test('a finding fixed and another introduced: new is true only for what the change brought, the fixed one is listed', () => {
  const before = stage('extract') + stage('load', 'small', '      dependsOn: [extrct]\n');
  const after = stage('extract') + stage('load', 'small', '      dependsOn: [extract]\n') + stage('publish', 'small', '      dependsOn: [lod]\n');
  const dir = repo({ 'p.barecount.yaml': manifest('orders', before) });
  write(dir, { 'p.barecount.yaml': manifest('orders', after) });
  commit(dir);
  const file = json(dir).files.find((f) => f.path === 'p.barecount.yaml')!;
  const bc502 = file.diagnostics.filter((d) => d.code === 'BC502');
  assert.equal(bc502.length, 1);
  assert.equal(bc502[0]!.new, true);
  assert.match(bc502[0]!.message, /lod/);
  assert.ok(file.diagnostics.every((d) => typeof d.new === 'boolean'));
  // Findings the change did not touch (same code, same stage or key) are not new, whatever their line.
  assert.ok(
    file.diagnostics.filter((d) => d.code !== 'BC502').every((d) => d.new === false),
    JSON.stringify(file.diagnostics),
  );
  assert.deepEqual(
    file.fixedSinceBaseline!.map((f) => f.code),
    ['BC502'],
  );
  assert.match(file.fixedSinceBaseline![0]!.message, /extrct/);

  // SARIF's own field; --only-new keeps the new one alone, and the exit code follows it.
  const sarif = JSON.parse(runCli(['--format', 'sarif', '--baseline', 'HEAD~1', '.'], dir).stdout) as {
    runs: Array<{ results: Array<{ ruleId: string; baselineState?: string }> }>;
  };
  const states = sarif.runs[0]!.results.map((r) => `${r.ruleId}:${r.baselineState}`);
  assert.ok(states.includes('BC502:new'));
  assert.ok(
    states.filter((s) => !s.startsWith('BC502')).every((s) => s.endsWith(':unchanged')),
    states.join(' '),
  );
  const onlyNew = runCli(['--format', 'json', '--baseline', 'HEAD~1', '--only-new', '.'], dir);
  const kept = (JSON.parse(onlyNew.stdout) as { files: JsonFile[] }).files.flatMap((f) => f.diagnostics);
  assert.deepEqual(
    kept.map((d) => [d.code, d.new]),
    [['BC502', true]],
  );
  assert.equal(onlyNew.code, 1);
  // Text marks the new finding after its code (where the problem matcher stops reading).
  const text = runCli(['--baseline', 'HEAD~1', '.'], dir).stdout;
  assert.match(text, /\[BC502\] {2}new$/m);
  assert.match(text, /fixed .*extrct.*\[BC502\]/);
  assert.match(text, /1 new, 1 fixed vs HEAD~1\./);
});

test('--only-new passes a repository whose findings are all old', () => {
  const body = manifest('orders', stage('extract') + stage('load', 'small', '      dependsOn: [extrct]\n'));
  const dir = repo({ 'p.barecount.yaml': body });
  write(dir, { 'p.barecount.yaml': body.replace('owner: data-platform', 'owner: data-platform # reviewed') });
  commit(dir);
  assert.equal(runCli(['--baseline', 'HEAD~1', '.'], dir).code, 1);
  const r = runCli(['--baseline', 'HEAD~1', '--only-new', '.'], dir);
  assert.equal(r.code, 0, r.stdout);
  assert.match(r.stdout, /no problems\. 0 new, 0 fixed vs HEAD~1\./);
});

test('a file added has no baseline (every finding new); a file renamed keeps its history', () => {
  const dir = repo({ 'a/old.barecount.yaml': manifest('orders', stage('extract') + stage('load', 'small', '      dependsOn: [extrct]\n')) });
  renameSync(join(dir, 'a/old.barecount.yaml'), join(dir, 'a/renamed.barecount.yaml'));
  write(dir, { 'b/added.barecount.yaml': manifest('billing', stage('bill', 'small', '      dependsOn: [nowhere]\n')) });
  commit(dir);
  const out = json(dir);
  const renamed = out.files.find((f) => f.path.endsWith('renamed.barecount.yaml'))!;
  const added = out.files.find((f) => f.path.endsWith('added.barecount.yaml'))!;
  assert.ok(renamed.diagnostics.length > 0 && renamed.diagnostics.every((d) => d.new === false), JSON.stringify(renamed.diagnostics));
  assert.equal(renamed.cost!.pipelines[0]!.baselineMonthlyUsd, renamed.cost!.pipelines[0]!.monthlyUsd);
  assert.ok(added.diagnostics.length > 0 && added.diagnostics.every((d) => d.new === true));
  assert.equal(added.cost!.baselineMonthlyUsd, null);
  assert.equal(added.cost!.pipelines[0]!.baselineMonthlyUsd, null);
  assert.ok(added.cost!.pipelines[0]!.stages.every((s) => s.baselineMonthlyUsd === null));
});

test('outside a git repository, with an unknown REF, or with a file git cannot show: exit 2 and a message that says which', () => {
  const plain = tempDir('bc-nogit-');
  writeFileSync(join(plain, 'p.barecount.yaml'), manifest('orders', stage('extract')));
  const outside = runCli(['--baseline', 'HEAD', '.'], plain);
  assert.equal(outside.code, 2);
  assert.match(outside.stderr, /p\.barecount\.yaml is not in a git repository/);
  assert.equal(outside.stdout, '');

  const dir = repo({ 'p.barecount.yaml': manifest('orders', stage('extract')) });
  const unknown = runCli(['--baseline', 'no-such-branch', '.'], dir);
  assert.equal(unknown.code, 2);
  assert.match(unknown.stderr, /unknown revision "no-such-branch"/);
  // A revision that looks like an option is refused before git sees it.
  const option = runCli(['--baseline=--output=/tmp/x', '.'], dir);
  assert.equal(option.code, 2);
  assert.match(option.stderr, /--baseline takes a git revision/);

  // A path that was a folder at the revision is not a file git can show.
  const tree = repo({ 'x.barecount.yaml/inner.txt': 'a folder at the base\n' });
  rmSync(join(tree, 'x.barecount.yaml'), { recursive: true });
  writeFileSync(join(tree, 'x.barecount.yaml'), manifest('orders', stage('extract')));
  const folder = runCli(['--baseline', 'HEAD', 'x.barecount.yaml'], tree);
  assert.equal(folder.code, 2);
  assert.match(folder.stderr, /git cannot show .*x\.barecount\.yaml at HEAD: it is a tree there/);
  assert.equal(runCli(['--only-new', '.'], dir).code, 2);
});

test('reading the baseline runs nothing from the repository: no fsmonitor, no pager, no hooks', () => {
  const dir = repo({ 'p.barecount.yaml': manifest('orders', stage('extract')) });
  const marker = join(dir, 'ran');
  const script = join(dir, 'evil.sh');
  writeFileSync(script, `#!/bin/sh\necho ran >> '${marker}'\n`);
  chmodSync(script, 0o755);
  for (const key of ['core.fsmonitor', 'core.pager', 'core.sshCommand', 'diff.external']) git(dir, 'config', key, script);
  mkdirSync(join(dir, '.git/hooks'), { recursive: true });
  for (const hook of ['post-checkout', 'pre-commit', 'post-index-change', 'reference-transaction']) {
    writeFileSync(join(dir, '.git/hooks', hook), `#!/bin/sh\necho ran >> '${marker}'\n`);
    chmodSync(join(dir, '.git/hooks', hook), 0o755);
  }
  writeFileSync(join(dir, 'p.barecount.yaml'), manifest('orders', stage('extract', 'large')));
  const r = runCli(['--baseline', 'HEAD', '--cost', '.'], dir, { GIT_PAGER: script, PAGER: script });
  assert.ok(r.code === 0 || r.code === 1, r.stderr);
  assert.match(r.stdout, /vs HEAD/);
  assert.equal(existsSync(marker), false, 'a program from the repository ran');
});

test('--format markdown is valid GitHub-flavoured Markdown: manifest text escaped, no secret, snapshot', () => {
  const hostile = '<img src=x onerror=alert(1)>[click](https://evil.example)';
  const before = stage('extract') + stage('load', 'small', '      dependsOn: [extrct]\n');
  const after =
    stage('extract') +
    stage('load', 'small', `      dependsOn: ["${hostile}", "Hunter2-Sup3rSecret"]\n      env:\n        DB_PASSWORD: "Hunter2-Sup3rSecret"\n`) +
    stage('publish', 'large');
  const dir = repo({ 'p.barecount.yaml': manifest('orders', before) });
  write(dir, { 'p.barecount.yaml': manifest('orders', after) });
  commit(dir);
  const r = runCli(['--format', 'markdown', '--cost', '--baseline', 'HEAD~1', '.'], dir);
  assert.equal(r.code, 1, r.stderr);
  const html = new MarkdownIt({ html: true, linkify: true }).render(r.stdout);
  // The secret is quoted by a finding's message too (a dependency named like it): masked before
  // escaping, or the escaped form would slip past the mask and render as the secret.
  assert.ok(!/Sup3rSecret/.test(r.stdout) && !/Sup3rSecret/.test(html), 'a secret reached the summary');
  // The hostile dependency is text: no tag, no link but ours (the rules' documentation).
  assert.ok(!/<img/i.test(html), html);
  const links = [...html.matchAll(/<a href="([^"]+)"/g)].map((m) => m[1]!);
  assert.ok(links.length > 0 && links.every((l) => l.startsWith('https://github.com/barecount/barecount-manifests/')), links.join(' '));
  assert.ok(html.includes('&lt;img src=x onerror=alert(1)&gt;'), html);
  // Tables for severities and cost, the biggest mover first.
  assert.match(html, /<table>[\s\S]*<th>Severity<\/th>[\s\S]*<th style="text-align:right">New<\/th>/);
  assert.match(html, /<th>Pipeline<\/th>/);
  const snapshot = join(ROOT, 'test/cli/snapshots/baseline.md.out');
  if (process.env.UPDATE_SNAPSHOTS) writeFileSync(snapshot, r.stdout);
  assert.equal(r.stdout, readFileSync(snapshot, 'utf8'));
});
