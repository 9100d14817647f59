import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseDocument } from 'yaml';
import { AnalysisCache, DEFAULT_LIMITS, type Finding } from '../../server/src/core';
import { stageHoldsAlias } from '../../server/src/core/yaml-ast';
import { generateManifest } from '../../bench/generate';
import { generateCorpusManifest } from '../../bench/corpus';
import { ROOT, lint, lintWhole } from '../helpers';

// The editor's incremental parse must give exactly what a full parse gives, edit after edit.
const summary = (fs: readonly Finding[]) => fs.map((f) => ({ code: f.code, span: f.span, message: f.message, fixes: f.fixes, related: f.related }));

/** A small deterministic generator (mulberry32), so failures replay. */
function rng(seed: number) {
  return () => {
    seed |= 0;
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const EDITS: Array<(text: string, at: number) => string> = [
  (t, at) => t.slice(0, at) + 'x' + t.slice(at),
  (t, at) => t.slice(0, at) + t.slice(at + 1),
  (t, at) => t.slice(0, at) + '\n' + t.slice(at),
  (t, at) => t.slice(0, at) + ': ' + t.slice(at),
  (t, at) => t.slice(0, at) + '\n    - name: added\n      phase: publish\n      workload: api-push\n' + t.slice(at),
  (t, at) => {
    const line = t.lastIndexOf('\n', at - 1) + 1;
    const next = t.indexOf('\n', at);
    return t.slice(0, line) + t.slice(next === -1 ? t.length : next + 1);
  },
  (t, at) => t.slice(0, at) + '  # comment\n' + t.slice(at),
  // A stage moved to the top of the list, and one pasted twice: kept stages found by their text.
  (t, at) => {
    const [first, item, next] = stageAround(t, at);
    return item === undefined ? t : t.slice(0, first) + t.slice(item, next) + t.slice(first, item) + t.slice(next);
  },
  (t, at) => {
    const [, item, next] = stageAround(t, at);
    return item === undefined ? t : t.slice(0, next) + t.slice(item, next) + t.slice(next);
  },
];

/** The first stage item's start, and the start and end of the stage item holding `at`. */
function stageAround(t: string, at: number): [number, number | undefined, number] {
  const starts = [...t.matchAll(/^ {4}- /gm)].map((m) => m.index);
  let k = -1;
  while (k + 1 < starts.length && starts[k + 1]! <= at) k++;
  if (k < 1) return [0, undefined, 0];
  const end = starts[k + 1] ?? t.length;
  return [starts[0]!, starts[k]!, end];
}

/** `kept`: what counts as an edit that cost less than a whole check (the parse went by pieces, or stages kept their results). */
function session(name: string, base: string, seed: number, steps: number, kept: (cache: AnalysisCache) => boolean = (c) => c.parse.lastMode === 'incremental') {
  test(`${name}: ${steps} random edits, seed ${seed}`, () => {
    const random = rng(seed);
    const cache = new AnalysisCache();
    let text = base;
    let incremental = 0;
    for (let i = 0; i < steps; i++) {
      const at = Math.floor(random() * text.length);
      text = EDITS[Math.floor(random() * EDITS.length)]!(text, at);
      // Half the time, go back to valid text so that the cache is exercised on clean input too.
      if (random() < 0.5 && lint(text).findings.some((f) => f.code === 'BC001')) text = base;
      const cached = lint(text, {}, cache);
      const viaCache = cached.findings;
      if (kept(cache)) incremental++;
      // Against the file read whole: piecewise reading and kept stage results must both equal it.
      const whole = lintWhole(text);
      const full = whole.findings;
      assert.deepEqual([...cached.secrets].sort(), [...whole.secrets].sort(), `step ${i}: secrets differ`);
      // Kept stage costs (AnalysisCache.costs) equal costs computed afresh.
      assert.deepEqual(JSON.stringify(cached.documents.map((d) => d.cost)), JSON.stringify(whole.documents.map((d) => d.cost)), `step ${i}: costs differ`);
      // A document that does not parse is reported as such (where the errors are may differ: a
      // stage being typed is reported alone); the file's other documents are checked as usual.
      const broken = new Set(full.filter((f) => f.code === 'BC001').map((f) => f.documentIndex));
      for (const d of broken) {
        const mine = viaCache.filter((f) => f.documentIndex === d);
        assert.ok(mine.length > 0 && mine.every((f) => f.code === 'BC001'), `step ${i}: broken document ${d} not reported as BC001 only`);
      }
      const rest = (fs: readonly Finding[]) => summary(fs.filter((f) => !broken.has(f.documentIndex)));
      assert.deepEqual(rest(viaCache), rest(full), `step ${i} differs`);
    }
    assert.ok(incremental > steps / 4, `only ${incremental} of ${steps} parses were incremental`);
  });
}

describe('incremental parsing equals the full parse', () => {
  session('generated 40 stages', generateManifest(40), 1, 150);
  session('generated 40 stages', generateManifest(40), 2, 150);
  session('orders example', readFileSync(join(ROOT, 'examples/orders-daily.barecount.yaml'), 'utf8'), 3, 200);
  // Randomised structure (anchors and aliases across stages, block strings, flow and block
  // styles) with findings in most stages: reused stage results must equal fresh ones.
  session('corpus 30 stages, dirty', generateCorpusManifest({ stages: 30, seed: 11, dirty: true }), 5, 150);
  session('corpus 30 stages, dirty', generateCorpusManifest({ stages: 30, seed: 12, dirty: true }), 6, 150);
  session('corpus 30 stages, clean', generateCorpusManifest({ stages: 30, seed: 13, dirty: false }), 7, 150);
  session('marketing example', readFileSync(join(ROOT, 'examples/marketing-sync.barecount.yaml'), 'utf8'), 4, 200);
  // A commented-out stage after the last one, and keys after the list: read whole on every edit before.
  session(
    'corpus 30 stages, a commented-out last stage, keys after the list',
    `${generateCorpusManifest({ stages: 30, seed: 14, dirty: true, unusual: false })}    # - name: disabled\n    #   phase: ingestion\n  # defaults below\n  notes: x\nextra: 1\n`,
    8,
    150,
  );

  // Many stages alias a connection anchored on another stage, and the default runner in the header.
  const SHARED = (() => {
    let k = 0;
    return generateCorpusManifest({ stages: 30, seed: 15, dirty: true })
      .replace(
        'runner: { class: container, size: medium, network: private-vpc }',
        'runner: &default-runner { class: container, size: medium, network: private-vpc }',
      )
      .replace(/^( {6}connections:\n)/gm, (m) =>
        k++ === 2
          ? `${m}        - &shared { name: shared, kind: warehouse, location: cloud-private, direction: read }\n`
          : k > 2 && k % 2
            ? `${m}        - *shared\n`
            : m,
      )
      .replace(/^( {6})runner: \{[^\n]*\}$/m, '$1runner: *default-runner');
  })();
  session('corpus 30 stages, a shared anchored connection and default runner', SHARED, 9, 150);
  // Several documents (spec: each is checked on its own): each is read by a cache of its own, and
  // an edit in one moves the others without reading them again.
  session(
    'two documents: corpus 30 stages, dirty, then generated 20 stages',
    `${generateCorpusManifest({ stages: 30, seed: 16, dirty: true })}--- # the next pipeline\n${generateManifest(20)}`,
    10,
    150,
  );
  // A JSON manifest is read whole on every edit (it is not cut in pieces), but the stages an edit
  // did not touch keep their nodes, and so their results.
  const json = JSON.stringify(parseDocument(generateCorpusManifest({ stages: 30, seed: 19, dirty: true, unusual: false })).toJS(), null, 2);
  session('a JSON manifest, 30 stages, dirty', json, 12, 150, (c) => c.lastReused > 0);
  session(
    'three documents, one closed by "..." and one not a pipeline',
    `${generateManifest(12)}...\n# between documents\n---\napiVersion: barecount/v1\nkind: Policy\n---\n${generateCorpusManifest({ stages: 20, seed: 17, dirty: true, unusual: false })}`,
    11,
    150,
  );

  test('a stage holding an alias keeps its results while the anchors stay, and follows an edit to them', () => {
    assert.match(SHARED, /- \*shared\n/);
    assert.match(SHARED, /runner: \*default-runner/);
    const cache = new AnalysisCache();
    const first = lint(SHARED, {}, cache);
    const stages = first.documents[0]!.pipeline!.stages.length;
    // An edit to a stage without an anchor: every other stage keeps its results, aliases included.
    const at = [...SHARED.matchAll(/^ {4}- name: /gm)].at(-1)!.index! + '    - name: '.length;
    let text = SHARED.slice(0, at) + 'x' + SHARED.slice(at);
    assert.deepEqual(summary(lint(text, {}, cache).findings), summary(lint(text).findings));
    // (Those with a finding elsewhere, at the anchor they alias, are checked again: not many.)
    const aliasing = first.documents[0]!.pipeline!.stages.filter((st) => stageHoldsAlias(st.node)).length;
    assert.ok(aliasing >= 10, `${aliasing} stages alias`);
    assert.ok(cache.lastReused >= stages - 1 - aliasing / 2, `${cache.lastReused} of ${stages} stages kept their results, ${aliasing} alias`);
    // An edit to the anchored connection: the stages aliasing it are checked again with it.
    text = text.replace('name: shared, kind: warehouse, location: cloud-private', 'name: shared, kind: warehouse, location: partner-network');
    const edited = lint(text, {}, cache);
    assert.deepEqual(summary(edited.findings), summary(lint(text).findings));
    assert.ok(edited.findings.filter((f) => f.message.includes('"shared"')).length > first.findings.filter((f) => f.message.includes('"shared"')).length);
    // So does an edit to the anchored default runner, in the header.
    text = text.replace('&default-runner { class: container, size: medium', '&default-runner { class: container, size: large');
    assert.deepEqual(summary(lint(text, {}, cache).findings), summary(lint(text).findings));
    assert.equal(cache.lastReused, 0);
  });

  test('a stage holding an alias moved past a second anchor of the name reads the new one', () => {
    // A stranger's review: one edit reordering stages, none of them read again, left stage b with
    // the findings of the runner it aliased before (an alias resolves to the last anchor before it).
    const head = 'apiVersion: barecount/v1\nkind: Pipeline\nmetadata:\n  name: m\n  owner: data\n  dataClassification: internal\nspec:\n  stages:\n';
    const st = (n: string, runner: string) => `    - name: ${n}\n      phase: ingestion\n      workload: webhook\n      runner: ${runner}\n`;
    const a = st('a', '&r { class: container, size: small, network: private-vpc }');
    const c = st('c', '&r { class: dedicated-compute, size: large, network: vpn }');
    const [b, x, y] = [
      st('b', '*r'),
      st('x', '{ class: container, size: small, network: private-vpc }'),
      st('y', '{ class: serverless, size: small, network: public-egress }'),
    ];
    const header = head.replace('owner: data', 'owner: data\n  r0: &r { class: container, size: small, network: private-vpc }');
    for (const [before, after] of [
      [head + a + c + b + x, head + a + b + c + x],
      [head + a + c + x + b + y, head + a + x + y + b + c],
      [header + c + b + x, header + b + c + x],
    ]) {
      const cache = new AnalysisCache();
      lint(before!, {}, cache);
      assert.deepEqual(summary(lint(after!, {}, cache).findings), summary(lint(after!).findings));
    }
  });

  test('an edit inside one stage re-parses that stage only', () => {
    const cache = new AnalysisCache();
    let text = generateManifest(50);
    lint(text, {}, cache);
    const at = text.indexOf('name: stage-25') + 'name: stage-25'.length;
    text = text.slice(0, at) + '0' + text.slice(at);
    lint(text, {}, cache);
    assert.equal(cache.parse.lastMode, 'incremental');
    assert.equal(cache.parse.lastReparsed, 1);
  });

  test('an edit inside one stage recomputes that stage only; a header edit or another day recomputes all', () => {
    const cache = new AnalysisCache();
    let text = generateCorpusManifest({ stages: 50, seed: 21, dirty: true, unusual: false });
    lint(text, {}, cache);
    const at = text.indexOf('name: stage-25-') + 'name: stage-25-'.length;
    text = text.slice(0, at) + 'x' + text.slice(at);
    const edited = lint(text, {}, cache);
    assert.equal(cache.lastReused, 49);
    assert.deepEqual(summary(edited.findings), summary(lint(text).findings));
    // The defaults are every stage's context.
    text = text.replace('runner: { class: container, size: medium, network: private-vpc }', 'runner: { class: container, size: small, network: private-vpc }');
    assert.deepEqual(summary(lint(text, {}, cache).findings), summary(lint(text).findings));
    assert.equal(cache.lastReused, 0);
    lint(text, {}, cache);
    assert.equal(cache.lastReused, 50);
    // So is today's date (waivers expire), and the policy.
    lint(text, { today: '2099-01-01' }, cache);
    assert.equal(cache.lastReused, 0);
  });

  test('fixes built only when read are right after the stage moved, read or not before', () => {
    for (const readFirst of [false, true]) {
      const cache = new AnalysisCache();
      let text = generateCorpusManifest({ stages: 40, seed: 31, dirty: true, unusual: false });
      const first = lint(text, {}, cache);
      if (readFirst) summary(first.findings);
      // Lines added in the first stage move every later stage, whose findings are kept.
      const at = text.indexOf('\n', text.indexOf('    - name: ')) + 1;
      text = text.slice(0, at) + '      # a comment\n      # another\n' + text.slice(at);
      const edited = lint(text, {}, cache);
      assert.ok(cache.lastReused > 30);
      assert.ok(edited.findings.some((f) => f.fixes.length > 0));
      assert.deepEqual(summary(edited.findings), summary(lint(text).findings), `fixes read first: ${readFirst}`);
    }
  });

  test('a silenced finding whose stage moved has its fixes where its stage is now, when its waiver goes', () => {
    // The ignore comment sits in stage a's text (indented past the list's `- `) and silences all
    // of stage b, whose BC103 has fixes built only when read. Editing the comment moves b and
    // ends the waiver: b's finding is reported again, from its kept results, with its fixes moved once.
    const stage = (n: string, workload: string) =>
      `    - name: ${n}\n      phase: ingestion\n      workload: ${workload}\n      runner: { class: container, size: small, network: public-egress }\n`;
    const head = 'apiVersion: barecount/v1\nkind: Pipeline\nmetadata:\n  name: p\n  owner: o\n  dataClassification: internal\nspec:\n  stages:\n';
    for (const [before, after] of [
      ['      # barecount-ignore BC103: legacy\n', '      # barecount-ignore BC105: legacy, reviewed by the team\n'],
      ['      # barecount-ignore BC103: legacy, reviewed by the team\n', ''],
    ] as const) {
      const cache = new AnalysisCache();
      const text = (comment: string) => `${head}${stage('a', 'webhook')}${comment}${stage('b', 'control-task')}`;
      const first = lint(text(before), {}, cache);
      assert.ok(!first.findings.some((f) => f.code === 'BC103'), 'silenced at first');
      const edited = lint(text(after), {}, cache);
      assert.ok(cache.lastReused >= 1, 'stage b kept');
      const bc103 = edited.findings.filter((f) => f.code === 'BC103');
      assert.ok(bc103.length === 1 && bc103[0]!.fixes.length > 0, 'reported again, with fixes');
      assert.deepEqual(summary(edited.findings), summary(lint(text(after)).findings));
    }
  });

  test('a kept stage whose waivers changed reads as a fresh analysis does: its verdict (recommended runner, passing, waived checks), findings and silenced findings', () => {
    // The ignore comment sits in stage a's text (indented past the list's `- `) and waives checks
    // of stage b, whose text does not change when the comment is edited. BC103 and BC105 waive no
    // check of the verdict: only the finding.
    const stage = (n: string, workload = 'webhook', connections = '') =>
      `    - name: ${n}\n      phase: ingestion\n      workload: ${workload}\n      runner: { class: dedicated-compute, size: small, network: public-egress }\n${connections}`;
    const jdbc = '      connections:\n        - { name: erp, kind: jdbc, location: cloud-private, direction: read }\n';
    const head = 'apiVersion: barecount/v1\nkind: Pipeline\nmetadata:\n  name: p\n  owner: o\n  dataClassification: internal\nspec:\n  stages:\n';
    const verdictOf = (a: ReturnType<typeof lint>, i: number) => {
      const v = a.documents[0]!.verdicts[i]!;
      return { waived: [...v.fit.waived].sort(), connections: [...v.fit.waivedConnections], recommended: v.recommended, passes: v.passes, cheaper: v.cheaper };
    };
    const silenced = (a: ReturnType<typeof lint>) => a.waived.map((w) => `${w.finding.code}@${w.finding.span.start} by ${w.waiver.codes.join(',')}`);
    let changedRecommendation = false;
    for (const code of ['BC101', 'BC102', 'BC204', 'BC301', 'BC304', 'BC103', 'BC105']) {
      const b = code === 'BC103' ? stage('b', 'control-task') : code === 'BC105' ? stage('b', 'webhook', jdbc) : stage('b');
      const text = (comment: string) => `${head}${stage('a')}${comment}${b}${stage('c')}`;
      const waiving = `      # barecount-ignore ${code}: legacy, reviewed\n`;
      const other = '      # barecount-ignore BC999: legacy, reviewed by the team\n';
      for (const [before, after] of [
        [waiving, other],
        [other, waiving],
        [waiving, ''],
        ['', waiving],
      ] as const) {
        const cache = new AnalysisCache();
        lint(text(before), {}, cache);
        const edited = lint(text(after), {}, cache);
        const fresh = lint(text(after));
        const what = `${code}, ${JSON.stringify(before)} -> ${JSON.stringify(after)}`;
        assert.ok(cache.lastReused >= 1, `${what}: stage c kept`);
        for (const i of [1, 2]) assert.deepStrictEqual(verdictOf(edited, i), verdictOf(fresh, i), `${what}, stage ${i}`);
        assert.deepEqual(summary(edited.findings), summary(fresh.findings), what);
        assert.deepEqual(silenced(edited), silenced(fresh), what);
        if (after === waiving && ['BC101', 'BC103', 'BC105'].includes(code))
          assert.ok(
            fresh.waived.some((w) => w.finding.code === code),
            `${what}: the comment silences a ${code} of stage b`,
          );
        if (JSON.stringify(verdictOf(lint(text(before)), 1).recommended) !== JSON.stringify(verdictOf(fresh, 1).recommended)) changedRecommendation = true;
      }
    }
    assert.ok(changedRecommendation, 'some waiver changes which runner is recommended');
  });

  test('a stage with a waiver of its own is kept across edits elsewhere, with its waived checks', () => {
    const stage = (n: string) =>
      `    - name: ${n}\n      phase: ingestion\n      workload: webhook\n      runner: { class: dedicated-compute, size: small, network: public-egress }\n`;
    const head = 'apiVersion: barecount/v1\nkind: Pipeline\nmetadata:\n  name: p\n  owner: o\n  dataClassification: internal\nspec:\n  stages:\n';
    const text = (name: string) => `${head}${stage(name)}    # barecount-ignore BC101: legacy, reviewed\n${stage('b')}`;
    const cache = new AnalysisCache();
    lint(text('a'), {}, cache);
    const edited = lint(text('ab'), {}, cache);
    assert.equal(cache.lastReused, 1, 'stage b kept');
    assert.deepEqual([...edited.documents[0]!.verdicts[1]!.fit.waived], ['BC101']);
    assert.deepStrictEqual(edited.documents[0]!.verdicts[1]!.recommended, lint(text('ab')).documents[0]!.verdicts[1]!.recommended);
  });

  test('a comment moved from after the stage list to before its first stage is a change of context', () => {
    const stage = (n: string) =>
      `    - name: ${n}\n      phase: ingestion\n      workload: webhook\n      runner: { class: container, size: small, network: public-egress }\n`;
    const head = 'apiVersion: barecount/v1\nkind: Pipeline\nmetadata:\n  name: p\n  owner: o\n  dataClassification: internal\nspec:\n  stages:\n';
    const waiver = '    # barecount-ignore BC101: the vendor runs it\n';
    const after = `${head}${stage('a')}${stage('b')}${waiver}  defaults:\n    runner: { size: small }\n`;
    const before = `${head}${waiver}${stage('a')}${stage('b')}  defaults:\n    runner: { size: small }\n`;
    for (const [from, to] of [
      [after, before],
      [before, after],
    ] as const) {
      const cache = new AnalysisCache();
      lint(from, {}, cache);
      assert.deepEqual(summary(lint(to, {}, cache).findings), summary(lintWhole(to).findings));
    }
  });

  test('the work limit stops an analysis the same way with kept stage results as without', () => {
    const base = generateCorpusManifest({ stages: 60, seed: 41, dirty: true, unusual: false });
    const steps = lintWhole(base).steps;
    const limits = { ...DEFAULT_LIMITS, maxWork: Math.floor(steps * 0.97) };
    const cache = new AnalysisCache();
    lint(base, { limits: { ...DEFAULT_LIMITS } }, cache);
    const at = base.indexOf('name: stage-30-') + 'name: stage-30-'.length;
    const text = base.slice(0, at) + 'x' + base.slice(at);
    const cached = lint(text, { limits }, cache);
    const whole = lintWhole(text, { limits });
    assert.ok(
      whole.findings.some((f) => f.messageId === 'too-much-work'),
      'the limit should stop the analysis',
    );
    assert.deepEqual(summary(cached.findings), summary(whole.findings));
  });

  test('in a file of several documents an edit costs its stage, and the documents after it', () => {
    const cache = new AnalysisCache();
    const first = generateCorpusManifest({ stages: 30, seed: 18, dirty: true });
    const second = generateManifest(20);
    let text = `${first}---\n${second}`;
    const before = lint(text, {}, cache);
    assert.equal(before.documents.length, 2);
    const [a, b] = before.documents.map((d) => d.pipeline!.stages.length) as [number, number];
    // An edit in the last document: only its stage is read and checked again.
    const inSecond = text.lastIndexOf('- name: ') + '- name: '.length;
    text = text.slice(0, inSecond) + 'y' + text.slice(inSecond);
    assert.deepEqual(summary(lint(text, {}, cache).findings), summary(lintWhole(text).findings));
    assert.equal(cache.parse.lastMode, 'incremental');
    assert.equal(cache.parse.lastReparsed, 1);
    assert.equal(cache.lastReused, a + b - 1);
    // An edit in the first document moves the second: the first keeps its other stages' results,
    // the second is read again piece by piece and its stages checked again (its header moved).
    const inFirst = text.indexOf('- name: ') + '- name: '.length;
    text = text.slice(0, inFirst) + 'x' + text.slice(inFirst);
    assert.deepEqual(summary(lint(text, {}, cache).findings), summary(lintWhole(text).findings));
    assert.equal(cache.parse.lastMode, 'incremental');
    assert.equal(cache.lastReused, a - 1);
  });

  test('a file of several documents is read whole where its documents do not read apart as they read together', () => {
    const doc = generateManifest(3);
    // A quote left open runs on past the next `---` in the whole read: one broken document there.
    for (const open of ['"x', "'x", '[x,']) {
      const text = `${doc.trimEnd()}\n  note: ${open}\n---\n${doc}`;
      const cache = new AnalysisCache();
      const cached = lint(text, {}, cache);
      assert.deepEqual(summary(cached.findings), summary(lintWhole(text).findings), open);
      assert.ok(
        cached.findings.some((f) => f.code === 'BC001'),
        open,
      );
    }
    // Collections nest too deep only across documents (a bracket in a comment holding a quote
    // counts), after an edit as on first sight (a review found it).
    const plain = (name: string, note = '') =>
      `apiVersion: barecount/v1\nkind: Pipeline\nmetadata:\n  name: ${name}\n  owner: o\n  dataClassification: internal\n${note}spec:\n  stages:\n    - name: a\n      phase: ingestion\n      workload: webhook\n`;
    const note = `# it's ${'['.repeat(40)}\n`;
    const cache = new AnalysisCache();
    lint(`${plain('p', note)}---\n${plain('q')}`, {}, cache);
    const deep = `${plain('p', note)}---\n${plain('q', note)}`;
    assert.deepEqual(summary(lint(deep, {}, cache).findings), summary(lintWhole(deep).findings));
    assert.match(lint(deep, {}, cache).findings[0]!.message, /nest more than/);
    // Documents the library must read, whose lines together pass the work limit: refused as the
    // whole read refuses them, not read one by one.
    // One document too: blank lines in its header, or in a stage, that the library must read.
    for (const one of [
      `apiVersion: barecount/v1\nkind: Pipeline\nmetadata:\n  owner: !!str x\n${'\n'.repeat(130_000)}spec:\n  stages:\n    - name: a\n      phase: ingestion\n`,
      `apiVersion: barecount/v1\nkind: Pipeline\nspec:\n  stages:\n    - name: a\n      phase: !!str ingestion\n${'\n'.repeat(130_000)}      workload: webhook\n    - name: b\n`,
    ]) {
      const found = lint(one, {}, new AnalysisCache());
      assert.deepEqual(summary(found.findings), summary(lintWhole(one).findings));
      assert.match(found.findings[0]!.message, /lines/);
    }
    const heavy = `---\na: !!str 1\n${'\n'.repeat(120_000)}`.repeat(2);
    const refused = lint(heavy, {}, new AnalysisCache());
    assert.deepEqual(summary(refused.findings), summary(lintWhole(heavy).findings));
    assert.match(refused.findings[0]!.message, /lines/);
  });

  test('a JSON manifest is read by the fast path, and an edit in one stage keeps every other stage’s results', () => {
    const cache = new AnalysisCache();
    let text = JSON.stringify(parseDocument(generateCorpusManifest({ stages: 40, seed: 20, dirty: true, unusual: false })).toJS(), null, 2);
    const before = lint(text, {}, cache);
    const stages = before.documents[0]!.pipeline!.stages.length;
    assert.equal(stages, 40);
    for (const which of ['first', 'last'] as const) {
      const at = (which === 'first' ? text.indexOf('"name": "stage-') : text.lastIndexOf('"name": "stage-')) + '"name": "'.length;
      text = text.slice(0, at) + 'x' + text.slice(at);
      const after = lint(text, {}, cache);
      assert.equal(cache.parse.lastReparsed, 1, which);
      assert.equal(cache.lastReused, stages - 1, which);
      assert.deepEqual(summary(after.findings), summary(lintWhole(text).findings), which);
    }
  });

  test('anchors across stages use the full parse', () => {
    const cache = new AnalysisCache();
    const doc = generateManifest(3);
    const anchored = doc.replace('LOG_LEVEL: info', 'LOG_LEVEL: &lvl info').replace(/LOG_LEVEL: info/, 'LOG_LEVEL: *lvl');
    lint(anchored, {}, cache);
    lint(anchored + '\n', {}, cache);
    assert.deepEqual(summary(lint(anchored + '\n', {}, cache).findings), summary(lint(anchored + '\n').findings));
  });
});
