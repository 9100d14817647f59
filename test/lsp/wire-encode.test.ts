import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { keepJson } from '../../server/src/lsp/kept-json';
import { encodeJson, encodePieces, Scratch } from '../../server/src/lsp/wire';

// The server writes each message's bytes itself (server/src/lsp/wire.ts), a long array in pieces,
// in ASCII. Whatever the message, the bytes must be JSON.stringify's with every character past
// ASCII escaped (\uXXXX, each UTF-16 unit on its own), and read back as the library's own would.
const escapedJson = (value: unknown) => JSON.stringify(value).replace(/[\u0080-\uffff]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
const library = (value: unknown) => Buffer.from(escapedJson(value), 'latin1');
const ours = (value: unknown) => {
  const bytes = Buffer.from(encodeJson(value));
  assert.ok(
    bytes.every((b) => b < 0x80),
    'every byte is ASCII',
  );
  // What a client reads back is what the library's own bytes would give.
  assert.deepEqual(JSON.parse(bytes.toString('utf-8')), JSON.parse(JSON.stringify(value)));
  return bytes;
};

const SEED = Number(process.env.FUZZ_SEED ?? 20261202);

/** Strings as messages hold them, and as no message should: quotes, controls, line separators, astral and lone surrogates. */
const text = fc.oneof(
  fc.string(),
  fc.string({ unit: 'grapheme' }),
  fc.string({ unit: 'binary' }),
  fc.constantFrom('"', '\\', '\u2028', '\u2029', '\ud800', '\udfff', 'a\udc00b', '🚀', 'é’…·', '\u0000\u001f'),
);

/** Anything a message may hold, including what JSON leaves out or turns into null. */
const leaf = fc.oneof(
  text,
  fc.double(),
  fc.integer(),
  fc.boolean(),
  fc.constant(null),
  fc.constant(undefined),
  fc.constant(() => 1),
  fc.constant(Symbol('s')),
  fc.date({ noInvalidDate: true }),
);

/** Arrays long enough to be written in pieces (the pieces are 64 elements), and short ones. */
const lengths = fc.constantFrom(0, 1, 63, 64, 65, 128, 129, 300);

const { value: anyValue } = fc.letrec((tie) => ({
  value: fc.oneof({ depthSize: 'small', maxDepth: 4 }, leaf, tie('array'), tie('object'), tie('bare')),
  array: lengths.chain((n) => fc.array(tie('value'), { minLength: n, maxLength: n })),
  object: fc.dictionary(fc.oneof(text, fc.constantFrom('10', '2', '__proto__', 'toString')), tie('value'), { maxKeys: 5 }),
  // An object without a prototype is written key by key too.
  bare: fc.dictionary(text, tie('value'), { maxKeys: 3 }).map((o) => Object.assign(Object.create(null) as object, o)),
}));

test(`a message's bytes are JSON.stringify's, in ASCII, whatever it holds (seed ${SEED})`, () => {
  // The server's writer encodes into blocks it keeps: blocks of 64 bytes here, so that pieces
  // fall on every side of a block's end, and a member's key is taken back across one.
  const scratch = new Scratch(64);
  fc.assert(
    fc.property(anyValue, (value) => {
      const expected = JSON.stringify(value);
      if (expected === undefined) {
        assert.throws(() => encodeJson(value), TypeError);
        assert.throws(() => encodePieces(value, scratch), TypeError);
      } else {
        assert.deepEqual(ours(value), library(value));
        assert.deepEqual(Buffer.concat(encodePieces(value, scratch)), library(value));
      }
      scratch.release();
    }),
    { numRuns: 400, seed: SEED },
  );
});

test(`objects whose JSON is kept (keepJson) are written as JSON.stringify writes them, the first time and every time after (seed ${SEED})`, () => {
  // Long arrays of objects, most kept: each slice of 64 is written whole while one of its elements
  // is new or not kept, then from the objects' own JSON. Some arrays hold an element that is not
  // kept at the start, middle or end of a slice, or a kept object twice. Blocks of 64 bytes, so
  // pieces cross them.
  const scratch = new Scratch(64);
  const object = fc.dictionary(text, fc.oneof(leaf, fc.array(leaf, { maxLength: 3 })), { maxKeys: 4 });
  fc.assert(
    fc.property(
      fc.constantFrom(65, 128, 129, 300),
      fc.array(object, { minLength: 300, maxLength: 300 }),
      fc.constantFrom('all kept', 'first of a slice not kept', 'middle of a slice not kept', 'last of a slice not kept', 'one kept twice'),
      (n, objects, shape) => {
        const items: unknown[] = objects.slice(0, n).map((o) => ({ ...o }));
        const unkept = { 'first of a slice not kept': 64, 'middle of a slice not kept': 96, 'last of a slice not kept': 63 }[shape as string];
        for (let i = 0; i < items.length; i++) if (i !== unkept) keepJson(items[i] as object);
        if (shape === 'one kept twice') items[items.length - 1] = items[1];
        const message = { jsonrpc: '2.0', id: 1, result: { items } };
        const expected = JSON.stringify(message);
        for (let round = 0; round < 3; round++) {
          if (expected === undefined) assert.throws(() => encodePieces(message, scratch), TypeError);
          else assert.deepEqual(Buffer.concat(encodePieces(message, scratch)), library(message), `${shape}, round ${round}`);
          scratch.release();
        }
      },
    ),
    { numRuns: 60, seed: SEED },
  );
});

test('a member with no JSON form after a long array is left out, its key taken back, whatever the block size', () => {
  const message = {
    jsonrpc: '2.0',
    id: 1,
    result: { items: Array.from({ length: 70 }, (_, i) => ({ n: i, s: 'é' })), gone: undefined, f: () => 1, kept: 'yes' },
  };
  for (const size of [1, 2, 7, 16, 64, 100, 1000]) {
    const scratch = new Scratch(size);
    for (let round = 0; round < 2; round++) {
      assert.deepEqual(Buffer.concat(encodePieces(message, scratch)), library(message), `blocks of ${size} bytes, round ${round}`);
      scratch.release();
    }
  }
});

test('a publish of thousands of diagnostics is written in pieces and reads back the same', () => {
  const diagnostics = Array.from({ length: 5000 }, (_, i) => ({
    range: { start: { line: i, character: 4 }, end: { line: i, character: 20 } },
    severity: 1 + (i % 4),
    code: `BC${100 + (i % 7)}`,
    source: i % 3 ? 'barecount' : 'barecount · new since HEAD',
    message: `Stage "stage-${i}-étape-🚀" is … “quoted” \\ ${'\ud800'.repeat(i % 2)}`,
    ...(i % 5
      ? {
          relatedInformation: [
            { location: { uri: 'file:///x.yaml', range: { start: { line: 1, character: 0 }, end: { line: 1, character: 3 } } }, message: 'first' },
          ],
        }
      : {}),
    data: i % 11 ? undefined : { new: true },
  }));
  const msg = { jsonrpc: '2.0', method: 'textDocument/publishDiagnostics', params: { uri: 'file:///x.yaml', version: 7, diagnostics } };
  assert.deepEqual(ours(msg), library(msg));
  // A response whose result is the long array, and one nested under a member.
  assert.deepEqual(ours({ jsonrpc: '2.0', id: 3, result: diagnostics }), library({ jsonrpc: '2.0', id: 3, result: diagnostics }));
  const nested = { jsonrpc: '2.0', id: 4, result: { isIncomplete: false, items: diagnostics, after: [1, 2] } };
  assert.deepEqual(ours(nested), library(nested));
});

test('what JSON.stringify refuses, encodeJson refuses the same way', () => {
  assert.throws(() => encodeJson(undefined), TypeError);
  assert.throws(() => encodeJson({ jsonrpc: '2.0', params: { n: 1n } }), TypeError);
  assert.throws(() => encodeJson({ jsonrpc: '2.0', params: { items: Array.from({ length: 100 }, (_, i) => (i === 70 ? 1n : i)) } }), TypeError);
  const cycle: Record<string, unknown> = { jsonrpc: '2.0' };
  cycle.params = { items: Array.from({ length: 100 }, () => cycle) };
  assert.throws(() => encodeJson(cycle), TypeError);
  const self: Record<string, unknown> = {};
  self.params = self;
  assert.throws(() => encodeJson(self), TypeError);
});
