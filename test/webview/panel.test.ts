import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { createServer, type Server } from 'node:http';
import { execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { AddressInfo } from 'node:net';
import { chromium, type Browser, type Page } from 'playwright-core';
import { webviewShell } from '../../client/src/webview-html';
import { COST_ESTIMATE, RECOMMENDATIONS, type CostEstimateResult, type RecommendationsResult } from '../../server/src/protocol';
import { ROOT } from '../helpers';
import { usd, usdChange } from '../../client/src/format';
import { inputBasisLabel } from '../../server/src/core/estimate-labels';
import { fileUri, killAll, LspClient } from '../lsp/harness';

// The panel page in headless Chromium (Debian's chromium through playwright-core), fed the real
// server's data. VS Code's webview host cannot run here, so two things are stood in for, and only
// these: acquireVsCodeApi (it records what the page posts), and the theme: the body class and the
// `--vscode-*` variables VS Code 1.139.1 gave this webview in six of its built-in themes, captured
// from a real workbench (test/webview/themes; BARECOUNT_CAPTURE_THEMES=dir node test/e2e/run.mjs
// captures them again).
const OUT = join(ROOT, 'test-output');
const NONCE = 'dGVzdC1ub25jZS0xMjM0';

type ThemeName = 'dark' | 'light' | 'dark-2026' | 'light-2026' | 'hc-dark' | 'hc-light';
/** Dark and Light Modern, Dark and Light 2026 (1.139's defaults), and the two high-contrast themes. */
const THEME_NAMES: ThemeName[] = ['dark', 'light', 'dark-2026', 'light-2026', 'hc-dark', 'hc-light'];
const THEMES = Object.fromEntries(
  THEME_NAMES.map((t) => [
    t,
    JSON.parse(readFileSync(join(ROOT, 'test/webview/themes', `${t}.json`), 'utf8')) as { theme: string; bodyClass: string; vars: Record<string, string> },
  ]),
) as Record<ThemeName, { theme: string; bodyClass: string; vars: Record<string, string> }>;
const AXE = readFileSync(join(ROOT, 'node_modules/axe-core/axe.min.js'), 'utf8');

/** axe-core's violations on the page: every rule, experimental and best practice too, but the AAA ones (7:1 contrast; the bar is 4.5:1, and VS Code's own buttons are AA). */
async function axeViolations(p: Page): Promise<string[]> {
  await p.evaluate(AXE);
  return p.evaluate(async () => {
    type Axe = {
      getRules(): Array<{ ruleId: string; tags: string[] }>;
      run(
        ctx: Document,
        o: unknown,
      ): Promise<{ violations: Array<{ id: string; impact: string; nodes: Array<{ target: string[]; failureSummary: string }> }> }>;
    };
    const axe = (window as unknown as { axe: Axe }).axe;
    const rules = Object.fromEntries(axe.getRules().map((r) => [r.ruleId, { enabled: !r.tags.includes('wcag2aaa') }]));
    const r = await axe.run(document, { rules, resultTypes: ['violations'] });
    return r.violations.flatMap((v) => v.nodes.slice(0, 3).map((n) => `${v.impact} ${v.id} at ${n.target.join(' ')}: ${n.failureSummary}`));
  });
}

/** How far the page scrolls sideways: 0 when everything fits. */
const sideways = (p: Page) => p.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);

describe('cost panel page in Chromium', () => {
  let server: Server;
  let origin = '';
  let browser: Browser;
  let cost: CostEstimateResult;
  let clean: CostEstimateResult;
  let finance: CostEstimateResult;
  let recs: RecommendationsResult;
  /** finance-reporting changed since HEAD, with a waiver: every column and note the panels have. */
  let full: CostEstimateResult;
  let fullRecs: RecommendationsResult;

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
    // Everything the panels can show, from the real server: the workspace is a git repository, the
    // open text differs from HEAD (a stage resized) and waives a finding.
    const repo = join(root, 'repo');
    mkdirSync(repo);
    const path = join(repo, 'finance-reporting.barecount.yaml');
    const text = readFileSync(join(ROOT, 'examples/finance-reporting.barecount.yaml'), 'utf8');
    writeFileSync(path, text);
    const git = (...args: string[]) =>
      execFileSync('git', ['-c', 'user.email=t@example.com', '-c', 'user.name=t', '-c', 'commit.gpgsign=false', ...args], { cwd: repo });
    git('init', '-q');
    git('add', '-A');
    git('commit', '-qm', 'examples');
    const edited = text
      .replace('    - name: poll-fx-rates', '    # barecount-ignore BC101: moves to containers with FIN-12\n    - name: poll-fx-rates')
      .replace('class: serverless, size: small, network: privatelink', 'class: serverless, size: medium, network: privatelink');
    assert.notEqual(edited, text);
    await lsp.open(fileUri(path), edited);
    // git answers in the background: ask until the estimate has the baseline.
    let got: CostEstimateResult | undefined;
    for (let i = 0; !got?.baseline && i < 200; i++) {
      if (i) await new Promise((r) => setTimeout(r, 50));
      got = (await lsp.connection.sendRequest(COST_ESTIMATE, { uri: fileUri(path) })) as CostEstimateResult;
    }
    full = got!;
    fullRecs = (await lsp.connection.sendRequest(RECOMMENDATIONS, { uri: fileUri(path) })) as RecommendationsResult;
    assert.equal(full.baseline?.ref, 'HEAD', 'the server compared with HEAD');
    assert.ok(full.pipelines[0]!.waived > 0 && fullRecs.stages.some((s) => s.waived.length > 0), 'a finding is waived');
    await lsp.stop();

    server = createServer((req, res) => {
      const url = new URL(req.url ?? '/', 'http://x');
      const theme = (THEME_NAMES as string[]).includes(url.searchParams.get('theme') ?? '') ? (url.searchParams.get('theme') as ThemeName) : 'dark';
      const page = url.searchParams.get('page') === 'recommendations' ? 'recommendations' : 'cost';
      if (url.pathname === '/panel.js') return send(res, 'text/javascript', readFileSync(join(ROOT, 'dist/webview/panel.js')));
      if (url.pathname === '/panel.css') return send(res, 'text/css', readFileSync(join(ROOT, 'media/panel.css')));
      if (url.pathname === '/theme.css')
        return send(
          res,
          'text/css',
          `html{${Object.entries({
            ...THEMES[theme].vars,
            ...(url.searchParams.get('font') ? { '--vscode-font-size': `${Number(url.searchParams.get('font'))}px` } : {}),
          })
            .map(([k, v]) => `${k}:${v}`)
            .join(';')}}`,
        );
      if (url.pathname === '/stub.js') {
        // The body class VS Code sets for the theme kind, and the stand-in for acquireVsCodeApi.
        return send(
          res,
          'text/javascript',
          `document.body.className=${JSON.stringify(THEMES[theme].bodyClass)};window.__posted=[];window.__state=window.__restore;window.acquireVsCodeApi=()=>({postMessage:m=>window.__posted.push(m),getState:()=>window.__state,setState:s=>{window.__state=s}});`,
        );
      }
      let html = webviewShell({ title: 'Cost', page, cspSource: origin, nonce: NONCE, scriptUri: `${origin}/panel.js`, styleUri: `${origin}/panel.css` });
      html = html
        .replace('</head>', `<link rel="stylesheet" href="${origin}/theme.css?theme=${theme}&font=${url.searchParams.get('font') ?? ''}"></head>`)
        .replace(`<script nonce="${NONCE}"`, `<script nonce="${NONCE}" src="${origin}/stub.js?theme=${theme}"></script><script nonce="${NONCE}"`);
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

  /** A page at `width` px in a theme; `font` px overrides the theme's --vscode-font-size (13). */
  async function open(theme: ThemeName, page: 'cost' | 'recommendations' = 'cost', width = 1000, font?: number): Promise<{ p: Page; errors: string[] }> {
    const p = await browser.newPage({ viewport: { width, height: 900 } });
    const errors: string[] = [];
    p.on('console', (m) => {
      if (m.type() === 'error') errors.push(m.text());
    });
    p.on('pageerror', (e) => errors.push(e.message));
    await p.goto(`${origin}/?theme=${theme}&page=${page}${font ? `&font=${font}` : ''}`);
    await p.waitForFunction(() => (window as unknown as { __posted: Array<{ type: string }> }).__posted.some((m) => m.type === 'ready'));
    return { p, errors };
  }

  /** A new page given `p`'s saved webview state, as VS Code does when it reloads a webview. */
  async function reloaded(p: Page, width: number): Promise<Page> {
    const state = await p.evaluate(() => (window as unknown as { __state: unknown }).__state);
    const fresh = await browser.newPage({ viewport: { width, height: 900 } });
    await fresh.addInitScript((s) => ((window as unknown as { __restore: unknown }).__restore = s), state);
    await fresh.goto(`${origin}/?theme=dark`);
    return fresh;
  }

  const post = (p: Page, message: unknown) => p.evaluate((m) => window.postMessage(m, '*'), message);

  test('figures, totals, chart and the over-budget state; screenshots in both themes', async () => {
    for (const theme of ['dark', 'light'] as const) {
      const { p, errors } = await open(theme);
      await post(p, { type: 'estimate', data: cost });
      await p.waitForSelector('[data-testid=total-usd]');
      assert.equal(await p.textContent('[data-testid=total-usd]'), '$8,151.47');
      assert.match((await p.textContent('[data-testid=over-budget]')) ?? '', /Over budget by \$5,651\.47/);
      const rows = await p.$$eval('[data-stage]', (trs) =>
        trs.map((t) => [t.getAttribute('data-stage'), t.querySelector('[data-testid=stage-total]')?.textContent]),
      );
      assert.deepEqual(rows, [
        ['pull-campaigns', '$7,502.42'],
        ['score-leads', '$560.40'],
        ['push-audiences', '$88.66'],
      ]);
      assert.equal(await p.$$eval('.chart .bar', (r) => r.length), 6);
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
    await p.getByRole('button', { name: 'Save to estimate of month-end-backfill' }).click();
    await p.getByRole('button', { name: 'Export CSV' }).click();
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
    await p.close();
  });

  for (const width of [360, 1000])
    test(`hostile names render as inert text, and a 5000-character name does not widen a ${width} px panel`, async () => {
      const { p, errors } = await open('dark', 'cost', width);
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
      assert.equal(await sideways(p), 0);
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
    // A new page (VS Code reloading the webview) gets the saved state back and shows it at once.
    const fresh = await reloaded(p, 1000);
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
    // The rows the stages use are marked in words ("Used by"), not only highlighted.
    const used = await p.$$eval('table.matrix tbody tr', (rows) =>
      rows.filter((r) => r.classList.contains('active')).map((r) => [r.querySelector('th')!.textContent, r.lastElementChild!.textContent]),
    );
    assert.deepEqual(used, [
      ['api-poll', 'poll-fx-rates'],
      ['window-backfill', 'month-end-backfill'],
      ['file-export', 'export-ledger'],
    ]);
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

  /** Opens a page at `width` with the full data (baseline column, waived findings) and waits for it. */
  async function openFull(theme: ThemeName, page: 'cost' | 'recommendations', width: number, font?: number) {
    const opened = await open(theme, page, width, font);
    if (page === 'cost') await post(opened.p, { type: 'estimate', data: full });
    else await post(opened.p, { type: 'recommendations', data: fullRecs });
    await opened.p.waitForSelector('[data-stage="poll-fx-rates"]');
    return opened;
  }

  test('both pages in six VS Code themes at 1000, 360 and 320 px: no axe-core violation, nothing cut off sideways', async () => {
    const problems: string[] = [];
    const layouts = new Set<string>();
    for (const theme of THEME_NAMES)
      for (const page of ['cost', 'recommendations'] as const)
        for (const width of [1000, 360, 320]) {
          const { p, errors } = await openFull(theme, page, width);
          const at = `${page} page, ${THEMES[theme].theme}, ${width} px`;
          const layout = await p.getAttribute('#app', 'data-layout');
          layouts.add(`${width}:${layout}`);
          for (const v of await axeViolations(p)) problems.push(`${at}: ${v}`);
          const over = await sideways(p);
          if (over > 0) problems.push(`${at}: ${over} px cut off sideways`);
          // What the next columns need fits too: the change against HEAD and the waived findings.
          const text = (await p.textContent('#app'))!;
          if (page === 'cost' && !(text.includes('vs HEAD') && /\+\$[\d,.]+/.test(text) && /finding[s]? waived/.test(text)))
            problems.push(`${at}: no baseline or waiver shown`);
          if (page === 'recommendations' && !text.includes('BC101 waived')) problems.push(`${at}: the waived finding is not shown`);
          problems.push(...errors.map((e) => `${at}: ${e}`));
          await p.close();
        }
    assert.deepEqual(problems, []);
    // The check can fail: a control whose accessible name leaves out its visible text is caught.
    const { p } = await openFull('light', 'cost', 360);
    await p.evaluate(() => document.getElementById('export-csv')!.setAttribute('aria-label', 'Download the table'));
    assert.ok((await axeViolations(p)).some((v) => v.includes('label-content-name-mismatch')));
    await p.close();
    // Wide panels get the table, narrow ones cards.
    assert.deepEqual([...layouts].sort(), ['1000:table', '320:cards', '360:cards']);
  });

  test('narrow panels show each stage as a card with its runner, figures, inputs and alternatives; the chart text stays at the font size', async () => {
    const { p } = await openFull('dark', 'cost', 360);
    const card = p.locator('li.card[data-stage="month-end-backfill"]');
    const fields = await card
      .locator('dl.fields > div')
      .evaluateAll((ds) => ds.map((d) => [d.querySelector('dt')!.textContent, d.querySelector('dd')!.textContent]));
    const stage = full.pipelines[0]!.stages.find((s) => s.name === 'month-end-backfill')!;
    assert.deepEqual(Object.fromEntries(fields as Array<[string, string]>), {
      Runner: `${stage.class} · ${stage.size} · ${stage.network}`,
      Compute: usd(stage.computeUsd),
      Transfer: usd(stage.transferUsd),
      Total: usd(stage.monthlyUsd),
      'vs HEAD': usdChange(stage.monthlyUsd, stage.baselineMonthlyUsd!),
      'Assumed inputs': stage.defaulted.length ? stage.defaulted.map((i) => `${i} (${inputBasisLabel(stage.inputs[i])})`).join(', ') : 'none',
      Waived: stage.waived ? `${stage.waived} finding${stage.waived === 1 ? '' : 's'}` : 'none',
    });
    assert.equal(await card.getByRole('button', { name: /^Save to estimate/ }).count(), 1);
    assert.ok((await card.getByRole('button', { name: /^Apply / }).count()) >= 1);
    // The resized stage shows its change against HEAD; the card keeps to the panel's width.
    const resized = full.pipelines[0]!.stages.find((s) => s.name === 'export-ledger')!;
    assert.ok(resized.monthlyUsd !== resized.baselineMonthlyUsd);
    assert.equal(
      await p.textContent('li.card[data-stage="export-ledger"] [data-testid=stage-change]'),
      usdChange(resized.monthlyUsd, resized.baselineMonthlyUsd!),
    );
    // Chart labels are text at the panel's font size (13 px in these themes), above their bars.
    const chart = await p.$$eval('.chart-row', (rows) =>
      rows.map((r) => {
        const label = r.querySelector('.chart-name')!;
        const bar = r.querySelector('.chart-track')!;
        return { size: getComputedStyle(label).fontSize, above: label.getBoundingClientRect().bottom <= bar.getBoundingClientRect().top };
      }),
    );
    assert.deepEqual(
      chart,
      full.pipelines[0]!.stages.map(() => ({ size: '13px', above: true })),
    );
    // Its text alternative names each stage with its figures.
    const alt = (await p.getAttribute('.chart', 'aria-label'))!;
    assert.equal(await p.getAttribute('.chart', 'role'), 'img');
    for (const s of full.pipelines[0]!.stages) assert.ok(alt.includes(`${s.name} ${usd(s.monthlyUsd)}`), alt);
    await p.close();
  });

  /** Presses Tab until the focused control's accessible name (or id) matches, or fails after `limit` presses. */
  async function tabTo(p: Page, name: RegExp, limit = 150): Promise<void> {
    for (let i = 0; i < limit; i++) {
      await p.keyboard.press('Tab');
      const focused = await p.evaluate(() => {
        const a = document.activeElement as HTMLElement | null;
        if (!a || a === document.body) return { name: '', id: '', outline: 'none' };
        const label = a.getAttribute('aria-label') ?? (a.id ? document.querySelector(`label[for="${a.id}"]`)?.textContent : null) ?? a.textContent ?? '';
        const style = getComputedStyle(a);
        return { name: label.trim(), id: a.id, outline: style.outlineStyle === 'none' || parseFloat(style.outlineWidth) === 0 ? 'none' : style.outlineStyle };
      });
      // Focus is always visible: every control Tab reaches draws its outline.
      assert.notEqual(focused.outline, 'none', `no visible focus on "${focused.name}"`);
      if (name.test(focused.name) || name.test(focused.id)) return;
    }
    assert.fail(`Tab never reached ${name}`);
  }

  const postedOf = async (p: Page) => (await p.evaluate(() => (window as unknown as { __posted: unknown[] }).__posted)) as Array<Record<string, unknown>>;

  for (const width of [1000, 360]) {
    test(`keyboard only at ${width} px: Tab and Enter press the exports, Apply and Save to estimate; focus stays put when new data arrives`, async () => {
      const { p } = await openFull('light', 'cost', width);
      await tabTo(p, /^Export CSV$/);
      await p.keyboard.press('Enter');
      await tabTo(p, /^Export Markdown$/);
      await p.keyboard.press('Enter');
      await tabTo(p, /^in-0-1-runsPerDay$/);
      await p.keyboard.press('Control+A');
      await p.keyboard.type('4');
      await tabTo(p, /^Save to estimate of month-end-backfill$/);
      const save = await p.evaluate(() => document.activeElement!.id);
      await p.keyboard.press('Enter');
      const recommended = full.pipelines[0]!.stages[1]!.recommended!;
      await tabTo(p, new RegExp(`^Apply ${recommended.class} ${recommended.size} ${recommended.network} to month-end-backfill`));
      await p.keyboard.press('Enter');
      const posted = await postedOf(p);
      assert.deepEqual(
        posted.filter((m) => m.type !== 'ready'),
        [
          { type: 'export', format: 'csv' },
          { type: 'export', format: 'markdown' },
          { type: 'setEstimate', documentIndex: 0, stageIndex: 1, estimate: { runsPerDay: 4 } },
          { type: 'apply', documentIndex: 0, stageIndex: 1, class: recommended.class, size: recommended.size, network: recommended.network },
        ],
      );
      await p.focus(`#${save}`);
      // The server answers with new figures: the page is rebuilt, and focus is where it was.
      await post(p, { type: 'estimate', data: structuredClone(full) });
      assert.equal(await p.evaluate(() => document.activeElement!.id), save);
      await p.close();
    });
  }

  test('keyboard only on the recommendations page: Tab and Enter press Apply and Apply all', async () => {
    const { p } = await openFull('hc-dark', 'recommendations', 360);
    await tabTo(p, /^Apply all$/);
    await p.keyboard.press('Enter');
    await tabTo(p, /^Apply the recommendation to poll-fx-rates$/);
    await p.keyboard.press('Enter');
    const posted = (await postedOf(p)).filter((m) => m.type !== 'ready');
    assert.deepEqual(posted, [{ type: 'applyAllRecommendations' }, { type: 'applyRecommendation', documentIndex: 0, stageIndex: 0 }]);
    await p.close();
  });

  test('a panel resized between table and cards keeps what was typed and where focus was', async () => {
    const { p } = await openFull('dark', 'cost', 1000);
    assert.equal(await p.getAttribute('#app', 'data-layout'), 'table');
    await p.fill('#in-0-2-dataGb', '7.5');
    await p.focus('#in-0-2-dataGb');
    await p.setViewportSize({ width: 360, height: 900 });
    await p.waitForSelector('#app[data-layout=cards]');
    assert.equal(await p.inputValue('#in-0-2-dataGb'), '7.5');
    assert.equal(await p.evaluate(() => document.activeElement!.id), 'in-0-2-dataGb');
    await p.setViewportSize({ width: 1000, height: 900 });
    await p.waitForSelector('#app[data-layout=table]');
    assert.equal(await p.inputValue('#in-0-2-dataGb'), '7.5');
    await p.close();
  });

  test('screenshots for the README: 360 px in the dark and light themes, and the table at 1000 px (images/ with UPDATE_SCREENSHOTS=1)', async () => {
    const shots: Array<[ThemeName, 'cost' | 'recommendations', number]> = [
      ['dark', 'cost', 360],
      ['light', 'cost', 360],
      ['dark', 'recommendations', 360],
      ['light', 'recommendations', 360],
      ['dark', 'cost', 1000],
    ];
    for (const [theme, page, width] of shots) {
      const { p } = await openFull(theme, page, width);
      assert.equal(await p.getAttribute('#app', 'data-layout'), width < 600 ? 'cards' : 'table');
      const shot = await p.screenshot({ path: join(OUT, `${page}-${width}-${theme}.png`) });
      assert.ok(shot.length > 1000);
      if (process.env.UPDATE_SCREENSHOTS) writeFileSync(join(ROOT, 'images', `panel-${page}-${width}-${theme}.png`), shot);
      await p.close();
    }
  });

  test('the chart and the layout follow the font size: at 20 px the labels are 20 px, and 1000 px is too narrow for the table', async () => {
    const { p } = await openFull('light', 'cost', 1000, 20);
    assert.equal(await p.getAttribute('#app', 'data-layout'), 'cards');
    assert.deepEqual([...new Set(await p.$$eval('.chart-name, .chart-label .num', (ls) => ls.map((l) => getComputedStyle(l).fontSize)))], ['20px']);
    assert.equal(await sideways(p), 0);
    await p.setViewportSize({ width: 1400, height: 900 });
    await p.waitForSelector('#app[data-layout=table]');
    assert.equal(await sideways(p), 0);
    await p.close();
  });

  test('a table that would not fit gives way to cards: just above the breakpoint, and with a long unbreakable value at 1000 px', async () => {
    const problems: string[] = [];
    const long = structuredClone(full);
    long.pipelines[0]!.stages[0]!.network = 'private-vpc-with-a-very-long-unbreakable-network-profile-name-from-a-policy';
    for (const [name, data, widths] of [
      ['marketing-sync', cost, [680, 700, 720, 760, 800]],
      ['finance-reporting', full, [680, 700, 720]],
      ['a long value', long, [1000, 1400]],
    ] as const)
      for (const width of widths) {
        const { p } = await open('dark', 'cost', width);
        await post(p, { type: 'estimate', data });
        await p.waitForSelector('[data-testid=total-usd]');
        const over = await sideways(p);
        if (over > 0) problems.push(`${name} at ${width} px (${await p.getAttribute('#app', 'data-layout')}): ${over} px cut off`);
        await p.close();
      }
    assert.deepEqual(problems, []);
    // Wide enough, the same data gets the table again.
    const { p } = await open('dark', 'cost', 680);
    await post(p, { type: 'estimate', data: cost });
    await p.waitForSelector('[data-testid=total-usd]');
    await p.setViewportSize({ width: 1200, height: 900 });
    await p.waitForSelector('#app[data-layout=table]');
    assert.equal(await sideways(p), 0);
    await p.close();
  });

  test('after Apply the control is gone with the new data: focus goes to its stage, not to the page', async () => {
    const { p } = await openFull('dark', 'recommendations', 360);
    await tabTo(p, /^Apply the recommendation to poll-fx-rates$/);
    await p.keyboard.press('Enter');
    // The server's answer: the stage now runs on its recommended runner, so it has no Apply.
    const applied = structuredClone(fullRecs);
    applied.stages[0]!.recommended!.changes = [];
    await post(p, { type: 'recommendations', data: applied });
    await p.waitForFunction(() => !document.getElementById('apply-rec-0-0'));
    const focused = await p.evaluate(() => ({
      tag: document.activeElement!.tagName,
      text: document.activeElement!.textContent,
      key: document.activeElement!.closest('[data-key]')?.getAttribute('data-key'),
    }));
    assert.deepEqual(focused, { tag: 'H3', text: 'poll-fx-rates', key: '0/poll-fx-rates' });
    await p.close();
  });

  test('typed values stay with their stage and manifest, and give way when the manifest changes the value', async () => {
    const { p } = await openFull('dark', 'cost', 360);
    await p.fill('#in-0-1-runsPerDay', '9');
    await p.fill('#in-0-2-dataGb', '7');
    // (New data waits while a field is typed in: leave it first.)
    await p.evaluate(() => (document.activeElement as HTMLElement).blur());
    // The first stage is deleted in the manifest: the typed values move with their stages.
    const fewer = structuredClone(full);
    fewer.pipelines[0]!.stages.shift();
    fewer.pipelines[0]!.stages.forEach((s) => (s.index -= 1));
    await post(p, { type: 'estimate', data: fewer });
    await p.waitForFunction(() => !document.querySelector('[data-stage="poll-fx-rates"]'));
    assert.equal(await p.inputValue('#in-0-0-runsPerDay'), '9');
    assert.equal(await p.inputValue('#in-0-1-dataGb'), '7');
    // The manifest's own value of dataGb changes: the file wins over what was typed.
    const changed = structuredClone(fewer);
    changed.pipelines[0]!.stages[1]!.inputs.dataGb.value = 3;
    await post(p, { type: 'estimate', data: changed });
    await p.waitForFunction(() => (document.getElementById('in-0-1-dataGb') as HTMLInputElement).value === '3');
    assert.equal(await p.inputValue('#in-0-0-runsPerDay'), '9');
    // Another manifest shows its own values.
    await post(p, { type: 'estimate', data: cost });
    await p.waitForSelector('[data-stage="pull-campaigns"]');
    const other = cost.pipelines[0]!.stages[1]!;
    assert.equal(await p.inputValue('#in-0-1-runsPerDay'), String(Math.round(other.inputs.runsPerDay.value * 1000) / 1000));
    await p.close();
  });

  test('the budget meter stays within its range, names its pipeline and says over budget in words; announcements only when the total changes', async () => {
    const { p } = await openFull('dark', 'cost', 360);
    const meter = await p.$eval('[role=meter]', (m) =>
      Object.fromEntries(['aria-valuenow', 'aria-valuemax', 'aria-valuetext', 'aria-label'].map((a) => [a, m.getAttribute(a)])),
    );
    const pipe = full.pipelines[0]!;
    assert.ok(pipe.overBudget);
    assert.deepEqual(meter, {
      'aria-valuenow': String(pipe.budgetUsd),
      'aria-valuemax': String(pipe.budgetUsd),
      'aria-valuetext': `${usd(pipe.monthlyUsd)} of ${usd(pipe.budgetUsd)}, over budget`,
      'aria-label': `Estimate of ${pipe.name} against its budget`,
    });
    await p.evaluate(() => {
      const w = window as unknown as { __said: string[] };
      w.__said = [];
      new MutationObserver(() => w.__said.push(document.getElementById('announce')!.textContent!)).observe(document.getElementById('announce')!, {
        childList: true,
        characterData: true,
        subtree: true,
      });
    });
    await post(p, { type: 'estimate', data: structuredClone(full) });
    const dearer = structuredClone(full);
    dearer.totalUsd += 100;
    await post(p, { type: 'estimate', data: dearer });
    await p.waitForFunction(() => (window as unknown as { __said: string[] }).__said.length > 0);
    assert.deepEqual(await p.evaluate(() => (window as unknown as { __said: string[] }).__said), [`Estimate: ${usd(dearer.totalUsd)} a month.`]);
    await p.close();
  });

  test('a pipeline without estimated stages and a file without stages say so', async () => {
    const { p } = await open('dark', 'cost', 360);
    const empty = structuredClone(full);
    empty.pipelines[0]!.stages = [];
    await post(p, { type: 'estimate', data: empty });
    await p.waitForSelector('[data-testid=total-usd]');
    assert.ok((await p.textContent('#app'))!.includes('No stage of this pipeline could be estimated.'));
    assert.equal(await p.$('.chart'), null);
    await p.close();
    const r = await open('dark', 'recommendations', 360);
    await post(r.p, { type: 'recommendations', data: { ...fullRecs, stages: [] } });
    await r.p.waitForFunction(() => document.body.textContent!.includes('No stage in this file.'));
    assert.equal(await r.p.$('.grid.stages, .cards.stages'), null);
    await r.p.close();
  });

  test('data that arrives while a field is typed in waits until the field is left, so the caret and the digits stay', async () => {
    const { p } = await openFull('dark', 'cost', 360);
    await p.click('#in-0-1-durationMinutes');
    await p.keyboard.press('Control+A');
    await p.keyboard.type('12');
    const dearer = structuredClone(full);
    dearer.totalUsd += 50;
    dearer.pipelines[0]!.monthlyUsd += 50;
    await post(p, { type: 'estimate', data: dearer });
    await p.keyboard.type('3');
    assert.equal(await p.inputValue('#in-0-1-durationMinutes'), '123');
    assert.equal(await p.textContent('[data-testid=total-usd]'), usd(full.pipelines[0]!.monthlyUsd));
    // Leaving the field shows the new figures, and the typed value is still there.
    await p.keyboard.press('Tab');
    await p.waitForFunction((t) => document.querySelector('[data-testid=total-usd]')!.textContent === t, usd(dearer.pipelines[0]!.monthlyUsd));
    assert.equal(await p.inputValue('#in-0-1-durationMinutes'), '123');
    await p.close();
  });

  test('a panel made narrower than its table switches to cards, and focus stays on the control of the same stage when stages move', async () => {
    for (const data of [full, cost]) {
      const { p } = await open('dark', 'cost', 1000);
      await post(p, { type: 'estimate', data });
      await p.waitForSelector('#app[data-layout=table]');
      for (const width of [800, 760, 720, 700, 680]) {
        await p.setViewportSize({ width, height: 900 });
        await p.waitForFunction(() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(() => r(true)))));
        assert.equal(await sideways(p), 0, `${data.pipelines[0]!.name} at ${width} px (${await p.getAttribute('#app', 'data-layout')})`);
      }
      await p.close();
    }
    // Focus on the second stage's Save; the first stage is deleted: focus is on the same stage's Save.
    for (const width of [1000, 360]) {
      const { p } = await openFull('dark', 'cost', width);
      await p.focus('#save-0-1');
      const fewer = structuredClone(full);
      fewer.pipelines[0]!.stages.shift();
      fewer.pipelines[0]!.stages.forEach((s) => (s.index -= 1));
      await post(p, { type: 'estimate', data: fewer });
      await p.waitForFunction(() => !document.querySelector('[data-stage="poll-fx-rates"]'));
      assert.equal(await p.evaluate(() => document.activeElement!.getAttribute('aria-label')), 'Save to estimate of month-end-backfill');
      // Apply in the table: the stage takes its recommended runner, the button goes, focus goes to the stage.
      const rec = fewer.pipelines[0]!.stages[0]!.recommended!;
      await p.focus(`#apply-0-0-${rec.class}-${rec.size}-${rec.network}`);
      const applied = structuredClone(fewer);
      const st = applied.pipelines[0]!.stages[0]!;
      Object.assign(st, { class: rec.class, size: rec.size, network: rec.network, alternatives: [], recommended: { ...rec, changes: [] } });
      await post(p, { type: 'estimate', data: applied });
      await p.waitForFunction((id) => !document.getElementById(id), `apply-0-0-${rec.class}-${rec.size}-${rec.network}`);
      assert.equal(await p.evaluate(() => document.activeElement!.closest('[data-key]')?.getAttribute('data-key')), '0/month-end-backfill', `at ${width} px`);
      assert.equal(await p.evaluate(() => document.activeElement!.textContent), 'month-end-backfill');
      await p.close();
    }
  });

  test('what was typed and not saved survives the webview being reloaded (a hidden panel tab)', async () => {
    const { p } = await openFull('dark', 'cost', 360);
    await p.fill('#in-0-1-runsPerDay', '12');
    // VS Code hiding the panel's tab takes focus from the field first.
    await p.evaluate(() => (document.activeElement as HTMLElement).blur());
    await p.waitForFunction(() => JSON.stringify((window as unknown as { __state: unknown }).__state).includes('"typed":"12"'));
    const fresh = await reloaded(p, 360);
    await fresh.waitForSelector('#in-0-1-runsPerDay');
    assert.equal(await fresh.inputValue('#in-0-1-runsPerDay'), '12');
    await p.close();
    await fresh.close();
  });
});

function send(res: import('node:http').ServerResponse, type: string, body: string | Buffer) {
  res.writeHead(200, { 'content-type': type });
  res.end(body);
}
