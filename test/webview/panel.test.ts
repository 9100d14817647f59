import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { createServer, type Server } from 'node:http';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { AddressInfo } from 'node:net';
import { chromium, type Browser, type Page } from 'playwright-core';
import { webviewShell } from '../../client/src/webview-html';
import { COST_ESTIMATE, RECOMMENDATIONS, type CostEstimateResult, type RecommendationsResult } from '../../server/src/protocol';
import { ROOT } from '../helpers';
import { fileUri, killAll, LspClient } from '../lsp/harness';

// The panel page in headless Chromium (Debian's chromium through playwright-core), fed the real
// server's data for the examples. VS Code's webview host cannot run here, so two things are
// stood in for, and only these: acquireVsCodeApi (it records what the page posts) and the theme
// variables VS Code injects (a light and a dark set).
const OUT = join(ROOT, 'test-output');
const NONCE = 'dGVzdC1ub25jZS0xMjM0';

const THEMES = {
  dark: {
    '--vscode-foreground': '#cccccc',
    '--vscode-editor-background': '#1e1e1e',
    '--vscode-descriptionForeground': '#9d9d9d',
    '--vscode-button-background': '#0e639c',
    '--vscode-button-foreground': '#ffffff',
    '--vscode-charts-blue': '#3794ff',
    '--vscode-charts-orange': '#d18616',
    '--vscode-charts-green': '#89d185',
    '--vscode-charts-red': '#f14c4c',
    '--vscode-errorForeground': '#f48771',
    '--vscode-textLink-foreground': '#3794ff',
    '--vscode-input-background': '#3c3c3c',
    '--vscode-input-foreground': '#cccccc',
    '--vscode-widget-border': '#454545',
    '--vscode-font-family': 'Liberation Sans, sans-serif',
    '--vscode-font-size': '13px',
    '--vscode-list-activeSelectionBackground': '#04395e',
    '--vscode-list-activeSelectionForeground': '#ffffff',
    '--vscode-editorWarning-foreground': '#cca700',
  },
  light: {
    '--vscode-foreground': '#3b3b3b',
    '--vscode-editor-background': '#ffffff',
    '--vscode-descriptionForeground': '#717171',
    '--vscode-button-background': '#005fb8',
    '--vscode-button-foreground': '#ffffff',
    '--vscode-charts-blue': '#1a85ff',
    '--vscode-charts-orange': '#d18616',
    '--vscode-charts-green': '#388a34',
    '--vscode-charts-red': '#e51400',
    '--vscode-errorForeground': '#e51400',
    '--vscode-textLink-foreground': '#005fb8',
    '--vscode-input-background': '#ffffff',
    '--vscode-input-foreground': '#3b3b3b',
    '--vscode-input-border': '#cecece',
    '--vscode-widget-border': '#e5e5e5',
    '--vscode-font-family': 'Liberation Sans, sans-serif',
    '--vscode-font-size': '13px',
    '--vscode-list-activeSelectionBackground': '#e4e6f1',
    '--vscode-list-activeSelectionForeground': '#000000',
    '--vscode-editorWarning-foreground': '#bf8803',
  },
};

describe('cost panel page in Chromium', () => {
  let server: Server;
  let origin = '';
  let browser: Browser;
  let cost: CostEstimateResult;
  let clean: CostEstimateResult;
  let finance: CostEstimateResult;
  let recs: RecommendationsResult;

  before(async () => {
    // Real figures from the built server.
    const lsp = new LspClient();
    const { root } = await lsp.initialize();
    writeFileSync(join(root, 'barecount.policy.yaml'), readFileSync(join(ROOT, 'examples/barecount.policy.yaml'), 'utf8'));
    for (const name of ['marketing-sync', 'orders-daily', 'finance-reporting']) {
      const path = join(root, `${name}.barecount.yaml`);
      const text = readFileSync(join(ROOT, `examples/${name}.barecount.yaml`), 'utf8');
      writeFileSync(path, text);
      await lsp.open(fileUri(path), text);
      const est = (await lsp.connection.sendRequest(COST_ESTIMATE, { uri: fileUri(path) })) as CostEstimateResult;
      if (name === 'marketing-sync') cost = est;
      else if (name === 'orders-daily') clean = est;
      else {
        finance = est;
        recs = (await lsp.connection.sendRequest(RECOMMENDATIONS, { uri: fileUri(path) })) as RecommendationsResult;
      }
    }
    await lsp.stop();

    server = createServer((req, res) => {
      const url = new URL(req.url ?? '/', 'http://x');
      const theme = url.searchParams.get('theme') === 'light' ? 'light' : 'dark';
      const page = url.searchParams.get('page') === 'recommendations' ? 'recommendations' : 'cost';
      if (url.pathname === '/panel.js') return send(res, 'text/javascript', readFileSync(join(ROOT, 'dist/webview/panel.js')));
      if (url.pathname === '/panel.css') return send(res, 'text/css', readFileSync(join(ROOT, 'media/panel.css')));
      if (url.pathname === '/theme.css')
        return send(
          res,
          'text/css',
          `html{${Object.entries(THEMES[theme])
            .map(([k, v]) => `${k}:${v}`)
            .join(';')}}`,
        );
      if (url.pathname === '/stub.js') {
        return send(
          res,
          'text/javascript',
          `window.__posted=[];window.__state=window.__restore;window.acquireVsCodeApi=()=>({postMessage:m=>window.__posted.push(m),getState:()=>window.__state,setState:s=>{window.__state=s}});`,
        );
      }
      let html = webviewShell({ title: 'Cost', page, cspSource: origin, nonce: NONCE, scriptUri: `${origin}/panel.js`, styleUri: `${origin}/panel.css` });
      html = html
        .replace('</head>', `<link rel="stylesheet" href="${origin}/theme.css?theme=${theme}"></head>`)
        .replace(`<script nonce="${NONCE}"`, `<script nonce="${NONCE}" src="${origin}/stub.js"></script><script nonce="${NONCE}"`);
      return send(res, 'text/html', html);
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    browser = await chromium.launch({
      executablePath: '/usr/bin/chromium',
      args: [
        '--no-sandbox',
        '--disable-gpu',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
        '--no-first-run',
        '--disable-quic',
      ],
    });
    mkdirSync(OUT, { recursive: true });
  });

  after(async () => {
    await browser?.close();
    server?.close();
    killAll();
  });

  async function open(theme: 'light' | 'dark', page: 'cost' | 'recommendations' = 'cost'): Promise<{ p: Page; errors: string[] }> {
    const p = await browser.newPage({ viewport: { width: 1000, height: 900 } });
    const errors: string[] = [];
    p.on('console', (m) => {
      if (m.type() === 'error') errors.push(m.text());
    });
    p.on('pageerror', (e) => errors.push(e.message));
    await p.goto(`${origin}/?theme=${theme}&page=${page}`);
    await p.waitForFunction(() => (window as unknown as { __posted: Array<{ type: string }> }).__posted.some((m) => m.type === 'ready'));
    return { p, errors };
  }

  const post = (p: Page, message: unknown) => p.evaluate((m) => window.postMessage(m, '*'), message);

  test('figures, totals, chart and the over-budget state; screenshots in both themes', async () => {
    for (const theme of ['dark', 'light'] as const) {
      const { p, errors } = await open(theme);
      await post(p, { type: 'estimate', data: cost });
      await p.waitForSelector('[data-testid=total-usd]');
      assert.equal(await p.textContent('[data-testid=total-usd]'), '$8,151.47');
      assert.match((await p.textContent('[data-testid=over-budget]')) ?? '', /Over budget by \$5,651\.47/);
      const rows = await p.$$eval('tr[data-stage]', (trs) =>
        trs.map((t) => [t.getAttribute('data-stage'), t.querySelector('[data-testid=stage-total]')?.textContent]),
      );
      assert.deepEqual(rows, [
        ['pull-campaigns', '$7,502.42'],
        ['score-leads', '$560.40'],
        ['push-audiences', '$88.66'],
      ]);
      assert.equal(await p.$$eval('svg.chart rect.bar', (r) => r.length), 6);
      await p.screenshot({ path: join(OUT, `cost-panel-${theme}.png`), fullPage: true });
      assert.deepEqual(errors, []);
      await p.close();
    }
  });

  test('within budget there is no over-budget state', async () => {
    const { p, errors } = await open('dark');
    await post(p, { type: 'estimate', data: clean });
    await p.waitForSelector('[data-testid=total-usd]');
    assert.equal(await p.$('[data-testid=over-budget]'), null);
    assert.equal(await p.textContent('[data-testid=total-usd]'), '$731.18');
    assert.deepEqual(errors, []);
    await p.close();
  });

  test('Apply, assumptions and export post validated-shape messages', async () => {
    const { p } = await open('dark');
    await post(p, { type: 'estimate', data: finance });
    await p.waitForSelector('[data-testid=total-usd]');
    // Each stage's recommended runner is shown as such, with what it saves.
    const recommended = await p.$$eval('.alternatives', (boxes) => boxes.map((b) => b.textContent ?? ''));
    assert.match(recommended[0]!, /Recommended runner\s*container · large · private-vpc\s*\$343\.48\s*saves \$3,349\.41/);
    assert.match(recommended[2]!, /Runs on its recommended runner/);
    await p.screenshot({ path: join(OUT, 'cost-panel-recommended-dark.png'), fullPage: true });
    // The first Apply of a stage is its recommended runner: the one hover and the lenses show.
    await p
      .getByRole('button', { name: /^Apply managed-etl xlarge private-vpc to month-end-backfill/ })
      .first()
      .click();
    await p.fill('#in-0-1-runsPerDay', '3');
    await p.getByRole('button', { name: 'Write these assumptions to the estimate of month-end-backfill' }).click();
    await p.getByRole('button', { name: 'Export the cost table as CSV' }).click();
    const posted = (await p.evaluate(() => (window as unknown as { __posted: unknown[] }).__posted)) as Array<Record<string, unknown>>;
    const apply = posted.find((m) => m.type === 'apply')!;
    assert.deepEqual(apply, { type: 'apply', documentIndex: 0, stageIndex: 1, class: 'managed-etl', size: 'xlarge', network: 'private-vpc' });
    assert.deepEqual(
      posted.find((m) => m.type === 'setEstimate'),
      { type: 'setEstimate', documentIndex: 0, stageIndex: 1, estimate: { runsPerDay: 3 } },
    );
    assert.deepEqual(
      posted.find((m) => m.type === 'export'),
      { type: 'export', format: 'csv' },
    );
    // Keyboard: the first Apply button is reachable with Tab and has an accessible name.
    const named = await p.$$eval('button', (bs) => bs.every((b) => (b.getAttribute('aria-label') ?? b.textContent ?? '').trim().length > 0));
    assert.equal(named, true);
    await p.close();
  });

  test('hostile names render as inert text', async () => {
    const { p, errors } = await open('dark');
    const evil = structuredClone(cost);
    const names = [
      '<img src=x onerror="window.__pwned=1">',
      '<script>window.__pwned=2</script>',
      'javascript:window.__pwned=3',
      '\u202egnp.exe\u200b',
      'x'.repeat(5000),
      '</style><style>body{display:none}</style>',
    ];
    evil.pipelines[0]!.name = names[1]!;
    evil.pipelines[0]!.stages.forEach((s, i) => (s.name = names[i % names.length]!));
    evil.pipelines[0]!.stages[0]!.size = '<b>big</b>';
    evil.policySource = '<iframe src="javascript:window.__pwned=4">';
    await post(p, { type: 'estimate', data: evil });
    await p.waitForSelector('[data-testid=total-usd]');
    await p.click('button.link');
    assert.equal(await p.evaluate(() => (window as unknown as { __pwned?: number }).__pwned), undefined);
    assert.equal(await p.$$eval('img, iframe, b, style:not([data-vscode])', (els) => els.filter((e) => e.closest('#app')).length), 0);
    assert.ok((await p.textContent('#app'))!.includes('<img src=x onerror="window.__pwned=1">'));
    assert.equal(await p.isVisible('#app'), true);
    assert.deepEqual(errors, []);
    await p.close();
  });

  test('the CSP allows no inline or remote script', async () => {
    const { p, errors } = await open('dark');
    const csp = await p.$eval('meta[http-equiv="Content-Security-Policy"]', (m) => m.getAttribute('content'));
    assert.match(csp!, /default-src 'none'/);
    assert.match(csp!, /script-src 'nonce-/);
    assert.doesNotMatch(csp!, /unsafe-inline|unsafe-eval|https?:\/\/\*/);
    await p.evaluate(() => {
      const s = document.createElement('script');
      s.textContent = 'window.__inline = 1';
      document.body.append(s);
    });
    assert.equal(await p.evaluate(() => (window as unknown as { __inline?: number }).__inline), undefined);
    assert.ok(errors.some((e) => /Content Security Policy/.test(e)));
    await p.close();
  });

  test('state survives a reload (restored from the webview state)', async () => {
    const { p } = await open('dark');
    await post(p, { type: 'estimate', data: cost });
    await p.waitForSelector('[data-testid=total-usd]');
    const state = await p.evaluate(() => (window as unknown as { __state: unknown }).__state);
    // A new page (VS Code reloading the webview) gets the saved state back and shows it at once.
    const fresh = await browser.newPage();
    await fresh.addInitScript((s) => ((window as unknown as { __restore: unknown }).__restore = s), state);
    await fresh.goto(`${origin}/?theme=dark`);
    await fresh.waitForSelector('[data-testid=total-usd]');
    assert.equal(await fresh.textContent('[data-testid=total-usd]'), '$8,151.47');
    await p.close();
    await fresh.close();
  });

  test('recommendations page: the recommended runner, deviations with rule links, the matrix with the active rows', async () => {
    const { p, errors } = await open('light', 'recommendations');
    await post(p, { type: 'recommendations', data: recs });
    await p.waitForSelector('tr[data-stage="poll-fx-rates"]');
    const row = (await p.textContent('tr[data-stage="poll-fx-rates"]'))!;
    assert.ok(row.includes('BC101') && row.includes('container · large · private-vpc'), row);
    // export-ledger already runs on its recommended runner: no Apply.
    assert.ok((await p.textContent('tr[data-stage="export-ledger"]'))!.includes('as declared'));
    assert.equal(await p.$$eval('tr[data-stage="export-ledger"] button', (b) => b.length), 0);
    // api-poll, window-backfill and file-export are the active matrix rows.
    assert.equal(await p.$$eval('.matrix tr.active', (r) => r.length), 3);
    await p.screenshot({ path: join(OUT, 'recommendations-light.png'), fullPage: true });
    await p.getByRole('button', { name: 'Apply the recommendation to poll-fx-rates' }).click();
    const posted = (await p.evaluate(() => (window as unknown as { __posted: unknown[] }).__posted)) as Array<Record<string, unknown>>;
    assert.deepEqual(
      posted.find((m) => m.type === 'applyRecommendation'),
      { type: 'applyRecommendation', documentIndex: 0, stageIndex: 0 },
    );
    assert.deepEqual(errors, []);
    await p.close();
  });
});

function send(res: import('node:http').ServerResponse, type: string, body: string | Buffer) {
  res.writeHead(200, { 'content-type': type });
  res.end(body);
}
