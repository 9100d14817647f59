import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { isAlias, isMap, isScalar, isSeq, type Node } from 'yaml';
import { AnalysisCache, DEFAULT_LIMITS, ParseCache, analyze, type Finding } from '../../server/src/core';
import { lintWhole } from '../helpers';
import { parseChecked, parseWithLibrary, parseYaml, type ParsedFile } from '../../server/src/core/parse';
import { fastParse, fastParseDocuments } from '../../server/src/core/fast-parse';
import { generateCorpusManifest } from '../../bench/corpus';
import { STYLES, corpus, mutate, mutationOf } from './corpus';

// Reading a manifest piece by piece (a stage the fast path cannot take is read alone by the
// library, aliases resolve across pieces) must give exactly what reading it whole gives.
const RUNS = Number(process.env.FUZZ_RUNS ?? 300);
const SEED = Number(process.env.FUZZ_SEED ?? 20261130);
const GENERATED = [1, 2, 3, 4].map((seed) => generateCorpusManifest({ stages: 24, seed, dirty: seed % 2 === 0 }));
/** Values over several lines whose last lines look like comments or are blank, between stages. */
const MULTILINE = `apiVersion: barecount/v1
kind: Pipeline
metadata:
  name: multi
  owner: data
  dataClassification: internal
spec:
  stages:
    - name: a
      phase: ingestion
      workload: webhook
      env:
        NOTES: |
          echo start
          # AKIAIOSFODNN7EXAMPLE
        KEEP: |+
          kept

    # barecount-ignore BC101: above b
    - name: b
      phase: ingestion
      workload: webhook
      env:
        DB_PASSWORD: >-
          s3cr3t-line-one
          #more-secret
    - name: c
      phase: publish
      workload: api-push
      env:
        NOTE: "x
       # y"
    - name: d
      phase: publish
      workload: api-push
`;
const CORPUS = corpus();
// Half the bases are generated manifests (the ones read piecewise), half the examples and fixtures.
const BASES = [...Array.from({ length: Math.ceil(CORPUS.length / GENERATED.length) }, () => [...GENERATED, MULTILINE]).flat(), ...CORPUS];

function shape(n: Node | null | undefined, out: string[]): string[] {
  if (!n) out.push('null');
  else if (isScalar(n)) out.push(`S ${JSON.stringify(n.value)} ${n.type} ${n.anchor ?? ''} ${n.value === null ? '' : n.range?.join(',')}`);
  else if (isAlias(n)) out.push(`A ${n.source} ${n.range?.[0]},${n.range?.[1]}`);
  else if (isMap(n) || isSeq(n)) {
    out.push(`${isMap(n) ? 'M' : 'Q'}${n.flow ? ' flow' : ''} ${n.anchor ?? ''} ${n.range?.join(',')}`);
    for (const item of n.items as unknown[]) {
      if (isMap(n)) {
        const p = item as { key: Node; value: Node };
        shape(p.key, out);
        shape(p.value, out);
      } else shape(item as Node, out);
    }
    out.push('/');
  } else out.push(`? ${(n as object).constructor.name}`);
  return out;
}

function view(f: ParsedFile) {
  return {
    documents: f.documents.map((d) => ({
      ok: d.ok,
      span: d.span,
      range: d.ok ? d.doc.range : undefined,
      data: d.ok ? d.data : undefined,
      nodes: d.ok ? shape(d.doc.contents as Node, []) : [],
    })),
    problems: f.problems.map((p) => ({ kind: p.kind, span: p.span })),
  };
}

const findings = (fs: readonly Finding[]) =>
  fs.map((f) => `${f.code} ${f.span.start}-${f.span.end} ${f.message} ${JSON.stringify(f.related)} ${JSON.stringify(f.fixes.map((x) => [x.title, x.edits]))}`);

/**
 * Returns whether the piecewise read was used (the whole-file fast path did not take the text, or
 * an edit to its first stage's name came before it).
 */
function same(text: string): boolean {
  const cache = new ParseCache();
  const renamed = text.replace(/(\n\s*- name: )/, '$1x');
  if (renamed !== text) cache.parse(renamed, DEFAULT_LIMITS);
  const piecewise = cache.parse(text, DEFAULT_LIMITS);
  const whole = parseYaml(text, DEFAULT_LIMITS);
  const a = analyze(text, { today: '2026-11-30' });
  const w = lintWhole(text, { today: '2026-11-30' });
  // Whatever the text, the secrets to mask are the same: broken text included.
  assert.deepEqual([...a.secrets].sort(), [...w.secrets].sort(), `secrets differ for:\n${text}`);
  if (whole.problems.length) {
    // Broken text: both report syntax errors and analyse nothing further.
    assert.ok(piecewise.problems.length > 0, `piecewise read missed the syntax error in:\n${text}`);
    return false;
  }
  assert.deepEqual(view(piecewise), view(whole), `piecewise read differs for:\n${text}`);
  assert.deepEqual(findings(a.findings), findings(w.findings), `findings differ for:\n${text}`);
  return cache.lastMode === 'incremental';
}

test('generated manifests with anchors, block strings and escapes are read piece by piece, as the library reads them', () => {
  let piecewise = 0;
  for (const text of GENERATED) if (same(text)) piecewise++;
  same(MULTILINE);
  // Aliases are resolved across pieces: a manifest with one is read in pieces from the start.
  const aliased = GENERATED.filter((t) => /: \*[a-z]/.test(t));
  assert.ok(aliased.length > 0);
  assert.ok(
    aliased.every((t) => !fastParse(t)),
    'a manifest with aliases should be read in pieces',
  );
  assert.equal(piecewise, GENERATED.length);
});

test(`piecewise reading equals the whole-file read on mutated manifests (${RUNS} runs, seed ${SEED})`, () => {
  let piecewise = 0;
  fc.assert(
    fc.property(mutationOf(BASES.length), (m) => {
      if (same(mutate(BASES, m))) piecewise++;
    }),
    { numRuns: RUNS, seed: SEED },
  );
  assert.ok(piecewise > RUNS / 10, `only ${piecewise} of ${RUNS} texts were read piecewise`);
});

/** A node the fast parser made (its range is three numbers on it, fast-parse.ts). */
const isFast = (n: unknown) => typeof n === 'object' && n !== null && Object.hasOwn(n, 'rangeStart');

test(`a file of several documents is read document by document as the library reads it whole (${RUNS} runs, seed ${SEED})`, () => {
  // A document the fast path cannot take is read by the library alone; the others stay fast.
  let mixed = 0;
  fc.assert(
    fc.property(mutationOf(BASES.length), fc.nat({ max: BASES.length - 1 }), fc.boolean(), (m, other, crlf) => {
      // A mutated document, then another base (many of which need the library somewhere).
      const first = mutate(BASES, m);
      let text = `${first.endsWith('\n') ? first : `${first}\n`}--- # next\n${BASES[other]}`;
      if (crlf) text = STYLES.crlf(text);
      const read = parseChecked(text, DEFAULT_LIMITS);
      assert.deepEqual(view(read), view(parseWithLibrary(text, DEFAULT_LIMITS)), `documents differ for:\n${text}`);
      if (read.documents.length > 1 && !fastParseDocuments(text) && read.documents.some((d) => d.ok && isFast(d.doc.contents))) mixed++;
    }),
    { numRuns: RUNS, seed: SEED },
  );
  assert.ok(mixed > RUNS / 20, `only ${mixed} of ${RUNS} files mixed fast and library documents`);
});

test(`a file of several documents, edited in one, reads as the library reads it whole (${RUNS} runs, seed ${SEED})`, () => {
  // Each document is read by a cache of its own; an edit in one moves the others without reading them.
  let split = 0;
  fc.assert(
    fc.property(mutationOf(BASES.length), fc.nat({ max: BASES.length - 1 }), fc.nat({ max: 2 }), fc.boolean(), (m, other, sep, inFirst) => {
      const first = mutate(BASES, m);
      const separator = ['--- # next\n', '...\n---\n', '...\n# between\n---\n'][sep]!;
      const text = `${first.endsWith('\n') ? first : `${first}\n`}${separator}${BASES[other]}`;
      // A stage renamed in one of the documents (the first stage name of the first, the last of the second).
      const names = [...text.matchAll(/\n\s*- name: /g)];
      const target = inFirst ? names[0] : names[names.length - 1];
      if (!target) return;
      const at = target.index! + target[0].length;
      const edited = text.slice(0, at) + 'x' + text.slice(at);
      const cache = new AnalysisCache();
      analyze(text, { today: '2026-11-30' }, cache);
      const viaCache = analyze(edited, { today: '2026-11-30' }, cache);
      const whole = parseYaml(edited, DEFAULT_LIMITS);
      const w = lintWhole(edited, { today: '2026-11-30' });
      assert.deepEqual([...viaCache.secrets].sort(), [...w.secrets].sort(), `secrets differ for:\n${edited}`);
      if (whole.problems.length) return;
      assert.deepEqual(view(viaCache.file), view(whole), `read differs for:\n${edited}`);
      assert.deepEqual(findings(viaCache.findings), findings(w.findings), `findings differ for:\n${edited}`);
      if (cache.parse.lastMode === 'incremental') split++;
    }),
    { numRuns: RUNS, seed: SEED },
  );
  assert.ok(split > RUNS / 10, `only ${split} of ${RUNS} edited files were read document by document`);
});

test('a stage the fast path cannot take costs only itself: the others stay on the fast path', () => {
  const base = generateCorpusManifest({ stages: 60, seed: 7, dirty: false });
  // Anchors and aliases (a third of the issue's independent manifests' stages had one) are the
  // fast path's, read in pieces.
  assert.match(base, /: \*[a-z]/);
  const cold = new ParseCache();
  assert.deepEqual(view(cold.parse(base, DEFAULT_LIMITS)), view(parseChecked(base, DEFAULT_LIMITS)));
  assert.equal(cold.lastMode, 'incremental');
  assert.equal(cold.lastLibrary, 0, 'a stage with an anchor or an alias was read by the library');
  // A tag it does not take: that stage alone goes to the library.
  const tagged = base.replace(/(\n {6}phase: )/, '$1!!str ');
  const once = new ParseCache();
  assert.deepEqual(view(once.parse(tagged, DEFAULT_LIMITS)), view(parseChecked(tagged, DEFAULT_LIMITS)));
  assert.equal(once.lastLibrary, 1);
});

test('a stage stretched over comment lines after it is read again when a line is put before the next stage', () => {
  // A comment at the stage's keys after its last line ends the stage where the next stage's
  // content starts: kept from the whole read, it must not outlive a line put between them.
  const head = 'apiVersion: barecount/v1\nkind: Pipeline\nmetadata:\n  name: p\nspec:\n  stages:\n';
  const stage = (name: string, tail: string) => `    - name: ${name}\n      phase: ingestion\n      runner:\n        class: x\n${tail}`;
  for (const tail of ['      # at the stage keys\n', '        # at the runner keys\n', '      # a\n\n', '      # a\n    # b\n']) {
    const text = head + stage('a', tail) + stage('b', '') + stage('c', '');
    const cache = new ParseCache();
    assert.deepEqual(view(cache.parse(text, DEFAULT_LIMITS)), view(parseChecked(text, DEFAULT_LIMITS)));
    assert.equal(cache.lastMode, 'full', 'read whole by the fast path');
    for (const edited of [
      text.replace('    - name: b', '\n    - name: b'),
      text.replace('    - name: b', '    # c\n    - name: b'),
      text.replace('name: c', 'name: cc'),
    ]) {
      assert.deepEqual(view(cache.parse(edited, DEFAULT_LIMITS)), view(parseChecked(edited, DEFAULT_LIMITS)), JSON.stringify(edited));
      assert.equal(cache.lastMode, 'incremental');
    }
  }
});

test('comment lines after the stage list, and stages that each end in one, are read as the library reads them whole', () => {
  // A stranger's review: after an edit, comments after the last stage left the list, spec and the
  // root ending before them; an empty block string before a blank line ended its stage early.
  const base = 'apiVersion: v1\nkind: Pipeline\nspec:\n  stages:\n    - name: s0\n      phase: ingestion\n    - name: s1\n      phase: ingestion\n';
  for (const tail of [
    '    # deep tail\n',
    '  # e\n',
    '     # c\n',
    '    # e\n  other: 1\n',
    '        # c\n      # old: key\n  other: 1\n',
    '      # k\n',
    '    # - name: off\n    #   phase: x\n',
  ]) {
    const text = base + tail;
    const cache = new ParseCache();
    assert.deepEqual(view(cache.parse(text, DEFAULT_LIMITS)), view(parseChecked(text, DEFAULT_LIMITS)), JSON.stringify(tail));
    const edited = text.replace('name: s0', 'name: s0x');
    assert.deepEqual(view(cache.parse(edited, DEFAULT_LIMITS)), view(parseChecked(edited, DEFAULT_LIMITS)), `after an edit: ${JSON.stringify(tail)}`);
  }
  // A block string ending the last stage takes in blank lines after the list (kept or empty).
  for (const text of [
    'apiVersion: v1\nkind: Pipeline\nspec:\n  stages:\n    - name: s0\n      q: |\n\n    - name: s1\n',
    'spec:\n  stages:\n    - name: s0\n      q1: |-\n\n  other: 1\n',
    'spec:\n  stages:\n    - name: s2\n      q1: |+\n        text\n\nx: 1\n',
  ]) {
    const cache = new ParseCache();
    assert.deepEqual(view(cache.parse(text, DEFAULT_LIMITS)), view(parseChecked(text, DEFAULT_LIMITS)), JSON.stringify(text));
    const edited = text.replace('name: s', 'name: sx');
    assert.deepEqual(view(cache.parse(edited, DEFAULT_LIMITS)), view(parseChecked(edited, DEFAULT_LIMITS)), `after an edit: ${JSON.stringify(text)}`);
  }
  // Every stage ending in a commented-out key, and one construct that sends the file to pieces:
  // each stage is still read by the fast path (a stage read alone knows the line after it).
  let k = 0;
  const commented = generateCorpusManifest({ stages: 60, seed: 4, dirty: true, unusual: false })
    .replace(/\n((?: {4}#[^\n]*\n)*)( {4}- name:)/g, (m, comments: string, item: string) => (k++ === 0 ? m : `\n      # retries: 3\n${comments}${item}`))
    .replace('  owner: data-platform', '  owner: !!str data-platform');
  const cache = new ParseCache();
  assert.deepEqual(view(cache.parse(commented, DEFAULT_LIMITS)), view(parseChecked(commented, DEFAULT_LIMITS)));
  assert.equal(cache.lastMode, 'incremental');
  assert.equal(cache.lastLibrary, 0);
  const at = [...commented.matchAll(/^ {4}- name: /gm)][30]!.index! + 12;
  const edited = `${commented.slice(0, at)}x${commented.slice(at)}`;
  assert.deepEqual(view(cache.parse(edited, DEFAULT_LIMITS)), view(parseChecked(edited, DEFAULT_LIMITS)));
  assert.equal(cache.lastReparsed, 1, 'an edit reads only its stage again');
});

test('one document with a `---` or `...` marker is read whole by the fast path, then piece by piece', () => {
  // A marker sent the whole file to the library (several times slower to open) and every edit
  // after it. Several documents are read whole each time (by the fast path too, fast-parse.test.ts).
  const base = generateCorpusManifest({ stages: 30, seed: 3, dirty: true, unusual: false });
  for (const style of ['document start', 'document end'] as const) {
    for (const text of [STYLES[style](base), STYLES[style](STYLES.crlf(base))]) {
      assert.ok(fastParse(text), `${style}: not on the fast path`);
      const cache = new ParseCache();
      cache.parse(text, DEFAULT_LIMITS);
      same(text);
      // An edit of one stage reads that stage again, and only it.
      const edited = text.replace('stage-7-', 'stage-7x-');
      cache.parse(edited, DEFAULT_LIMITS);
      assert.equal(cache.lastMode, 'incremental', style);
      assert.equal(cache.lastReparsed, 1, style);
      assert.deepEqual(view(cache.parse(edited, DEFAULT_LIMITS)), view(parseChecked(edited, DEFAULT_LIMITS)), style);
    }
  }
  // Several documents: each read by a cache of its own, so an edit reads one stage again there too.
  for (const text of [`${base}---\n${base}`, `${base}...\n---\n${base}`, `--- # a\n${base}--- # b\n`]) {
    const cache = new ParseCache();
    cache.parse(text, DEFAULT_LIMITS);
    const edited = text.replace('stage-7-', 'stage-7x-');
    assert.deepEqual(view(cache.parse(edited, DEFAULT_LIMITS)), view(parseChecked(edited, DEFAULT_LIMITS)));
    // (An empty document after the last `---` is read again whole: it has no stages to cut.)
    if (!text.endsWith('--- # b\n')) assert.equal(cache.lastMode, 'incremental', JSON.stringify(text.slice(0, 20)));
    assert.equal(cache.lastReparsed, 1, JSON.stringify(text.slice(0, 20)));
  }
  // `%YAML 1.2` names the version every document is read as: read piece by piece too. Another
  // version changes how a document reads: the file is read whole.
  for (const [version, mode] of [
    ['1.2', 'incremental'],
    ['1.1', 'full'],
  ] as const) {
    const directive = `%YAML ${version}\n---\n${base}`;
    const cache = new ParseCache();
    cache.parse(directive, DEFAULT_LIMITS);
    const edited = directive.replace('stage-7-', 'stage-7x-');
    assert.deepEqual(view(cache.parse(edited, DEFAULT_LIMITS)), view(parseChecked(edited, DEFAULT_LIMITS)), version);
    assert.equal(cache.lastMode, mode, version);
  }
});

test('what follows the stage list is read piece by piece as it is read whole', () => {
  // Texts a review found. The anchor keeps the file off the whole-file fast path.
  const head = 'apiVersion: v1\nkind: Pipeline\nspec:\n  stages:\n    - name: &an z\n      phase: x\n    - name: a\n      phase: x\n';
  for (const tail of ['...x: 1\n...\n', '# c\n', '# c\n...\n', '      runner:\n', '      runner: \t\n', '      runner:\t\n\n']) {
    same(head + tail);
    same(STYLES.crlf(head + tail));
    // After an edit too.
    const cache = new ParseCache();
    cache.parse(head + '...\n', DEFAULT_LIMITS);
    assert.deepEqual(view(cache.parse(head + tail, DEFAULT_LIMITS)), view(parseYaml(head + tail, DEFAULT_LIMITS)), JSON.stringify(tail));
  }
});

/** Every node's range, empty values' too (view() leaves those out), and the problems. */
function full(f: ParsedFile): string[] {
  const out: string[] = f.problems.map((p) => `P ${p.span.start}-${p.span.end}`);
  const walk = (n: unknown): void => {
    if (isMap(n) || isSeq(n)) {
      out.push(`${isMap(n) ? 'M' : 'Q'} ${n.range?.join(',')}`);
      for (const item of n.items as unknown[]) {
        if (isMap(n)) {
          walk((item as { key: unknown }).key);
          walk((item as { value: unknown }).value);
        } else walk(item);
      }
    } else if (isScalar(n)) out.push(`S ${JSON.stringify(n.value)} ${n.range?.join(',')}`);
    else out.push(String(n));
  };
  for (const d of f.documents) {
    out.push(`D ${d.span.start}-${d.span.end} ${d.ok} ${JSON.stringify(d.ok ? d.data : null)}`);
    walk(d.doc.contents);
  }
  return out;
}

/** How the last stage ends, the lines after the list, and what follows them: each combination a review or a fuzzer found wrong, and their neighbours. */
const TAIL_HEAD = 'apiVersion: barecount/v1\nkind: Pipeline\nmetadata:\n  name: x\n  owner: o\n  dataClassification: internal\nspec:\n  stages:\n';
const tailStage = (name: string, extra = '') => `    - name: ${name}\n      phase: ingestion\n      workload: webhook\n${extra}`;
/**
 * The same text with `stages:` at column `keys` and its items at column `items` (written for 2 and
 * 4): every line from `stages:` on moves with them; the lines after the list stay where they are.
 */
function laidOut(head: string, stages: string, rest: string, keys: number, items: number): string {
  const move = (line: string, by: number) => (by >= 0 ? ' '.repeat(by) + line : line.slice(Math.min(-by, line.length - line.trimStart().length)));
  const at = head.lastIndexOf('  stages:');
  const lines = stages.split('\n').map((l) => (l === '' ? l : move(l, items - 4)));
  return head.slice(0, at) + move('  stages:', keys - 2) + '\n' + lines.join('\n') + rest;
}
const comment = (indent: number) => `${' '.repeat(indent)}# c\n`;
const LAST_ENDS = [
  '',
  '      notes:\n',
  '      notes: # c\n',
  '      notes:  \n',
  '      list:\n        -\n',
  '      list:\n        - # c\n',
  '      url: "a:" # x\n',
  '      notes: |\n        text\n',
  '      notes: |+\n        text\n',
  '      notes: >-\n        a\n',
  '      env: { A: b }\n',
  '      deps: [a,\n        b]\n',
  '      env:\n        A: b\n',
  '      list:\n        - a\n',
  '      list:\n      - a\n',
  '      notes: ""\n',
  '      env:\n        A:\n',
];
const AFTER_LIST = [
  '',
  '\n',
  ...[0, 1, 2, 3, 4, 5, 6, 7, 8, 10].map(comment),
  comment(4) + comment(4),
  comment(6) + comment(6),
  '\n' + comment(4),
  comment(4) + '\n',
  comment(6) + comment(4),
  comment(4) + comment(6),
  comment(4) + comment(2),
  comment(6) + '\n' + comment(0),
  comment(2) + comment(2),
  '\t# t\n',
  '    \t# t\n',
  '  \t# t\n# c\n',
  '      \t# t\n',
  comment(4) + '\n\n' + comment(4),
  // At several indentations: the deepest of those the last stage leaves says who takes them.
  comment(6) + comment(4) + comment(4),
  comment(6) + comment(4) + comment(2),
  comment(10) + comment(4),
  comment(10) + comment(8) + comment(2),
  comment(8) + comment(6) + comment(4),
  comment(4) + comment(6) + comment(2),
  comment(2) + comment(6),
  comment(5) + comment(2),
  comment(7) + comment(4),
  comment(3) + comment(1),
];
const FOLLOWING = [
  '',
  'extra: 1\n',
  '...\n',
  '---\nkind: Other\n',
  'extra:\n',
  '  other: 1\n',
  '...\n# end\n',
  ' x: 1\n',
  '  other:\n    k: v\n',
  '\nextra: 1\n',
  'extra: |\n  t\n',
];

test(`what follows the stage list is read piece by piece as it is read whole, edit after edit (${RUNS * 4} runs, seed ${SEED})`, () => {
  // Comment lines after the last stage (a commented-out stage, a commented-out key) stretch the
  // list, the last stage or spec to the next line, as the library reads them, and an empty value
  // before comment lines is stretched over them. They sent every edit to the whole read; read in
  // pieces, spec and the root ended where the header said, and an empty value where its line did.
  const tail = fc.record({ end: fc.constantFrom(...LAST_ENDS), after: fc.constantFrom(...AFTER_LIST), following: fc.constantFrom(...FOLLOWING) });
  let piecewise = 0;
  fc.assert(
    fc.property(
      tail,
      tail,
      fc.boolean(),
      fc.constantFrom('same', 'last removed', 'stage added'),
      // Where `stages:` and its items are: as written, a compact list, items further in, deeper.
      fc.constantFrom([2, 4], [2, 2], [2, 5], [1, 3], [4, 6], [4, 4]),
      fc.boolean(),
      (a, b, rename, stages, [keys, items], crlf) => {
        const first = rename ? 'a0' : 'a';
        const text = (list: string, rest: string) => laidOut(TAIL_HEAD, list, rest, keys!, items!);
        const base = text(tailStage('a') + tailStage('b') + tailStage('c', a.end), a.after + a.following);
        // The edit may also remove the last stage, or add one after it (the old last stage's lines
        // and those after it become a middle stage's).
        const edited =
          stages === 'last removed'
            ? text(tailStage(first) + tailStage('b', b.end), b.after + b.following)
            : stages === 'stage added'
              ? text(tailStage(first) + tailStage('b') + tailStage('c', a.end) + a.after + tailStage('d', b.end), b.after + b.following)
              : text(tailStage(first) + tailStage('b') + tailStage('c', b.end), b.after + b.following);
        const [x, y] = crlf ? [STYLES.crlf(base), STYLES.crlf(edited)] : [base, edited];
        const cache = new ParseCache();
        cache.parse(x, DEFAULT_LIMITS);
        assert.deepEqual(full(cache.parse(y, DEFAULT_LIMITS)), full(parseYaml(y, DEFAULT_LIMITS)), `after an edit of:\n${x}\nto:\n${y}`);
        if (cache.lastMode === 'incremental') piecewise++;
      },
    ),
    { numRuns: RUNS * 4, seed: SEED },
  );
  // (Several documents, a list at spec's keys' column with comments after it, runs at several
  // indentations… are read whole: about one edit in five is read in pieces.)
  assert.ok(piecewise > RUNS / 2, `only ${piecewise} of ${RUNS * 4} edits were read piece by piece`);
});

test('an empty value before comment lines ends its stage where the library ends it, first read or after an edit', () => {
  // The library stretches the empty value over the comment lines, which are the next item's lines:
  // read alone, the stage ended at its own last line, on open as after an edit.
  for (const comments of ['    # c\n    # c\n', '  # c\n', '# c\n', '      # c\n']) {
    const text = `${TAIL_HEAD}${tailStage('a')}${tailStage('b', '      notes:\n')}${comments}${tailStage('c')}`;
    same(text);
    const cache = new ParseCache();
    cache.parse(text.replace('name: a', 'name: a0'), DEFAULT_LIMITS);
    assert.deepEqual(view(cache.parse(text, DEFAULT_LIMITS)), view(parseYaml(text, DEFAULT_LIMITS)), JSON.stringify(comments));
  }
});

test("texts a review found around the list's end read in pieces as the library reads them whole", () => {
  const head = 'apiVersion: v1\nspec:\n  stages:\n    - name: s0\n      phase: x\n';
  for (const text of [
    // An anchor line after the list: the header's `stages:` value, an error read whole.
    `${head}    - name: end\n      phase: x\n    &a  # c\n  other: 1\n`,
    // An empty value with a property before a commented-out stage.
    `${head}    - name: s1\n      phase: x\n      notes: &a\n    # - name: x\n  other: 1\n`,
    `${head}    - name: s1\n      phase: x\n      notes: !!str\n    # - name: x\n  other: 1\n`,
    `${head}    - name: s1\n      phase: x\n      list:\n        - -\n    # - name: x\n  other: 1\n`,
    // A list at spec's keys' column, comments after it.
    'apiVersion: v1\nspec:\n  stages:\n  - name: a\n    phase: x\n  - name: b\n    phase: y\n  # c\n  other: 1\n',
    // A `...` after comment lines stretching the last stage, with a blank or a shallower line between.
    `${head}    - name: b\n      phase: &x y\n      # c\n\n...\n`,
    `${head}    - name: b\n      phase: y\n      # k\n\t# c\n...\n`,
    // A comment line indented with a tab and spaces.
    `${head}  # a\n     \t   # c\nextra: 1\n`,
    // An empty key first after the list.
    `${head}    - name: s1\n      phase: x\n:\n  # c\nother: 1\n`,
    `${head}  # "q: x"\n  :   # a\n\nextra: 1\n`,
    // Keys past `-   `: comment lines between the list's column and them stretch the list.
    `${head}    -   phase: ingestion\n      # old: key\n      #\nextra:\n`,
    // An empty value with a property at the very end, and a block string's text ending in `:`.
    `${head}    - name: n\n      a: &x \n`,
    `${head}    - name: n\n      phase: x\n        # deeper\n\nextra: |\n  t:\n`,
    // A quote opened after a flow item runs past its stage.
    `${head}    - { name: s3, phase: x }"\n      # k\n    - name: s4\n      phase: x\n    # c\n\nextra: 1\n`,
  ]) {
    for (const t of [text, STYLES.crlf(text)]) {
      const fresh = new ParseCache();
      assert.deepEqual(full(fresh.parse(t, DEFAULT_LIMITS)), full(parseYaml(t, DEFAULT_LIMITS)), `first read of ${JSON.stringify(t)}`);
      const cache = new ParseCache();
      cache.parse(t.replace('name: s0', 'name: s00'), DEFAULT_LIMITS);
      assert.deepEqual(full(cache.parse(t, DEFAULT_LIMITS)), full(parseYaml(t, DEFAULT_LIMITS)), `after an edit: ${JSON.stringify(t)}`);
    }
  }
});

test('a commented-out last stage or key, before the end or another key, keeps edits to one stage', () => {
  const base = generateCorpusManifest({ stages: 40, seed: 5, dirty: true, unusual: false });
  for (const tail of [
    '    # - name: disabled\n    #   phase: ingestion\n',
    '    # - name: disabled\n  notes:\n    a: b\n',
    '    # - name: disabled\nnotes: 1\n',
    '      # retries: 3\n  notes: 1\n',
    '      # retries: 3\n...\n',
    '  # more stages to come\nnotes: 1\n',
    // A commented-out key, then a commented-out stage: at two indentations.
    '      # retries: 3\n    # - name: disabled\n    #   phase: ingestion\n',
    '      # retries: 3\n    # - name: disabled\n  notes: 1\n',
    '    # - name: disabled\n      # retries: 3\nnotes: 1\n',
    '          # deeper than every key\n    # - name: disabled\n',
  ]) {
    const text = base + tail;
    const cache = new ParseCache();
    cache.parse(text, DEFAULT_LIMITS);
    for (const [at, edit] of [
      [text.indexOf('- name: stage-20') + 16, 'x'],
      [text.lastIndexOf('- name: stage-') + 16, 'y'],
    ] as const) {
      const edited = text.slice(0, at) + edit + text.slice(at);
      assert.deepEqual(view(cache.parse(edited, DEFAULT_LIMITS)), view(parseChecked(edited, DEFAULT_LIMITS)), JSON.stringify(tail));
      assert.equal(cache.lastMode, 'incremental', JSON.stringify(tail));
      assert.equal(cache.lastReparsed, 1, `${JSON.stringify(tail)}: an edit reads only its stage again`);
      same(edited);
      cache.parse(text, DEFAULT_LIMITS);
    }
  }
});

test('an alias into another stage follows an edit of the anchored stage', () => {
  const text = generateCorpusManifest({ stages: 3, seed: 1, dirty: false })
    .replace(/estimate: .*\n(( {8}.*\n)*)/, 'estimate: &shared { durationMinutes: 5, dataGb: 1 }\n')
    .replace(/(\n {4}- name: stage-2[^\n]*\n(?: {6}.*\n)*? {6})estimate: .*\n(( {8}.*\n)*)/, '$1estimate: *shared\n');
  assert.match(text, /\*shared/);
  const cache = new ParseCache();
  const first = cache.parse(text, DEFAULT_LIMITS);
  const edited = text.replace('durationMinutes: 5,', 'durationMinutes: 9,');
  const second = cache.parse(edited, DEFAULT_LIMITS);
  const stages = (f: ParsedFile) => (f.documents[0]!.data as { spec: { stages: Array<{ estimate?: { durationMinutes: number } }> } }).spec.stages;
  assert.equal(stages(first)[2]!.estimate!.durationMinutes, 5);
  assert.equal(stages(second)[2]!.estimate!.durationMinutes, 9, 'the aliased stage kept the old data');
  assert.equal(cache.lastMode, 'incremental');
  assert.deepEqual(view(second), view(parseChecked(edited, DEFAULT_LIMITS)));
});

test('plain values that only start like numbers stay on the fast path and stay strings', () => {
  for (const value of ['4Gi', '1.2.3', '10%', '0x1G', '2026-11-30', '1e', '+x', '.5s', '0o9']) {
    const text = `runner:\n  memory: ${value}\n`;
    const fast = fastParse(text);
    assert.ok(fast, `${value} left the fast path`);
    assert.deepEqual(fast.data, parseChecked(text, DEFAULT_LIMITS).documents[0]!.data);
    assert.equal((fast.data as { runner: { memory: unknown } }).runner.memory, value);
  }
  // Numbers of every other core-schema form are left to the library, which reads them as numbers.
  for (const [raw, value] of [
    ['1e3', 1000],
    ['0x1f', 31],
    ['0o17', 15],
    ['+5', 5],
    ['.5', 0.5],
    ['5.', 5],
    ['-.inf', -Infinity],
  ] as const) {
    const text = `a: ${raw}\n`;
    assert.equal(fastParse(text), undefined, raw);
    assert.equal((parseChecked(text, DEFAULT_LIMITS).documents[0]!.data as { a: number }).a, value, raw);
  }
});
