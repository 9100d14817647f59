// The whole suite: build the bundles (protocol and CLI tests run the built bins), then every
// test/**/*.test.ts under node's own test runner. Pass file filters to run fewer.
import { spawnSync } from 'node:child_process';
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { ensureSystemDeps } from './system-deps.mjs';

const filters = process.argv.slice(2);
// The browser and end-to-end tests need chromium and two Debian packages: provided here, not by a
// step to remember (scripts/system-deps.mjs says what it does).
const needsBrowser = filters.length === 0 || filters.some((f) => f.includes('webview') || f.includes('e2e'));
if (needsBrowser && !ensureSystemDeps()) process.exit(1);
const b = spawnSync(process.execPath, ['scripts/build.mjs'], { stdio: 'inherit' });
if (b.status !== 0) process.exit(b.status ?? 1);

function find(dir) {
  return readdirSync(dir).flatMap((name) => {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) return name === 'fixtures' || name === 'node_modules' ? [] : find(p);
    return p.endsWith('.test.ts') ? [p] : [];
  });
}
const files = find('test')
  .filter((f) => !f.includes(`test${'/'}e2e${'/'}`) && (filters.length === 0 || filters.some((x) => f.includes(x))))
  .sort();
if (files.length === 0 && !filters.some((f) => f.includes('e2e'))) {
  console.error('no test files matched');
  process.exit(1);
}
// With no file (only the end-to-end tests asked for), node --test would look for tests everywhere.
if (files.length > 0) {
  const r = spawnSync(process.execPath, ['--import', 'tsx', '--test', '--test-concurrency=2', ...files], { stdio: 'inherit' });
  if (r.status !== 0) process.exit(r.status ?? 1);
}

// The extension in a real VS Code (code-server here): last, as it is the slowest.
if (filters.length === 0 || filters.some((f) => 'test/e2e'.includes(f) || f.includes('e2e'))) {
  const e2e = spawnSync(process.execPath, ['test/e2e/run.mjs'], { stdio: 'inherit' });
  process.exit(e2e.status ?? 1);
}
