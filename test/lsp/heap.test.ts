import { strict as assert } from 'node:assert';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { test } from 'node:test';
import { HeapPolicy, LARGE_MANIFEST, LARGE_TO_OPEN } from '../../server/src/lsp/heap';

// The server's heap policy (server/src/lsp/heap.ts): the young generation keeps its starting size
// while small manifests are analysed and may grow for large ones, set from inside the server.

test('the policy lets the young generation grow only while a large manifest is edited, or opened when larger still', () => {
  const set: string[] = [];
  const policy = new HeapPolicy((flags) => set.push(flags));
  policy.start();
  assert.deepEqual(set, ['--heap-growing-percent=50', '--semi-space-growth-factor=1']);
  policy.forManifest(LARGE_MANIFEST - 1);
  assert.equal(set.length, 2, 'a small manifest changes nothing after start');
  policy.forManifest(LARGE_MANIFEST);
  policy.forManifest(10 * LARGE_MANIFEST);
  assert.deepEqual(set.slice(2), ['--semi-space-growth-factor=2'], 'large manifests: growth allowed, set once');
  policy.forManifest(100);
  assert.deepEqual(set.slice(3), ['--semi-space-growth-factor=1'], 'small again: growth stopped');
  // Opening one (its first analysis): growth only from LARGE_TO_OPEN, which is larger.
  policy.forManifest(LARGE_TO_OPEN - 1, true);
  assert.equal(set.length, 4, 'a large manifest opened under LARGE_TO_OPEN changes nothing');
  policy.forManifest(LARGE_TO_OPEN - 1);
  assert.deepEqual(set.slice(4), ['--semi-space-growth-factor=2'], 'edited: growth allowed');
  policy.forManifest(LARGE_MANIFEST, true);
  policy.forManifest(LARGE_TO_OPEN, true);
  assert.deepEqual(set.slice(5), ['--semi-space-growth-factor=1', '--semi-space-growth-factor=2'], 'opening: kept under LARGE_TO_OPEN, grown from it');
});

// Whether V8 honours it, through the server's real Analyzer on the benchmark's manifests, in a
// fresh node process (the test runner's heap has long grown). The child's young-generation maximum
// is given explicitly (V8 derives it from the machine's memory otherwise) and NODE_OPTIONS is
// cleared, so that the answer does not depend on the machine. It compares sizes, never times.
const ROOT = join(__dirname, '..', '..');
const at = (p: string) => JSON.stringify(join(ROOT, p));
const CHILD = `
require(${at('server/src/lsp/heap-start.ts')});
const { getHeapSpaceStatistics } = require('node:v8');
const { TextDocument } = require('vscode-languageserver-textdocument');
const { Analyzer } = require(${at('server/src/lsp/documents.ts')});
const { PolicyResolver } = require(${at('server/src/lsp/policy.ts')});
const { SecretRegistry } = require(${at('server/src/lsp/redaction.ts')});
const { LARGE_MANIFEST, LARGE_TO_OPEN } = require(${at('server/src/lsp/heap.ts')});
const { generateCorpusManifest } = require(${at('bench/corpus.ts')});
const { limitsWithSize } = require(${at('server/src/core/index.ts')});

const newSpace = () => getHeapSpaceStatistics().find((s) => s.space_name === 'new_space').space_size;
const analyzer = new Analyzer(new PolicyResolver(() => undefined), new SecretRegistry());
const settings = (kb) => ({ rules: {}, policyPath: undefined, limits: limitsWithSize(kb) });
let version = 0;
const open = (text, kb, uri = 'file:///tmp/m.barecount.yaml') => analyzer.analyze(TextDocument.create(uri, 'barecount', ++version, text), settings(kb));
const small = generateCorpusManifest({ stages: 150, seed: 7, dirty: true, unusual: false });
// Large to edit, not to open.
const medium = generateCorpusManifest({ stages: 600, seed: 9, dirty: true, unusual: false });
const out = { smallLength: small.length, mediumLength: medium.length, large: LARGE_MANIFEST, largeToOpen: LARGE_TO_OPEN };
// Analyses of a small manifest, each result kept (so that what they make survives, as an
// editor's open documents do).
out.before = newSpace();
const kept = [];
for (let i = 0; i < 30; i++) kept.push(open(small + '\\\\n# edit ' + i + '\\\\n', 1024));
out.afterSmall = newSpace();
// Another document: opened (no growth under LARGE_TO_OPEN), then edited (growth allowed).
kept.push(open(medium, 16384, 'file:///tmp/medium.barecount.yaml'));
out.afterOpen = newSpace();
for (let i = 0; i < 4; i++) kept.push(open(medium + '\\n# edit ' + i + '\\n', 16384, 'file:///tmp/medium.barecount.yaml'));
out.afterEdits = newSpace();
out.findings = kept[0].findings.length > 0 && kept[kept.length - 1].findings.length > 0;
console.log(JSON.stringify(out));
`;

test('V8 keeps the young generation at its size through small manifests and the open of a large one, and grows it as the large one is edited', () => {
  const r = spawnSync(process.execPath, ['--max-semi-space-size=16', '--import', 'tsx', '-e', CHILD], {
    cwd: ROOT,
    encoding: 'utf8',
    env: { ...process.env, NODE_OPTIONS: '' },
    timeout: 120_000,
  });
  assert.equal(r.status, 0, r.stderr);
  const out = JSON.parse(r.stdout.trim().split('\n').pop()!);
  assert.ok(
    out.smallLength < out.large && out.mediumLength >= out.large && out.mediumLength < out.largeToOpen,
    `the manifests straddle the thresholds: ${JSON.stringify(out)}`,
  );
  assert.ok(out.findings, 'the manifests were analysed');
  assert.ok(out.afterSmall <= out.before, `thirty analyses of a small manifest did not grow the young generation: ${JSON.stringify(out)}`);
  assert.ok(out.afterOpen <= out.afterSmall, `opening a 600-stage manifest did not grow it: ${JSON.stringify(out)}`);
  assert.ok(out.afterEdits > out.afterOpen, `editing it let it grow: ${JSON.stringify(out)}`);
});
