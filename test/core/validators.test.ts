import assert from 'node:assert/strict';
import { test } from 'node:test';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import Ajv from 'ajv';
import { parseDocument } from 'yaml';
import { AnalysisCache, DEFAULT_LIMITS, PIPELINE_SCHEMA, POLICY_SCHEMA, parseYaml } from '../../server/src/core';
import { generateCorpusManifest } from '../../bench/corpus';
import { VALIDATORS, validateAgainst } from '../../server/src/core/schema';
import { ROOT, lint } from '../helpers';

// The engine uses validators ajv compiled at build time; they must report exactly what a
// compile of the schemas at run time reports.
test('the prebuilt validators report exactly what a run-time ajv compile reports', () => {
  assert.ok(existsSync(join(ROOT, 'server/src/core/generated/validators.js')), 'npm test builds them first');
  const ajv = new Ajv({ allErrors: true, strict: true, verbose: true });
  ajv.addVocabulary(['enumDescriptions', 'markdownDescription']);
  const runtime = { pipeline: ajv.compile(PIPELINE_SCHEMA), policy: ajv.compile(POLICY_SCHEMA) };
  const docs = [
    [
      'pipeline',
      'apiVersion: barecount/v2\nkind: Pipline\nmetadata: { name: Bad_Name, owner: "", dataClassification: secret, tags: { a: 1 } }\nspec:\n  stages:\n    - { name: a, phase: ingest, workload: x, runner: { clas: y }, dependsOn: [a, a], estimate: { runsPerDay: -1, replicas: 1.5 }, schedule: {} }\n',
    ],
    ['pipeline', 'apiVersion: barecount/v1\nkind: Pipeline\nmetadata: []\nspec: { stages: [] }\n'],
    ['policy', 'apiVersion: barecount/v1\nkind: Policy\nallowedNetworks: [vnp, vnp]\nseverity: { bc1: loud }\nsizes: { x: { vcpu: 0 } }\n'],
  ] as const;
  for (const [kind, text] of docs) {
    const data = parseDocument(text).toJS();
    const prebuilt = VALIDATORS[kind];
    assert.equal(prebuilt(data), runtime[kind](data));
    const strip = (errs: typeof prebuilt.errors) =>
      (errs ?? []).map((e) => ({ path: e.instancePath, keyword: e.keyword, params: e.params, title: (e.parentSchema as { title?: string })?.title }));
    assert.deepEqual(strip(prebuilt.errors), strip(runtime[kind].errors));
    assert.ok((prebuilt.errors ?? []).length > 0);
  }
});

// An editor validates a pipeline in parts (the header, then each stage item) so that an unchanged
// stage keeps its BC002 findings: the parts must report exactly what the whole schema reports.
test('the header and stage validators together report what the pipeline schema reports, at the same paths', () => {
  const docs = [
    // Errors in the header and in stages, a stage that is not a mapping, one that is null.
    'apiVersion: barecount/v2\nkind: Pipline\nmetadata: { name: Bad_Name, owner: "" }\nspec:\n  stages:\n    - { name: a, phase: ingest, workload: x, runner: { clas: y }, dependsOn: [a, a] }\n    - just text\n    -\n    - { name: ok, phase: publish, workload: api-push, estimate: { runsPerDay: -1 }, schedule: {} }\n    - [1, 2]\n',
    // No stage at all, an empty list, a list that is a mapping, a spec that is a list.
    'apiVersion: barecount/v1\nkind: Pipeline\nmetadata: { name: p, owner: o, dataClassification: internal }\nspec: { defaults: { runner: { size: huge } } }\n',
    'apiVersion: barecount/v1\nkind: Pipeline\nmetadata: { name: p, owner: o, dataClassification: internal }\nspec: { stages: [] }\n',
    'apiVersion: barecount/v1\nkind: Pipeline\nmetadata: { name: p, owner: o, dataClassification: internal }\nspec: { stages: { a: 1 } }\n',
    'apiVersion: barecount/v1\nkind: Pipeline\nspec: [1]\n',
    // A valid pipeline: neither part reports anything.
    readFileSync(join(ROOT, 'examples/finance-reporting.barecount.yaml'), 'utf8'),
  ];
  const strip = (errs: readonly { instancePath: string; keyword: string; params: unknown; parentSchema?: unknown }[]) =>
    errs.map((e) => JSON.stringify([e.instancePath, e.keyword, e.params, (e.parentSchema as { title?: string })?.title])).sort();
  let compared = 0;
  for (const text of docs) {
    const data = parseDocument(text).toJS() as { spec?: { stages?: unknown } };
    VALIDATORS.pipeline(data);
    const whole = strip(VALIDATORS.pipeline.errors ?? []);
    VALIDATORS.header(data);
    const parts = [...(VALIDATORS.header.errors ?? [])];
    const items = data?.spec?.stages;
    if (Array.isArray(items))
      items.forEach((item, i) => {
        VALIDATORS.stage(item);
        for (const e of VALIDATORS.stage.errors ?? []) parts.push({ ...e, instancePath: `/spec/stages/${i}${e.instancePath}` });
      });
    assert.deepEqual(strip(parts), whole, text.slice(0, 80));
    compared += whole.length;
  }
  assert.ok(compared > 15, `the documents have errors in both parts (${compared})`);
});

// The same through the analysis: BC002's findings, stage by stage, are the issues the whole schema
// maps (one each, where stages share an anchored value), in the editor as in a single read.
test('BC002 reports what validating the whole document reports, once each, with or without an editor cache', () => {
  const anchored = `apiVersion: barecount/v1
kind: Pipeline
metadata: { name: p, owner: o, dataClassification: internal }
spec:
  stages:
    - name: a
      phase: ingestion
      workload: webhook
      runner: &r { class: servrless, size: small, network: public-egress, memory: 4Gi }
    - name: b
      phase: ingestion
      workload: webhook
      runner: *r
    - just text
`;
  const texts = [
    anchored,
    generateCorpusManifest({ stages: 60, seed: 3, dirty: true }),
    generateCorpusManifest({ stages: 60, seed: 4, dirty: true, unusual: false }),
  ];
  const own = new Set(['badSize', 'badSizeDidYouMean', 'badCron']);
  for (const text of texts) {
    const parsed = parseYaml(text, DEFAULT_LIMITS).documents[0]!;
    const whole = validateAgainst(VALIDATORS.pipeline, PIPELINE_SCHEMA, parsed.doc, parsed.data, text).map(
      (i) => `${i.span.start}-${i.span.end} ${i.messageId}`,
    );
    const cache = new AnalysisCache();
    lint(text, {}, cache);
    for (const a of [lint(text), lint(text, {}, cache)]) {
      const got = a.findings.filter((f) => f.code === 'BC002' && !own.has(f.messageId)).map((f) => `${f.span.start}-${f.span.end} ${f.messageId}`);
      assert.deepEqual(got.sort(), whole.sort());
    }
  }
  assert.equal(lint(anchored).findings.filter((f) => f.code === 'BC002' && f.messageId === 'badEnumDidYouMean').length, 1);
});
