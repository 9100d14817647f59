import assert from 'node:assert/strict';
import { after, test } from 'node:test';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Diagnostic, TextDocumentContentChangeEvent } from 'vscode-languageserver-protocol';
import { generateCorpusManifest } from '../../bench/corpus';
import { fileUri, killAll, LspClient } from './harness';

after(killAll);

// Over stdio against the built server. After each keystroke the server republishes every
// diagnostic of the document, giving back the ones that did not change as they were published
// (convert.ts DiagnosticCache, wire.ts keepJson). Whatever the edit (a letter, a line put in
// above, a change that alters findings, an undo), what it publishes must be what a document just
// opened with the same text gets.

/** The edit that turns `before` into `after` (one range): what an editor sends for a keystroke. */
function change(before: string, after: string): TextDocumentContentChangeEvent {
  let start = 0;
  while (start < before.length && start < after.length && before[start] === after[start]) start++;
  let end = 0;
  while (end < before.length - start && end < after.length - start && before[before.length - 1 - end] === after[after.length - 1 - end]) end++;
  const pos = (offset: number) => {
    const lines = before.slice(0, offset).split('\n');
    return { line: lines.length - 1, character: lines[lines.length - 1]!.length };
  };
  return { range: { start: pos(start), end: pos(before.length - end) }, text: after.slice(start, after.length - end) };
}

test('after every kind of edit, a document publishes what opening its text afresh publishes', async () => {
  const client = new LspClient();
  const { root } = await client.initialize();
  const text = generateCorpusManifest({ stages: 120, seed: 31, dirty: true, unusual: false });
  const lines = text.split('\n');
  const names = lines.flatMap((l, i) => (/^ {4}- name: [a-z0-9-]+$/.test(l) ? [i] : []));
  const mid = names[names.length >> 1]!;
  const setLine = (t: string, i: number, f: (l: string) => string) =>
    t
      .split('\n')
      .map((l, k) => (k === i ? f(l) : l))
      .join('\n');
  assert.ok(names.length > 50, 'stage names to edit');
  /** The text with the first container runner after the middle stage moved to serverless. */
  const stageClass = (t: string) => {
    const at = t.indexOf('class: container', t.indexOf('# moved down'));
    assert.ok(at > 0, 'a container stage after the middle one');
    return `${t.slice(0, at)}class: serverless${t.slice(at + 'class: container'.length)}`;
  };
  const steps: Array<[string, (t: string) => string]> = [
    ['a letter at the end of a stage name', (t) => setLine(t, mid, (l) => `${l}x`)],
    ['another letter', (t) => setLine(t, mid, (l) => `${l}y`)],
    ['a comment line put in above the stage', (t) => setLine(t, mid, (l) => `    # moved down\n${l}`)],
    ["a stage's runner class changed (its findings change)", stageClass],
    [
      'the defaults changed (every stage is checked again)',
      (t) => t.replace('runner: { class: container, size: medium', 'runner: { class: container, size: large'),
    ],
    ['the letters taken back', (t) => t.replace(/(- name: [a-z0-9-]+)xy$/m, '$1')],
    ['a line put in at the top (every line moves)', (t) => `# top\n${t}`],
    ['the comment line removed', (t) => t.replace('    # moved down\n', '')],
  ];
  const path = join(root, 'edited.barecount.yaml');
  writeFileSync(path, text);
  const uri = fileUri(path);
  await client.open(uri, text, 1);
  const opened = await client.diagnostics(uri, 1);
  assert.ok(opened.length > 200, `${opened.length} diagnostics: more than the writer's slices of 64`);
  let current = text;
  let version = 1;
  for (const [i, [what, edit]] of steps.entries()) {
    const next = edit(current);
    assert.notEqual(next, current, what);
    await client.change(uri, ++version, [change(current, next)]);
    current = next;
    const edited = await client.diagnostics(uri, version);
    // The same text in a document opened now, beside it (the same folder, so the same policy).
    const freshPath = join(root, `fresh-${i}.barecount.yaml`);
    writeFileSync(freshPath, current);
    const freshUri = fileUri(freshPath);
    await client.open(freshUri, current, 1);
    const fresh = await client.diagnostics(freshUri, 1);
    await client.close(freshUri);
    const asEdited = (ds: Diagnostic[]) =>
      ds.map((d) => ({
        ...d,
        ...(d.relatedInformation ? { relatedInformation: d.relatedInformation.map((r) => ({ ...r, location: { ...r.location, uri } })) } : {}),
      }));
    assert.deepEqual(edited, asEdited(fresh), what);
  }
  await client.stop();
});
