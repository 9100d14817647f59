import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, relative } from 'node:path';
import {
  AnalysisCache as Cache,
  analyze,
  applyEdits,
  parseYaml,
  DEFAULT_POLICY,
  LineIndex,
  loadPolicy,
  type Analysis,
  type AnalysisEnv,
  type Finding,
  type Policy,
} from '../server/src/core';

/** One check* helper per feature: test bodies stay short, API changes touch one place. */

/** The date the engine's tests run on: waivers expire against it, never against the clock. */
export const TODAY = '2026-06-01';

export type TestEnv = Partial<AnalysisEnv>;

/** The engine's analysis with the tests' date. */
export function lint(text: string, env: TestEnv = {}, cache?: Cache): Analysis {
  return analyze(text, { today: TODAY, ...env }, cache);
}

/**
 * The analysis as reading the file whole gives it (the yaml library, or the whole-file fast path),
 * never piece by piece: what piecewise reading and kept stage results must equal.
 */
export function lintWhole(text: string, env: TestEnv = {}): Analysis {
  const cache = new Cache();
  const limits = env.limits;
  Object.defineProperty(cache, 'parse', { value: { parse: (t: string, l: Parameters<typeof parseYaml>[1]) => parseYaml(t, limits ?? l) } });
  return analyze(text, { today: TODAY, ...env }, cache);
}

export function env(partial: TestEnv = {}): AnalysisEnv {
  return { today: TODAY, ...partial };
}

export const ROOT = join(__dirname, '..');

/** Folders this test process made, removed when it exits (node:test runs each test file in a process of its own). */
const madeDirs: string[] = [];

/** A new empty folder under the system's temporary folder, removed when the test process exits. */
export function tempDir(prefix: string): string {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  if (madeDirs.length === 0)
    process.on('exit', () => {
      for (const d of madeDirs) rmSync(d, { recursive: true, force: true });
    });
  madeDirs.push(dir);
  return dir;
}

export const FIXTURES = join(__dirname, 'fixtures');

interface Want {
  line: number;
  code: string;
  /** 1-based columns, when a caret marker gives them. */
  column?: number;
  endColumn?: number;
}

/**
 * Expected findings from markers. `# want BCnnn …` trailing a line: findings starting on that
 * line. A comment line `#    ^^^^ want BCnnn` under a line: findings starting at the first caret's
 * column of the line above, and ending after the last caret when there are several. Fixtures
 * write these with `#` in the first column, so they never sit deeper than the next line.
 */
function wants(text: string): Want[] {
  const out: Want[] = [];
  // Caret lines stack: each refers to the nearest line above that is not a caret line.
  let target = 0;
  text.split('\n').forEach((line, i) => {
    const caret = /^(\s*#\s*)(\^+)\s*want\s+(BC\d{3}(?:\s+BC\d{3})*)\s*$/.exec(line);
    if (caret) {
      const column = caret[1]!.length + 1;
      const width = caret[2]!.length;
      for (const code of caret[3]!.split(/\s+/)) out.push({ line: target, code, column, ...(width > 1 ? { endColumn: column + width } : {}) });
      return;
    }
    target = i + 1;
    const trailing = /\s#\s*want\s+(BC\d{3}(?:\s+BC\d{3})*)\s*$/.exec(line);
    if (trailing && !/^\s*#/.test(line)) for (const code of trailing[1]!.split(/\s+/)) out.push({ line: i + 1, code });
  });
  return out;
}

function describeWant(w: Want): string {
  return `${w.line}${w.column ? `:${w.column}${w.endColumn ? `-${w.endColumn}` : ''}` : ''}:${w.code}`;
}

export function wantedFindings(text: string): string[] {
  return wants(text).map(describeWant).sort();
}

/** Findings as `line[:col-endcol]:code`, with columns where the markers ask for them. */
export function actualFindings(text: string, findings: readonly Finding[]): string[] {
  const lines = new LineIndex(text);
  const wanted = wants(text);
  return findings
    .map((f) => {
      const s = lines.positionAt(f.span.start);
      const e = lines.positionAt(f.span.end);
      const w = wanted.find((x) => x.line === s.line + 1 && x.code === f.code && x.column !== undefined);
      if (!w) return `${s.line + 1}:${f.code}`;
      const col = s.character + 1;
      return describeWant({ line: s.line + 1, code: f.code, column: col, ...(w.endColumn ? { endColumn: e.line === s.line ? e.character + 1 : -1 } : {}) });
    })
    .sort();
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
  // The finding the fix is for goes (a placeholder may leave another finding of the rule: BC401's TODO).
  const same = (f: Finding) => f.code === code && f.messageId === target.messageId;
  const after = lint(fixed, options).findings.filter(same).length;
  const before = findings.filter(same).length;
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
