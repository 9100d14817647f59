import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import {
  analyze,
  applyEdits,
  DEFAULT_POLICY,
  LineIndex,
  loadPolicy,
  type Analysis,
  type AnalysisCache,
  type AnalysisEnv,
  type Finding,
  type Policy,
} from '../server/src/core';

/** One check* helper per feature: test bodies stay short, API changes touch one place. */

/** The date the engine's tests run on: waivers expire against it, never against the clock. */
export const TODAY = '2026-06-01';

export type TestEnv = Partial<AnalysisEnv>;

/** The engine's analysis with the tests' date. */
export function lint(text: string, env: TestEnv = {}, cache?: AnalysisCache): Analysis {
  return analyze(text, { today: TODAY, ...env }, cache);
}

export function env(partial: TestEnv = {}): AnalysisEnv {
  return { today: TODAY, ...partial };
}

export const ROOT = join(__dirname, '..');
export const FIXTURES = join(__dirname, 'fixtures');

/** Expected findings from `# want BCnnn …` markers: trailing on a line, or `# ^ want …` for the line above. */
export function wantedFindings(text: string): string[] {
  const want: string[] = [];
  const lines = text.split('\n');
  lines.forEach((line, i) => {
    const own = /^\s*#\s*\^\s*want\s+(.*)$/.exec(line);
    const trailing = /\s#\s*want\s+(BC\d{3}(?:\s+BC\d{3})*)\s*$/.exec(line);
    const codes = own?.[1] ?? (trailing && !/^\s*#/.test(line) ? trailing[1] : undefined);
    if (!codes) return;
    for (const code of codes.trim().split(/\s+/)) want.push(`${own ? i : i + 1}:${code}`);
  });
  return want.sort();
}

export function actualFindings(text: string, findings: readonly Finding[]): string[] {
  const lines = new LineIndex(text);
  return findings.map((f) => `${lines.positionAt(f.span.start).line + 1}:${f.code}`).sort();
}

/** The policy governing a fixture: a barecount.policy.yaml beside it, else the built-in one. */
export function fixturePolicy(file: string): Policy {
  const p = join(dirname(file), 'barecount.policy.yaml');
  if (!existsSync(p)) return DEFAULT_POLICY;
  const r = loadPolicy(readFileSync(p, 'utf8'));
  assert.equal(r.usable, true, `fixture policy ${p} has errors: ${r.findings.map((f) => f.message).join('; ')}`);
  return r.policy;
}

export function checkDiagnostics(text: string, options: TestEnv = {}, label = 'document'): readonly Finding[] {
  const { findings } = lint(text, options);
  const detail = findings.map((f) => `  ${actualFindings(text, [f])[0]} ${f.message}`).join('\n');
  assert.deepEqual(actualFindings(text, findings), wantedFindings(text), `findings of ${label} differ from its "# want" markers:\n${detail}`);
  return findings;
}

/** Applies the first fix of the first finding with `code` and compares with the golden text. */
export function checkFix(text: string, code: string, expected: string, options: TestEnv = {}, goldenPath?: string): string {
  const { findings } = lint(text, options);
  const target = findings.find((f) => f.code === code && f.fixes.length > 0);
  assert.ok(target, `no ${code} finding with a fix`);
  const fixed = applyEdits(text, target.fixes[0]!.edits);
  if (process.env.UPDATE_SNAPSHOTS && goldenPath) writeFileSync(goldenPath, fixed);
  else assert.equal(fixed, expected);
  const after = lint(fixed, options).findings.filter((f) => f.code === code).length;
  const before = findings.filter((f) => f.code === code).length;
  assert.ok(after < before, `${code} fix did not remove its finding (${before} before, ${after} after)`);
  return fixed;
}

export function listFiles(dir: string, accept: (path: string) => boolean): string[] {
  return readdirSync(dir)
    .flatMap((name) => {
      const p = join(dir, name);
      return statSync(p).isDirectory() ? listFiles(p, accept) : accept(p) ? [p] : [];
    })
    .sort();
}

export function rel(p: string): string {
  return relative(ROOT, p);
}

export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs the built `barecount-lint` bin as CI would. */
export function runCli(args: readonly string[], cwd = ROOT, env: Record<string, string> = {}): CliResult {
  const r = spawnSync(process.execPath, [join(ROOT, 'dist/cli.js'), ...args], {
    cwd,
    encoding: 'utf8',
    env: { ...process.env, NO_COLOR: '1', ...env },
    timeout: 120_000,
    maxBuffer: 256 * 1024 * 1024,
  });
  return { code: r.status ?? -1, stdout: r.stdout, stderr: r.stderr };
}
