import assert from 'node:assert/strict';
import { after, describe, test } from 'node:test';
import { readFileSync, writeFileSync, copyFileSync } from 'node:fs';
import { join } from 'node:path';
import { COST_ESTIMATE, RECOMMENDATIONS } from '../../server/src/protocol';
import { FIXTURES, ROOT, runCli, tempDir } from '../helpers';
import { fileUri, killAll, LspClient } from '../lsp/harness';

// An audit: everything the product emits, for manifests full of secrets, must not contain one.
const FILES = [
  join(ROOT, 'examples/marketing-sync.barecount.yaml'),
  join(FIXTURES, 'rules/BC201/env-password.yaml'),
  join(FIXTURES, 'rules/BC201/credential-shapes.yaml'),
  join(FIXTURES, 'rules/BC201/outside-env.yaml'),
];
const SECRETS = [
  'ya29.a0AfH6SMBx3kq9Lr2tPq7Zr1',
  'Summer2026',
  'correct-horse-battery-staple',
  'AKIAIOSFODNN7EXAMPLE',
  'abcdefghijklmnopqrstuvwxyz012345',
  'eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0',
  's3cr3tpass',
  'MIIEow',
  'ghp_abcdefghijklmnopqrstuvwxyz0123456789',
  'tok-8b1f2e9c',
];
after(killAll);

function leaks(where: string, output: string) {
  for (const s of SECRETS) assert.ok(!output.includes(s), `${where} repeats the secret ${s.slice(0, 4)}…`);
}

describe('no output repeats a secret', () => {
  test('the fixtures really hold every secret listed', () => {
    const all = FILES.map((f) => readFileSync(f, 'utf8')).join('\n');
    for (const s of SECRETS) assert.ok(all.includes(s), `fixture lacks ${s}`);
  });

  test('barecount-lint: text, json and sarif, with --cost and with --fix', () => {
    for (const format of ['text', 'json', 'sarif']) {
      const r = runCli(['--format', format, '--cost', ...FILES]);
      leaks(`CLI ${format} stdout`, r.stdout);
      leaks(`CLI ${format} stderr`, r.stderr);
      assert.ok(r.stdout.includes('BC201'));
    }
    const dir = tempDir('barecount-secrets-');
    FILES.forEach((f, i) => copyFileSync(f, join(dir, `${i}.barecount.yaml`)));
    const fixed = runCli(['--fix', '--format', 'json', dir], dir);
    leaks('CLI --fix', fixed.stdout + fixed.stderr);
  });

  test('the language server: diagnostics, hovers everywhere, completion, lenses, actions, custom requests, logs', async () => {
    const client = new LspClient();
    const { root } = await client.initialize();
    for (const [i, f] of FILES.entries()) {
      const text = readFileSync(f, 'utf8');
      const path = join(root, `${i}.barecount.yaml`);
      writeFileSync(path, text);
      const uri = fileUri(path);
      await client.open(uri, text);
      const diags = await client.diagnostics(uri);
      leaks('diagnostics', JSON.stringify(diags));
      const lines = text.split('\n');
      for (let line = 0; line < lines.length; line++) {
        for (let character = 0; character <= lines[line]!.length; character += 3) {
          const h = await client.connection.sendRequest('textDocument/hover', { textDocument: { uri }, position: { line, character } });
          leaks(`hover ${line}:${character}`, JSON.stringify(h));
        }
        const c = await client.connection.sendRequest('textDocument/completion', { textDocument: { uri }, position: { line, character: lines[line]!.length } });
        leaks(`completion ${line}`, JSON.stringify(c));
      }
      leaks('code lens', JSON.stringify(await client.connection.sendRequest('textDocument/codeLens', { textDocument: { uri } })));
      leaks('symbols', JSON.stringify(await client.connection.sendRequest('textDocument/documentSymbol', { textDocument: { uri } })));
      for (const d of diags) {
        const actions = await client.connection.sendRequest('textDocument/codeAction', {
          textDocument: { uri },
          range: d.range,
          context: { diagnostics: [d] },
        });
        // A fix replaces the secret; its title and any new text must not carry the value.
        leaks('code action titles', JSON.stringify((actions as Array<{ title: string }>).map((a) => a.title)));
      }
      leaks('cost estimate (the panel data)', JSON.stringify(await client.connection.sendRequest(COST_ESTIMATE, { uri })));
      leaks('recommendations', JSON.stringify(await client.connection.sendRequest(RECOMMENDATIONS, { uri })));
    }
    leaks('server logs', client.logs.join('\n') + client.messages.map((m) => m.message).join('\n') + client.stderr);
    await client.stop();
  });
});
