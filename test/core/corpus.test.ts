import assert from 'node:assert/strict';
import { test } from 'node:test';
import { generateCorpusManifest } from '../../bench/corpus';
import { parseAllDocuments } from 'yaml';
import { lint } from '../helpers';

// The benchmark's corpus must be what its figures claim to measure: varied structure, and in the
// dirty corpus findings of every kind, the same for the same seed.

test('the corpus is the same for a seed, and different for another', () => {
  const a = generateCorpusManifest({ stages: 50, seed: 7, dirty: true });
  assert.equal(a, generateCorpusManifest({ stages: 50, seed: 7, dirty: true }));
  assert.notEqual(a, generateCorpusManifest({ stages: 50, seed: 8, dirty: true }));
});

test('a corpus manifest mixes the structures manifests are written in', () => {
  const text = generateCorpusManifest({ stages: 300, seed: 20261130, dirty: true });
  const has = (what: string, re: RegExp) => assert.match(text, re, `no ${what}`);
  has('anchor', / &[a-z0-9]+/);
  has('alias', /: \*[a-z0-9]+$/m);
  has('block string', /: (\||>-)$/m);
  has('escaped double quote', /\\"/);
  has('flow runner', /runner: \{ class:/);
  has('block runner', /^ {6}runner:$/m);
  has('flow connection list', /connections: \[\{/);
  has('block connection maps', /^ {8}- name: /m);
  has('empty flow list', /: \[\]$/m);
  has('comment after a value', /[a-z0-9] +# /);
  has('comment line between stages', /^ {4}# Stage \d+/m);
  has('unknown key', /^ {6}retries: 3$/m);
  const plain = generateCorpusManifest({ stages: 300, seed: 20261130, dirty: true, unusual: false });
  assert.doesNotMatch(plain, / &[a-z0-9]+|: \*[a-z0-9]+$|: (\||>-)$|\\"/m, 'the plain corpus has YAML only the library reads');
});

test('the dirty corpus has findings of every kind in most stages; the clean one of none of the error kinds', () => {
  const dirty = lint(generateCorpusManifest({ stages: 300, seed: 20261130, dirty: true })).findings;
  const codes = new Set(dirty.map((f) => f.code));
  for (const code of ['BC002', 'BC003', 'BC101', 'BC102', 'BC103', 'BC201', 'BC202', 'BC203', 'BC206', 'BC301', 'BC303', 'BC304', 'BC501', 'BC502'])
    assert.ok(codes.has(code), `no ${code} in the dirty corpus`);
  assert.ok(dirty.length > 300 * 2, `only ${dirty.length} findings in 300 dirty stages`);
  const clean = lint(generateCorpusManifest({ stages: 300, seed: 20261130, dirty: false })).findings;
  assert.deepEqual(
    clean.filter((f) => f.severity === 'error' || f.severity === 'warning').map((f) => `${f.code}: ${f.message}`),
    [],
  );
});

test('the benchmark writes its files in the ways people and tools do, saying the same', () => {
  const seen = new Set<string>();
  for (let seed = 1; seed <= 40; seed++) {
    const plain = generateCorpusManifest({ stages: 12, seed, dirty: true });
    const written = generateCorpusManifest({ stages: 12, seed, dirty: true, written: true });
    const data = (t: string) => parseAllDocuments(t).map((d) => d.toJS());
    assert.deepEqual(data(written), data(plain), `seed ${seed} says something else`);
    if (/^--- /m.test(written)) seen.add('document start');
    if (/\S\t#/.test(written)) seen.add('tab before a comment');
    if (written.includes('\r\n')) seen.add('Windows line ends');
    if (/^ {4}# - name: /m.test(written)) seen.add('a stage commented out after the last');
    if (written.startsWith('\ufeff')) seen.add('byte order mark');
    if (/^%YAML 1\.2\r?\n--- /m.test(written)) seen.add('%YAML 1.2');
    if (written === plain) seen.add('as generated');
  }
  assert.deepEqual([...seen].sort(), [
    '%YAML 1.2',
    'Windows line ends',
    'a stage commented out after the last',
    'as generated',
    'byte order mark',
    'document start',
    'tab before a comment',
  ]);
});
