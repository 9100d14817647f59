import assert from 'node:assert/strict';
import { test } from 'node:test';
import { DEFAULT_POLICY, ESTIMATE_DEFAULTS, MATRIX, REACHABILITY, WORKLOADS } from '../../server/src/core';
import { estimateDefaultsSchema, matrixSchema, policySchema, reachabilitySchema } from '../../server/src/core/data/schemas';

// The bundled data files, checked by their zod schemas: a broken data file fails here.
test('the selection matrix, reachability, built-in policy and estimate defaults are valid', () => {
  assert.deepEqual(matrixSchema.parse(MATRIX), MATRIX);
  assert.deepEqual(reachabilitySchema.parse(REACHABILITY), REACHABILITY);
  assert.deepEqual(policySchema.parse(DEFAULT_POLICY), DEFAULT_POLICY);
  assert.deepEqual(estimateDefaultsSchema.parse(ESTIMATE_DEFAULTS), ESTIMATE_DEFAULTS);
});

test('every workload of the matrix has estimate defaults, and the policy prices every network', () => {
  for (const w of WORKLOADS) assert.ok(ESTIMATE_DEFAULTS.workloads[w], `no defaults for ${w}`);
  for (const n of MATRIX.networks) assert.equal(typeof DEFAULT_POLICY.prices.transferPerGb[n], 'number');
  assert.equal(MATRIX.rows.length, 9);
});
