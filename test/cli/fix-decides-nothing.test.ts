import assert from 'node:assert/strict';
import { test } from 'node:test';
import { cpSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { parseAllDocuments } from 'yaml';
import { CLASSES, NETWORKS, PHASES, WORKLOADS } from '../../server/src/core';
import { FIXTURES, ROOT, fixturePolicy, listFiles, runCli, tempDir } from '../helpers';

// `barecount-lint --fix` (and so fix-all and fix-on-save) corrects typos and decides nothing
// (spec §5.2): over every fixture and example, no runner field that held a valid value changes,
// and no boundary, tag, secret, env value, schedule or estimate changes at all.

type Plain = Record<string, unknown>;
const obj = (v: unknown): Plain => (v && typeof v === 'object' && !Array.isArray(v) ? (v as Plain) : {});

function documents(text: string): Plain[] | undefined {
  const docs = parseAllDocuments(text);
  const list = Array.isArray(docs) ? docs : [];
  if (list.some((d) => d.errors.length)) return undefined;
  return list.map((d) => obj(d.toJS({ maxAliasCount: 100 })));
}

/** What a fix may never change, and the runner values that were valid (a typo may be corrected). */
function decisions(doc: Plain, sizes: readonly string[]): unknown {
  const metadata = obj(doc.metadata);
  const spec = obj(doc.spec);
  // A value that is there but not valid may be a typo to correct; a missing one must stay missing,
  // unless a misspelt key beside it may be renamed to it.
  const valid = (v: unknown, ok: readonly string[], misspeltKey: boolean) =>
    v === undefined ? (misspeltKey ? '(typo)' : undefined) : typeof v === 'string' && ok.includes(v) ? v : '(typo)';
  const unknownKeys = (o: Plain, known: readonly string[]) => Object.keys(o).some((k) => !known.includes(k));
  const validRunner = (r: unknown) => {
    const runner = obj(r);
    const misspelt = unknownKeys(runner, ['class', 'size', 'network', 'justification']);
    return {
      class: valid(runner.class, CLASSES, misspelt),
      size: valid(runner.size, sizes, misspelt),
      network: valid(runner.network, NETWORKS, misspelt),
      justification: runner.justification,
    };
  };
  return {
    boundaries: metadata.boundaries,
    tags: metadata.tags,
    classification: metadata.dataClassification,
    budget: metadata.budget,
    defaults: validRunner(obj(spec.defaults).runner),
    stages: (Array.isArray(spec.stages) ? spec.stages : []).map((raw) => {
      const s = obj(raw);
      const misspelt = unknownKeys(s, ['name', 'phase', 'workload', 'runner', 'dependsOn', 'connections', 'secrets', 'env', 'schedule', 'estimate']);
      return {
        phase: valid(s.phase, PHASES, misspelt),
        workload: valid(s.workload, WORKLOADS, misspelt),
        runner: validRunner(s.runner),
        secrets: s.secrets,
        env: s.env,
        schedule: s.schedule,
        estimate: s.estimate,
        connections: s.connections,
      };
    }),
  };
}

test('barecount-lint --fix over every fixture and example changes only typos', () => {
  const dir = tempDir('bc-fix-');
  cpSync(join(FIXTURES, 'rules'), join(dir, 'fixtures'), { recursive: true });
  cpSync(join(ROOT, 'examples'), join(dir, 'examples'), { recursive: true });
  const r = runCli(['--fix', '.'], dir);
  assert.ok(r.code === 0 || r.code === 1, r.stderr);
  const manifests = listFiles(dir, (p) => p.endsWith('.yaml') && !p.endsWith('barecount.policy.yaml'));
  let changed = 0;
  for (const after of manifests) {
    const rel = relative(dir, after);
    const original = rel.startsWith('fixtures/') ? join(FIXTURES, 'rules', rel.slice('fixtures/'.length)) : join(ROOT, rel);
    const before = readFileSync(original, 'utf8');
    const now = readFileSync(after, 'utf8');
    if (before === now) continue;
    changed++;
    const sizes = Object.keys(fixturePolicy(original).sizes);
    const b = documents(before);
    const a = documents(now);
    assert.ok(a, `${rel}: --fix left YAML that does not parse`);
    if (!b) continue;
    const was = b.map((d) => decisions(d, sizes));
    // A value that was a typo may now be corrected; everything else must be as it was.
    const mask = (now: unknown, then: unknown): unknown =>
      then === '(typo)'
        ? then
        : Array.isArray(now) && Array.isArray(then)
          ? now.map((x, i) => mask(x, then[i]))
          : now && then && typeof now === 'object' && typeof then === 'object'
            ? Object.fromEntries(Object.entries(now).map(([k, v]) => [k, mask(v, (then as Plain)[k])]))
            : now;
    assert.deepEqual(
      a.map((d, i) => mask(decisions(d, sizes), was[i])),
      was,
      `${rel}: --fix changed a decision`,
    );
  }
  // The corpus has typos to correct: the test saw fixes happen.
  assert.ok(changed >= 4, `only ${changed} files changed`);
});
