import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { CompletionItem, CompletionList, Hover } from 'vscode-languageserver-protocol';
import { COST_ESTIMATE, RECOMMENDATIONS, type CostEstimateResult, type RecommendationsResult } from '../../server/src/protocol';
import { addDays, isoDate } from '../../server/src/core';
import { fileUri, killAll, LspClient } from './harness';

after(killAll);

// Waivers over the protocol, against the built server: what an editor shows of them. The server
// takes today's date from the clock where it runs, so the dates here are relative to it.
const today = isoDate(new Date());
const inline = addDays(today, 12);
const MANIFEST = `apiVersion: barecount/v1
kind: Pipeline
metadata:
  name: marketing-sync
  owner: data-platform
  dataClassification: internal
  boundaries: [cloud-private, public-internet]
  tags: { cost-center: fin-ops }
spec:
  stages:
    # barecount-ignore BC101 until ${inline}: the vendor SDK only runs on serverless
    - name: pull-campaigns
      phase: ingestion
      workload: api-poll
      runner: { class: serverless, size: small, network: private-vpc }
      connections:
        - { name: crm, kind: http-api, location: public-internet, direction: read }
    - name: pull-leads
      phase: ingestion
      workload: api-poll
      runner: { class: serverless, size: small, network: private-vpc }
      connections:
        - { name: leads, kind: http-api, location: public-internet, direction: read }
`;
const POLICY = `apiVersion: barecount/v1
kind: Policy
waivers:
  - { rule: BC101, pipeline: marketing-sync, stage: pull-leads, owner: security-team, reason: SDK rewrite in Q1, until: ${addDays(today, 20)} }
  - { rule: BC304, pipeline: marketing-sync, owner: finops, reason: reviewed with finance, until: ${addDays(today, 30)} }
  - { rule: BC102, pipeline: marketing-synk, owner: sec, reason: typo, until: ${addDays(today, 30)} }
  - { rule: BC205, pipeline: marketing-sync, owner: sec, reason: old, until: ${addDays(today, -1)} }
`;

function hoverText(h: Hover | null): string {
  return (h?.contents as { value?: string } | undefined)?.value ?? '';
}
function items(r: CompletionItem[] | CompletionList | null): CompletionItem[] {
  return Array.isArray(r) ? r : (r?.items ?? []);
}

describe('waivers in the editor', () => {
  const client = new LspClient();
  let root = '';
  let uri = '';
  before(async () => {
    root = (await client.initialize()).root;
    writeFileSync(join(root, 'barecount.policy.yaml'), POLICY);
    const path = join(root, 'm.barecount.yaml');
    writeFileSync(path, MANIFEST);
    uri = fileUri(path);
    await client.open(uri, MANIFEST);
  });
  after(() => client.stop());

  test('waived findings are not published; the rest are', async () => {
    const codes = (await client.diagnostics(uri)).map((d) => d.code);
    assert.ok(!codes.includes('BC101'), `BC101 published: ${codes.join(', ')}`);
    assert.ok(!codes.includes('BC304'), `BC304 published: ${codes.join(', ')}`);
  });

  test('hover on a waived stage says who waived what, until when and why', async () => {
    const lines = MANIFEST.split('\n');
    const line = lines.findIndex((l) => l.includes('name: pull-leads'));
    const h = await client.connection.sendRequest('textDocument/hover', { textDocument: { uri }, position: { line, character: 16 } });
    const text = hoverText(h as Hover);
    assert.match(text, /\*\*Waivers\*\*/);
    assert.match(text, /BC101 waived by the policy \(owner security-team\), ends in 20 days \([\d-]+\)\\?: SDK rewrite in Q1/);
    assert.match(text, /BC304 waived by the policy \(owner finops\), ends in 30 days/);
    assert.match(text, /BC205 waived by the policy \(owner sec\), ended 1 day ago/);
  });

  test('code lens counts a stage\u2019s waivers and says when the next one ends', async () => {
    type Lens = { command: { title: string } };
    const lenses = (await client.connection.sendRequest('textDocument/codeLens', { textDocument: { uri } })) as Lens[];
    const titles = lenses.map((l) => l.command.title);
    // pull-campaigns: its comment (12 days) and the pipeline-wide BC304 waiver; pull-leads: two policy waivers.
    assert.ok(titles.includes('2 waivers · next expires in 12 days · 1 ended waiver (BC004)'), titles.join(' | '));
    assert.ok(titles.includes('2 waivers · next expires in 20 days · 1 ended waiver (BC004)'), titles.join(' | '));
  });

  test('completion in an ignore comment offers until with a date 90 days out', async () => {
    const text = MANIFEST.replace('    - name: pull-leads', '    # barecount-ignore BC102 \n    - name: pull-leads');
    const u = fileUri(join(root, 'c.barecount.yaml'));
    await client.open(u, text);
    const line = text.split('\n').findIndex((l) => l.includes('ignore BC102'));
    const r = await client.connection.sendRequest('textDocument/completion', {
      textDocument: { uri: u },
      position: { line, character: '    # barecount-ignore BC102 '.length },
    });
    const until = items(r as CompletionItem[]).find((i) => i.label.startsWith('until '));
    assert.equal(until?.label, `until ${addDays(today, 90)}`);
    const text2 = text.replace('ignore BC102 ', 'ignore BC102 until ');
    await client.change(u, 2, [{ text: text2 }]);
    const r2 = await client.connection.sendRequest('textDocument/completion', {
      textDocument: { uri: u },
      position: { line, character: '    # barecount-ignore BC102 until '.length },
    });
    assert.deepEqual(
      items(r2 as CompletionItem[]).map((i) => i.label),
      [addDays(today, 90)],
    );
  });

  test('the preview lists waived findings apart; the cost panel counts them', async () => {
    const rec = (await client.connection.sendRequest(RECOMMENDATIONS, { uri })) as RecommendationsResult;
    const leads = rec.stages.find((s) => s.name === 'pull-leads')!;
    assert.ok(!leads.deviations.some((d) => d.code === 'BC101'));
    const w = leads.waived.find((x) => x.code === 'BC101')!;
    assert.equal(w.waiver.source, 'policy');
    assert.equal(w.waiver.owner, 'security-team');
    assert.match(w.summary, /SDK rewrite in Q1/);
    const est = (await client.connection.sendRequest(COST_ESTIMATE, { uri })) as CostEstimateResult;
    const p = est.pipelines[0]!;
    assert.equal(
      p.waived,
      rec.stages.reduce((n, s) => n + s.waived.length, 0),
    );
    // Its comment and the policy's three entries for this pipeline (the expired one included).
    assert.equal(p.waivers, 4);
  });

  test('the policy file: an ended waiver is BC004 at its date, a near miss of an open pipeline BC003', async () => {
    const puri = fileUri(join(root, 'barecount.policy.yaml'));
    await client.open(puri, POLICY);
    const ds = await client.diagnostics(puri);
    const byCode = (c: string) => ds.filter((d) => d.code === c);
    assert.equal(byCode('BC004').length, 1);
    const lines = POLICY.split('\n');
    const d4 = byCode('BC004')[0]!;
    assert.equal(lines[d4.range.start.line]!.slice(d4.range.start.character, d4.range.end.character), addDays(today, -1));
    assert.match(String(byCode('BC003')[0]?.message ?? ''), /did you mean "marketing-sync"/);
  });

  test('a policy opened before its manifests is checked again when one opens', async () => {
    const c = new LspClient();
    const { root: r } = await c.initialize();
    writeFileSync(join(r, 'barecount.policy.yaml'), POLICY);
    const puri = fileUri(join(r, 'barecount.policy.yaml'));
    await c.open(puri, POLICY);
    assert.ok(!(await c.diagnostics(puri)).some((d) => d.code === 'BC003'), 'no pipeline is open yet: nothing to compare with');
    const seen = c.published.length;
    const m = fileUri(join(r, 'm.barecount.yaml'));
    await c.open(m, MANIFEST);
    await c.until(() => c.published.slice(seen).find((p) => p.uri === puri && p.diagnostics.some((d) => d.code === 'BC003')), 'BC003 in the policy');
    await c.stop();
  });
});

describe('waivers in the editor with a policy that cannot be used', () => {
  const client = new LspClient();
  after(() => client.stop());

  test('no ignore comment is called unused, and fix-all removes none', async () => {
    const { root } = await client.initialize();
    const text = MANIFEST.replace('    - name: pull-leads', '    # barecount-ignore BC102: approved by security\n    - name: pull-leads');
    const path = join(root, 'm.barecount.yaml');
    writeFileSync(path, text);
    const uri = fileUri(path);
    const fixAll = async () =>
      (await client.connection.sendRequest('textDocument/codeAction', {
        textDocument: { uri },
        range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } },
        context: { diagnostics: [], only: ['source.fixAll.barecount'] },
      })) as Array<{ edit?: { changes?: Record<string, Array<{ newText: string }>> } }>;
    // Control: with a usable policy the comment is BC005, and fix-all would drop it.
    writeFileSync(join(root, 'barecount.policy.yaml'), POLICY);
    await client.open(uri, text);
    assert.ok((await client.diagnostics(uri, 1)).some((d) => d.code === 'BC005'));
    assert.ok((await fixAll()).some((a) => a.edit));
    // The policy breaks: the built-in one stands in, and the comment's finding may not fire under it.
    writeFileSync(join(root, 'barecount.policy.yaml'), POLICY.replace('kind: Policy', 'kind: Policy\nnetworks: 3'));
    await client.connection.sendNotification('workspace/didChangeWatchedFiles', { changes: [{ uri: fileUri(join(root, 'barecount.policy.yaml')), type: 2 }] });
    await client.change(uri, 2, [{ text: `${text}\n` }]);
    assert.ok(!(await client.diagnostics(uri, 2)).some((d) => d.code === 'BC005'));
    assert.deepEqual(
      (await fixAll()).filter((a) => a.edit),
      [],
    );
  });
});
