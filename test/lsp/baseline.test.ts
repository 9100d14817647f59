import assert from 'node:assert/strict';
import { after, describe, test } from 'node:test';
import { execFileSync } from 'node:child_process';
import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Diagnostic, Hover } from 'vscode-languageserver-protocol';
import { COST_ESTIMATE, type CostEstimateResult } from '../../server/src/protocol';
import { fileUri, killAll, LspClient } from './harness';
import { manifest as named, stage } from '../baseline-fixtures';
import { tempDir } from '../helpers';

after(killAll);

// barecount.baseline in the editor, against the built server over stdio and a real temporary git
// repository: the same comparison the CLI makes (test/cli/baseline.test.ts), shown in
// diagnostics, code lens, hover and the cost panel's data; never in an untrusted workspace.

const manifest = (stages: string) => named('orders', stages);

const BASE = manifest(stage('extract') + stage('load', 'small', '      dependsOn: [extrct]\n'));
const NOW = manifest(stage('extract') + stage('load', 'large', '      dependsOn: [extrct]\n') + stage('publish', 'small', '      dependsOn: [lod]\n'));

function gitRepo(): { root: string; path: string; marker: string } {
  const root = tempDir('bc-lsp-baseline-');
  const git = (...args: string[]) => execFileSync('git', ['-c', 'user.email=t@example.com', '-c', 'user.name=t', ...args], { cwd: root });
  git('init', '-q');
  const path = join(root, 'p.barecount.yaml');
  writeFileSync(path, BASE);
  git('add', '-A');
  git('commit', '-qm', 'base');
  // A repository that would run a program if git were asked to use its fsmonitor.
  const marker = join(root, 'ran');
  const script = join(root, 'monitor.sh');
  writeFileSync(script, `#!/bin/sh\necho ran >> '${marker}'\n`, { mode: 0o755 });
  git('config', 'core.fsmonitor', script);
  writeFileSync(path, NOW);
  return { root, path, marker };
}

async function waitFor<T>(what: string, probe: () => Promise<T | undefined> | T | undefined): Promise<T> {
  for (let i = 0; i < 200; i++) {
    const v = await probe();
    if (v !== undefined) return v;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`timed out waiting for ${what}`);
}

describe('barecount.baseline in the editor', () => {
  test('new findings are told apart, and lens, hover and panel show the change against HEAD', async () => {
    const { root, path, marker } = gitRepo();
    const client = new LspClient();
    try {
      await client.initialize(root);
      const uri = fileUri(path);
      await client.open(uri, NOW);
      // git answers after the first publication: diagnostics come again, with the new ones marked.
      const diags = await waitFor('diagnostics marked new', () => {
        const last = [...client.published].reverse().find((p) => p.uri === uri);
        return last?.diagnostics.some((d) => d.source !== 'barecount') ? last.diagnostics : undefined;
      });
      const isNew = (d: Diagnostic) => d.source === 'barecount · new since HEAD' && (d.data as { new?: boolean }).new === true;
      const bc502 = diags.filter((d) => d.code === 'BC502');
      assert.equal(bc502.length, 2);
      assert.ok(bc502.some((d) => isNew(d) && String(d.message).includes('"lod"')));
      assert.ok(
        bc502.some((d) => d.source === 'barecount' && String(d.message).includes('"extrct"') && d.data === undefined),
        'the old finding is not new',
      );

      const report = (await client.connection.sendRequest(COST_ESTIMATE, { uri })) as CostEstimateResult;
      assert.equal(report.baseline?.ref, 'HEAD');
      const p = report.pipelines[0]!;
      const byName = new Map(p.stages.map((s) => [s.name, s]));
      assert.equal(byName.get('extract')!.baselineMonthlyUsd, byName.get('extract')!.monthlyUsd);
      assert.ok(byName.get('load')!.baselineMonthlyUsd! < byName.get('load')!.monthlyUsd);
      assert.equal(byName.get('publish')!.baselineMonthlyUsd, null);
      assert.equal(report.baseline?.totalUsd, p.baselineMonthlyUsd);

      // The same figures in the lenses: the pipeline's change and each stage's.
      type Lens = { command: { title: string } };
      const titles = ((await client.connection.sendRequest('textDocument/codeLens', { textDocument: { uri } })) as Lens[]).map((l) => l.command.title);
      const usd = (n: number) => `$${n.toLocaleString('en-US', { minimumFractionDigits: 2, maximumFractionDigits: 2 })}`;
      const pipelineChange = Math.round((p.monthlyUsd - p.baselineMonthlyUsd!) * 100) / 100;
      assert.ok(
        titles.some((t) => t.includes(`+${usd(pipelineChange)} vs HEAD`)),
        titles.join(' | '),
      );
      assert.ok(titles.some((t) => t.includes('new since HEAD')));
      assert.ok(titles.some((t) => t.includes('±$0.00 vs HEAD')));

      const line = NOW.split('\n').findIndex((l) => l.includes('name: load'));
      const h = (await client.connection.sendRequest('textDocument/hover', { textDocument: { uri }, position: { line, character: 14 } })) as Hover;
      const text = (h.contents as { value: string }).value;
      assert.match(text, new RegExp(`At HEAD: \\${usd(byName.get('load')!.baselineMonthlyUsd!)} a month \\(\\+\\\\?\\$\\d`));
      assert.equal(existsSync(marker), false, 'the repository\u2019s fsmonitor ran');
    } finally {
      await client.stop();
    }
  });

  test('an empty setting turns it off, and an untrusted workspace never runs git', async () => {
    for (const [options, settings] of [
      [{}, { baseline: '' }],
      [{ workspaceTrusted: false }, {}],
    ] as const) {
      const { root, path } = gitRepo();
      const client = new LspClient();
      client.settings = settings;
      try {
        await client.initialize(root, options);
        const uri = fileUri(path);
        await client.open(uri, NOW);
        await client.diagnostics(uri);
        // Time for git to have answered had it been asked (the first test sees it well within this).
        await new Promise((r) => setTimeout(r, 1500));
        const all = client.published.filter((x) => x.uri === uri).flatMap((x) => x.diagnostics);
        assert.ok(
          all.every((d) => d.source === 'barecount'),
          JSON.stringify(options),
        );
        const report = (await client.connection.sendRequest(COST_ESTIMATE, { uri })) as CostEstimateResult;
        assert.equal(report.baseline, undefined);
      } finally {
        await client.stop();
      }
    }
  });
});
