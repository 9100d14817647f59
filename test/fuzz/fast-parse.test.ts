import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { isAlias, isMap, isScalar, isSeq, parseAllDocuments, parseDocument, visit, type Node, type YAMLMap } from 'yaml';
import { fastParse, fastParseDocuments, fastParseItem, shiftRange } from '../../server/src/core/fast-parse';
import { generateManifest } from '../../bench/generate';
import { generateCorpusManifest } from '../../bench/corpus';
import { STYLES, corpus, mutate, mutationOf } from './corpus';

// The fast parser must build exactly what the yaml library builds, or step aside.
const RUNS = Number(process.env.FUZZ_RUNS ?? 300) * 3;
const SEED = Number(process.env.FUZZ_SEED ?? 20261127);
const BASES = [...corpus(), generateManifest(25)];

function shape(n: Node | null | undefined, out: string[]): string[] {
  if (!n) out.push('null');
  else if (isAlias(n)) out.push(`A ${n.source} ${n.range?.join(',')}`);
  else if (isScalar(n)) out.push(`S ${JSON.stringify(n.value)} ${n.type} ${n.anchor ?? ''} ${n.value === null ? '' : n.range?.join(',')}`);
  else if (isMap(n)) {
    out.push(`M${n.flow ? ' flow' : ''} ${n.anchor ?? ''} ${n.range?.join(',')}`);
    for (const p of n.items) {
      shape(p.key as Node, out);
      shape(p.value as Node, out);
    }
    out.push('/M');
  } else if (isSeq(n)) {
    out.push(`Q${n.flow ? ' flow' : ''} ${n.anchor ?? ''} ${n.range?.join(',')}`);
    for (const i of n.items) shape(i as Node, out);
    out.push('/Q');
  } else out.push(`? ${(n as object).constructor.name}`);
  return out;
}

/** Whether the fast path took the text (every document of it); when it did, it must equal the library. */
function same(text: string): boolean {
  const fast = fastParseDocuments(text);
  if (!fast) return false;
  const lib = parseAllDocuments(text, { prettyErrors: false, uniqueKeys: true });
  assert.ok(Array.isArray(lib), `the fast parser found documents in an empty stream:\n${text}`);
  assert.deepEqual(
    lib.flatMap((d) => d.errors.map((e) => e.message)),
    [],
    `the fast parser accepted text the library rejects:\n${text}`,
  );
  assert.equal(fast.length, lib.length, `documents differ for:\n${text}`);
  lib.forEach((doc, i) => {
    assert.deepEqual(shape(fast[i]!.doc.contents as Node, []), shape(doc.contents as Node, []), `nodes or ranges differ for:\n${text}`);
    assert.deepEqual(fast[i]!.data, doc.toJS(), 'data differs');
    assert.deepEqual(fast[i]!.doc.range, doc.range, `document range differs for:\n${text}`);
  });
  return true;
}

/** Each text is taken by the fast path, with the library's nodes, ranges and data. */
function allTaken(texts: readonly string[]): void {
  for (const text of texts) assert.ok(same(text), `left the fast path: ${JSON.stringify(text)}`);
}

/** Each text is left to the library. */
function allRefused(texts: readonly string[]): void {
  for (const text of texts) assert.equal(fastParse(text), undefined, JSON.stringify(text));
}

test('the fast parser matches the yaml library on the corpus', () => {
  const taken = BASES.filter(same).length;
  // It must actually take the common case, not bail on everything.
  assert.ok(taken > BASES.length * 0.8, `took only ${taken} of ${BASES.length}`);
});

test(`the fast parser matches the yaml library on mutated manifests (${RUNS} runs, seed ${SEED})`, () => {
  let taken = 0;
  fc.assert(
    fc.property(mutationOf(BASES.length), (m) => {
      if (same(mutate(BASES, m))) taken++;
    }),
    { numRuns: RUNS, seed: SEED },
  );
  assert.ok(taken > 0);
});

test('a key being typed at the end of the document stays on the fast path, with the library’s ranges', () => {
  const base = generateManifest(3);
  for (const tail of [
    '        class: ',
    '        class:',
    '        class: \n',
    '        class:   \n\n \n',
    '      dependsOn:\n      -',
    '      dependsOn:\n      - \n',
  ]) {
    const text = `${base}    - name: typing\n      phase: ingestion\n${tail.startsWith('        ') ? '      runner:\n' : ''}${tail}`;
    assert.ok(same(text), `left the fast path:\n${JSON.stringify(tail)}`);
  }
});

test(`the fast parser matches the yaml library on keys and flow values made of YAML's awkward tokens (${RUNS} runs)`, () => {
  // Words of the core schema in every case, colons inside and at the end of scalars, flow
  // indicators, quotes, comments, tabs and carriage returns (white space and a line break to YAML): where the fast path's shortcuts (a word key found at once, a
  // flow scalar found by one match, a value starting with a letter read as it is) must agree.
  const unit = fc.constantFrom(
    ...['a', 'b', ':', ' ', ',', '[', ']', '{', '}', '"', "'", '#', '-', '1', '.', '\t', '\r', '_', 'x_y', 'k-1', '\\', 'é', '0x1', '?'],
    ...['true', 'True', 'TRUE', 'false', 'False', 'FALSE', 'null', 'Null', 'NULL', '~', 'no', 'F', 'T', 'N', 'ab:c', 'http://h'],
    // Anchors and aliases: before a value, alone, with odd names.
    ...['&a ', '&a', '*a', '*a ', '&x:', '&b.c-1 '],
  );
  let taken = 0;
  fc.assert(
    fc.property(fc.array(unit, { maxLength: 14 }), fc.nat({ max: 5 }), (units, where) => {
      const w = units.join('');
      const text = [`a: [${w}]\n`, `a: {${w}}\n`, `k: {x: ${w}}\nz: 1`, `${w}: v\n`, `- ${w}\n- x: ${w}\n`, `m:\n  ${w}: [${w}]\n  n: ${w}\n`][where]!;
      if (same(text)) taken++;
    }),
    { numRuns: RUNS * 4, seed: SEED },
  );
  assert.ok(taken > RUNS / 4, `took only ${taken}`);
});

test('Windows line ends, a byte order mark, tabs before comments and tab-indented comment lines stay on the fast path, with the library’s nodes', () => {
  // Each used to send every stage (or the whole file) to the library: a file saved on Windows,
  // or by an editor that puts a tab before a comment, opened several times slower.
  const base = generateCorpusManifest({ stages: 40, seed: 5, dirty: true, unusual: false });
  assert.ok(same(base), 'the plain corpus manifest should be on the fast path');
  for (const style of ['crlf', 'tabs by comments', 'tab-indented comment lines', 'byte order mark'] as const) {
    const text = STYLES[style](base);
    assert.notEqual(text, base, style);
    assert.ok(same(text), `${style} left the fast path`);
  }
  // A carriage return that ends no line is a line break to YAML: the library reads it.
  assert.equal(fastParse('a: 1\rb: 2\n'), undefined);
  assert.equal(fastParse('a: x\r\n'.repeat(3) + 'b: 1 \r # c\r\n'), undefined);
  // A tab inside a value, or before content, is not the line's tail.
  assert.equal(fastParse('a: x\ty\n'), undefined);
  assert.equal(fastParse('a:\n \tb: 1\n'), undefined);
});

test('a JSON manifest (one flow collection) is read by the fast path with the library’s nodes, pretty-printed or on one line', () => {
  // It went to the library whole: a 1000-stage manifest written as JSON took 350 ms to read, not 40.
  const base = generateCorpusManifest({ stages: 30, seed: 6, dirty: true, unusual: false });
  for (const style of ['json', 'json on one line'] as const) {
    const text = STYLES[style](base);
    assert.ok(text.startsWith('{'), style);
    assert.ok(fastParse(text), `${style}: not on the fast path`);
    assert.ok(same(text), `${style} left the fast path`);
    assert.ok(same(`${text}\n`), `${style} and a line break left the fast path`);
  }
  assert.ok(same('[1, 2,\n  {"a": [3]}\n]\n'));
  assert.ok(same('{"a": 1}\n---\n[2]\n'));
  // Lines after it decide where the library ends the document (a review found these): left to it.
  allRefused(['{"a": 1}\n\n\n', '{"a": 1}\n# c\n\n', '[1]\n\n', '{"a": 1}\r\n\r\n', '{"a": 1}\n\n---\nb: 2\n', '{"a": 1}\n# c\n']);
});

test('files of several documents, or one with markers, are read by the fast path with the library’s document ranges', () => {
  // Several documents, or a `---` at the top, sent the whole file to the library.
  const base = generateCorpusManifest({ stages: 20, seed: 9, dirty: true, unusual: false });
  const texts = [
    STYLES['two documents'](base),
    STYLES['document start'](base),
    STYLES['document end'](base),
    STYLES['document end'](STYLES['two documents'](base)),
    STYLES.crlf(STYLES['two documents'](base)),
    `${base}...\n# between\n---\n${base}`,
    `---\n${base}---\n${base}---\n${base}`,
    // The version every document is read as anyway, before the first `---` or after a `...`.
    `%YAML 1.2\n---\n${base}`,
    `# a pipeline\n%YAML 1.2 # the version\n--- # one\n${base}...\n%YAML 1.2\n---\n${base}`,
    STYLES['byte order mark'](`%YAML 1.2\n---\n${base}`),
  ];
  for (const text of texts) {
    assert.ok(same(text), `left the fast path:\n${text.slice(0, 200)}`);
    assert.ok(fastParseDocuments(text)!.length >= 1);
  }
  assert.equal(fastParseDocuments(texts[0]!)!.length, 2);
  assert.equal(fastParseDocuments(texts[6]!)!.length, 3);
  // What the markers may also mean is left to the library: another version or a tag directive,
  // content on a marker's line, a document after `...` without its `---`, an empty document, a
  // directive where none may be.
  for (const text of [
    `%YAML 1.1\n---\n${base}`,
    `%TAG ! tag:example.com,2026:\n---\n${base}`,
    `%YAML 1.2\n%TAG ! tag:example.com,2026:\n---\n${base}`,
    `--- !!map\n${base}`,
    `${base}...\n${base}`,
    `---\n---\n${base}`,
    `${base}--- # empty\n`,
    `${base}%YAML 1.2\n---\n${base}`,
  ]) {
    assert.equal(fastParseDocuments(text), undefined, text.slice(0, 40));
  }
});

test('tabs on blank lines, comments by empty values and ` #` in flow keys are left to the library, or read as it reads them', () => {
  // Texts a review found: each was taken with nodes, ranges or errors other than the library's.
  for (const text of [
    'a:\n\t',
    '-\n\t',
    'a:\n  b:\n\t',
    'a:\n\t\nb: 1\n',
    'a:\n\t \nb: 1\n',
    'a:\n\t\r\nb: 1\r\n',
    'a: 1\nb:\n\t# c\n',
    '- a:\n\t# c\n- b',
    '- x\n\t#\n-\n',
    'a: 1\nb:\n# c\n',
    '- a:\n# c\n- b',
    '- x\n#\n-\n',
    'b:\n - x\n#\n -\n',
    'a: {n #: 1}\n',
  ]) {
    assert.doesNotThrow(() => same(text), JSON.stringify(text));
  }
});

test('double-quoted escapes are read on the fast path as the library reads them; bad ones are left to it', () => {
  const values = [
    '"say \\"hi\\""',
    '"a\\\\b"',
    '"tab\\there"',
    '"\\u00e9t\\u00E9 \\x41 \\U0001F600"',
    '"\\0\\a\\b\\e\\f\\n\\r\\v\\N\\_\\L\\P\\ \\/"',
    '"\\ud83d"',
    '"end\\\\"',
  ];
  for (const v of values) {
    const text = `a: ${v}\nb: [${v}, x]  # c\nc: {k: ${v}}\n${v}: 1\n`;
    assert.ok(same(text), `left the fast path: ${v}`);
  }
  for (const v of ['"\\q"', '"\\x4"', '"\\u12G4"', '"\\U00110000"', '"open \\"']) assert.equal(fastParse(`a: ${v}\n`), undefined, v);
});

test('block scalars (`|`, `>`, with `-` or `+`) are read on the fast path as the library reads them; unusual ones are left to it', () => {
  // A stage holding a multi-line string (a query, a justification) went to the library whole.
  const texts = [
    'a: |\n  x\n  y\nb: 1\n',
    'a: |-\n  x\n  y\nb: 1\n',
    'a: |+\n  x\n  y\nb: 1\n',
    'a: >\n  x\n  y\n\n  z\nb: 1\n',
    'a: >-\n  x\n\n\n  y\n',
    'a: | # a note\n  x\n\n\nb: 1\n',
    'a: |\n  x\n  \n  y\n',
    'a: |\n  x\n# a comment\nb: 1\n',
    'a: |\n  x\n  y',
    'a: |\nb: 1\n',
    'a: |',
    'a:\n  b: |\n    x\n\n\nc: 1\n',
    'l:\n  - a: |\n      SELECT a, b\n      FROM t  -- note: kept\n    b: 2\n',
    'l:\n- a: |\n   x\n  b: 2\n',
    'a: |\r\n  x\r\n  y\r\nb: 1\r\n',
  ];
  allTaken(texts);
  const fast = fastParse(texts[12]!)!;
  assert.deepEqual(fast.data, { l: [{ a: 'SELECT a, b\nFROM t  -- note: kept\n', b: 2 }] });
  // A manifest whose every stage holds one, with a `#` line and a blank line in it.
  const corpus = generateCorpusManifest({ stages: 30, seed: 3, dirty: true, unusual: false }).replace(
    /^( +)workload: (.*)$/gm,
    '$1workload: $2\n$1query: |\n$1  SELECT 1\n$1  # a line of text, not a comment\n\n$1  FROM t\n',
  );
  assert.ok(same(corpus), 'a manifest of block scalars left the fast path');
  assert.equal((corpus.match(/query: \|/g) ?? []).length, 30);
  // Left to the library: an indentation indicator, blank lines before the first line, a more
  // indented line in folded style, a kept block with blank lines after it, text after the header.
  for (const text of ['a: >\n x\n \t# c\n', 'a: >-\n x\n\n \t# c\n', 'k:\n  k:\n  - x\n  #\n  j: y\n', '- k0:\n  - s\n  # c\n  k1: x\n']) {
    assert.doesNotThrow(() => same(text), JSON.stringify(text));
  }
  allRefused(['a: |2\n  x\n', 'a: |\n\n  x\n', 'a: >\n  x\n   y\n', 'a: |+\n  x\n\nb: 1\n', 'a: | x\n  y\n', 'a: |#\n  x\n', '- |\n  x\n']);
});

test('comment lines deeper than the line after them (a commented-out last key) stay on the fast path, with the library’s ranges', () => {
  // The library stretches a node over them: the block mapping or list at their indentation, or
  // the last value when they are deeper than every one. Such a comment sent its stage (and on
  // open the whole file) to the library.
  allTaken([
    'l:\n  - a: 1\n    r:\n      c: x\n      # d: y\n  - a: 2\n',
    'l:\n  - a: 1\n    r:\n      c: x\n    # d: y\n  - a: 2\n',
    'l:\n  - a: 1\n    r:\n      c: x\n        # deeper\n  - a: 2\n',
    'l:\n  - a: 1\n    r: [x]\n      # d\n  - a: 2\n',
    'l:\n  - a: 1\n    s:\n      - { x: 1 }\n      # c\n  - a: 2\n',
    'l:\n  - a: 1\n    s:\n    - x\n    # c\n  - a: 2\n',
    'l:\n  - a: 1\n    r:\n      c: x\n      # d: y\n\n      # e\n  # at the items\n  - a: 2\n',
    'a: 1\n  # deep\nb: 2\n',
  ]);
  const corpus = generateCorpusManifest({ stages: 40, seed: 8, dirty: true, unusual: false });
  let k = 0;
  const commented = corpus.replace(/\n((?: {4}#[^\n]*\n)*)( {4}- name:)/g, (m, comments: string, item: string) =>
    k++ === 0 ? m : `\n${' '.repeat(6 + 2 * (k % 3))}# retries: 3\n${comments}${item}`,
  );
  assert.equal(k, 40);
  assert.ok(same(commented), 'a manifest whose stages end in a commented-out key left the fast path');
  // At several indentations at once, in any order, or less deep than every collection that closes.
  allTaken([
    'l:\n  - a: 1\n    r:\n      c: x\n      # d\n    # e\n  - a: 2\n',
    'r:\n  c: x\n # one\ns: 1\n',
    'l:\n  - a: 1\n    r:\n      c: x\n    # d\n      # e\n  - a: 2\n',
    'l:\n  - a: 1\n    r:\n      c: x\n          # deeper\n  # e\nz: 1\n',
    'l:\n  - a: 1\n    r:\n      c: x\n         # d\n        # e\n   # f\n',
    'l:\n  - a: 1\n    r:\n      c: x\n     # between the keys\n  - a: 2\n',
    'l:\n  - a: 1\n    r:\n      c: x\n # shallower than all\n  - a: 2\n',
    'l:\n  - a: 1\n    r:\n      c: x\n      # d\n    # e\n',
  ]);
});

test(`comment runs at any indentations, anywhere, stay on the fast path with the library's ranges (${RUNS} runs, seed ${SEED})`, () => {
  // The library's parser gives a run of comment lines to nodes closing after it (fast-parse.ts
  // settle): the first lines deeper than the innermost collection to its last value, the rest to
  // the innermost collection closing there at or under the deepest of them. Nested mappings and
  // lists (compact ones too), leaf, flow and block values, with runs of 0 to 3 comment and blank
  // lines at 0 to 11 columns after any line.
  const run = fc.array(
    fc.oneof(
      fc.constant(''),
      fc.nat({ max: 11 }).map((n) => `${' '.repeat(n)}# c`),
    ),
    { maxLength: 3 },
  );
  const leaf = fc.constantFrom('v', '3', '[a]', '{x: 1}', '"s"', '[]', 'true');
  const node = (indent: number, depth: number): fc.Arbitrary<string[]> =>
    fc
      .tuple(fc.boolean(), fc.array(fc.tuple(fc.nat({ max: 4 }), leaf, run, fc.constantFrom(1, 2, 4)), { minLength: 1, maxLength: 3 }))
      .chain(([list, entries]) =>
        fc.tuple(
          ...entries.map(([kind, value, comments, step], i) => {
            const pad = ' '.repeat(indent);
            const lead = list && depth > 0 ? `${pad}- ` : pad;
            const nested = depth < 3 && kind >= 2;
            const head = list && depth > 0 ? (kind === 4 ? `${lead}${value}` : `${lead}k${i}:`) : `${pad}k${i}:`;
            const inner = list && depth > 0 ? indent + 2 : indent;
            const below: fc.Arbitrary<string[]> =
              kind === 4 && list && depth > 0 ? fc.constant([]) : nested ? node(kind === 3 ? inner : inner + step, depth + 1) : fc.constant([]);
            return below.map((b) => [
              nested || (kind === 4 && list && depth > 0) ? head : kind === 1 ? `${head} |\n${' '.repeat(inner + 2)}text` : `${head} ${value}`,
              ...b,
              ...comments,
            ]);
          }),
        ),
      )
      .map((groups) => groups.flat().flatMap((l) => l.split('\n')));
  let taken = 0;
  let valid = 0;
  fc.assert(
    fc.property(node(0, 0), fc.boolean(), (lines, end) => {
      const text = lines.join('\n') + (end ? '\n' : '');
      const lib = parseAllDocuments(text, { prettyErrors: false, uniqueKeys: true });
      if (!Array.isArray(lib) || lib.some((d) => d.errors.length > 0)) return;
      valid++;
      if (same(text)) taken++;
    }),
    { numRuns: RUNS * 2, seed: SEED },
  );
  assert.ok(taken > valid * 0.7, `took only ${taken} of ${valid}`);
});

test('anchors before a value stay on the fast path with the library’s nodes; aliases in a stage read alone', () => {
  // A third of the stages of the independent manifests had one (an anchored connection
  // reused by aliases, \`runner: *default-runner\`): each such stage went to the library.
  allTaken([
    'a: &x v\nb: 1\n',
    'a: &x "q"  # c\nb: [1]\n',
    'l:\n  - &m { k: 1 }  # c\n  - x\n',
    'r: &d {c: 1, e: [2]}\n',
    'e: &a\n  K: v\n  L: w\nf: &b  \n  - x\nz: 1\n',
    'a: &x-1.b [1,\n  2]\n',
  ]);
  allRefused([
    // An alias needs the document's anchors: a whole document with one is read in pieces, or by the library.
    'a: &x v\nb: *x\n',
    // No value on its line, a name with a colon, two properties, a tag, a block string, a mapping's first key.
    'a: &x\n',
    'a: &x # c\n  k: v\n',
    'a: &x:y v\n',
    'a: &x &y v\n',
    'a: &x !!str v\n',
    'a: &x |\n  t\n',
    'a: &x k: v\n',
    '- &a k: v\n',
    'a: &x\n  v\n',
  ]);
  // In a stage read alone, an alias is a node of its own, its data left to the caller.
  const stage = '  - name: s\n    runner: *default-runner   # shared\n    connections:\n      - &sink { kind: http-api }\n      - *sink\n';
  const item = fastParseItem(stage, 0, stage.length);
  assert.ok(item?.aliased);
  assert.equal(item.data, undefined);
  const library = parseDocument(`x: &default-runner {}\ny:\n${stage}`).get('y', true) as { items: Node[] };
  const offset = 'x: &default-runner {}\ny:\n'.length;
  const lib = shape(library.items[0], []).map((l) => l.replace(/\d+/g, (d) => String(Number(d) - offset)));
  assert.deepEqual(
    shape(item.node, []).map((l) => l.replace(/"s" PLAIN/, '"s" PLAIN')),
    lib,
  );
  for (const bad of ['  - *a b\n', '  - *a#c\n', '  - [*a]\n', '  - *a:\n']) assert.equal(fastParseItem(bad, 0, bad.length), undefined, JSON.stringify(bad));
});

test('flow collections over several lines, and on the line below their key, stay on the fast path with the library’s ranges', () => {
  // As the library's own writer wraps a long flow list: each such stage went to the library.
  allTaken([
    'a: [\n  x,\n  y\n]\nb: 1\n',
    'a:\n  [ x, y ]\nb: 1\n',
    'a:\n  [\n    { k: v, k2: w },\n    {\n        k: v\n      }\n  ]\nb: 1\n',
    'a: { k: v,\n  k2: v2 }\nb: 1\n',
    'a: [ x, # c\n  y # d\n  ]\nb: 1\n',
    'a: [ x\n  , y ]  # after\nb: 1\n',
    'a: {\n  k: v\n  , j: w\n  }\n',
    'a: [\r\n  x,\r\n\r\n  y\r\n]\r\nb: 1\r\n',
    '- [\n  x\n  ]\n- y\n',
  ]);
  const corpus = generateCorpusManifest({ stages: 30, seed: 6, dirty: true, unusual: false });
  const wrapped = STYLES['wrapped flows'](corpus);
  assert.notEqual(wrapped, corpus);
  assert.ok(same(wrapped), 'a manifest of wrapped flow collections left the fast path');
  // Left to the library: a line not indented under the key, a tab, a comment after a mapping's value, a key over two lines.
  allRefused(['a: [\nx ]\n', 'a: [a\t#]\n', 'a: { k: v # c\n  }\n', 'a: { k\n  : v }\n']);
  // Only the outermost collection may close at its key's column: inside it, the library reports errors.
  allRefused(['k: [{\n}]\n', 'k: [[\n]]\n', 'k: {a: [b\n]}\n', '- o: [{a: b\n  }]\n', 'k:\n  - [{\n  }]\n']);
  for (const text of ['k: [\n]\n', 'k: [[a]\n]\n']) assert.ok(same(text), JSON.stringify(text));
});

test('a scalar on the line below its key stays on the fast path; one going on over more lines is the library’s', () => {
  allTaken(['a:\n  x\nb: 1\n', 'a:\n  x  # c\nb: 1\n', 'a:\n  "q"\nb: 1\n', 'a:\n\n  x\nb: 1\n', 'l:\n  - a:\n      x\n    b: 1\n', 'a:\n  x\n']);
  const corpus = generateCorpusManifest({ stages: 30, seed: 2, dirty: true, unusual: false });
  assert.ok(same(STYLES['values below keys'](corpus)), 'a manifest of values below their keys left the fast path');
  allRefused(['a:\n  x\n  y\n', 'a:\n  # c\n  x\n']);
});

test('a flow scalar of millions of characters is read without overflowing the stack', () => {
  // The end of a flow scalar is searched for, not matched: a match kept a backtrack entry per
  // character and threw past about eight million (a raised size limit lets such a file in).
  for (const text of [`a: [${'x'.repeat(11_000_000)}]\n`, `a: {${'k'.repeat(11_000_000)}: v}\n`]) {
    const fast = fastParse(text);
    assert.ok(fast, 'left the fast path');
    const a = (fast.data as { a: unknown }).a;
    assert.equal(Array.isArray(a) ? (a[0] as string).length : Object.keys(a as object)[0]!.length, 11_000_000);
  }
});

test("a fast node's range reads, writes, clones and shifts as a library node's does", () => {
  const text = 'a: x\nb: [1, 2]\nc:\n  - d: y\n';
  const fast = fastParse(text)!.doc;
  const lib = parseDocument(text);
  const nodes = (doc: typeof lib) => {
    const out: Node[] = [];
    visit(doc, { Node: (_k, n) => void out.push(n) });
    return out;
  };
  const fastNodes = nodes(fast as unknown as typeof lib);
  const libNodes = nodes(lib);
  assert.equal(fastNodes.length, libNodes.length);
  for (let i = 0; i < fastNodes.length; i++) {
    const f = fastNodes[i]!;
    const l = libNodes[i]!;
    assert.deepEqual(f.range, l.range);
    // A clone (the library's own) keeps the range, and is a node of its own.
    const copy = f.clone();
    assert.deepEqual(copy.range, l.range);
    copy.range = [0, 0, 0];
    assert.deepEqual(f.range, l.range, 'changing a clone changed the node');
    // Assigning a range sets it; shifting moves it in place, whoever made the node.
    f.range = [l.range![0] + 1, l.range![1] + 1, l.range![2] + 1];
    assert.deepEqual(f.range, [l.range![0] + 1, l.range![1] + 1, l.range![2] + 1]);
    assert.equal(shiftRange(f, -1), true);
    assert.deepEqual(f.range, l.range);
    assert.equal(shiftRange(l, 2), true);
    assert.deepEqual(l.range, [f.range![0] + 2, f.range![1] + 2, f.range![2] + 2]);
  }
  // A pair has no range of its own.
  assert.equal(shiftRange((fast.contents as YAMLMap).items[0]!, 1), false);
});
