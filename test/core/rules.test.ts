import { describe, test } from 'node:test';
import { existsSync, readFileSync } from 'node:fs';
import { basename, join, relative } from 'node:path';
import { checkDiagnostics, checkFix, FIXTURES, fixturePolicy, listFiles } from '../helpers';

// Every fixture under test/fixtures/rules/BCnnn: its findings must match its "# want" markers,
// and where a NAME.fixed.yaml sits beside it, the first fix of the folder's rule must give it
// (UPDATE_SNAPSHOTS=1 rewrites the goldens; review them as diffs).
const root = join(FIXTURES, 'rules');
const fixtures = listFiles(root, (p) => p.endsWith('.yaml') && !p.endsWith('.fixed.yaml') && basename(p) !== 'barecount.policy.yaml');

for (const file of fixtures) {
  const name = relative(root, file);
  const code = name.split(/[\\/]/)[0]!;
  describe(name, () => {
    const text = readFileSync(file, 'utf8');
    const options = { policy: fixturePolicy(file) };
    test('findings match the markers', () => {
      checkDiagnostics(text, options, name);
    });
    const golden = file.replace(/\.yaml$/, '.fixed.yaml');
    if (existsSync(golden)) {
      test(`the ${code} fix gives ${basename(golden)}`, () => {
        checkFix(text, code, readFileSync(golden, 'utf8'), options, golden);
      });
    }
  });
}
