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
