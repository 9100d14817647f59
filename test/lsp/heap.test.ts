import { strict as assert } from 'node:assert';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { test } from 'node:test';
import { HeapPolicy, LARGE_MANIFEST } from '../../server/src/lsp/heap';

// The server's heap policy (server/src/lsp/heap.ts): the young generation keeps its starting size
// while small manifests are analysed and may grow for large ones, set from inside the server.

test('the policy lets the young generation grow only while a large manifest is analysed', () => {
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
const { LARGE_MANIFEST } = require(${at('server/src/lsp/heap.ts')});
const { generateCorpusManifest } = require(${at('bench/corpus.ts')});
const { limitsWithSize } = require(${at('server/src/core/index.ts')});

const newSpace = () => getHeapSpaceStatistics().find((s) => s.space_name === 'new_space').space_size;
const analyzer = new Analyzer(new PolicyResolver(() => undefined), new SecretRegistry());
const settings = (kb) => ({ rules: {}, policyPath: undefined, limits: limitsWithSize(kb) });
let version = 0;
const open = (text, kb, uri = 'file:///tmp/m.barecount.yaml') => analyzer.analyze(TextDocument.create(uri, 'barecount', ++version, text), settings(kb));
const small = generateCorpusManifest({ stages: 150, seed: 7, dirty: true, unusual: false });
// Above the line the server drew before (128 Ki characters), under today's.
const medium = generateCorpusManifest({ stages: 600, seed: 9, dirty: true, unusual: false });
const large = generateCorpusManifest({ stages: 2000, seed: 8, dirty: true, unusual: false });
const out = { smallLength: small.length, mediumLength: medium.length, largeLength: large.length, large: LARGE_MANIFEST };
// Analyses of a small manifest, each result kept (so that what they make survives, as an
// editor's open documents do).
out.before = newSpace();
const kept = [];
for (let i = 0; i < 30; i++) kept.push(open(small + '\\\\n# edit ' + i + '\\\\n', 1024));
out.afterSmall = newSpace();
// Another document, opened and edited.
for (let i = 0; i < 4; i++) kept.push(open(medium + '\\n# edit ' + i + '\\n', 16384, 'file:///tmp/medium.barecount.yaml'));
out.afterMedium = newSpace();
kept.push(open(large, 16384));
out.afterLarge = newSpace();
out.findings = kept[0].findings.length > 0 && kept[kept.length - 1].findings.length > 0;
console.log(JSON.stringify(out));
`;

test('V8 keeps the young generation at its size through small and 600-stage manifests and grows it for a large one', () => {
  const r = spawnSync(process.execPath, ['--max-semi-space-size=16', '--import', 'tsx', '-e', CHILD], {
    cwd: ROOT,
    encoding: 'utf8',
    env: { ...process.env, NODE_OPTIONS: '' },
    timeout: 120_000,
  });
  assert.equal(r.status, 0, r.stderr);
  const out = JSON.parse(r.stdout.trim().split('\n').pop()!);
  assert.ok(
    out.smallLength < out.large && out.mediumLength > 128 * 1024 && out.mediumLength < out.large && out.largeLength >= out.large,
    `the manifests straddle the threshold: ${JSON.stringify(out)}`,
  );
  assert.ok(out.findings, 'both manifests were analysed');
  assert.ok(out.afterSmall <= out.before, `thirty analyses of a small manifest did not grow the young generation: ${JSON.stringify(out)}`);
  assert.ok(out.afterMedium <= out.afterSmall, `a 600-stage manifest, opened and edited, did not grow it: ${JSON.stringify(out)}`);
  assert.ok(out.afterLarge > out.afterMedium, `a large manifest let it grow: ${JSON.stringify(out)}`);
});
