import assert from 'node:assert/strict';
import { test } from 'node:test';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import Ajv from 'ajv';
import { parseDocument } from 'yaml';
import { PIPELINE_SCHEMA, POLICY_SCHEMA } from '../../server/src/core';
import { VALIDATORS } from '../../server/src/core/schema';
import { ROOT } from '../helpers';

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
