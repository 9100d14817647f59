import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { EditTrail, applyEdits, loadPolicy } from '../../server/src/core';
import fc from 'fast-check';
import { ROOT, lint } from '../helpers';

const comments = (text: string) =>
  text
    .split('\n')
    .filter((l) => /#/.test(l))
    .map((l) => l.slice(l.indexOf('#')));

describe('fixes keep what the user wrote', () => {
  const policy = loadPolicy(readFileSync(join(ROOT, 'examples/barecount.policy.yaml'), 'utf8')).policy;
  const fixes = ['marketing-sync', 'finance-reporting'].flatMap((name) => {
    const text = readFileSync(join(ROOT, `examples/${name}.barecount.yaml`), 'utf8');
    return lint(text, { policy }).findings.flatMap((f) => f.fixes.map((fix) => ({ text, code: f.code, fix })));
  });

  test('the examples offer fixes for many rules', () => {
    assert.ok(new Set(fixes.map((f) => f.code)).size >= 10, [...new Set(fixes.map((f) => f.code))].join(' '));
  });

  for (const { text, code, fix } of fixes) {
    test(`${code}: ${fix.title}`, () => {
      const out = applyEdits(text, fix.edits);
      const after = lint(out, { policy }).findings;
      assert.ok(!after.some((f) => f.code === 'BC001'), `the fix broke the YAML: ${after.find((f) => f.code === 'BC001')?.message}`);
      // Every comment survives, and nothing outside the edited ranges changed.
      assert.deepEqual(comments(out), comments(text));
      const first = Math.min(...fix.edits.map((e) => e.start));
      assert.equal(out.slice(0, first), text.slice(0, first));
    });
  }

  test('CRLF files get CRLF insertions', () => {
    const crlf =
      'apiVersion: barecount/v1\r\nkind: Pipeline\r\nmetadata:\r\n  name: p\r\n  owner: o\r\n  dataClassification: internal\r\n  boundaries: [cloud-private]\r\n  tags:\r\n    team: t\r\nspec:\r\n  stages:\r\n    - { name: a, phase: normalization, workload: medium-transform, runner: { class: container, size: medium, network: private-vpc } }\r\n';
    const f = lint(crlf).findings.find((x) => x.code === 'BC401')!;
    const out = applyEdits(crlf, f.fixes[0]!.edits);
    assert.ok(out.includes('    team: t\r\n    cost-center: TODO\r\n'), JSON.stringify(out));
    assert.ok(!/[^\r]\n/.test(out));
  });
});

test('a fix of a value written as a block scalar keeps the line after it, in LF and CRLF files', () => {
  // The replaced range ended past the block's line break: `apiVersion: >-` fixed to
  // `apiVersion: barecount/v1kind: Pipeline`, one broken line.
  const lf =
    'apiVersion: >-\n  barecount/v2\nkind: Pipeline\nmetadata:\n  name: p\n  owner: o\n  dataClassification: internal\n  boundaries: [cloud-private]\n  tags:\n    team: t\nspec:\n  stages:\n    - name: a\n      phase: |\n        normalisation\n      workload: medium-transform\n';
  for (const text of [lf, lf.replace(/\n/g, '\r\n')]) {
    const eol = text.includes('\r\n') ? '\r\n' : '\n';
    const fixed = new Map<string, string>();
    for (const f of lint(text).findings) for (const fix of f.fixes) if (fix.safety === 'safe') fixed.set(f.code + ' ' + fix.title, applyEdits(text, fix.edits));
    const api = fixed.get('BC002 Change to "barecount/v1"');
    const phase = fixed.get('BC002 Change to "normalization"');
    assert.ok(api && phase, [...fixed.keys()].join('; '));
    assert.ok(api.startsWith(`apiVersion: barecount/v1${eol}kind: Pipeline${eol}`), JSON.stringify(api.slice(0, 60)));
    assert.ok(phase.includes(`      phase: normalization${eol}      workload: medium-transform${eol}`), JSON.stringify(phase));
    for (const out of [api, phase]) assert.ok(!lint(out).findings.some((f) => f.code === 'BC001'));
  }
});

test('a fix of an empty value keeps it apart from what is around it: the colon, an anchor or a tag, a comment', () => {
  // `apiVersion:` ending its line was fixed to `apiVersion:barecount/v1`, a key with no value (a
  // fuzzer found it): the file no longer parsed. A review found the same next to `&v`, `!!str`
  // (an anchor named `vbarecount/v1`, a broken tag) and before a comment (`barecount/v1# set me`).
  for (const [line, fixed] of [
    ['apiVersion:', 'apiVersion: barecount/v1'],
    ['apiVersion: # set me', 'apiVersion: barecount/v1 # set me'],
    ['apiVersion: &v', 'apiVersion: &v barecount/v1'],
    ['apiVersion: !!str', 'apiVersion: !!str barecount/v1'],
    ['apiVersion: &v # set me', 'apiVersion: &v barecount/v1 # set me'],
  ] as const) {
    for (const eol of ['\n', '\r\n']) {
      const text = [
        line,
        'kind: Pipeline',
        'metadata:',
        '  name: p',
        '  owner: o',
        '  dataClassification: internal',
        'spec:',
        '  stages:',
        '    - name: a',
        '      phase: normalization',
        '      workload:',
        '      runner: { class: container }',
        '',
      ].join(eol);
      const fixes = lint(text).findings.flatMap((f) => f.fixes.map((fix) => ({ code: f.code, fix })));
      const api = fixes.find((f) => f.fix.title === 'Change to "barecount/v1"');
      assert.ok(api, `${line}: ${fixes.map((f) => f.fix.title).join('; ')}`);
      const out = applyEdits(text, api.fix.edits);
      assert.ok(out.startsWith(`${fixed}${eol}kind: Pipeline${eol}`), JSON.stringify(out.slice(0, 50)));
      const after = lint(out).findings;
      assert.ok(!after.some((f) => f.code === 'BC001' || f.message.includes('API version')), `${line}: ${after.map((f) => f.message).join('; ')}`);
      for (const { fix } of fixes) assert.ok(!lint(applyEdits(text, fix.edits)).findings.some((f) => f.code === 'BC001'), `${line}: ${fix.title}`);
    }
  }
});

test('a value over several lines is written on one line by a fix: inside a flow list it stays valid YAML', () => {
  // "Did you mean" may suggest a stage whose name is a block scalar; written back as a block
  // scalar inside `dependsOn: [...]`, it broke the file.
  const text =
    'apiVersion: barecount/v1\nkind: Pipeline\nmetadata:\n  name: p\n  owner: o\n  dataClassification: internal\n  boundaries: [cloud-private]\n  tags:\n    team: t\nspec:\n  stages:\n    - name: |\n        extract-orders\n        second line\n      phase: ingestion\n      workload: bulk-extract\n    - name: b\n      phase: normalization\n      workload: medium-transform\n      dependsOn: [extract-orders second lin]\n';
  const f = lint(text).findings.find((x) => x.code === 'BC502');
  assert.ok(f && f.fixes.length === 1, JSON.stringify(f?.message));
  assert.equal(f.fixes[0]!.edits[0]!.newText, '"extract-orders\\nsecond line\\n"');
  const out = applyEdits(text, f.fixes[0]!.edits);
  assert.ok(out.includes('dependsOn: ["extract-orders\\nsecond line\\n"]'), out);
  assert.ok(!lint(out).findings.some((x) => x.code === 'BC001' || x.code === 'BC502'));
  // Into a single-quoted value as well (it kept raw line breaks there), LF or CRLF.
  for (const quoted of [
    text.replace('[extract-orders second lin]', "['extract-orders second lin']"),
    text.replace('[extract-orders second lin]', "['extract-orders second lin']").replace(/\n/g, '\r\n'),
  ]) {
    const g = lint(quoted).findings.find((x) => x.code === 'BC502')!;
    const fixed = applyEdits(quoted, g.fixes[0]!.edits);
    assert.ok(!lint(fixed).findings.some((x) => x.code === 'BC001' || x.code === 'BC502'), fixed);
  }
});

test('an edit trail gives back, as edits of the original, what rounds of edits made of it', () => {
  const editsOf = (len: number) =>
    fc.array(fc.record({ at: fc.nat(len), span: fc.nat(4), text: fc.string({ maxLength: 4 }) }), { maxLength: 5 }).map((raw) => {
      // Non-overlapping edits, in any order, of a text of length `len`.
      const sorted = [...raw].sort((a, b) => a.at - b.at);
      const out: Array<{ start: number; end: number; newText: string }> = [];
      let floor = 0;
      for (const r of sorted) {
        const start = Math.max(r.at, floor);
        if (start > len) break;
        const end = Math.min(start + r.span, len);
        out.push({ start, end, newText: r.text });
        floor = end + 1;
      }
      return out.reverse();
    });
  fc.assert(
    fc.property(
      fc.string({ maxLength: 30 }),
      fc.array(fc.nat(1000), { minLength: 1, maxLength: 4 }),
      fc.infiniteStream(fc.nat()),
      (original, rounds, seeds) => {
        let text = original;
        let trail = EditTrail.of(original);
        const it = seeds[Symbol.iterator]();
        for (const _ of rounds) {
          const [edits] = fc.sample(editsOf(text.length), { numRuns: 1, seed: it.next().value as number });
          text = applyEdits(text, edits!);
          trail = trail.apply(edits!);
        }
        const back = trail.edits();
        for (let i = 1; i < back.length; i++) assert.ok(back[i]!.start >= back[i - 1]!.end, 'edits overlap or are out of order');
        assert.equal(applyEdits(original, back), text);
      },
    ),
    { numRuns: 500 },
  );
});
