import assert from 'node:assert/strict';
import { test } from 'node:test';
import { AnalysisCache, LineIndex } from '../../server/src/core';
import { DiagnosticCache, toDiagnostic } from '../../server/src/lsp/convert';
import { generateCorpusManifest } from '../../bench/corpus';
import { lint } from '../helpers';

// The server keeps a diagnostic per finding object between versions (a stage an edit did not reach
// keeps its findings). What it publishes must always equal diagnostics made afresh from the
// document as it is, whatever moved: lines added above a stage without moving its offsets, a stage
// moved, a header finding whose related place is in a stage.
test('kept diagnostics equal fresh ones after every kind of edit', () => {
  const uri = 'file:///w/bench.barecount.yaml';
  const base = generateCorpusManifest({ stages: 40, seed: 7, dirty: true, unusual: false });
  const starts = [...base.matchAll(/^ {4}- name: /gm)].map((m) => m.index);
  const at = (k: number) => starts[k]! + '    - name: '.length;
  // The first comment after a value, in a stage before the middle.
  const comment = (t: string) => t.indexOf('# owned by the data team', starts[3]);
  assert.ok(comment(base) > 0 && comment(base) < starts[20]!);
  const edits: Array<[string, (t: string) => string]> = [
    ['a letter in a name', (t) => t.slice(0, at(20)) + 'x' + t.slice(at(20))],
    // Same length, one more line: the offsets after it stay, their lines do not (the space before
    // a comment after a value becomes a line break, and back).
    ['a space replaced by a line break', (t) => t.slice(0, comment(t) - 1) + '\n' + t.slice(comment(t))],
    ['the line break replaced by a space', (t) => t.slice(0, comment(t) - 1) + ' ' + t.slice(comment(t))],
    ['a stage deleted', (t) => t.slice(0, starts[5]!) + t.slice(starts[6]!)],
    ['a comment line added at the top', (t) => `# top\n${t}`],
  ];
  const cache = new AnalysisCache();
  const kept = new DiagnosticCache();
  const publish = (text: string) => {
    const a = lint(text, {}, cache);
    const lines = new LineIndex(text);
    return { kept: a.findings.map((f, i) => kept.convert(uri, lines, f, i)), fresh: lint(text).findings.map((f, i) => toDiagnostic(uri, lines, f, i)) };
  };
  let text = base;
  let reused = 0;
  let before = new Set(publish(text).kept);
  for (const [name, edit] of edits) {
    text = edit(text);
    const { kept: got, fresh } = publish(text);
    assert.deepEqual(got, fresh, name);
    reused += got.filter((d) => before.has(d)).length;
    before = new Set(got);
  }
  assert.ok(reused > 30, `kept diagnostics were reused (${reused})`);
});
