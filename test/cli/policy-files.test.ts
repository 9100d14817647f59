import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { ROOT, runCli, type CliResult, tempDir } from '../helpers';

// Policy discovery reads only regular files inside the working directory (spec §1), through the
// built bin as CI runs it. A policy that is a link, a FIFO or a folder is reported, never read,
// and the manifests it would govern are checked with the built-in policy.

const MARKER = 'SECRET_MARKER_7f3a';
const CLEAN = readFileSync(join(ROOT, 'examples/orders-daily.barecount.yaml'), 'utf8');
// Under this policy the clean example has errors (BC205): a manifest governed by it shows.
const SERVERLESS_ONLY = 'apiVersion: barecount/v1\nkind: Policy\nallowedClasses: [serverless]\n';
const FORMATS = ['text', 'json', 'sarif'] as const;

/** A FIFO at `path` (coreutils' mkfifo: CI runs on Debian, where it always exists). */
function mkfifo(path: string): void {
  const r = spawnSync('mkfifo', [path], { encoding: 'utf8' });
  assert.equal(r.status, 0, `mkfifo failed: ${r.error?.message ?? r.stderr}`);
}

/** A workspace with one clean manifest in pipes/, and a secret outside it. */
function workspace() {
  const outside = tempDir('barecount-cli-policy-');
  const root = tempDir('barecount-cli-policy-');
  mkdirSync(join(root, 'pipes'));
  writeFileSync(join(root, 'pipes', 'm.barecount.yaml'), CLEAN);
  // What a .env holds: read as a policy it would be a BC002 quoting its line.
  const secret = join(outside, '.env');
  writeFileSync(secret, `${MARKER}=hunter2\nDB_PASSWORD=${MARKER}-hunter2\n`);
  return { root, outside, secret };
}

function assertNoMarker(r: CliResult, what: string) {
  assert.ok(!r.stdout.includes(MARKER), `${what}: stdout repeats what the link points to`);
  assert.ok(!r.stderr.includes(MARKER), `${what}: stderr repeats what the link points to`);
}

/** The codes found in the manifest pipes/m.barecount.yaml, from a JSON run. */
function manifestCodes(r: CliResult): string[] {
  const file = JSON.parse(r.stdout).files.find((f: { path: string }) => f.path.endsWith('m.barecount.yaml'));
  assert.ok(file, `the manifest was checked: ${r.stdout}`);
  return file.diagnostics.map((d: { code: string }) => d.code);
}

describe('a policy that is not a regular file is reported and never read', () => {
  test('a symbolic link to a secrets file: said on stderr, exit 2, never printed in any format, the built-in policy applies', () => {
    const { root, secret } = workspace();
    symlinkSync(secret, join(root, 'pipes', 'barecount.policy.yaml'));
    for (const format of FORMATS) {
      // As a folder is walked, and with the manifest named.
      for (const path of ['.', 'pipes/m.barecount.yaml']) {
        const r = runCli(['--format', format, path], root);
        assertNoMarker(r, `${format} ${path}`);
        assert.equal(r.code, 2, `${format} ${path}: ${r.stderr}`);
        assert.match(r.stderr, /pipes\/barecount\.policy\.yaml is a symbolic link; policies are read only from regular files — the built-in policy is used/);
        assert.equal(r.stderr.match(/is a symbolic link/g)?.length, 1, 'said once');
      }
    }
    // The manifest was still checked, with the built-in policy: nothing to report on it.
    assert.deepEqual(manifestCodes(runCli(['--format', 'json', '.'], root)), []);
  });

  test('a symbolic link to a policy that would apply is not followed either', () => {
    const { root, outside } = workspace();
    writeFileSync(join(outside, 'strict.yaml'), `${SERVERLESS_ONLY}# ${MARKER}\n`);
    symlinkSync(join(outside, 'strict.yaml'), join(root, 'pipes', 'barecount.policy.yaml'));
    const r = runCli(['--format', 'json', '.'], root);
    assert.deepEqual(manifestCodes(r), []);
    assert.equal(r.code, 2);
  });

  test('a link to /proc/self/environ: the environment is never printed', () => {
    const { root } = workspace();
    symlinkSync('/proc/self/environ', join(root, 'pipes', 'barecount.policy.yaml'));
    for (const format of FORMATS) {
      const r = runCli(['--format', format, '.'], root, { BARECOUNT_TEST_VALUE: `${MARKER}-from-env` });
      assertNoMarker(r, format);
      assert.equal(r.code, 2);
      assert.match(r.stderr, /is a symbolic link/);
    }
  });

  test('a policy named on the command line or with --policy is not followed either', () => {
    const { root, secret } = workspace();
    symlinkSync(secret, join(root, 'pipes', 'barecount.policy.yaml'));
    const named = runCli(['pipes/barecount.policy.yaml'], root);
    assertNoMarker(named, 'named');
    assert.equal(named.code, 2);
    assert.match(named.stderr, /pipes\/barecount\.policy\.yaml is a symbolic link/);
    const forced = runCli(['--policy', 'pipes/barecount.policy.yaml', 'pipes/m.barecount.yaml'], root);
    assertNoMarker(forced, '--policy');
    assert.equal(forced.code, 2);
    assert.match(forced.stderr, /cannot read policy pipes\/barecount\.policy\.yaml: it is a symbolic link; policies are read only from regular files/);
  });

  test('a FIFO is never opened: reported, and the run does not hang', () => {
    const { root } = workspace();
    const fifo = join(root, 'pipes', 'barecount.policy.yaml');
    mkfifo(fifo);
    for (const path of ['.', 'pipes/m.barecount.yaml']) {
      // A reader that opened it would wait for a writer for ever: the timeout says so.
      const r = spawnSync(process.execPath, [join(ROOT, 'dist/cli.js'), '--format', 'json', path], { cwd: root, encoding: 'utf8', timeout: 30_000 });
      assert.equal(r.signal, null, `${path}: barecount-lint hung on the FIFO`);
      assert.equal(r.status, 2);
      assert.match(r.stderr, /pipes\/barecount\.policy\.yaml is a FIFO \(named pipe\); policies are read only from regular files/);
      assert.deepEqual(manifestCodes({ code: r.status ?? -1, stdout: r.stdout, stderr: r.stderr }), []);
    }
  });

  test('a manifest path that is a FIFO or a device is refused, not read for ever', () => {
    const { root } = workspace();
    const fifo = join(root, 'pipes', 'fifo.barecount.yaml');
    mkfifo(fifo);
    for (const [path, what] of [
      ['pipes/fifo.barecount.yaml', /is a FIFO/],
      ['/dev/zero', /is a device/],
    ] as const) {
      const r = spawnSync(process.execPath, [join(ROOT, 'dist/cli.js'), path], { cwd: root, encoding: 'utf8', timeout: 30_000 });
      assert.equal(r.signal, null, `${path}: barecount-lint hung`);
      assert.equal(r.status, 2);
      assert.match(r.stderr, what);
    }
  });

  test('a folder named barecount.policy.yaml is reported, not searched and not read', () => {
    const { root } = workspace();
    mkdirSync(join(root, 'pipes', 'barecount.policy.yaml'));
    writeFileSync(join(root, 'pipes', 'barecount.policy.yaml', 'x.barecount.yaml'), CLEAN);
    const r = runCli(['--format', 'json', '.'], root);
    assert.equal(r.code, 2);
    assert.match(r.stderr, /pipes\/barecount\.policy\.yaml is a folder; policies are read only from regular files/);
    assert.deepEqual(
      JSON.parse(r.stdout).files.map((f: { path: string }) => f.path),
      ['pipes/m.barecount.yaml'],
    );
    assert.deepEqual(manifestCodes(r), []);
  });
});

describe('discovery never reads above the working directory', () => {
  test('a policy above the working directory does not govern the manifests below it', () => {
    const { root } = workspace();
    writeFileSync(join(root, 'barecount.policy.yaml'), SERVERLESS_ONLY);
    // From the root it governs; from pipes/ it is above the working directory.
    assert.ok(manifestCodes(runCli(['--format', 'json', '.'], root)).includes('BC205'));
    const below = runCli(['--format', 'json', '.'], join(root, 'pipes'));
    assert.deepEqual(manifestCodes(below), []);
    assert.equal(below.code, 0);
  });

  test('a manifest outside the working directory gets the built-in policy, and a note says so', () => {
    const { root } = workspace();
    writeFileSync(join(root, 'pipes', 'barecount.policy.yaml'), SERVERLESS_ONLY);
    mkdirSync(join(root, 'elsewhere'));
    const r = runCli(['--format', 'json', '../pipes/m.barecount.yaml'], join(root, 'elsewhere'));
    assert.deepEqual(manifestCodes(r), []);
    assert.match(r.stderr, /1 manifest is outside the working directory and was checked with the built-in policy/);
    // --policy still names one for it.
    const forced = runCli(['--format', 'json', '--policy', '../pipes/barecount.policy.yaml', '../pipes/m.barecount.yaml'], join(root, 'elsewhere'));
    assert.ok(manifestCodes(forced).includes('BC205'));
  });

  test('a folder inside the working directory that links outside it: its policy is not read', () => {
    const { root, outside } = workspace();
    // Read, this policy would print the marker (BC002 quotes the bad value) and fail the manifest.
    writeFileSync(join(outside, 'barecount.policy.yaml'), `apiVersion: barecount/v1\nkind: Policy\nallowedClasses: [${MARKER}]\n`);
    writeFileSync(join(outside, 'm.barecount.yaml'), CLEAN);
    symlinkSync(outside, join(root, 'linked'), 'dir');
    for (const format of FORMATS) {
      const r = runCli(['--format', format, 'linked/m.barecount.yaml'], root);
      assertNoMarker(r, format);
      assert.equal(r.code, 2);
      assert.match(r.stderr, /linked\/barecount\.policy\.yaml was not read: a symbolic link takes its folder outside the working directory/);
    }
    assert.deepEqual(manifestCodes(runCli(['--format', 'json', 'linked/m.barecount.yaml'], root)), []);
  });
});

describe('only valid text has its lines printed', () => {
  test('a manifest with bytes that are not UTF-8: findings, but no source line', () => {
    // A key the schema does not know, on a line that holds a byte that is not UTF-8 (Latin-1 é).
    const dir = tempDir('barecount-cli-policy-');
    const f = join(dir, 'm.barecount.yaml');
    const [head, tail] = CLEAN.split(/(?<=kind: Pipeline\n)/);
    writeFileSync(f, Buffer.concat([Buffer.from(`${head}notes: caf`), Buffer.from([0xe9]), Buffer.from(` ${MARKER}\n${tail}`)]));
    const r = runCli(['m.barecount.yaml'], dir);
    assert.match(r.stdout, /m\.barecount\.yaml:4:1 {2}error +.*\[BC002\]/);
    assert.doesNotMatch(r.stdout, /^\s+\d+ \| /m);
    assert.ok(!r.stdout.includes(MARKER));
    // The same file as UTF-8 has its line shown.
    writeFileSync(f, CLEAN.replace('kind: Pipeline\n', 'kind: Pipeline\nnotes: café\n'));
    assert.match(runCli(['m.barecount.yaml'], dir).stdout, /^ {2}4 \| notes: café$/m);
  });

  test('a policy holding NUL bytes (an environment block): BC001, and no line of it', () => {
    const dir = tempDir('barecount-cli-policy-');
    writeFileSync(join(dir, 'barecount.policy.yaml'), `HOME=/root\0TOKEN=${MARKER}\0PATH=/bin\0`);
    copyFileSync(join(ROOT, 'examples/orders-daily.barecount.yaml'), join(dir, 'm.barecount.yaml'));
    const r = runCli(['.'], dir);
    assert.match(r.stdout, /barecount\.policy\.yaml:1:\d+ {2}error +This file holds binary data/);
    assert.ok(!r.stdout.includes(MARKER) && !r.stderr.includes(MARKER));
    assert.doesNotMatch(r.stdout, /^\s+\d+ \| /m);
  });
});
