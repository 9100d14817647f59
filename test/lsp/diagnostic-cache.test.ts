import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { LineIndex, type Finding } from '../../server/src/core';
import { ALL_DIAGNOSTIC_FEATURES, DiagnosticCache, toDiagnostic, type DiagnosticFeatures } from '../../server/src/lsp/convert';
import { PassThrough } from 'node:stream';
import { RedactingWriter, SecretRegistry } from '../../server/src/lsp/redaction';
import { encodePieces, FramedWriter, Scratch } from '../../server/src/lsp/wire';

// A keystroke republishes every diagnostic of a document; the server gives back the objects of
// the publish before for the findings that did not change (convert.ts DiagnosticCache), and the
// writer writes those from the JSON it made of them once (wire.ts keepJson). Whatever happens
// between two publishes, each must say exactly what converting the findings afresh says.

const URI = 'file:///w/orders.barecount.yaml';
const SEED = Number(process.env.FUZZ_SEED ?? 20261203);

const finding = (over: Partial<Finding> & Pick<Finding, 'span'>): Finding => ({
  code: 'BC101',
  severity: 'warning',
  message: 'Stage "load" runs on container.',
  messageId: 'm',
  data: {},
  fixes: [],
  related: [],
  documentIndex: 0,
  ...over,
});

const escapedJson = (value: unknown) => JSON.stringify(value).replace(/[\u0080-\uffff]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);

const fresh = (lines: LineIndex, findings: readonly Finding[], features: DiagnosticFeatures, newSince: (i: number) => string | undefined) =>
  findings.map((f, i) => toDiagnostic(URI, lines, f, features, newSince(i)));

test('a finding moved with its stage, on the same line and column, is published as the same diagnostic', () => {
  const before = 'spec:\n  stages:\n    - name: load\n      runner: { class: container }\n';
  const after = 'spec:\n  stages:\n    - name: loadx\n      runner: { class: container }\n';
  const cache = new DiagnosticCache(URI);
  const at = before.indexOf('container');
  const first = cache.convert(new LineIndex(before), [finding({ span: { start: at, end: at + 9 } })], ALL_DIAGNOSTIC_FEATURES, () => undefined);
  // The finding of the next line is a new object, one character further on: the same line and column.
  const moved = [finding({ span: { start: at + 1, end: at + 10 } })];
  const second = cache.convert(new LineIndex(after), moved, ALL_DIAGNOSTIC_FEATURES, () => undefined);
  assert.equal(second[0], first[0]);
  assert.deepEqual(
    second,
    fresh(new LineIndex(after), moved, ALL_DIAGNOSTIC_FEATURES, () => undefined),
  );
});

test('whatever differs (line, column, severity, code, message, related place, baseline, features) gives a new diagnostic', () => {
  const text = 'a: 1\nb: 2\nc: 3\nd: 4\n';
  const lines = new LineIndex(text);
  const base = finding({ span: { start: 5, end: 6 }, related: [{ span: { start: 0, end: 1 }, message: 'here' }] });
  const variants: Array<[string, Finding, string | undefined, DiagnosticFeatures]> = [
    ['line', { ...base, span: { start: 10, end: 11 } }, undefined, ALL_DIAGNOSTIC_FEATURES],
    ['end column', { ...base, span: { start: 5, end: 7 } }, undefined, ALL_DIAGNOSTIC_FEATURES],
    ['severity', { ...base, severity: 'error' }, undefined, ALL_DIAGNOSTIC_FEATURES],
    ['code', { ...base, code: 'BC102' }, undefined, ALL_DIAGNOSTIC_FEATURES],
    ['message', { ...base, message: 'Stage "load" runs on serverless.' }, undefined, ALL_DIAGNOSTIC_FEATURES],
    ['related place', { ...base, related: [{ span: { start: 15, end: 16 }, message: 'here' }] }, undefined, ALL_DIAGNOSTIC_FEATURES],
    ['related message', { ...base, related: [{ span: { start: 0, end: 1 }, message: 'there' }] }, undefined, ALL_DIAGNOSTIC_FEATURES],
    ['related gone', { ...base, related: [] }, undefined, ALL_DIAGNOSTIC_FEATURES],
    ['new since the baseline', base, 'HEAD', ALL_DIAGNOSTIC_FEATURES],
    ['a client reading no links', base, undefined, { docLinks: false, related: false }],
    ['a client reading no doc links', base, undefined, { docLinks: false, related: true }],
    ['a client reading no related places', base, undefined, { docLinks: true, related: false }],
  ];
  for (const [what, changed, since, features] of variants) {
    const cache = new DiagnosticCache(URI);
    const [was] = cache.convert(lines, [base], ALL_DIAGNOSTIC_FEATURES, () => undefined);
    const [now] = cache.convert(lines, [changed], features, () => since);
    assert.notEqual(now, was, what);
    assert.deepEqual(now, toDiagnostic(URI, lines, changed, features, since), what);
  }
});

test('findings with the same message in several places each get the diagnostic of their place', () => {
  const text = 'x\n'.repeat(10);
  const lines = new LineIndex(text);
  const cache = new DiagnosticCache(URI);
  const at = (line: number) => finding({ span: { start: line * 2, end: line * 2 + 1 } });
  cache.convert(lines, [at(1), at(3), at(5)], ALL_DIAGNOSTIC_FEATURES, () => undefined);
  const now = [at(5), at(2), at(1), at(1)];
  const out = cache.convert(lines, now, ALL_DIAGNOSTIC_FEATURES, () => undefined);
  assert.deepEqual(
    out,
    fresh(lines, now, ALL_DIAGNOSTIC_FEATURES, () => undefined),
  );
  assert.deepEqual(
    out.map((d) => d.range.start.line),
    [5, 2, 1, 1],
  );
  // The two identical findings may share one diagnostic (its JSON is the same); the others are their own.
  assert.equal(new Set(out.slice(0, 3)).size, 3);
});

test('a diagnostic whose JSON is kept cannot be changed afterwards: the attempt throws instead of publishing the old text', () => {
  const text = 'a: 1\nb: 2\n';
  const cache = new DiagnosticCache(URI);
  const [d] = cache.convert(
    new LineIndex(text),
    [finding({ span: { start: 5, end: 6 }, related: [{ span: { start: 0, end: 1 }, message: 'here' }] })],
    ALL_DIAGNOSTIC_FEATURES,
    () => undefined,
  );
  assert.throws(() => ((d as { message: string }).message = 'changed'), TypeError);
  assert.throws(() => ((d!.range.start as { line: number }).line = 9), TypeError);
  assert.throws(() => ((d!.relatedInformation![0] as { message: string }).message = 'changed'), TypeError);
});

test("a secret registered after a diagnostic's JSON was kept is masked in every later publish, and only while it is a secret", async () => {
  // Through the server's own path: the redaction layer, then the stream writer with its kept JSON.
  const secret = 'Zq9-hunter2-Wv7xPLk';
  const text = 'x\n'.repeat(200);
  const lines = new LineIndex(text);
  const findings = Array.from({ length: 150 }, (_, i) =>
    finding({ span: { start: i * 2, end: i * 2 + 1 }, message: i === 70 ? `value ${secret} here` : `plain ${i}` }),
  );
  const stream = new PassThrough();
  let wire = '';
  stream.on('data', (b: Buffer) => (wire += b.toString('latin1')));
  const registry = new SecretRegistry();
  const writer = new RedactingWriter(new FramedWriter(stream), registry);
  const cache = new DiagnosticCache(URI);
  const publish = async () => {
    wire = '';
    const diagnostics = cache.convert(lines, findings, ALL_DIAGNOSTIC_FEATURES, () => undefined);
    await writer.write({ jsonrpc: '2.0', method: 'textDocument/publishDiagnostics', params: { uri: URI, diagnostics } } as never);
    return wire;
  };
  // Three publishes: the third is written from the kept JSON.
  for (let i = 0; i < 3; i++) assert.ok((await publish()).includes(secret), 'not a secret yet: shown');
  registry.set('file:///w/other.barecount.yaml', [secret]);
  for (let i = 0; i < 3; i++) {
    const out = await publish();
    assert.ok(!out.includes(secret) && out.includes('[redacted]'), `a secret now: masked (publish ${i + 1})`);
    assert.ok(out.includes('plain 69') && out.includes('plain 71'), 'the others are written as before');
  }
  registry.delete('file:///w/other.barecount.yaml');
  assert.ok((await publish()).includes(secret), 'no longer a secret: shown again');
});

/** A few messages, codes and places, so that publishes share some and differ in others. */
const findingArb = (length: number) =>
  fc.record({
    start: fc.nat({ max: length }),
    width: fc.nat({ max: 12 }),
    code: fc.constantFrom('BC101', 'BC202', 'BC502'),
    severity: fc.constantFrom('error' as const, 'warning' as const, 'info' as const),
    message: fc.constantFrom('Stage "a" runs on container.', 'Stage "b" · depends on "c" ← here', 'Connection "d" is not reachable.'),
    related: fc.array(fc.record({ start: fc.nat({ max: length }), message: fc.constantFrom('declared here', 'set here') }), { maxLength: 2 }),
  });

test(`publish after publish, each says what converting its findings afresh says, and is written as JSON.stringify writes it (seed ${SEED})`, () => {
  const texts = ['a: 1\nbb: 22\nccc: 333\n', 'a: 1\nbb: 22x\nccc: 333\n', '\na: 1\nbb: 22\nccc: 333\n', 'a: 1\n\nbb: 22\n\nccc: 333\n'];
  fc.assert(
    fc.property(
      fc.array(
        fc.record({
          text: fc.constantFrom(...texts),
          // Short lists, and lists long enough to be written in slices (wire.ts writes 64 at a time).
          findings: fc.oneof(fc.array(findingArb(24), { maxLength: 5 }), fc.array(findingArb(24), { minLength: 65, maxLength: 150 })),
          newSince: fc.array(fc.boolean(), { minLength: 150, maxLength: 150 }),
          bare: fc.boolean(),
        }),
        { minLength: 1, maxLength: 6 },
      ),
      (publishes) => {
        const cache = new DiagnosticCache(URI);
        const scratch = new Scratch(256);
        for (const p of publishes) {
          const lines = new LineIndex(p.text);
          const clamp = (n: number) => Math.min(n, p.text.length);
          const findings = p.findings.map((f) =>
            finding({
              code: f.code,
              severity: f.severity,
              message: f.message,
              span: { start: clamp(f.start), end: clamp(f.start + f.width) },
              related: f.related.map((r) => ({ span: { start: clamp(r.start), end: clamp(r.start + 1) }, message: r.message })),
            }),
          );
          const features = p.bare ? { docLinks: false, related: false } : ALL_DIAGNOSTIC_FEATURES;
          const since = (i: number) => (p.newSince[i] ? 'HEAD' : undefined);
          const out = cache.convert(lines, findings, features, since);
          const expected = fresh(lines, findings, features, since);
          assert.deepEqual(out, expected);
          // Written (three times: a diagnostic's own JSON is made the second time it is written, and
          // written from the third) as JSON.stringify writes what converting afresh gives.
          const message = (diagnostics: unknown[]) => ({
            jsonrpc: '2.0',
            method: 'textDocument/publishDiagnostics',
            params: { uri: URI, version: 1, diagnostics },
          });
          for (let round = 0; round < 3; round++) {
            assert.deepEqual(Buffer.concat(encodePieces(message(out), scratch)), Buffer.from(escapedJson(message(expected)), 'latin1'));
            scratch.release();
          }
        }
      },
    ),
    { numRuns: 100, seed: SEED },
  );
});
