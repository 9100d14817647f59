import assert from 'node:assert/strict';
import { describe, test, type TestContext } from 'node:test';
import {
  classificationIn,
  complete,
  credentialSpans,
  cursorContext,
  DEFAULT_LIMITS,
  DEFAULT_POLICY,
  AnalysisCache,
  findIgnores,
  LineIndex,
  stageNamesIn,
  Work,
  type Finding,
} from '../../server/src/core';
import { generateManifest } from '../../bench/generate';
import { lint } from '../helpers';

// Hostile input, far below the size limit, must cost work in proportion to its size. Work is
// counted in steps (server/src/core/work.ts), never in time: each shape is measured at n, 2n, 4n
// and 8n, and 8n may cost at most 8 × 1.2 times n. Where the work is a library's (the yaml
// parser), the outcome is asserted instead.

const GUARD = { timeout: 60_000 };
const SLACK = 1.2;

/** Steps at n, 2n, 4n, 8n grow no faster than the size. */
function assertLinear(t: TestContext, steps: (n: number) => number, n: number): void {
  const sizes = [n, 2 * n, 4 * n, 8 * n];
  const counts = sizes.map(steps);
  t.diagnostic(`steps at ${sizes.join(', ')}: ${counts.join(', ')}`);
  assert.ok(counts[0]! > 0, 'no steps counted');
  assert.ok(counts[3]! > counts[0]!, 'steps do not grow with the input: nothing is counted');
  for (let i = 1; i < counts.length; i++)
    assert.ok(counts[i]! <= counts[i - 1]! * 2 * SLACK, `steps ${counts[i - 1]} → ${counts[i]} from ${sizes[i - 1]} to ${sizes[i]}`);
  assert.ok(counts[3]! <= counts[0]! * 8 * SLACK, `steps(8n)/steps(n) = ${(counts[3]! / counts[0]!).toFixed(2)}`);
}

function scanSteps(text: string): number {
  const work = new Work();
  credentialSpans(text, work);
  return work.steps;
}

const HEAD = 'apiVersion: barecount/v1\nkind: Pipeline\nmetadata:\n  name: hostile\n  owner: data-platform\n  dataClassification: internal\n';
const stage = (name: string, extra = '') =>
  `    - name: ${name}\n      phase: ingestion\n      workload: webhook\n      runner: { class: serverless, size: small, network: public-egress }\n${extra}`;
const times = (n: number, f: (i: number) => string, sep = '') => Array.from({ length: n }, (_, i) => f(i)).join(sep);
const withDescription = (d: string) => `${HEAD}  description: "${d}"\nspec:\n  stages:\n${stage('a')}`;

/** The analysis' own step count (Analysis.steps), with no limit in the way. */
function analysisSteps(text: string): number {
  const a = lint(text, { limits: { ...DEFAULT_LIMITS, maxWork: Infinity } });
  return a.steps;
}

/** The one finding of a file refused before it was read: a too-deep BC001. */
function tooDeepOnly(findings: readonly Finding[]): void {
  assert.deepEqual(
    findings.map((f) => `${f.code} ${f.messageId}`),
    ['BC001 too-deep'],
  );
}

const summary = (fs: readonly Finding[]) => fs.map((f) => ({ code: f.code, span: f.span, message: f.message }));

function codes(findings: readonly Finding[]): string[] {
  return [...new Set(findings.map((f) => f.code))].sort();
}

describe('credential-shaped text is scanned in linear time', () => {
  test('a JWT-ish run: eyJ-eyJ-eyJ-…', GUARD, (t) => assertLinear(t, (n) => scanSteps('eyJ-'.repeat(n)), 4000));
  test('URL-ish text: a.a.a.…@, and many :// and @', GUARD, (t) => {
    assertLinear(t, (n) => scanSteps(`${'a.'.repeat(n)}@`), 4000);
    assertLinear(t, (n) => scanSteps('a://b:c@'.repeat(n)), 2000);
    assertLinear(t, (n) => scanSteps(`x://${'u:'.repeat(n)}@`), 4000);
  });
  test('Bearer Bearer Bearer …', GUARD, (t) => assertLinear(t, (n) => scanSteps('Bearer '.repeat(n)), 4000));
  test('a private key header of many words: -----BEGIN A A A …', GUARD, (t) => {
    assertLinear(t, (n) => scanSteps(`-----BEGIN ${'A '.repeat(n)}`), 4000);
    assertLinear(t, (n) => scanSteps('-----BEGIN A PRIVATE KEY-----MII\n'.repeat(n)), 1000);
  });
  test('token prefixes over and over: xoxb-…, AIza-…, ghp_…', GUARD, (t) => {
    assertLinear(t, (n) => scanSteps('xoxb-'.repeat(n)), 4000);
    assertLinear(t, (n) => scanSteps('AIza-'.repeat(n)), 4000);
    assertLinear(t, (n) => scanSteps('ghp_a '.repeat(n)), 4000);
  });
});

describe('the analysis does linear work on hostile manifests', () => {
  test('a 32 KB JWT-ish description', GUARD, (t) => {
    assertLinear(t, (n) => analysisSteps(withDescription('eyJ-'.repeat(n))), 2000);
    const found = codes(lint(withDescription('eyJ-'.repeat(8000))).findings);
    assert.ok(!found.includes('BC201') && !found.includes('BC001'), found.join(', '));
  });

  test('a URL-ish description with many :// and @', GUARD, (t) => {
    assertLinear(t, (n) => analysisSteps(withDescription(`${'a.'.repeat(n)}@ ${'a://b:c@'.repeat(n / 4)}`)), 2000);
  });

  test('dependsOn with thousands of entries (BC503 on each)', GUARD, (t) => {
    const self = (n: number) => `${HEAD}spec:\n  stages:\n${stage('a', `      dependsOn: [${times(n, () => 'a', ', ')}]\n`)}`;
    assertLinear(t, (n) => analysisSteps(self(n)), 2500);
    const pair = (n: number) =>
      `${HEAD}spec:\n  stages:\n${stage('a', `      dependsOn: [${times(n, () => 'b', ', ')}]\n`)}${stage('b', '      dependsOn: [a]\n')}`;
    assertLinear(t, (n) => analysisSteps(pair(n)), 2500);
    // 20,000 entries naming one stage: one cycle, one BC503 (and BC002's duplicate).
    const findings = lint(self(20_000)).findings;
    assert.deepEqual(
      findings.filter((f) => f.code === 'BC503').map((f) => f.data.path),
      ['a → a'],
    );
    assert.equal(findings.filter((f) => f.code === 'BC002' && f.messageId === 'duplicateItem').length, 1);
  });

  test('a cycle through thousands of stages', GUARD, (t) => {
    const cycle = (n: number) => `${HEAD}spec:\n  stages:\n${times(n, (i) => stage(`s${i}`, `      dependsOn: [s${(i + 1) % n}]\n`))}`;
    assertLinear(t, (n) => analysisSteps(cycle(n)), 100);
    const f = lint(cycle(400)).findings.find((x) => x.code === 'BC503')!;
    // The path names a dozen stages or so, not all 400, in each of the 400 findings.
    const path = String(f.data.path).split(' → ');
    assert.ok(path.length <= 14 && path[path.length - 1] === '…', path.join(' → '));
  });

  test('a chain of thousands of stages downstream of an on-premise-agent stage (BC207 on each)', GUARD, (t) => {
    const plant =
      '    - name: s0\n      phase: ingestion\n      workload: webhook\n      runner: { class: serverless, size: small, network: on-premise-agent }\n';
    const chain = (n: number) => `${HEAD}spec:\n  stages:\n${plant}${times(n, (i) => stage(`s${i + 1}`, `      dependsOn: [s${i}]\n`))}`;
    assertLinear(t, (n) => analysisSteps(chain(n)), 100);
    // Each finding names its path in a few stages and the count, not all of them.
    const last = lint(chain(400))
      .findings.filter((x) => x.code === 'BC207')
      .pop()!;
    assert.match(last.message, /\(s400 ← s399 ← s398 ← … ← s1 ← s0 \(400 steps\)\)/);
  });

  test('thousands of unknown dependsOn names (BC502)', GUARD, (t) => {
    const unknown = (n: number) =>
      `${HEAD}spec:\n  stages:\n${times(n / 8, (i) => stage(`stage-${i}`))}${stage('z', `      dependsOn: [${times(n, (i) => `stage-x${i}`, ', ')}]\n`)}`;
    assertLinear(t, (n) => analysisSteps(unknown(n)), 800);
  });

  test('stacks of ignore comments', GUARD, (t) => {
    const above = (n: number) => `${HEAD}spec:\n  stages:\n${'    # barecount-ignore BC201\n'.repeat(n)}${stage('a')}`;
    const inside = (n: number) => `${HEAD}spec:\n  stages:\n${stage('a', `${'      # barecount-ignore BC201: kept\n'.repeat(n)}      env: { X: y }\n`)}`;
    assertLinear(t, (n) => analysisSteps(above(n)), 750);
    assertLinear(t, (n) => analysisSteps(inside(n)), 750);
    // findIgnores alone: a step per character of the lines it reads.
    assertLinear(
      t,
      (n) => {
        const text = above(n);
        const work = new Work();
        const found = findIgnores(text, { start: 0, end: text.length }, new Map(), work);
        assert.equal(found.length, n);
        return work.steps;
      },
      750,
    );
    // n comments stacked over a stage with n waived findings: each finding finds the stack by
    // halves and marks it used once, not once per finding.
    const waivedMany = (n: number) =>
      `apiVersion: barecount/v1\nkind: Pipeline\nmetadata:\n  name: hostile\n  owner: data-platform\n  dataClassification: internal\n  boundaries: [on-premise]\n  tags: { cost-center: x }\nspec:\n  stages:\n${times(n, (i) => `    # barecount-ignore BC203: reason ${i}\n`)}    - name: ingest\n      phase: ingestion\n      workload: api-poll\n      runner: { class: container, size: medium, network: private-vpc }\n      connections:\n${times(n, (i) => `        - { name: c${i}, kind: http-api, location: cloud-private, direction: read }\n`)}`;
    assertLinear(
      t,
      (n) => {
        const a = lint(waivedMany(n), { limits: { ...DEFAULT_LIMITS, maxWork: Infinity } });
        assert.equal(a.waived.length, n);
        return a.steps;
      },
      500,
    );
    // 6,000 comments above one stage: each covers it, and each lacks a reason (BC003).
    assert.equal(lint(above(6000)).findings.filter((f) => f.code === 'BC003').length, 6000);
  });

  test('thousands of schema errors: wrong types, unknown keys', GUARD, (t) => {
    const types = (n: number) => `${HEAD}spec:\n  stages: [${times(n, () => '1', ', ')}]\n`;
    const keys = (n: number) =>
      `${HEAD}spec:\n  stages:\n${stage(
        'a',
        times(n, (i) => `      k${i}: 1\n`),
      )}`;
    const env = (n: number) => `${HEAD}spec:\n  stages:\n${stage('a', `      env: {${times(n, (i) => `K${i}: 1`, ', ')}}\n`)}`;
    assertLinear(t, (n) => analysisSteps(types(n)), 1000);
    assertLinear(t, (n) => analysisSteps(keys(n)), 1000);
    assertLinear(t, (n) => analysisSteps(env(n)), 1000);
    assert.equal(lint(types(4000)).findings.filter((f) => f.code === 'BC002').length, 4000);
  });

  test('flow-style stages sharing one long line', GUARD, (t) => {
    const flow = (n: number) => `${HEAD}spec:\n  stages: [${times(n, () => '{phase: ingestion, workload: webhook}', ', ')}]\n`;
    assertLinear(t, (n) => analysisSteps(flow(n)), 250);
  });

  test('thousands of ${secret:…} references in one value', GUARD, (t) => {
    const refs = (n: number) => `${HEAD}spec:\n  stages:\n${stage('a', `      env:\n        X: "${times(n, (i) => `\${secret:S${i}}`)}"\n`)}`;
    assertLinear(t, (n) => analysisSteps(refs(n)), 500);
    // Each reference is pointed at where it is written, not at the first.
    const text = refs(3);
    const starts = lint(text)
      .findings.filter((f) => f.code === 'BC206')
      .map((f) => text.slice(f.span.start, f.span.end));
    assert.deepEqual(starts, ['${secret:S0}', '${secret:S1}', '${secret:S2}']);
  });

  test('thousands of documents in one file', GUARD, (t) => {
    assertLinear(t, (n) => analysisSteps(times(n, () => 'a: b: c\n', '---\n')), 100);
    assertLinear(t, (n) => analysisSteps(times(n, (i) => `${HEAD}spec:\n  stages:\n${stage(`s${i}`)}`, '---\n')), 50);
  });
});

describe('completion reads crafted lines in linear time', () => {
  const head = 'apiVersion: barecount/v1\nkind: Pipeline\nmetadata:\n  name: x\n  owner: o\n';

  test('blank lines before the classification (classificationIn)', GUARD, (t) => {
    const text = (n: number) => `${head}${' \n'.repeat(n)}${' '.repeat(n)}x\n  dataClassification: internal\nspec:\n`;
    assertLinear(
      t,
      (n) => {
        const work = new Work();
        assert.equal(classificationIn(text(n), work), 'internal');
        return work.steps;
      },
      2000,
    );
  });

  test('a stage line of spaces, a dash and spaces (stageNamesIn)', GUARD, (t) => {
    const text = (n: number) =>
      `${head}  dataClassification: public\nspec:\n  stages:\n    - phase: ingestion\n      ${' '.repeat(n)}-${' '.repeat(n)}x\n${' \n'.repeat(n)}    - name: b\n`;
    assertLinear(
      t,
      (n) => {
        const work = new Work();
        assert.deepEqual(stageNamesIn(text(n), work), ['b']);
        return work.steps;
      },
      2000,
    );
  });

  test('a long word, then a flow map, at the cursor (cursorContext)', GUARD, (t) => {
    const text = (n: number) => `${head}spec:\n  stages:\n    - name: a\n      runner: ${'a'.repeat(n)} { class: `;
    assertLinear(
      t,
      (n) => {
        const work = new Work();
        const s = text(n);
        assert.equal(cursorContext(s, s.length, work)?.kind, 'value');
        return work.steps;
      },
      2000,
    );
    const list = (n: number) => `${head}spec:\n  stages:\n    ${'- '.repeat(n)}na`;
    assertLinear(
      t,
      (n) => {
        const work = new Work();
        const s = list(n);
        cursorContext(s, s.length, work);
        return work.steps;
      },
      2000,
    );
  });

  test('completion at the end of each crafted line answers', GUARD, () => {
    for (const text of [
      `${head}${' \n'.repeat(20_000)}spec:\n  stages:\n    - name: a\n      phase: ingestion\n      workload: webhook\n      runner:\n        class: `,
      `${head}spec:\n  stages:\n    - phase: ingestion\n      ${' '.repeat(20_000)}-${' '.repeat(20_000)}x\n    - name: b\n      workload: webhook\n      dependsOn: [`,
      `${head}spec:\n  stages:\n    - name: a\n      runner: ${'a'.repeat(50_000)} { class: `,
      // A file that starts with an empty line, the cursor on an indented line below it: the
      // walk up once found the first line break again and again, and completion never answered.
      `\n  owner: data`,
      `\n\n    - na`,
    ])
      assert.ok(complete({ text, offset: text.length, kind: 'manifest', policy: DEFAULT_POLICY }).length >= 0);
  });
});

describe('nesting too deep for the parser is refused before anything recursive runs', () => {
  const SHAPES: Record<string, (n: number) => string> = {
    'nested ? keys on one line': (n) => `${HEAD}${'? '.repeat(n)}a\n`,
    'nested ? keys at the root': (n) => `${'? '.repeat(n)}a\n`,
    '? lines, each indented one more': (n) => `${HEAD}${times(Math.min(n, 1400), (i) => `${' '.repeat(i)}? `, '\n')}a\n`,
    'a value of ? keys': (n) => `${HEAD}x: ${'? '.repeat(n)}a\n`,
    '- ? - ? …': (n) => `${HEAD}${'- ? '.repeat(n)}a\n`,
    '? - ? - …': (n) => `${HEAD}${'? - '.repeat(n)}a\n`,
    '- - - … on one line': (n) => `${HEAD}x:\n  ${'- '.repeat(n)}a\n`,
    'anchors and tags between': (n) => `${HEAD}${'- &a !!seq '.repeat(n)}a\n`,
    'tabs after the indicators': (n) => `${HEAD}${'?\t'.repeat(n)}a\n`,
    'explicit keys inside flow maps': (n) => `${HEAD}x: ${'{ ? '.repeat(n)}a\n`,
    '[{[{…': (n) => `${HEAD}x: ${'[{'.repeat(n)}a\n`,
  };
  for (const [name, shape] of Object.entries(SHAPES)) {
    test(name, GUARD, () => {
      for (const n of [3000, 30_000]) {
        const text = shape(n);
        const { findings } = lint(text);
        assert.equal(findings.length, 1, findings.map((f) => f.message).join(' | '));
        assert.equal(findings[0]!.code, 'BC001');
        assert.equal(findings[0]!.messageId, 'too-deep');
        assert.match(findings[0]!.message, /nest more than 64 levels/);
        // Completion reads the same text on its own; nothing deep reaches the parser there either.
        complete({ text, offset: text.length, kind: 'manifest', policy: DEFAULT_POLICY });
      }
    });
  }

  test('brackets in comments after values are not nesting', GUARD, () => {
    // Each opened a level that never closed: seventy such stages refused the whole file.
    const text = `${HEAD}spec:\n  stages:\n${times(70, (i) => stage(`s${i}`, `      env: { NOTE: draft }   # see [ticket ${i}, {owner\n`))}`;
    const { findings } = lint(text);
    assert.ok(!findings.some((f) => f.messageId === 'too-deep'));
    assert.ok(findings.length > 0, 'the stages are analysed');
  });

  // What the guard skips as text must be text to the parser too: a comment that holds a quote may be
  // the inside of a quoted scalar over several lines, whose closing quote is followed by structure;
  // an anchor's or a tag's name ends at a bracket. Each of these nests for the parser.
  const PAST_THE_GUARD: Record<string, (n: number) => string> = {
    'a quoted scalar over lines, a comment after content inside it': (n) => `${HEAD}x: [ "a\n  z # ", ${'['.repeat(n)}"b"${']'.repeat(n)}]\n`,
    'a quoted scalar over lines, a comment line inside it': (n) => `${HEAD}x: [ "a\n  # ", ${'['.repeat(n)}"b"${']'.repeat(n)}]\n`,
    'a quote right after a colon in a flow sequence': (n) => `${HEAD}x: [a:", ${'['.repeat(n)}"b"${']'.repeat(n)}]\n`,
    'an anchor before brackets': (n) => `${HEAD}x:\n  - &a${'['.repeat(n)}b${']'.repeat(n)}\n`,
    'a tag before brackets': (n) => `${HEAD}x:\n  - !t${'['.repeat(n)}b${']'.repeat(n)}\n`,
  };
  for (const [name, shape] of Object.entries(PAST_THE_GUARD)) {
    test(`refused before the parser: ${name}`, GUARD, () => {
      for (const n of [100, 30_000]) {
        const text = shape(n);
        tooDeepOnly(lint(text).findings);
        // And through an editor's cache, after a first version without it.
        const cache = new AnalysisCache();
        lint(`${HEAD}spec:\n  stages:\n${stage('a')}`, {}, cache);
        tooDeepOnly(lint(text, {}, cache).findings);
      }
    });
  }

  test('an editor checks the depth of what an edit changed, as a full read does', GUARD, () => {
    const cache = new AnalysisCache();
    const base = `${HEAD}spec:\n  stages:\n${times(30, (i) => stage(`s${i}`))}`;
    assert.ok(!lint(base, {}, cache).findings.some((f) => f.messageId === 'too-deep'));
    const at = base.indexOf('    - name: s15');
    const edits = [
      // Inside a stage, and in the header (before and after the list).
      base.slice(0, at) + `    - name: deep\n      env: ${'['.repeat(80)}${']'.repeat(80)}\n` + base.slice(at),
      base.replace('  owner: data-platform\n', `  owner: data-platform\n  x: ${'- '.repeat(80)}a\n`),
      `${base}extra: ${'{ a: '.repeat(70)}b${' }'.repeat(70)}\n`,
    ];
    for (const text of edits) {
      lint(base, {}, cache);
      tooDeepOnly(lint(text, {}, cache).findings);
      assert.deepEqual(summary(lint(text, {}, cache).findings), summary(lint(text).findings));
      // Back to the file as it was: analysed again, piece by piece.
      assert.ok(!lint(base, {}, cache).findings.some((f) => f.messageId === 'too-deep'));
    }
  });

  test('block nesting within the limit is still analysed', () => {
    const text = `${HEAD}spec:\n  stages:\n${stage('a', `      env:\n        X: y\n`)}x: ${'- '.repeat(20)}a\n`;
    assert.ok(lint(text).findings.every((f) => f.messageId !== 'too-deep'));
  });
});

describe('the work limit', () => {
  test('stops the analysis with what it found and one BC001 at the top that names the limit', () => {
    const text = `${HEAD}spec:\n  stages:\n${times(40, (i) => stage(`s${i}`, '      env: { DB_PASSWORD: hunter2hunter2 }\n'))}`;
    const full = lint(text).findings;
    const limited = lint(text, { limits: { ...DEFAULT_LIMITS, maxWork: text.length + 20_000 } });
    const stop = limited.findings.filter((f) => f.messageId === 'too-much-work');
    assert.equal(stop.length, 1);
    assert.equal(stop[0]!.code, 'BC001');
    assert.equal(new LineIndex(text).positionAt(stop[0]!.span.start).line, 0);
    assert.match(stop[0]!.message, new RegExp(`${text.length + 20_000} steps allows \\(maxWork\\)`));
    assert.doesNotMatch(stop[0]!.message, /hunter2|hostile|stage/);
    // What was found before the stop is kept, and is a part of the full analysis.
    const kept = limited.findings.filter((f) => f !== stop[0]);
    assert.ok(kept.length > 0 && kept.length < full.length);
    const key = (f: Finding) => `${f.code}:${f.span.start}:${f.message}`;
    const all = new Set(full.map(key));
    for (const f of kept) assert.ok(all.has(key(f)), key(f));
  });

  test('literal secrets cut short by the limit are the first ones of the file', () => {
    // Secrets nested at different depths in each stage: a walk meets them out of the file's order.
    const text = `${HEAD}spec:\n  stages:\n${times(12, (i) =>
      stage(`s${i}`, `      env: { DB_PASSWORD: hunter${i}hunter${i} }\n      args: [AKIAIOSFODNN7EXAMPL${i % 10}, { password: deep${i}secret${i} }]\n`),
    )}`;
    const secretsOf = (limits: typeof DEFAULT_LIMITS) =>
      lint(text, { limits })
        .findings.filter((f) => f.code === 'BC201')
        .map((f) => f.span.start);
    const all = secretsOf({ ...DEFAULT_LIMITS, maxWork: Infinity });
    assert.equal(all.length, 36);
    let cut = 0;
    for (let maxWork = text.length; maxWork < text.length + 60_000; maxWork += 500) {
      const kept = secretsOf({ ...DEFAULT_LIMITS, maxWork });
      if (kept.length > 0 && kept.length < all.length) cut++;
      assert.deepEqual(kept, all.slice(0, kept.length), `maxWork ${maxWork}`);
    }
    assert.ok(cut > 0, 'no limit cut BC201 short');
  });

  test('the largest realistic manifest under the size limit needs half the default or less, errors in every stage included', GUARD, () => {
    let n = 1500;
    while (generateManifest(n + 50).length < DEFAULT_LIMITS.maxDocumentSize - 4096) n += 50;
    for (const text of [
      generateManifest(n),
      generateManifest(n)
        .replace(/workload: /g, 'workload: x')
        .replace(/class: /g, 'class: y'),
    ]) {
      const a = lint(text);
      assert.ok(a.steps * 2 <= DEFAULT_LIMITS.maxWork, `${a.steps} steps for ${n} stages`);
      assert.ok(a.findings.every((f) => f.messageId !== 'too-much-work'));
    }
  });
});
