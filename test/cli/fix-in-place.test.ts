import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { chmodSync, lstatSync, readFileSync, readdirSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { run } from '../../server/src/cli/main';
import { ROOT, runCli, tempDir } from '../helpers';

// `barecount-lint --fix` writes back every byte it did not mean to change (a BOM, CRLF, the
// rest), atomically, keeping the file's mode; it refuses, leaving the file as it was, a file that
// is not UTF-8, a symbolic link, and a file that changed while it was being fixed.

const BAD = readFileSync(join(ROOT, 'examples/marketing-sync.barecount.yaml'), 'utf8');
// The two typos the safe fixes of the example correct, and nothing else.
const fixedText = (t: string) => t.replace('heavy-joins', 'heavy-join').replace('[pull-campaign]', '[pull-campaigns]');
const BOM = Buffer.from([0xef, 0xbb, 0xbf]);

function withFile(bytes: Buffer | string, mode?: number) {
  const dir = tempDir('barecount-fix-');
  const f = join(dir, 'm.barecount.yaml');
  writeFileSync(f, bytes);
  if (mode !== undefined) chmodSync(f, mode);
  return { dir, f };
}

/** Nothing but the manifest (and what the test put there) is left in the folder. */
function assertNoTempFiles(dir: string, expected = ['m.barecount.yaml']) {
  assert.deepEqual(readdirSync(dir).sort(), [...expected].sort());
}

describe('--fix keeps every byte it did not mean to change', () => {
  test('a UTF-8 BOM stays', () => {
    const { dir, f } = withFile(Buffer.concat([BOM, Buffer.from(BAD)]));
    const r = runCli(['--fix', 'm.barecount.yaml'], dir);
    assert.match(r.stdout, /fixed BC502/);
    assert.deepEqual(readFileSync(f), Buffer.concat([BOM, Buffer.from(fixedText(BAD))]));
    assertNoTempFiles(dir);
  });

  test('CRLF line endings stay, in the lines it inserts too', () => {
    const crlf = (t: string) => t.replace(/\n/g, '\r\n');
    const { dir, f } = withFile(crlf(BAD));
    runCli(['--fix', 'm.barecount.yaml'], dir);
    assert.equal(readFileSync(f, 'utf8'), crlf(fixedText(BAD)));
    // A suggestion that inserts a line (the missing owner key): the same edit as in an LF file.
    const noOwner = BAD.replace(/^ {2}owner: .*\n/m, '');
    assert.notEqual(noOwner, BAD);
    const lf = withFile(noOwner);
    const cr = withFile(crlf(noOwner));
    runCli(['--fix', '--unsafe-fixes', 'm.barecount.yaml'], lf.dir);
    runCli(['--fix', '--unsafe-fixes', 'm.barecount.yaml'], cr.dir);
    const lfAfter = readFileSync(lf.f, 'utf8');
    assert.match(lfAfter, /\n {2}owner: /);
    assert.equal(readFileSync(cr.f, 'utf8'), crlf(lfAfter));
  });

  test('a file that is not UTF-8 is linted as before but not fixed, and stays byte for byte', () => {
    // A Latin-1 "é" in a comment: the typos are still found.
    const bytes = Buffer.concat([Buffer.from(BAD), Buffer.from('# caf'), Buffer.from([0xe9]), Buffer.from('\n')]);
    const { dir, f } = withFile(bytes);
    const r = runCli(['--fix', 'm.barecount.yaml'], dir);
    assert.equal(r.code, 2);
    assert.match(r.stderr, /m\.barecount\.yaml was not fixed: it is not valid UTF-8 text/);
    assert.doesNotMatch(r.stdout, /fixed /);
    assert.match(r.stdout, /\[BC502\]/);
    assert.deepEqual(readFileSync(f), bytes);
    assertNoTempFiles(dir);
  });

  test('the file keeps its mode', () => {
    for (const mode of [0o640, 0o600, 0o664]) {
      const { dir, f } = withFile(BAD, mode);
      runCli(['--fix', 'm.barecount.yaml'], dir);
      assert.equal(readFileSync(f, 'utf8'), fixedText(BAD));
      assert.equal(statSync(f).mode & 0o777, mode, mode.toString(8));
      assertNoTempFiles(dir);
    }
  });

  test('a read-only file is not rewritten', () => {
    const { dir, f } = withFile(BAD, 0o444);
    // Root may write any file: as root, the linter runs as `nobody`, in a folder it may write to,
    // so only the file's own mode stands in the way.
    const asRoot = process.getuid?.() === 0;
    if (asRoot) chmodSync(dir, 0o777);
    const r = spawnSync(process.execPath, [join(ROOT, 'dist/cli.js'), '--fix', 'm.barecount.yaml'], {
      cwd: dir,
      encoding: 'utf8',
      env: { ...process.env, NO_COLOR: '1' },
      timeout: 60_000,
      ...(asRoot ? { uid: 65534, gid: 65534 } : {}),
    });
    assert.equal(r.status, 2, r.stderr);
    assert.match(r.stderr, /cannot write m\.barecount\.yaml: EACCES/);
    assert.equal(readFileSync(f, 'utf8'), BAD);
    assertNoTempFiles(dir);
  });

  test('a symbolic link is linted but not written through', () => {
    const { dir, f } = withFile(BAD);
    symlinkSync(f, join(dir, 'link.barecount.yaml'));
    const r = runCli(['--fix', 'link.barecount.yaml'], dir);
    assert.equal(r.code, 2);
    assert.match(r.stderr, /link\.barecount\.yaml was not fixed: it is a symbolic link; --fix writes only regular files/);
    assert.match(r.stdout, /\[BC502\]/);
    assert.equal(readFileSync(f, 'utf8'), BAD);
    assert.ok(lstatSync(join(dir, 'link.barecount.yaml')).isSymbolicLink());
    assertNoTempFiles(dir, ['m.barecount.yaml', 'link.barecount.yaml']);
  });

  test('what is reported is what was written', () => {
    const { dir } = withFile(BAD);
    const fixedRun = JSON.parse(runCli(['--fix', '--format', 'json', 'm.barecount.yaml'], dir).stdout).files[0];
    const again = JSON.parse(runCli(['--format', 'json', 'm.barecount.yaml'], dir).stdout).files[0];
    assert.ok(fixedRun.fixed.length > 0);
    assert.deepEqual(fixedRun.diagnostics, again.diagnostics);
  });

  test('a file changed while it was being fixed is not written, and keeps the change', () => {
    const { dir, f } = withFile(BAD);
    const changed = `${BAD}# edited by someone else\n`;
    let stderr = '';
    let stdout = '';
    const code = run(['--fix', f], {
      stdout: (s) => (stdout += s),
      stderr: (s) => (stderr += s),
      isTty: false,
      env: {},
      // Between the read and the replacement: the moment an editor saves it.
      beforeFixWrite: (abs) => writeFileSync(abs, changed),
    });
    assert.equal(code, 2);
    assert.match(stderr, /m\.barecount\.yaml was not fixed: it changed while barecount-lint was fixing it; not written/);
    assert.doesNotMatch(stdout, /fixed /);
    assert.equal(readFileSync(f, 'utf8'), changed);
    assertNoTempFiles(dir);
  });
});
