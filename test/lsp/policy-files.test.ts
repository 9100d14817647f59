import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
import { COST_ESTIMATE, DID_CHANGE_WORKSPACE_TRUST, type CostEstimateResult } from '../../server/src/protocol';
import { ROOT, tempDir } from '../helpers';
import { fileUri, killAll, LspClient } from './harness';

after(killAll);

// The language server finds policies the way barecount-lint does (spec §1): regular files only,
// never above the workspace folder nor through a link out of it, and barecount.policy.yaml
// refused is said once, by path, and never read. In an untrusted workspace the
// barecount.policyPath setting is ignored.

const MARKER = 'SECRET_MARKER_7f3a';
const CLEAN = readFileSync(join(ROOT, 'examples/orders-daily.barecount.yaml'), 'utf8');
// Under this policy the clean example has errors (BC205): a manifest governed by it shows.
const SERVERLESS_ONLY = 'apiVersion: barecount/v1\nkind: Policy\nallowedClasses: [serverless]\n';

/** Everything the server said, as one string: diagnostics, messages, logs, stderr. */
function everything(c: LspClient): string {
  return JSON.stringify([c.published, c.messages, c.logs, c.stderr]);
}

async function codesOf(c: LspClient, uri: string): Promise<string[]> {
  return (await c.diagnostics(uri, 1)).map((d) => String(d.code));
}

describe('policy files the server refuses to read', () => {
  test('a symbolic link beside the manifest: a warning names it, the built-in policy applies, nothing of its target is sent', async () => {
    const outside = tempDir('barecount-lsp-policy-');
    const secret = join(outside, 'strict.yaml');
    // Read, this policy would fail the manifest; its comment is the marker.
    writeFileSync(secret, `${SERVERLESS_ONLY}# ${MARKER}=hunter2\n`);
    const c = new LspClient();
    const { root } = await c.initialize();
    const link = join(root, 'barecount.policy.yaml');
    symlinkSync(secret, link);
    const uri = fileUri(join(root, 'm.barecount.yaml'));
    await c.open(uri, CLEAN, 1);
    assert.deepEqual(await codesOf(c, uri), []);
    const warning = await c.until(() => c.messages.find((m) => m.message.includes('is a symbolic link')), 'the refusal warning');
    assert.equal(warning.type, 2);
    assert.equal(
      warning.message,
      `BareCount: ${link} is a symbolic link; policies are read only from regular files — the built-in policy is used in its place.`,
    );
    const est = (await c.connection.sendRequest(COST_ESTIMATE, { uri })) as CostEstimateResult;
    assert.equal(est.policySource, 'built-in');
    // Said once per path, however often the manifest is checked again.
    await c.connection.sendNotification('workspace/didChangeConfiguration', { settings: {} });
    const seen = c.published.length;
    await c.change(uri, 2, [{ text: CLEAN }]);
    await c.nextDiagnostics(uri, seen);
    assert.equal(c.messages.filter((m) => m.message.includes('is a symbolic link')).length, 1);
    assert.ok(!everything(c).includes(MARKER));
    await c.stop();
  });

  test('a FIFO beside the manifest is never opened: diagnostics come, and a warning', async () => {
    const c = new LspClient();
    const { root } = await c.initialize();
    // coreutils' mkfifo: CI runs on Debian, where it always exists.
    const made = spawnSync('mkfifo', [join(root, 'barecount.policy.yaml')], { encoding: 'utf8' });
    assert.equal(made.status, 0, `mkfifo failed: ${made.error?.message ?? made.stderr}`);
    const uri = fileUri(join(root, 'm.barecount.yaml'));
    await c.open(uri, CLEAN, 1);
    assert.deepEqual(await codesOf(c, uri), []);
    await c.until(() => c.messages.find((m) => m.message.includes('is a FIFO (named pipe)')), 'the refusal warning');
    await c.stop();
  });

  test('a folder of the workspace that links outside it: its policy is not read', async () => {
    const outside = tempDir('barecount-lsp-policy-');
    writeFileSync(join(outside, 'barecount.policy.yaml'), `${SERVERLESS_ONLY}# ${MARKER}\n`);
    const c = new LspClient();
    const { root } = await c.initialize();
    symlinkSync(outside, join(root, 'linked'), 'dir');
    const uri = fileUri(join(root, 'linked', 'm.barecount.yaml'));
    await c.open(uri, CLEAN, 1);
    assert.deepEqual(await codesOf(c, uri), []);
    await c.until(() => c.messages.find((m) => m.message.includes('a symbolic link takes its folder outside the workspace folder')), 'the refusal warning');
    assert.ok(!everything(c).includes(MARKER));
    await c.stop();
  });

  test('a policy above the workspace folder does not govern it', async () => {
    const above = tempDir('barecount-lsp-policy-');
    writeFileSync(join(above, 'barecount.policy.yaml'), SERVERLESS_ONLY);
    mkdirSync(join(above, 'ws'));
    const c = new LspClient();
    const { root } = await c.initialize(join(above, 'ws'));
    const uri = fileUri(join(root, 'm.barecount.yaml'));
    await c.open(uri, CLEAN, 1);
    assert.deepEqual(await codesOf(c, uri), []);
    await c.stop();
  });
});

describe('barecount.policyPath and workspace trust', () => {
  async function withPolicyPath(options: Record<string, unknown>) {
    const c = new LspClient();
    const { root } = await c.initialize(undefined, options);
    mkdirSync(join(root, 'policies'));
    writeFileSync(join(root, 'policies', 'strict.yaml'), SERVERLESS_ONLY);
    c.settings = { policyPath: 'policies/strict.yaml' };
    const uri = fileUri(join(root, 'm.barecount.yaml'));
    await c.open(uri, CLEAN, 1);
    return { c, root, uri };
  }

  test('ignored while the client says the workspace is untrusted; applies once trust is granted', async () => {
    const { c, uri } = await withPolicyPath({ workspaceTrusted: false });
    assert.deepEqual(await codesOf(c, uri), []);
    assert.ok(c.logs.some((l) => l.includes('is not trusted (Restricted Mode)')));
    const seen = c.published.length;
    await c.connection.sendNotification(DID_CHANGE_WORKSPACE_TRUST, { trusted: true });
    assert.ok((await c.nextDiagnostics(uri, seen)).diagnostics.some((d) => d.code === 'BC205'));
    await c.stop();
  });

  test('a raised size limit is ignored too while untrusted: a workspace cannot lift the limits', async () => {
    const c = new LspClient();
    const { root } = await c.initialize(undefined, { workspaceTrusted: false });
    c.settings = { limits: { maxFileSizeKb: 8192 } };
    const uri = fileUri(join(root, 'big.barecount.yaml'));
    await c.open(uri, `${CLEAN}${'# padding padding padding padding\n'.repeat(40_000)}`, 1);
    const diags = await c.diagnostics(uri, 1);
    assert.ok(
      diags.some((d) => d.code === 'BC001' && /above the 1\.0 MB analysed in full/.test(String(d.message))),
      JSON.stringify(diags.map((d) => d.message)),
    );
    await c.stop();
  });

  test('applies when the client says nothing about trust (editors without Restricted Mode)', async () => {
    const { c, uri } = await withPolicyPath({});
    assert.ok((await codesOf(c, uri)).includes('BC205'));
    await c.stop();
  });

  test('a setting that names a symbolic link is refused too', async () => {
    const outside = tempDir('barecount-lsp-policy-');
    writeFileSync(join(outside, 'strict.yaml'), SERVERLESS_ONLY);
    const c = new LspClient();
    const { root } = await c.initialize();
    symlinkSync(join(outside, 'strict.yaml'), join(root, 'linked.yaml'));
    c.settings = { policyPath: 'linked.yaml' };
    const uri = fileUri(join(root, 'm.barecount.yaml'));
    await c.open(uri, CLEAN, 1);
    assert.deepEqual(await codesOf(c, uri), []);
    await c.until(() => c.messages.find((m) => m.message.includes('linked.yaml is a symbolic link')), 'the refusal warning');
    await c.stop();
  });
});
