import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { ROOT, runCli, tempDir } from '../helpers';

// Terminal escapes and bidirectional overrides written into a manifest and its policy never reach
// barecount-lint's output as they are: messages (their data), waiver lines, cost reasons and the
// text format as a whole replace them, in every format. (NO_COLOR is set by runCli, so the text output has no escapes of its own.)
const ESC = '\u001b]0;pwned\u0007\u001b[2J';
const BIDI = '\u202e';

test('control characters from ignore comments, waivers and runner values never reach the output', () => {
  const dir = tempDir('bc-control-');
  writeFileSync(
    join(dir, 'barecount.policy.yaml'),
    `apiVersion: barecount/v1\nkind: Policy\nwaivers:\n  - { rule: BC202, pipeline: fixture, stage: aggregate, owner: "sec${ESC}", reason: "approved${ESC}${BIDI}", until: 2999-01-01 }\n`,
  );
  const fixture = readFileSync(join(ROOT, 'test/fixtures/rules/BC207/leaves-facility.yaml'), 'utf8');
  // An expired comment (BC004) with escapes in its codes and reason, and a runner value BC207 quotes.
  const text = fixture
    .replace('    - name: aggregate', `    # barecount-ignore BC101${ESC} until 2001-01-01: old${ESC}\n    - name: aggregate`)
    .replace('network: private-vpc }', `network: "private-vpc${ESC}" }`)
    // A stage name, which the cost table prints.
    .replace('- name: publish', `- name: "publish${ESC}"`);
  writeFileSync(join(dir, 'm.barecount.yaml'), text);
  // An unused comment (BC005) in a file with no schema error (which would hold BC005 back).
  writeFileSync(
    join(dir, 'n.barecount.yaml'),
    fixture.replace('    - name: aggregate', `    # barecount-ignore BC102 X${ESC}: left${BIDI}over\n    - name: aggregate`),
  );
  const outputs: Array<[string, string]> = [];
  for (const format of ['text', 'json', 'sarif', 'markdown']) {
    const r = runCli(['--format', format, '--cost', '.'], dir);
    outputs.push([format, r.stdout + r.stderr]);
  }
  // The case holds what it is meant to: each kind of finding is there.
  const text0 = outputs[0]![1];
  for (const code of ['BC004', 'BC005', 'BC207', 'waived by the policy (owner sec']) assert.ok(text0.includes(code), `${code} missing:\n${text0}`);
  for (const [format, out] of outputs) {
    assert.ok(!out.includes('\u001b'), `${format}: an escape sequence reached the output`);
    assert.ok(!out.includes(BIDI), `${format}: a bidirectional override reached the output`);
    assert.ok(!out.includes('\u0007'), `${format}: a bell reached the output`);
  }
});
