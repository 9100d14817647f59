/**
 * npm run bench:limits: the slowest answer the server gives to hostile input at the default
 * limits, over stdio. The goal is that no request takes more than a second. Prints a table.
 */

import { LspClient, killAll } from '../test/lsp/harness';
import { generateManifest } from './generate';

function inputs(): Array<[string, string]> {
  // The largest manifest under the 1 MiB limit, built from the generator's stages.
  let n = 1500;
  while (generateManifest(n + 50).length < 1024 * 1024 - 4096) n += 50;
  const laughs = ['a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]'];
  for (let i = 1; i < 10; i++)
    laughs.push(
      `${String.fromCharCode(97 + i)}: &${String.fromCharCode(97 + i)} [${Array(9)
        .fill(`*${String.fromCharCode(96 + i)}`)
        .join(',')}]`,
    );
  const broken = generateManifest(n)
    .replace(/workload: /g, 'workload: x')
    .replace(/class: /g, 'class: y');
  return [
    [`manifest just under the limit (${n} stages)`, generateManifest(n)],
    [`the same with an error in every stage`, broken],
    ['10 MB file (over the limit)', `apiVersion: barecount/v1\n${'# padding padding padding padding\n'.repeat(320_000)}`],
    ['alias bomb', `apiVersion: barecount/v1\n${laughs.join('\n')}\n`],
    ['deep nesting', `apiVersion: barecount/v1\nspec: ${'['.repeat(50_000)}${']'.repeat(50_000)}\n`],
    ['binary junk', String.fromCharCode(...Array.from({ length: 100_000 }, (_, i) => (i * 7919) % 256))],
    [
      'one 900 KB line',
      `apiVersion: barecount/v1\nkind: Pipeline\nmetadata: { name: x, owner: o, dataClassification: public, description: "${'x'.repeat(900_000)}" }\nspec: { stages: [] }\n`,
    ],
  ];
}

async function main() {
  const client = new LspClient();
  await client.initialize();
  const rows: Array<Record<string, string>> = [];
  let worst = 0;
  for (const [label, text] of inputs()) {
    const uri = `file:///limits/${rows.length}.barecount.yaml`;
    const times: Record<string, number> = {};
    const timed = async (name: string, f: () => Promise<unknown>) => {
      const t = performance.now();
      await f();
      times[name] = performance.now() - t;
      worst = Math.max(worst, times[name]!);
    };
    await timed('open → diagnostics', async () => {
      await client.open(uri, text, 1);
      await client.diagnostics(uri, 1);
    });
    const mid = { line: Math.floor(text.split('\n').length / 2), character: 10 };
    // An edit, then requests that must analyse the new version themselves.
    await client.change(uri, 2, [{ range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } }, text: '# edited\n' }]);
    await timed('hover after an edit', () => client.connection.sendRequest('textDocument/hover', { textDocument: { uri }, position: mid }));
    await timed('completion', () => client.connection.sendRequest('textDocument/completion', { textDocument: { uri }, position: mid }));
    await timed('fix-all', () =>
      client.connection.sendRequest('textDocument/codeAction', {
        textDocument: { uri },
        range: { start: mid, end: mid },
        context: { diagnostics: [], only: ['source.fixAll'] },
      }),
    );
    await timed('code lens', () => client.connection.sendRequest('textDocument/codeLens', { textDocument: { uri } }));
    await timed('symbols', () => client.connection.sendRequest('textDocument/documentSymbol', { textDocument: { uri } }));
    await timed('folding', () => client.connection.sendRequest('textDocument/foldingRange', { textDocument: { uri } }));
    await timed('cost estimate', () => client.connection.sendRequest('barecount/costEstimate', { uri }));
    await client.close(uri);
    rows.push({
      input: label,
      'size KB': String(Math.round(text.length / 1024)),
      ...Object.fromEntries(Object.entries(times).map(([k, v]) => [k, v.toFixed(0)])),
    });
  }
  console.log('Milliseconds per request at the default limits (1 MiB, 100 aliases, depth 64):');
  console.table(rows);
  console.log(`worst: ${worst.toFixed(0)} ms (goal: under 1000 ms)`);
  await client.stop();
  killAll();
}

void main();
