import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { DEFAULT_POLICY, RULES, loadPolicy } from '../server/src/core';
import { FIXTURES, ROOT, lint, listFiles } from './helpers';

// Registry, rule pages and fixtures stay in step, and every page's examples are linted.
const DOCS = join(ROOT, 'docs/rules');

function section(md: string, heading: string): string | undefined {
  const m = new RegExp(`^## ${heading}\\n+\`\`\`yaml\\n([\\s\\S]*?)\`\`\``, 'm').exec(md);
  return m?.[1];
}

describe('rule pages', () => {
  test('one page per rule and no page without a rule', () => {
    const pages = readdirSync(DOCS)
      .filter((f) => f.endsWith('.md'))
      .map((f) => f.replace(/\.md$/, ''))
      .sort();
    assert.deepEqual(pages, RULES.map((r) => r.meta.code).sort());
  });
  test('every rule has fixtures: one that breaks it, a valid-* one that does not, and goldens for its fixes', () => {
    for (const r of RULES) {
      const code = r.meta.code;
      const dir = join(FIXTURES, 'rules', code);
      assert.ok(existsSync(dir), `no fixtures for ${code}`);
      const files = listFiles(dir, (p) => p.endsWith('.yaml') && !p.endsWith('barecount.policy.yaml'));
      const valid = files.filter((f) => /(^|\/)valid-[^/]*\.yaml$/.test(f) && !f.endsWith('.fixed.yaml'));
      assert.ok(valid.length > 0, `${code} has no valid-*.yaml fixture`);
      for (const v of valid) assert.doesNotMatch(readFileSync(v, 'utf8'), new RegExp(`want[ A-Z0-9]*${code}`), `${v} expects ${code}`);
      assert.ok(
        files.some((f) => !f.endsWith('.fixed.yaml') && !valid.includes(f) && new RegExp(`want[ A-Z0-9]*${code}`).test(readFileSync(f, 'utf8'))),
        `no fixture of ${code} expects it`,
      );
      if (r.meta.fixable)
        assert.ok(
          files.some((f) => f.endsWith('.fixed.yaml')),
          `${code} is fixable but has no golden (.fixed.yaml)`,
        );
    }
  });
  for (const rule of RULES) {
    const code = rule.meta.code;
    describe(code, () => {
      const md = readFileSync(join(DOCS, `${code}.md`), 'utf8');
      const policyText = section(md, 'Policy used by the examples');
      const policy = policyText ? loadPolicy(policyText).policy : DEFAULT_POLICY;
      test('the page names the rule, its slug and its default severity', () => {
        assert.ok(md.startsWith(`# ${code}: ${rule.meta.slug}\n`));
        assert.match(md, new RegExp(`Default severity: \\*\\*${rule.meta.defaultSeverity}`));
        for (const h of ['What it finds', 'Why it matters', 'Incorrect', 'Correct', 'Fixes', 'How to silence it'])
          assert.match(md, new RegExp(`^## ${h}$`, 'm'));
      });
      test('the incorrect example is reported', () => {
        const bad = section(md, 'Incorrect');
        assert.ok(bad, 'no yaml block under Incorrect');
        const codes = lint(bad, { policy }).findings.map((f) => f.code);
        assert.ok(codes.includes(code), `found ${codes.join(', ') || 'nothing'}`);
      });
      test('the correct example is clean', () => {
        const good = section(md, 'Correct');
        assert.ok(good, 'no yaml block under Correct');
        const findings = lint(good, { policy }).findings;
        assert.deepEqual(
          findings.map((f) => `${f.code} ${f.message}`),
          [],
        );
      });
    });
  }
});
