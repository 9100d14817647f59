import assert from 'node:assert/strict';
import { test } from 'node:test';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { listFiles, rel, ROOT } from '../helpers';

// The engine is pure: no editor, protocol, file-system or process imports (ARCHITECTURE.md).
const FORBIDDEN =
  /from\s+['"](vscode|vscode-languageserver[^'"]*|vscode-languageclient[^'"]*|(node:)?(fs|fs\/promises|path|child_process|net|http|https|os)|\.\.\/(lsp|cli)\/[^'"]*)['"]/;

test('server/src/core imports nothing from editors, protocols or the file system', () => {
  const files = listFiles(join(ROOT, 'server/src/core'), (p) => p.endsWith('.ts'));
  assert.ok(files.length > 10);
  for (const f of files) {
    const m = FORBIDDEN.exec(readFileSync(f, 'utf8'));
    assert.equal(m, null, `${rel(f)} imports ${m?.[1]}`);
  }
});

test('only server/src/lsp imports vscode-languageserver', () => {
  for (const f of listFiles(join(ROOT, 'server/src'), (p) => p.endsWith('.ts'))) {
    if (rel(f).startsWith('server/src/lsp')) continue;
    assert.doesNotMatch(readFileSync(f, 'utf8'), /from\s+['"]vscode-languageserver/, rel(f));
  }
});

test('the core has no require, no clock and no module-level mutable state', () => {
  for (const f of listFiles(join(ROOT, 'server/src/core'), (p) => p.endsWith('.ts') && !p.includes('/generated/'))) {
    const src = readFileSync(f, 'utf8');
    assert.doesNotMatch(src, /\brequire\(/, `${rel(f)} requires at run time`);
    // Today's date comes from the analysis environment (env.today), never from a clock.
    assert.doesNotMatch(src.replace(/new Date\(Date\.UTC\([^)]*\)[^)]*\)/g, ''), /\bnew Date\(|Date\.now\(/, `${rel(f)} reads the clock`);
    assert.doesNotMatch(src, /^(export )?let /m, `${rel(f)} has a module-level variable`);
    // Lookup tables built once are typed Readonly…; a bare Map or WeakMap at module level is a cache.
    assert.doesNotMatch(src, /^(export )?const \w+(: (?!Readonly)[^=]+)? = [^\n]*\bnew (Weak)?Map\b/m, `${rel(f)} has a module-level cache`);
  }
});
