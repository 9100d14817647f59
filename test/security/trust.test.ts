import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import fc from 'fast-check';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { run } from '../../server/src/cli/main';
import {
  DEFAULT_LIMITS,
  Redactor,
  REDACTED,
  analyze,
  credentialSpans,
  hover,
  isSecretKey,
  quote,
  secretLiteral,
  secretsInText,
  secretsOf,
  parseYaml,
  syntaxMessage,
  applyEdits,
  fixAll,
} from '../../server/src/core';
import { md, mdCode } from '../../server/src/core/markup';
import { env, lint, tempDir } from '../helpers';

/** The reproductions of the trust-boundary review, each as a behaviour a user would notice. */

const MANIFEST = (stage: string, extra = '') => `apiVersion: barecount/v1
kind: Pipeline
metadata: { name: trust, owner: data, dataClassification: internal, tags: { cost-center: x } }
spec:
  stages:
${stage}${extra}`;

describe('the redaction layer', () => {
  test('a value under a secret key is masked wherever it is repeated, through an alias too', () => {
    const text = MANIFEST(`    - name: a
      phase: ingestion
      workload: api-poll
      runner: { class: serverless, size: small, network: public-egress }
      env:
        DB_PASSWORD: &pw Hunter2Secret
    - name: *pw
      phase: ingestion
      workload: api-poll
      runner: { class: serverless, size: small, network: public-egress }
`);
    const a = analyze(text, env());
    const raw = a.findings.map((f) => f.message).join('\n');
    // The engine's own message names the value; the layer every output passes hides it.
    assert.match(raw, /Hunter2Secret/, 'the reproduction still reaches the engine message');
    const r = new Redactor(a.secrets);
    const shown = r.text(raw);
    assert.doesNotMatch(shown, /Hunter2Secret/);
    assert.match(shown, /"\[redacted\]" is not a valid Stage name/);
  });

  test('credential-shaped tokens are masked in any text, with no secret list at all', () => {
    const r = new Redactor();
    for (const token of [
      'ghp_AAAABBBBCCCCDDDDEEEEFFFFGGGGHHHH1234',
      'AKIAIOSFODNN7EXAMPLE',
      'https://svc-user:pa55w0rd@crm.example.com',
      'eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.sig',
    ]) {
      const shown = r.text(`Stage "${token}" runs on serverless`);
      assert.ok(!shown.includes(token), shown);
      assert.ok(shown.includes(REDACTED));
    }
  });

  test('a shortened quote of a long secret is masked too, and JSON and Markdown forms of it', () => {
    const secret = 'correct-horse-battery-staple-and-more-words-to-make-it-long-enough-for-a-cut';
    const r = new Redactor([secret]);
    assert.ok(!r.text(quote(secret)).includes(secret.slice(0, 20)));
    const tricky = 'pa"ss\\word*[x]';
    const r2 = new Redactor([tricky]);
    assert.ok(!r2.text(JSON.stringify({ m: tricky })).includes(JSON.stringify(tricky).slice(1, -1)));
    assert.ok(!r2.text(`value ${md(tricky)}`).includes(md(tricky)));
    assert.equal(r2.json({ m: `x ${tricky} y` }), JSON.stringify({ m: `x ${REDACTED} y` }));
  });

  test('secrets in broken YAML, in comments and under ignore comments are all found', () => {
    const text = `apiVersion: barecount/v1
kind: Pipeline
spec:
  stages:
    # barecount-ignore BC201: fixture
    - name: a
      env: { API_TOKEN: tok3nValue99, x: "unclosed
# password: commentedSecret1
      oops: [
`;
    const found = secretsOf(parseYaml(text, DEFAULT_LIMITS));
    for (const s of ['tok3nValue99', 'commentedSecret1']) assert.ok(found.includes(s), `${s} not found in ${JSON.stringify(found)}`);
  });

  test('the text scan finds values under secret keys in every way a key is written', () => {
    // secretsInText alone, not the parsed tree: it is what finds secrets in text that does not parse.
    const found = (text: string) => [...secretsInText(text)];
    const cases: Array<[string, string]> = [
      ['env:\n  "password": hunter2xx\n', 'hunter2xx'],
      ["env:\n  'API_TOKEN': 'tok3nValue99'\n", 'tok3nValue99'],
      ['  db_password: "first: second"\r\n  next: 1\r\n', 'first: second'],
      ['{a: "x", ghToken: flowSecret1, b: 2}', 'flowSecret1'],
      ['# service-passwd: commentedSecret2\n', 'commentedSecret2'],
      ['  pw: "x"credentials: afterQuoteSecret3\n', 'afterQuoteSecret3'],
      ['  token:noSpace1\n  apikey: lastLine4', 'lastLine4'],
    ];
    for (const [text, secret] of cases)
      assert.ok(found(text).includes(secret), `${secret} not found in ${JSON.stringify(text)}: ${JSON.stringify(found(text))}`);
    for (const [text, kept] of [
      ['  token:noSpace1\n', 'noSpace1'],
      ['  tokenUrl: https://not.a.secret/\n', 'https://not.a.secret/'],
      ['  note: "a token lives here"\n', 'a token lives here'],
    ])
      assert.ok(!found(text).includes(kept), `${kept} taken for a secret`);
  });

  test('the text scan finds what a colon-by-colon scan finds, on random text', () => {
    // The scan goes from secret word to secret word; the reference visits every colon. Words,
    // separators, quotes, flow and comment characters are drawn so that keys, values and the
    // place the last value ended fall everywhere.
    const piece = fc.constantFrom(
      ...'pass|secret|token|key|cred|word|PASS|api|x|hunter22xyz|a1b2c3d4|:|: | |\n|\r\n|\t|"|\'|,|{|}|[|]|#|-|_|.|ref|file|${secret:A}'.split('|'),
    );
    fc.assert(
      fc.property(fc.array(piece, { maxLength: 60 }), (parts) => {
        const text = parts.join('');
        const expected = new Set(credentialSpans(text).map((s) => text.slice(s.start, s.end)));
        keyedByColon(text, expected);
        assert.deepEqual([...secretsInText(text)].sort(), [...expected].sort(), JSON.stringify(text));
      }),
      { numRuns: Number(process.env.FUZZ_RUNS ?? 3000), seed: Number(process.env.FUZZ_SEED ?? 20261202) },
    );
  });

  test('quote() never dumps a non-string value', () => {
    assert.equal(quote(12), '12');
    assert.equal(quote({ password: 'x' }), '(a mapping)');
    assert.equal(quote(['ghp_AAAABBBBCCCCDDDDEEEEFFFFGGGGHHHH1234']), '(a list)');
    assert.equal(quote('ghp_AAAABBBBCCCCDDDDEEEEFFFFGGGGHHHH1234'), '(a value that looks like a credential, not shown)');
  });

  test('YAML syntax errors describe the problem and never quote the source', () => {
    const text = `apiVersion: barecount/v1
kind: Pipeline
metadata:
  name: x
spec:
  stages:
    - name: a
      env:
        CRM_URL: "https://svc-user:pa55w0rd@crm.example"x
        NOTE: "plainSourceWords"oops
`;
    const syntax = lint(text).findings.filter((f) => f.code === 'BC001');
    assert.ok(syntax.length > 0);
    for (const f of syntax) {
      assert.doesNotMatch(f.message, /pa55w0rd|svc-user|plainSourceWords|oops|crm\.example/);
      assert.match(f.message, /^YAML syntax error: /);
    }
    assert.equal(syntaxMessage('UNEXPECTED_TOKEN', 'Unexpected double-quoted-scalar token in YAML stream: "https://u:p@h"').includes('https'), false);
    assert.match(syntaxMessage('UNEXPECTED_TOKEN', 'Unexpected flow-map-end token in YAML stream: "}"'), /^Unexpected flow map end here/);
  });
});

describe('edits never carry text they did not mean to change', () => {
  test('fix-all leaves a secret between two typo fixes out of its edits', () => {
    const text = MANIFEST(`    - name: a
      phase: ingestoin
      workload: api-poll
      runner: { class: serverless, size: small, network: public-egress }
      env:
        DB_PASSWORD: Hunter2Secret
      schedule: { cron: "0 2 * * *" }
      estimate: { runsPerDya: 1 }
`);
    const { text: fixed, edits } = fixAll(text, env());
    assert.notEqual(fixed, text);
    assert.equal(edits.length, 2, JSON.stringify(edits));
    for (const e of edits) assert.ok(!e.newText.includes('Hunter2Secret') && !text.slice(e.start, e.end).includes('Hunter2Secret'));
    assert.equal(applyEdits(text, edits), fixed);
  });
});

describe('markup from the manifest renders as text', () => {
  test('hover escapes an image link and code-span breakouts in values', () => {
    const evil = 'x` ![t](https://attacker.example/p.png) `y';
    const text = MANIFEST(`    - name: a
      phase: ingestion
      workload: api-poll
      runner: { class: serverless, size: small, network: public-egress, justification: "${evil}" }
`);
    const a = analyze(text, env());
    const doc = a.file.documents[0]!.doc;
    const at = text.indexOf('name: a') + 6;
    const h = hover({ text, offset: at, kind: 'manifest', doc, document: a.documents[0]!, policy: a.policy });
    assert.ok(h);
    assert.ok(!h.markdown.includes('![t]('), h.markdown);
    assert.ok(h.markdown.includes('\\!\\[t\\]'), h.markdown);
  });

  test('a code span holds any backticks', () => {
    assert.equal(mdCode('a`b'), '``a`b``');
    assert.equal(mdCode('`x`'), '`` `x` ``');
    assert.equal(md('![i](u) <b> | @team'), '\\!\\[i\\](u) \\<b\\> \\| \\@team');
  });
});

describe('the redactor against a naive search', () => {
  test('no secret survives, whatever overlaps; text without secrets is left as it is', () => {
    const word = fc.array(fc.constantFrom('a', 'b', 'c'), { minLength: 5, maxLength: 9 }).map((cs) => cs.join(''));
    fc.assert(
      fc.property(fc.array(word, { minLength: 1, maxLength: 8 }), fc.array(fc.constantFrom('a', 'b', 'c', ' ', 'x'), { maxLength: 80 }), (secrets, chars) => {
        const text = chars.join('');
        const r = new Redactor(secrets);
        const out = r.text(text);
        for (const s of secrets) assert.ok(!out.includes(s), `${JSON.stringify(s)} survives in ${JSON.stringify(out)}`);
        if (!secrets.some((s) => text.includes(s))) assert.equal(out, text);
        assert.equal(r.mask(text).length, text.length);
      }),
      { numRuns: 2000 },
    );
  });
  test('secrets made of pattern characters, and hundreds of secrets, are found all the same', () => {
    // The redactor first searches natively for the secrets' openings (when there are at most 256
    // distinct ones): that search must not miss a secret spelt with its special characters, and with
    // more openings than that there is no native search. Each secret is put into the text.
    const special = fc.constantFrom('.', '*', '(', '[', '\\', '$', '/', '\n', '|', '?', '^', 'a', '}', '+', ')', ']', '{');
    const word = fc.array(special, { minLength: 4, maxLength: 9 }).map((cs) => cs.join(''));
    // 300 distinct openings: more than the native search takes.
    const many = Array.from({ length: 300 }, (_, i) => `${i.toString(36).padStart(4, '0')}tok`);
    fc.assert(
      fc.property(
        fc.array(word, { minLength: 1, maxLength: 6 }),
        fc.array(fc.oneof(special, fc.constant(' ')), { maxLength: 60 }),
        fc.nat(),
        fc.boolean(),
        (secrets, chars, at, crowd) => {
          const all = crowd ? [...secrets, ...many] : secrets;
          const shown = [secrets[at % secrets.length]!, ...(crowd ? [many[at % many.length]!] : [])];
          const filler = chars.join('');
          const cut = at % (filler.length + 1);
          const text = `${filler.slice(0, cut)} ${shown.join(' ')} ${filler.slice(cut)}`;
          const out = new Redactor(all).text(text);
          for (const s of all) if (s.trim().length >= 4) assert.ok(!out.includes(s), `${JSON.stringify(s)} survives in ${JSON.stringify(out)}`);
          // Without its secrets the text is left as it is.
          assert.equal(new Redactor(crowd ? many.filter((m) => !text.includes(m)) : []).text(filler), filler);
        },
      ),
      { numRuns: 1000 },
    );
    // A shortened quote: a long enough prefix of a secret is masked too, found by its opening.
    const r = new Redactor(['Zq9-long-secret-value-0042']);
    assert.equal(r.text('value "Zq9-long-sec..." here'), `value "${REDACTED}..." here`);
  });
});

test('secrets written with YAML quote escapes are masked in printed source lines too', () => {
  const text = MANIFEST(`    - name: a
      phase: ingestion
      workload: webhook
      runner: { class: serverless, size: small, network: public-egress }
      env:
        API_TOKEN: 'ab''cd1234xyz'
        OTHER_SECRET: "q\\"uo\\\\te99"
`);
  const r = new Redactor(analyze(text, env()).secrets);
  const lines = text.split('\n');
  for (const needle of ["ab''cd1234xyz", 'q\\"uo\\\\te99']) {
    const line = lines.find((l) => l.includes(needle))!;
    assert.ok(line, needle);
    assert.ok(!r.mask(line).includes(needle), r.mask(line));
  }
});

test('a secret spelt like a protocol word leaves the protocol intact', () => {
  const r = new Redactor(['barecount', 'markdown', 'error', '2.1.0', 'Hunter2Secret']);
  const diag = { source: 'barecount', code: 'BC201', message: 'barecount says Hunter2Secret', severity: 1 };
  assert.deepEqual(r.deep(diag), { source: 'barecount', code: 'BC201', message: `${REDACTED} says ${REDACTED}`, severity: 1 });
  assert.deepEqual(r.deep({ contents: { kind: 'markdown', value: 'markdown' } }), { contents: { kind: 'markdown', value: REDACTED } });
  assert.equal(r.json({ version: '2.1.0', level: 'error', text: 'error' }), JSON.stringify({ version: '2.1.0', level: 'error', text: REDACTED }));
  // Under a protocol key, anything but a protocol word is still masked.
  assert.deepEqual(r.deep({ kind: 'Hunter2Secret' }), { kind: REDACTED });
});

test('barecount-lint masks short, multi-line and control-character secrets in every line it prints', () => {
  const dir = tempDir('barecount-trust-');
  const file = join(dir, 'short.barecount.yaml');
  writeFileSync(
    file,
    MANIFEST(`    - name: a
      phase: ingestion
      workload: webhook
      runner: { class: serverless, size: small, network: public-egress }
      env:
        DB_PASSWORD: 9f3k
        API_TOKEN:
          PlainMultiA
          PlainMultiB
        PASSWORD_2: &pw "ab\\"cd\\tefghijklmnopq"
    - name: *pw
      phase: ingestion
      workload: webhook
      runner: { class: serverless, size: small, network: public-egress }
`),
  );
  for (const format of ['text', 'json', 'sarif']) {
    let out = '';
    run(['--format', format, file], { stdout: (s) => (out += s), stderr: (s) => (out += s), isTty: false, env: {} });
    for (const secret of ['9f3k', 'PlainMultiA', 'PlainMultiB', 'efghijklmnopq']) assert.ok(!out.includes(secret), `${format} prints ${secret}:\n${out}`);
  }
});

/**
 * The reference for the text scan: every colon followed by whitespace, its key read backwards (not
 * past where the last secret value ended), kept when the key as written holds one of the words
 * and names a secret; its value read as the scan reads it.
 */
function keyedByColon(text: string, out: Set<string>): void {
  const isKeyChar = (c: string | undefined) => c !== undefined && /[A-Za-z0-9_.-]/.test(c);
  const isComment = (at: number) => text[at] === '#' && (at === 0 || text[at - 1] === ' ' || text[at - 1] === '\t');
  let floor = 0;
  // A plain value ended by a comma is also kept as the rest of its line, once a line.
  let lineDone = -1;
  for (let i = 0; i < text.length; i++) {
    if (text[i] !== ':' || i < floor) continue;
    if (!/[ \t\r\n]/.test(text[i + 1] ?? '\n')) continue;
    let keyEnd = i;
    if ((text[i - 1] === '"' || text[i - 1] === "'") && i - 1 > floor) keyEnd = i - 1;
    let keyStart = keyEnd;
    while (keyStart > floor && isKeyChar(text[keyStart - 1])) keyStart--;
    floor = i + 1;
    const key = text.slice(keyStart, keyEnd);
    if (key.length < 5 || !/pass|secret|token|key|cred/i.test(key) || !isSecretKey(key)) continue;
    let j = i + 1;
    while (text[j] === ' ' || text[j] === '\t') j++;
    let lineEnd = text.indexOf('\n', j);
    if (lineEnd === -1) lineEnd = text.length;
    if (lineEnd > j && text[lineEnd - 1] === '\r') lineEnd--;
    let value: string;
    let end: number;
    const first = text[j];
    if (first === '"' || first === "'") {
      let close = j + 1;
      while (close < lineEnd && !(text[close] === first && !(first === "'" && text[close + 1] === "'"))) close += text[close] === "'" && first === "'" ? 2 : 1;
      value = text.slice(j + 1, close);
      end = Math.min(close + 1, lineEnd);
    } else {
      end = j;
      while (end < lineEnd && !',}]'.includes(text[end]!) && !isComment(end)) end++;
      value = text.slice(j, end).trim();
      if (end < lineEnd && text[end] === ',' && lineDone !== lineEnd) {
        lineDone = lineEnd;
        let full = end;
        while (full < lineEnd && !isComment(full)) full++;
        const whole = text.slice(j, full).trim();
        if (whole !== value && whole.length >= 4) out.add(whole);
      }
    }
    floor = Math.max(floor, end);
    if (value && !/^[|>][-+0-9]*$/.test(value) && secretLiteral('password', value)) out.add(value);
  }
}
