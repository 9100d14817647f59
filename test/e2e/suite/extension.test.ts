import * as assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import * as vscode from 'vscode';
import type { BareCountApi } from '../../../client/src/extension';

// End to end through the real VS Code API: the extension as installed in a real workbench.
const EXTENSION_ID = 'barecount.barecount-manifests';

async function until<T>(check: () => T | undefined | false | Promise<T | undefined | false>, what: string, ms = 30_000): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const v = await check();
    if (v) return v;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    // Wait for the next event of the kinds the checks depend on, or a short while.
    await new Promise<void>((resolve) => {
      const subs: vscode.Disposable[] = [];
      const done = () => {
        subs.forEach((s) => s.dispose());
        clearTimeout(t);
        resolve();
      };
      const t = setTimeout(done, 200);
      subs.push(vscode.languages.onDidChangeDiagnostics(done), vscode.window.tabGroups.onDidChangeTabs(done), vscode.workspace.onDidChangeTextDocument(done));
    });
  }
}

function folder(): string {
  return vscode.workspace.workspaceFolders![0]!.uri.fsPath;
}

async function openExample(name: string): Promise<vscode.TextDocument> {
  const doc = await vscode.workspace.openTextDocument(vscode.Uri.file(join(folder(), name)));
  await vscode.window.showTextDocument(doc);
  return doc;
}

function codes(uri: vscode.Uri): string[] {
  return vscode.languages.getDiagnostics(uri).map((d) => String(typeof d.code === 'object' ? d.code.value : d.code));
}

function webviewTab(viewType: string): vscode.Tab | undefined {
  return vscode.window.tabGroups.all.flatMap((g) => g.tabs).find((t) => t.input instanceof vscode.TabInputWebview && t.input.viewType.endsWith(viewType));
}

interface Inspection {
  error?: string;
  clientWidth: number;
  scrollWidth: number;
  themeKind: string;
  layout?: string;
  vars: Record<string, string>;
  violations: Array<{ id: string; impact: string; nodes: string[] }>;
}

let inspections = 0;
/**
 * What a person sees of a panel: the code-server shim answers from the browser (the suite has no
 * DOM), with the workbench window `windowWidth` wide and the panel beside the manifest.
 */
async function inspect(page: 'cost' | 'recommendations', windowWidth: number): Promise<Inspection> {
  const results = process.env.BARECOUNT_E2E_RESULTS!;
  const id = ++inspections;
  writeFileSync(`${results}.inspect.tmp`, JSON.stringify({ id, page, windowWidth }));
  renameSync(`${results}.inspect.tmp`, `${results}.inspect.json`);
  const answer = `${results}.inspected-${id}.json`;
  const found = await until(() => existsSync(answer), `the shim's look at the ${page} panel`, 60_000);
  assert.ok(found);
  const r = JSON.parse(readFileSync(answer, 'utf8')) as Inspection;
  rmSync(answer);
  if (r.error) assert.fail(r.error);
  return r;
}

const THEMES = [
  ['Default Dark Modern', vscode.ColorThemeKind.Dark, 'dark'],
  ['Default Light Modern', vscode.ColorThemeKind.Light, 'light'],
  // The defaults of VS Code 1.139 for new users.
  ['Dark 2026', vscode.ColorThemeKind.Dark, 'dark-2026'],
  ['Light 2026', vscode.ColorThemeKind.Light, 'light-2026'],
  ['Default High Contrast', vscode.ColorThemeKind.HighContrast, 'hc-dark'],
  ['Default High Contrast Light', vscode.ColorThemeKind.HighContrastLight, 'hc-light'],
] as const;

describe('BareCount in VS Code', () => {
  let api: BareCountApi;

  it('activates on a manifest and shows diagnostics with codes and doc links', async () => {
    const doc = await openExample('marketing-sync.barecount.yaml');
    assert.equal(doc.languageId, 'barecount');
    const ext = vscode.extensions.getExtension<BareCountApi>(EXTENSION_ID)!;
    api = await until(() => ext.isActive && ext.exports, 'activation');
    const found = await until(() => (codes(doc.uri).includes('BC202') ? codes(doc.uri) : undefined), 'diagnostics');
    for (const c of ['BC201', 'BC202', 'BC204', 'BC303', 'BC502']) assert.ok(found.includes(c), `missing ${c}`);
    const d = vscode.languages.getDiagnostics(doc.uri).find((x) => (x.code as { value: string }).value === 'BC202')!;
    assert.match((d.code as { target: vscode.Uri }).target.toString(), /BC202\.md$/);
    // VS Code says it reads related places, so the server sends them (convert.ts).
    assert.match(d.relatedInformation?.[0]?.message ?? '', /declared here/);
  });

  it('applies a quick fix and its finding goes away', async () => {
    const doc = await openExample('marketing-sync.barecount.yaml');
    // Ask until the workbench has the server's diagnostics and actions for this version of the file.
    let titles: string[] = [];
    const fix = await until(async () => {
      const d = vscode.languages.getDiagnostics(doc.uri).find((x) => (x.code as { value: string }).value === 'BC502');
      if (!d) return undefined;
      // The workbench cancels a code-action request that a newer publication overtakes: ask again.
      const actions = await vscode.commands
        .executeCommand<vscode.CodeAction[]>('vscode.executeCodeActionProvider', doc.uri, d.range, vscode.CodeActionKind.QuickFix.value)
        .then(
          (r) => r,
          (e: Error) => {
            if (e.message === 'Canceled' || e.name === 'Canceled') return undefined;
            throw e;
          },
        );
      if (!actions) return undefined;
      titles = actions.map((a) => a.title);
      return actions.find((a) => a.title === 'Change to "pull-campaigns"' && a.edit);
    }, 'the BC502 quick fix').catch((e: Error) => assert.fail(`${e.message}; actions offered: ${titles.join(', ') || 'none'}`));
    assert.ok(fix.edit);
    assert.ok(await vscode.workspace.applyEdit(fix.edit));
    await until(() => !codes(doc.uri).includes('BC502'), 'BC502 to go');
    assert.match(doc.getText(), /dependsOn: \[pull-campaigns\]/);
  });

  it('opens the cost panel with the same total as barecount-lint --cost, and follows edits', async () => {
    const doc = await openExample('orders-daily.barecount.yaml');
    await vscode.commands.executeCommand('barecount.showCostEstimate');
    await until(() => webviewTab('barecount.costEstimate'), 'the cost panel tab');
    const est = await until(() => api.costPanel()?.estimate?.uri === doc.uri.toString() && api.costPanel()!.estimate, 'the estimate');
    const cli = JSON.parse(
      execFileSync(process.execPath, [join(__dirname, '../../../dist/cli.js'), '--format', 'json', '--cost', doc.uri.fsPath], {
        encoding: 'utf8',
        cwd: folder(),
      }),
    );
    assert.ok(Math.abs(est.totalUsd - cli.files[0].cost.monthlyUsd) < 0.001, `${est.totalUsd} vs ${cli.files[0].cost.monthlyUsd}`);

    const before = est.totalUsd;
    const editor = await vscode.window.showTextDocument(doc);
    const line = doc
      .getText()
      .split('\n')
      .findIndex((l) => l.includes('estimate: { runsPerDay: 1, durationMinutes: 45, dataGb: 40 }'));
    await editor.edit((e) =>
      e.replace(new vscode.Range(line, 0, line, doc.lineAt(line).text.length), '      estimate: { runsPerDay: 1, durationMinutes: 45, dataGb: 400 }'),
    );
    const after = await until(
      () => (api.costPanel()?.estimate && api.costPanel()!.estimate!.totalUsd !== before ? api.costPanel()!.estimate : undefined),
      'the panel to update',
    );
    assert.ok(Math.abs(after.totalUsd - before - 30 * 360 * 0.05) < 0.001, `${before} → ${after.totalUsd}`);
    await vscode.commands.executeCommand('workbench.action.files.revert');
  });

  it('fix-all corrects typos and decides nothing', async () => {
    const doc = await openExample('marketing-sync.barecount.yaml');
    await until(() => codes(doc.uri).includes('BC002'), 'the BC002 typo');
    const actions = await until(async () => {
      const a = await vscode.commands.executeCommand<vscode.CodeAction[]>(
        'vscode.executeCodeActionProvider',
        doc.uri,
        new vscode.Range(0, 0, 0, 0),
        'source.fixAll.barecount',
      );
      return a.find((x) => x.edit) ? a : undefined;
    }, 'the fix-all action');
    const before = doc.getText();
    assert.ok(await vscode.workspace.applyEdit(actions.find((x) => x.edit)!.edit!));
    await until(() => !codes(doc.uri).includes('BC002'), 'BC002 to go');
    const after = doc.getText();
    assert.match(after, /workload: heavy-join\n/);
    // The literal secrets, the boundaries, the tags and every runner stay as the author wrote them.
    assert.equal(after, before.replace('heavy-joins', 'heavy-join').replace('[pull-campaign]', '[pull-campaigns]'));
    assert.ok(codes(doc.uri).includes('BC201'));
    await vscode.commands.executeCommand('workbench.action.files.revert');
  });

  it("opens the recommendations preview with each stage's recommended runner", async () => {
    await openExample('finance-reporting.barecount.yaml');
    await vscode.commands.executeCommand('barecount.previewRecommendations');
    await until(() => webviewTab('barecount.recommendations'), 'the recommendations tab');
    const rec = await until(
      () => api.recommendationsPanel()?.recommendations?.uri.endsWith('finance-reporting.barecount.yaml') && api.recommendationsPanel()!.recommendations,
      'recommendations',
    );
    const r = rec.stages[0]!.recommended!;
    assert.deepEqual([r.class, r.size, r.network, r.changes], ['container', 'large', 'private-vpc', ['class', 'size', 'network']]);
  });

  it('both panels beside a manifest: nothing cut off sideways and no accessibility violation, in six themes', async function () {
    this.timeout(240_000);
    const config = vscode.workspace.getConfiguration('workbench');
    const problems: string[] = [];
    try {
      for (const page of ['cost', 'recommendations'] as const) {
        // The manifest on the left, the panel beside it: the layout people use.
        await vscode.commands.executeCommand('workbench.action.closeAllEditors');
        const doc = await vscode.workspace.openTextDocument(vscode.Uri.file(join(folder(), 'finance-reporting.barecount.yaml')));
        const editor = await vscode.window.showTextDocument(doc, vscode.ViewColumn.One);
        // Everything the panels can show: a change against HEAD (the workspace is a git
        // repository) and a waived finding, unsaved as while someone types.
        if (!doc.isDirty) {
          const text = doc.getText();
          const edited = text
            .replace('    - name: poll-fx-rates', '    # barecount-ignore BC101: moves to containers with FIN-12\n    - name: poll-fx-rates')
            .replace('class: serverless, size: small, network: privatelink', 'class: serverless, size: medium, network: privatelink');
          assert.notEqual(edited, text);
          await editor.edit((e) => e.replace(new vscode.Range(doc.positionAt(0), doc.positionAt(text.length)), edited));
        }
        if (page === 'cost') {
          await vscode.commands.executeCommand('barecount.showCostEstimate');
          await until(() => {
            const est = api.costPanel()?.estimate;
            return est?.uri === doc.uri.toString() && est.baseline && est.pipelines[0]?.waived;
          }, 'an estimate with a baseline and a waived finding');
        } else {
          await vscode.commands.executeCommand('barecount.previewRecommendations');
          await until(() => {
            const rec = api.recommendationsPanel()?.recommendations;
            return rec?.uri === doc.uri.toString() && rec.stages.some((s) => s.waived.length > 0);
          }, 'recommendations with a waived finding');
        }
        for (const [theme, kind, file] of THEMES) {
          await config.update('colorTheme', theme, vscode.ConfigurationTarget.Global);
          await until(() => vscode.window.activeColorTheme.kind === kind, theme);
          // In a 2600 px window the panel beside the manifest gets about 970 px (the table); in 1400 px,
          // about 370 (cards).
          for (const windowWidth of [2600, 1400]) {
            const r = await inspect(page, windowWidth);
            const at = `${page} panel, ${theme}, ${r.clientWidth} px wide (${r.layout ?? '?'})`;
            console.log(`      ${at}: ${r.violations.length} violations, ${r.scrollWidth - r.clientWidth} px sideways`);
            if (r.scrollWidth > r.clientWidth) problems.push(`${at}: ${r.scrollWidth - r.clientWidth} px cut off sideways`);
            if (r.layout !== (windowWidth === 2600 ? 'table' : 'cards')) problems.push(`${at}: the ${r.layout} layout`);
            for (const v of r.violations) problems.push(`${at}: ${v.impact} ${v.id}: ${v.nodes.slice(0, 3).join(' | ')}`);
            // With BARECOUNT_CAPTURE_THEMES=dir, keep the variables VS Code gave the webview: the
            // Chromium tests render the panels with them.
            const capture = process.env.BARECOUNT_CAPTURE_THEMES;
            if (capture && page === 'cost' && windowWidth === 1400)
              writeFileSync(
                join(capture, `${file}.json`),
                JSON.stringify({ theme, vscode: vscode.version, bodyClass: r.themeKind, vars: r.vars }, null, 2) + '\n',
              );
          }
        }
      }
    } finally {
      await config.update('colorTheme', undefined, vscode.ConfigurationTarget.Global);
      await vscode.commands.executeCommand('workbench.action.files.revert');
      await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    }
    assert.deepEqual(problems, []);
  });
});
