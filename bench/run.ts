/**
 * npm run bench: the engine against its floor (yaml parse + ajv alone on the same input).
 * Prints a table; figures go into closing notes. Nothing here asserts a time.
 */
import { parseAllDocuments } from 'yaml';
import Ajv from 'ajv';
import { analyze, PIPELINE_SCHEMA } from '../server/src/core';
import { generateManifest } from './generate';

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

const runs = Number(process.env.BENCH_RUNS ?? 7);
const big = generateManifest(1000);
const many = Array.from({ length: 1000 }, (_, i) => generateManifest(20, `pipeline-${i}`));
console.log(`node ${process.version}, ${runs} runs each, medians`);
console.table([measure('1 file × 1000 stages', [big], runs), measure('1000 files × 20 stages', many, runs)]);
