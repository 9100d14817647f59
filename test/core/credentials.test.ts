import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import fc from 'fast-check';
import { credentialKind, credentialSpans } from '../../server/src/core';

// The credential scanner (secrets.ts) against the regular expressions it replaced, kept here as
// the oracle: the same kind for every value, and spans that cover every match. Short inputs
// only: on long ones the expressions are the quadratic problem hostile.test.ts measures.
const PATTERNS: ReadonlyArray<{ kind: string; re: RegExp }> = [
  { kind: 'a private key block', re: /-----BEGIN (?:[A-Z0-9]+ )*PRIVATE KEY( BLOCK)?-----/ },
  { kind: 'a cloud access key', re: /\b(?:AKIA|ASIA|AGPA|AIDA|AROA|ANPA)[0-9A-Z]{16}\b/ },
  { kind: 'a cloud API key', re: /\bAIza[0-9A-Za-z_-]{35}\b/ },
  { kind: 'a JWT', re: /\beyJ[A-Za-z0-9_-]{5,}\.eyJ[A-Za-z0-9_-]{5,}\.[A-Za-z0-9_-]*/ },
  { kind: 'a bearer token', re: /\bBearer\s+[A-Za-z0-9\-._~+/]{8,}=*/i },
  { kind: 'credentials in a URL', re: /\b[a-z][a-z0-9+.-]*:\/\/[^\s:/@]+:[^\s/@]+@[^\s/@]+/i },
  {
    kind: 'an access token',
    re: /\b(?:gh[pousr]_[A-Za-z0-9]{30,}|github_pat_[A-Za-z0-9_]{40,}|xox[abposr]-[A-Za-z0-9-]{10,}|sk_live_[A-Za-z0-9]{16,}|glpat-[A-Za-z0-9_]{20})/,
  },
];
const REFERENCE = /^\s*(\$\{secret:[^}]*\}|secret:\/\/\S*)\s*$/;

function oracleKind(value: string): string | undefined {
  if (value.length < 8 || REFERENCE.test(value)) return undefined;
  return PATTERNS.find((p) => p.re.test(value))?.kind;
}

// Near-credentials: each shape at its edges, then cut, grown and joined at random, so both
// sides of every boundary (a run one character short, `\b`, `\s` beyond ASCII, case) come up.
const SHAPES: readonly string[] = [
  'eyJhbGciOi.eyJzdWIiOi.sig_-x',
  'eyJabcde.eyJabcde.',
  'postgres://loader:s3cr3t@db.internal:5432/x',
  'a.b+c://user:pa:ss@host',
  'Bearer abcdefgh~+/.-_==',
  'bearer\u00a012345678',
  '-----BEGIN RSA PRIVATE KEY-----MIIEow',
  '-----BEGIN PRIVATE KEY BLOCK-----',
  '-----BEGIN A B PRIVATE KEY-----\nabc=\n-----END A B PRIVATE KEY-----',
  'AKIAIOSFODNN7EXAMPLE',
  'AIza' + 'Sy0-_abcdefghijklmnopqrstuvwxyz0123',
  'ghp_' + 'abcdefghijklmnopqrstuvwxyz0123',
  'github_pat_' + 'abcdefghij_klmnopqrstuvwxyz_0123456789abc',
  'xoxb-' + '0123-abcde',
  'sk_live_' + 'abcdefgh01234567',
  'glpat-' + 'abcdefghij_123456789',
  '${secret:DB}',
  'secret://a:b@c',
  // Where a URL's scheme starts (the scanner looks back from each `://`), and openings in a row.
  'a://b://u:p@h',
  '0-a.b://u:p@h',
  '9a://u:p@h x://v:q@i',
  'AKIASIAIOSFODNN7EXAMPLE',
  'xoxoxb-0123456789',
];
const EDGE: readonly string[] = ['-', '_', '.', ' ', 'a', 'Z', '0', '@', ':', '/', '=', '\u00a0', '\u2028', 'é', 'ſ', '\n', '"', 'x'];
const edit = fc.oneof(
  fc.record({ kind: fc.constant('insert' as const), at: fc.nat(), piece: fc.constantFrom(...EDGE) }),
  fc.record({ kind: fc.constant('delete' as const), at: fc.nat(), piece: fc.constant('') }),
  fc.record({ kind: fc.constant('upper' as const), at: fc.nat(), piece: fc.constant('') }),
);
const shape = fc.tuple(fc.constantFrom(...SHAPES), fc.array(edit, { maxLength: 3 })).map(([s, edits]) =>
  edits.reduce((t, e) => {
    const at = t.length === 0 ? 0 : e.at % t.length;
    if (e.kind === 'insert') return t.slice(0, at) + e.piece + t.slice(at);
    if (e.kind === 'delete') return t.slice(0, at) + t.slice(at + 1);
    return t.slice(0, at) + t.charAt(at).toUpperCase() + t.slice(at + 1);
  }, s),
);
const text = fc.array(fc.oneof(shape, fc.constantFrom(...EDGE)), { minLength: 1, maxLength: 5 }).map((parts) => parts.join(''));
const RUNS = { numRuns: Number(process.env.FUZZ_RUNS ?? 3000), seed: Number(process.env.FUZZ_SEED ?? 20260601) };

describe('credential scanner', () => {
  test('classifies every value as the regular expressions did', () => {
    fc.assert(
      fc.property(text, (value) => assert.equal(credentialKind(value), oracleKind(value), JSON.stringify(value))),
      RUNS,
    );
  });

  test('its spans cover every match of every expression, and each holds a match of its kind', () => {
    fc.assert(
      fc.property(text, (value) => {
        const spans = credentialSpans(value);
        for (const p of PATTERNS) {
          for (const m of value.matchAll(new RegExp(p.re.source, `${p.re.flags}g`))) {
            const [a, b] = [m.index, m.index + m[0].length];
            assert.ok(
              spans.some((s) => s.start <= a && s.end >= b),
              `${p.kind} at ${a}-${b} in ${JSON.stringify(value)} not in ${JSON.stringify(spans)}`,
            );
          }
        }
        for (const s of spans) {
          const re = new RegExp(PATTERNS.find((p) => p.kind === s.kind)!.re.source, `${PATTERNS.find((p) => p.kind === s.kind)!.re.flags}g`);
          re.lastIndex = s.start;
          const m = re.exec(value);
          assert.ok(m && m.index < s.end && m.index + m[0].length <= s.end, `${JSON.stringify(s)} in ${JSON.stringify(value)}`);
        }
      }),
      RUNS,
    );
  });

  test('a value has a kind exactly when it holds a span (references aside)', () => {
    fc.assert(
      fc.property(text, (value) => {
        if (REFERENCE.test(value)) return;
        assert.equal(credentialKind(value) !== undefined, credentialSpans(value).length > 0, JSON.stringify(value));
      }),
      RUNS,
    );
  });

  test('spans are sorted, apart, and merge overlapping tokens under the first kind', () => {
    const spans = credentialSpans('k=postgres://u:eyJabcdef.eyJabcdef.sig@db x AKIAIOSFODNN7EXAMPLE');
    assert.deepEqual(
      spans.map((s) => s.kind),
      ['a JWT', 'a cloud access key'],
    );
    assert.ok(spans[0]!.start === 2 && spans[0]!.end < spans[1]!.start);
  });

  test('a match of a kind ends where the next of that kind may start, as a global expression reads on', () => {
    // The URL's host runs on to `hb:`; the `hb://…` after it starts inside that match, so it is
    // not one of its own (the expression, read on from the first match's end, finds none there).
    const text = 'a://u:p@hb://u:p@h2 x';
    assert.deepEqual(credentialSpans(text), [{ start: 0, end: 11, kind: 'credentials in a URL' }]);
    // Each `://` finds the first word of its scheme: `0-a.b` starts its URL at `a`.
    assert.deepEqual(credentialSpans('0-a.b://u:p@h x://v:q@i'), [
      { start: 2, end: 13, kind: 'credentials in a URL' },
      { start: 14, end: 23, kind: 'credentials in a URL' },
    ]);
  });

  test('finds tokens anywhere in a line, a message or a JSON string', () => {
    const line = '  DSN: "postgres://loader:s3cr3tpass@db.internal:5432/orders"  # prod';
    const [dsn] = credentialSpans(line);
    assert.equal(line.slice(dsn!.start, dsn!.end), 'postgres://loader:s3cr3tpass@db.internal:5432');
    const json = JSON.stringify({ key: '-----BEGIN RSA PRIVATE KEY-----\nMIIEow\nabc=\n-----END RSA PRIVATE KEY-----\n', next: 1 });
    const [key] = credentialSpans(json);
    assert.equal(key!.kind, 'a private key block');
    // The key after the header is masked too, through the END line.
    assert.ok(json.slice(key!.start, key!.end).endsWith('-----END RSA PRIVATE KEY-----'));
    assert.deepEqual(credentialSpans('just words, a@b and eyJ but nothing else'), []);
  });
});
