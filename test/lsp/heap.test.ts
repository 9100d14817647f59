import { strict as assert } from 'node:assert';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { test } from 'node:test';

// The server's young generation stays at its starting size while it analyses small manifests and
// grows for large ones (server/src/lsp/heap.ts): its peak memory on everyday files is a sixth
// lower, whatever flags it was started with. Measured in a fresh node process (the test runner's
// own heap has long grown), through the server's real Analyzer and the benchmark's manifests.
// It fails if the analyser stops setting the policy, or if a node upgrade stops honouring it.

const ROOT = join(__dirname, '..', '..');
const at = (p: string) => join(ROOT, p);

const CHILD = `
const { getHeapSpaceStatistics } = require('node:v8');
const { TextDocument } = require('vscode-languageserver-textdocument');
const { Analyzer } = require(${JSON.stringify(at('server/src/lsp/documents.ts'))});
const { PolicyResolver } = require(${JSON.stringify(at('server/src/lsp/policy.ts'))});
const { SecretRegistry } = require(${JSON.stringify(at('server/src/lsp/redaction.ts'))});
const { LARGE_MANIFEST } = require(${JSON.stringify(at('server/src/lsp/heap.ts'))});
const { generateCorpusManifest } = require(${JSON.stringify(at('bench/corpus.ts'))});
const { limitsWithSize } = require(${JSON.stringify(at('server/src/core/index.ts'))});

const newSpace = () => getHeapSpaceStatistics().find((s) => s.space_name === 'new_space').space_size;
const analyzer = new Analyzer(new PolicyResolver(() => undefined), new SecretRegistry());
const settings = (kb) => ({ rules: {}, policyPath: undefined, limits: limitsWithSize(kb) });
let version = 0;
const open = (text, kb) => analyzer.analyze(TextDocument.create('file:///tmp/m.barecount.yaml', 'barecount', ++version, text), settings(kb));
const small = generateCorpusManifest({ stages: 150, seed: 7, dirty: true, unusual: false });
const large = generateCorpusManifest({ stages: 600, seed: 8, dirty: true, unusual: false });
const out = { smallLength: small.length, largeLength: large.length, large: LARGE_MANIFEST };
// Analyses of a small manifest, each result kept (so that what they make survives, as an
// editor's open documents do).
out.before = newSpace();
const kept = [];
for (let i = 0; i < 30; i++) kept.push(open(small + '\\n# edit ' + i + '\\n', 1024));
out.afterSmall = newSpace();
kept.push(open(large, 16384));
out.afterLarge = newSpace();
out.findings = kept[0].findings.length > 0 && kept[kept.length - 1].findings.length > 0;
console.log(JSON.stringify(out));
`;

test('the young generation keeps its size on small manifests and grows for a large one', () => {
  // The child starts as the bundled server does, its young generation at its starting size: the
  // server's first module sets that before the others load; here tsx would load and grow it first.
  const r = spawnSync(process.execPath, ['--semi-space-growth-factor=1', '--import', 'tsx', '-e', CHILD], { cwd: ROOT, encoding: 'utf8' });
  assert.equal(r.status, 0, r.stderr);
  const out = JSON.parse(r.stdout.trim().split('\n').pop()!);
  assert.ok(out.smallLength < out.large && out.largeLength >= out.large, `the manifests straddle the threshold: ${JSON.stringify(out)}`);
  assert.ok(out.findings, 'both manifests were analysed');
  assert.equal(out.afterSmall, out.before, `thirty analyses of a small manifest left the young generation as it was: ${JSON.stringify(out)}`);
  assert.ok(out.afterLarge > out.afterSmall, `a large manifest let it grow: ${JSON.stringify(out)}`);
});
