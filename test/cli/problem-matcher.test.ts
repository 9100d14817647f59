import assert from 'node:assert/strict';
import { test } from 'node:test';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT, runCli } from '../helpers';

// The `$barecount-lint` problem matcher (package.json) against barecount-lint's real text output:
// a VS Code task running the linter puts each finding in the Problems view, at its place, with its
// severity and code, and nothing else (source lines, markers, cost tables) is taken for a problem.

interface Matcher {
  name: string;
  owner: string;
  fileLocation: string[];
  pattern: { regexp: string; file: number; line: number; column: number; severity: number; message: number; code: number };
}

const matcher = (
  JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { contributes: { problemMatchers: Matcher[] } }
).contributes.problemMatchers.find((m) => m.name === 'barecount-lint')!;

function matched(stdout: string) {
  const re = new RegExp(matcher.pattern.regexp);
  return stdout
    .split('\n')
    .map((l) => re.exec(l))
    .filter((m): m is RegExpExecArray => m !== null)
    .map((m) => ({
      file: m[matcher.pattern.file]!,
      line: Number(m[matcher.pattern.line]),
      column: Number(m[matcher.pattern.column]),
      severity: m[matcher.pattern.severity]!,
      message: m[matcher.pattern.message]!,
      code: m[matcher.pattern.code]!,
    }));
}

test('the problem matcher reads every finding of the text output, and only those', () => {
  const args = ['--cost', 'examples'];
  const problems = matched(runCli(args).stdout);
  const json = JSON.parse(runCli(['--format', 'json', ...args]).stdout) as {
    files: Array<{
      path: string;
      diagnostics: Array<{ code: string; severity: string; message: string; range: { start: { line: number; character: number } } }>;
    }>;
  };
  const expected = json.files.flatMap((f) =>
    f.diagnostics.map((d) => ({
      file: f.path,
      line: d.range.start.line + 1,
      column: d.range.start.character + 1,
      severity: d.severity,
      message: d.message,
      code: d.code,
    })),
  );
  assert.ok(expected.length > 10);
  assert.deepEqual(problems, expected);
  assert.equal(matcher.owner, 'barecount');
});

test('with --baseline the "new" mark does not end up in the message', () => {
  const problems = matched('m.barecount.yaml:3:5  error    Stage "a" depends on "b".  [BC502]  new\nm.barecount.yaml:4:1  warning  Other.  [BC304]');
  assert.deepEqual(
    problems.map((p) => [p.code, p.message, p.severity]),
    [
      ['BC502', 'Stage "a" depends on "b".', 'error'],
      ['BC304', 'Other.', 'warning'],
    ],
  );
});
