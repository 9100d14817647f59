import assert from 'node:assert/strict';
import { after, describe, test } from 'node:test';
import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import type { Diagnostic } from 'vscode-languageserver-protocol';
import { killAll, LspClient } from '../lsp/harness';
import { corpus, PIECES } from './corpus';

// The built server under a randomized session over stdio: opens, edits that break and repair
// the YAML, closes, completions, hovers, code actions, lenses and symbols on many documents.
// A reply must come for every request (the 10 s bound below is a hang detector, not a speed
// test), the server must stay up, and its memory must come back to a plateau.
const STEPS = Number(process.env.FUZZ_SERVER_STEPS ?? 400);
const SEED = Number(process.env.FUZZ_SEED ?? 20261127);
const BASES = corpus();
after(killAll);

function rss(pid: number): number {
  const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return m ? Number(m[1]) / 1024 : NaN;
}

async function answered<T>(p: Promise<T>, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const bound = new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new Error(`no answer to ${what} within 10 s`)), 10_000)));
  try {
    return await Promise.race([p, bound]);
  } finally {
    clearTimeout(timer);
  }
}

function positionAt(text: string, offset: number) {
  const before = text.slice(0, offset);
  const line = before.split('\n').length - 1;
  return { line, character: offset - (before.lastIndexOf('\n') + 1) };
}

describe(`server under fire (${STEPS} steps, seed ${SEED})`, () => {
  test('a randomized session: every request answered, no crash, diagnostics inside their documents', async () => {
    const client = new LspClient();
    await client.initialize();
    const random = fc.sample(fc.tuple(fc.nat(), fc.nat(), fc.double({ min: 0, max: 1, noNaN: true }), fc.constantFrom(...PIECES)), {
      numRuns: STEPS,
      seed: SEED,
    });
    const open = new Map<string, { text: string; version: number }>();
    let made = 0;
    const counts: Record<string, number> = {};
    for (const [a, b, at, piece] of random) {
      const uris = [...open.keys()];
      const op = open.size === 0 ? 0 : a % 8;
      counts[op] = (counts[op] ?? 0) + 1;
      if (op === 0 || (op === 1 && open.size < 3)) {
        const uri = `file:///fuzz/${made++}.barecount.yaml`;
        const text = BASES[b % BASES.length]!;
        open.set(uri, { text, version: 1 });
        await client.open(uri, text, 1);
        continue;
      }
      const uri = uris[b % uris.length]!;
      const doc = open.get(uri)!;
      const offset = Math.floor(at * doc.text.length);
      const pos = positionAt(doc.text, offset);
      switch (op) {
        case 1:
          await client.close(uri);
          open.delete(uri);
          break;
        case 2:
        case 3: {
          // An incremental edit: insert a piece, or delete a few characters.
          const del = op === 3 ? Math.min(doc.text.length - offset, 1 + (a % 12)) : 0;
          const end = positionAt(doc.text, offset + del);
          const text = op === 2 ? piece : '';
          doc.text = doc.text.slice(0, offset) + text + doc.text.slice(offset + del);
          doc.version++;
          await client.change(uri, doc.version, [{ range: { start: pos, end }, text }]);
          break;
        }
        case 4:
          await answered(client.connection.sendRequest('textDocument/completion', { textDocument: { uri }, position: pos }), 'completion');
          break;
        case 5:
          await answered(client.connection.sendRequest('textDocument/hover', { textDocument: { uri }, position: pos }), 'hover');
          break;
        case 6: {
          const diags = client.published.filter((p) => p.uri === uri).pop()?.diagnostics ?? [];
          await answered(
            client.connection.sendRequest('textDocument/codeAction', {
              textDocument: { uri },
              range: { start: pos, end: pos },
              context: { diagnostics: diags.slice(0, 5), only: a % 2 ? ['source.fixAll'] : undefined },
            }),
            'code action',
          );
          break;
        }
        default:
          await answered(client.connection.sendRequest('textDocument/codeLens', { textDocument: { uri } }), 'code lens');
          await answered(client.connection.sendRequest('textDocument/documentSymbol', { textDocument: { uri } }), 'symbols');
          await answered(client.connection.sendRequest('textDocument/foldingRange', { textDocument: { uri } }), 'folding');
      }
    }
    // Settle: the last version of every open document gets diagnostics inside it.
    for (const [uri, doc] of open) {
      const diags: Diagnostic[] = await client.diagnostics(uri, doc.version);
      const lines = doc.text.split('\n');
      for (const d of diags) {
        assert.ok(d.range.end.line < lines.length || (d.range.end.line === lines.length && d.range.end.character === 0), `diagnostic outside ${uri}`);
        assert.ok(d.range.start.character <= (lines[d.range.start.line]?.length ?? 0));
      }
    }
    assert.equal(client.exited, null, `the server exited: ${client.stderr.slice(-500)}`);
    assert.doesNotMatch(client.stderr, /uncaught|unhandled/i);
    console.log(`server session: ${STEPS} steps ${JSON.stringify(counts)}, ${made} documents opened`);
    await client.stop();
  });

  test('opening and closing 1000 documents comes back to a plateau', async () => {
    const client = new LspClient();
    await client.initialize();
    const text = BASES[1]!;
    const batch = async (from: number) => {
      for (let i = from; i < from + 1000; i++) {
        const uri = `file:///mem/${i}.barecount.yaml`;
        await client.open(uri, text);
        if (i % 100 === 99) await client.diagnostics(uri);
        await client.close(uri);
      }
      // A request round trip: everything sent before it has been handled.
      await client.connection.sendRequest('textDocument/hover', { textDocument: { uri: 'file:///none' }, position: { line: 0, character: 0 } });
      return rss(client.proc.pid!);
    };
    const start = rss(client.proc.pid!);
    const first = await batch(0);
    const second = await batch(1000);
    const third = await batch(2000);
    console.log(`RSS MiB: start ${start.toFixed(0)}, after 1000 open/close ${first.toFixed(0)}, 2000 ${second.toFixed(0)}, 3000 ${third.toFixed(0)}`);
    // A leak would grow with every batch; a plateau stays within a margin of the first.
    assert.ok(third < first * 1.25 + 16, `RSS kept growing: ${first.toFixed(0)} → ${second.toFixed(0)} → ${third.toFixed(0)} MiB`);
    await client.stop();
  });
});
