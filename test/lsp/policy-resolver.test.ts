import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { PolicyResolver } from '../../server/src/lsp/policy';
import { fileUri } from './harness';
import { tempDir } from '../helpers';

// A manifest is analysed on every keystroke, and its analysis cache and its baseline are kept per
// policy object: an open policy whose text did not change must resolve to the same object.
test('an open policy resolves to the same policy while its text stays, and to a new one when it changes', () => {
  const root = tempDir('bc-resolver-');
  const path = join(root, 'barecount.policy.yaml');
  writeFileSync(path, 'apiVersion: barecount/v1\nkind: Policy\n');
  let open = 'apiVersion: barecount/v1\nkind: Policy\nbudget: { monthlyUsd: 900 }\n';
  const resolver = new PolicyResolver((p) => (p === path ? open : undefined));
  resolver.setRoots([fileUri(root)]);
  const manifest = fileUri(join(root, 'm.barecount.yaml'));
  const first = resolver.resolve(manifest, undefined);
  assert.equal(first.source, path);
  assert.equal(first.fallback, false);
  assert.equal(resolver.resolve(manifest, undefined).policy, first.policy);
  open = open.replace('900', '950');
  const changed = resolver.resolve(manifest, undefined);
  assert.notEqual(changed.policy, first.policy);
  assert.equal(resolver.resolve(manifest, undefined).policy, changed.policy);
});
