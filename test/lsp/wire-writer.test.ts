import assert from 'node:assert/strict';
import { Writable } from 'node:stream';
import { test } from 'node:test';
import type { Message } from 'vscode-languageserver/node';
import { encodePieces, FramedWriter, Scratch } from '../../server/src/lsp/wire';

const joined = (pieces: Uint8Array[]) => Buffer.concat(pieces);

// The server's stream writer (server/src/lsp/wire.ts) encodes every long message into one buffer
// it keeps, and writes from it. A client must still read each message whole, as it was meant,
// however slowly the stream takes the bytes and however many messages are sent at once.

/** A publish of `n` diagnostics whose messages all say `word`: long enough to be written in pieces. */
function publish(n: number, word: string): Message {
  const diagnostics = Array.from({ length: n }, (_, i) => ({
    range: { start: { line: i, character: 0 }, end: { line: i, character: 4 } },
    severity: 1,
    code: 'BC101',
    source: 'barecount',
    message: `${word} ${i} — étape 🚀`,
  }));
  return { jsonrpc: '2.0', method: 'textDocument/publishDiagnostics', params: { uri: 'file:///x.yaml', version: n, diagnostics } } as Message;
}

/** A stream that takes each chunk only after `delay` ms, reading its bytes then (as a slow pipe would). */
function slowStream(delay: number, fail?: (n: number) => Error | undefined): { stream: Writable; bytes: () => Buffer } {
  const taken: Buffer[] = [];
  let n = 0;
  const stream = new Writable({
    write(chunk: Uint8Array, _encoding, callback) {
      const index = n++;
      setTimeout(() => {
        const error = fail?.(index);
        if (error) return callback(error);
        taken.push(Buffer.from(chunk));
        callback();
      }, delay);
    },
  });
  return { stream, bytes: () => Buffer.concat(taken) };
}

/** The messages framed in `bytes`, parsed. */
function frames(bytes: Buffer): unknown[] {
  const out: unknown[] = [];
  let at = 0;
  while (at < bytes.length) {
    const end = bytes.indexOf('\r\n\r\n', at);
    const header = bytes.subarray(at, end).toString('ascii');
    const length = Number(/^Content-Length: (\d+)$/.exec(header)?.[1]);
    assert.ok(Number.isInteger(length), `a Content-Length header, not ${JSON.stringify(header)}`);
    out.push(JSON.parse(bytes.subarray(end + 4, end + 4 + length).toString('utf8')));
    at = end + 4 + length;
  }
  return out;
}

test('messages sent at once to a slow stream each arrive whole, in order, with their own bytes', async () => {
  const { stream, bytes } = slowStream(5);
  const writer = new FramedWriter(stream);
  const sent = [publish(3000, 'first'), publish(200, 'second'), { jsonrpc: '2.0', id: 1, result: null } as Message, publish(2500, 'third')];
  await Promise.all(sent.map((m) => writer.write(m)));
  assert.deepEqual(frames(bytes()), JSON.parse(JSON.stringify(sent)));
});

test('a stream that fails a write: the writer reports it, and refuses what follows rather than hang', async () => {
  // The second chunk written (the first message's body) is refused.
  const { stream, bytes } = slowStream(1, (n) => (n === 1 ? new Error('the pipe broke') : undefined));
  stream.on('error', () => undefined);
  const writer = new FramedWriter(stream);
  const reported: string[] = [];
  writer.onError(([e]) => reported.push(e.message));
  const first = writer.write(publish(500, 'lost'));
  await assert.rejects(first, /the pipe broke/);
  assert.ok(reported.includes('the pipe broke'), `reported: ${reported.join(', ')}`);
  // A stream that failed is closed: a later message is refused at once, never left waiting, and
  // nothing more was written than the lost message's header.
  await assert.rejects(writer.write(publish(300, 'later')), /destroyed/);
  assert.match(bytes().toString('ascii'), /^Content-Length: \d+\r\n\r\n$/);
});

test('a message that has no JSON form is refused, and the scratch buffer serves the next one', () => {
  const scratch = new Scratch();
  const bad = { jsonrpc: '2.0', params: { items: Array.from({ length: 100 }, (_, i) => (i === 70 ? 1n : i)) } };
  assert.throws(() => encodePieces(bad, scratch), TypeError);
  const good = publish(300, 'after');
  assert.deepEqual(JSON.parse(joined(encodePieces(good, scratch)).toString('utf8')), JSON.parse(JSON.stringify(good)));
});

test('while its blocks are lent, a second message is encoded into blocks of its own', () => {
  const scratch = new Scratch();
  const a = encodePieces(publish(300, 'alpha'), scratch);
  const copy = joined(a);
  // Not released: the first message's bytes are still being written.
  const b = encodePieces(publish(300, 'omega'), scratch);
  assert.deepEqual(joined(a), copy);
  assert.match(joined(b).toString('utf8'), /omega 299/);
  scratch.release();
  // Released: the next message reuses the blocks, and the first one's views now read what was written after it.
  const c = encodePieces(publish(300, 'gamma'), scratch);
  assert.match(joined(c).toString('utf8'), /gamma 299/);
  assert.match(joined(a).toString('utf8'), /gamma 299/);
});

test('a message longer than a block is written block after block, a piece longer than a block in one of its own', async () => {
  // Blocks of 1 KiB: every message here crosses many; one diagnostic's message is 5 KiB.
  const scratch = new Scratch(1024);
  const huge = publish(200, 'wide') as unknown as { params: { diagnostics: Array<{ message: string }> } };
  huge.params.diagnostics[70]!.message = 'ü'.repeat(5000);
  const nested = { jsonrpc: '2.0', id: 2, result: { items: (publish(500, 'n') as unknown as { params: unknown }).params, after: undefined } };
  for (const m of [publish(3000, 'long'), huge, publish(100, 'short'), nested]) {
    const pieces = encodePieces(m, scratch);
    assert.ok(pieces.length > 1, 'written in more than one block');
    assert.deepEqual(JSON.parse(joined(pieces).toString('utf8')), JSON.parse(JSON.stringify(m)));
    scratch.release();
  }
});
