/**
 * npm run bench: the engine against its floor (yaml parse + ajv alone on the same input).
 * Prints a table; figures go into closing notes. Nothing here asserts a time.
 */
import { parseAllDocuments } from 'yaml';
import Ajv from 'ajv';
import { analyze, PIPELINE_SCHEMA } from '../server/src/core';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { benchSeed, generateCorpusManifest } from './corpus';

const ajv = new Ajv({ allErrors: true, strict: true });
ajv.addVocabulary(['enumDescriptions', 'markdownDescription']);
const validate = ajv.compile(PIPELINE_SCHEMA);

function floor(texts: readonly string[]): number {
  const t0 = performance.now();
  for (const text of texts) {
    for (const doc of parseAllDocuments(text) as ReturnType<typeof parseAllDocuments> & unknown[]) {
      validate((doc as { toJS(o: object): unknown }).toJS({ maxAliasCount: 100 }));
    }
  }
  return performance.now() - t0;
}

function engine(texts: readonly string[]) {
  const profile = { parse: 0, schema: 0, rules: 0, cost: 0 };
  const t0 = performance.now();
  let findings = 0;
  for (const text of texts) findings += analyze(text, { today: '2026-06-01' }, undefined, profile).findings.length;
  return { total: performance.now() - t0, profile, findings };
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)]!;
}

function measure(label: string, texts: readonly string[], runs: number) {
  floor(texts);
  engine(texts);
  const floors: number[] = [];
  const results: ReturnType<typeof engine>[] = [];
  for (let i = 0; i < runs; i++) {
    // Alternate so that drift (GC, the other core) hits both sides alike.
    floors.push(floor(texts));
    results.push(engine(texts));
  }
  results.sort((a, b) => a.total - b.total);
  const mid = results[Math.floor(results.length / 2)]!;
  const f = median(floors);
  const bytes = texts.reduce((s, t) => s + t.length, 0);
  return {
    input: label,
    'size (KB)': Math.round(bytes / 1024),
    'floor ms': f.toFixed(1),
    'parse ms': mid.profile.parse.toFixed(1),
    'schema ms': mid.profile.schema.toFixed(1),
    'rules ms': mid.profile.rules.toFixed(1),
    'cost ms': mid.profile.cost.toFixed(1),
    'total ms': mid.total.toFixed(1),
    'total / floor': (mid.total / f).toFixed(2),
    findings: mid.findings,
  };
}

/** Wall time of a process, in ms. */
function timed(cmd: string, args: string[], cwd: string): number {
  const t0 = performance.now();
  const r = spawnSync(cmd, args, { cwd, stdio: ['ignore', 'ignore', 'inherit'] });
  if (r.status !== 0 && r.status !== 1) throw new Error(`${cmd} ${args.join(' ')} exited ${r.status}`);
  return performance.now() - t0;
}

/** barecount-lint as CI runs it, against the floor script, both as processes, on files in a folder. */
function cli(label: string, texts: readonly string[], runs: number) {
  const dir = mkdtempSync(join(tmpdir(), 'bc-bench-cli-'));
  texts.forEach((t, i) => writeFileSync(join(dir, `p${i}.barecount.yaml`), t));
  const root = join(__dirname, '..');
  const floors: number[] = [];
  const ours: number[] = [];
  const oursCost: number[] = [];
  for (let i = 0; i < runs + 1; i++) {
    // The first run of each warms the file cache and is left out.
    // In the manifests' folder, as CI runs it (policy discovery stays inside the working directory).
    const f = timed(process.execPath, [join(root, 'bench/floor.mjs'), '.'], dir);
    const o = timed(process.execPath, [join(root, 'dist/cli.js'), '--format', 'json', '.'], dir);
    const c = timed(process.execPath, [join(root, 'dist/cli.js'), '--cost', '.'], dir);
    if (i === 0) continue;
    floors.push(f);
    ours.push(o);
    oursCost.push(c);
  }
  rmSync(dir, { recursive: true, force: true });
  const f = median(floors);
  return {
    input: label,
    'floor process ms': f.toFixed(0),
    'barecount-lint --format json ms': median(ours).toFixed(0),
    'ratio json': (median(ours) / f).toFixed(2),
    'barecount-lint --cost ms': median(oursCost).toFixed(0),
    'ratio --cost': (median(oursCost) / f).toFixed(2),
  };
}

const runs = Number(process.env.BENCH_RUNS ?? 7);
// Seeded corpus manifests (corpus.ts): clean, and dirty (findings in most stages).
const rows = [];
for (const dirty of [false, true]) {
  const kind = dirty ? 'dirty' : 'clean';
  const big = generateCorpusManifest({ stages: 1000, seed: benchSeed(1000), dirty, written: true });
  const many = Array.from({ length: 1000 }, (_, i) => generateCorpusManifest({ stages: 20, seed: benchSeed(i), dirty, name: `pipeline-${i}`, written: true }));
  rows.push(measure(`${kind}: 1 file × 1000 stages`, [big], runs), measure(`${kind}: 1000 files × 20 stages`, many, runs));
}
console.log(`node ${process.version}, ${runs} runs each, medians; engine in process against yaml + ajv in process`);
console.table(rows);
const cliRows = [false, true].map((dirty) =>
  cli(
    `${dirty ? 'dirty' : 'clean'}: 1000 files × 20 stages`,
    Array.from({ length: 1000 }, (_, i) => generateCorpusManifest({ stages: 20, seed: benchSeed(i), dirty, name: `pipeline-${i}`, written: true })),
    Math.max(3, Math.ceil(runs / 2)),
  ),
);
console.log('barecount-lint (dist/cli.js) against bench/floor.mjs (read, yaml parse, ajv validate), each a node process; goal ≤ 1.5');
console.table(cliRows);
