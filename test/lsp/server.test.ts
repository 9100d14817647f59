import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { CodeAction, CompletionItem, CompletionList, Hover } from 'vscode-languageserver-protocol';
import {
  COST_ESTIMATE,
  ESTIMATE_EDIT,
  RECOMMENDATIONS,
  RUNNER_EDIT,
  type CostEstimateResult,
  type EditResult,
  type RecommendationsResult,
} from '../../server/src/protocol';
import { ROOT, runCli } from '../helpers';
import { cursor, fileUri, killAll, LspClient } from './harness';

// A test that fails before stopping its server must not leave it running.
after(killAll);

// Protocol round trips against the built server over stdio, with a real LSP client library.
const EXAMPLE = readFileSync(join(ROOT, 'examples/marketing-sync.barecount.yaml'), 'utf8');
const CLEAN = readFileSync(join(ROOT, 'examples/orders-daily.barecount.yaml'), 'utf8');
const POLICY = readFileSync(join(ROOT, 'examples/barecount.policy.yaml'), 'utf8');
const FINANCE = readFileSync(join(ROOT, 'examples/finance-reporting.barecount.yaml'), 'utf8');

function items(r: CompletionItem[] | CompletionList | null): CompletionItem[] {
  const list = Array.isArray(r) ? r : (r?.items ?? []);
  return [...list].sort((a, b) => (a.sortText ?? a.label).localeCompare(b.sortText ?? b.label));
}

function hoverText(h: Hover | null): string {
  const c = h?.contents as { value?: string } | undefined;
  return c?.value ?? '';
}

describe('language server over stdio', () => {
  const client = new LspClient();
  let root = '';
  let n = 0;
  const newDoc = (name: string, text: string, dir?: string) => {
    const path = join(dir ?? root, `${n++}-${name}`);
    writeFileSync(path, text);
    return fileUri(path);
  };

  before(async () => {
    const init = await client.initialize();
    root = init.root;
    writeFileSync(join(root, 'barecount.policy.yaml'), POLICY);
  });
  after(() => client.stop());

  test('initialize announces the capabilities', async () => {
    const c = new LspClient();
    const { result } = await c.initialize();
    const caps = result.capabilities;
    assert.equal(caps.textDocumentSync && typeof caps.textDocumentSync === 'object' && caps.textDocumentSync.change, 2);
    for (const k of [
      'completionProvider',
      'hoverProvider',
      'codeActionProvider',
      'codeLensProvider',
      'documentSymbolProvider',
      'foldingRangeProvider',
      'definitionProvider',
      'referencesProvider',
      'renameProvider',
      'documentHighlightProvider',
    ] as const)
      assert.ok(caps[k], k);
    assert.equal(result.serverInfo?.name, 'barecount-language-server');
    await c.stop();
  });

  test('diagnostics carry codes, doc links, versions and related places', async () => {
    const uri = newDoc('m.barecount.yaml', EXAMPLE);
    await client.open(uri, EXAMPLE, 7);
    const diags = await client.diagnostics(uri, 7);
    const codes = new Set(diags.map((d) => d.code));
    for (const c of ['BC201', 'BC202', 'BC204', 'BC303', 'BC502', 'BC401']) assert.ok(codes.has(c), `missing ${c}`);
    const d202 = diags.find((d) => d.code === 'BC202')!;
    assert.match(d202.codeDescription!.href, /docs\/rules\/BC202\.md$/);
    assert.equal(d202.source, 'barecount');
    assert.ok(d202.relatedInformation?.[0]?.location.uri === uri);
    // The policy beside the file applies: required tags include team, budget 2500.
    assert.ok(diags.some((d) => d.code === 'BC302' && String(d.message).includes('$2,500.00')));
    assert.ok(!diags.some((d) => String(d.message).includes('Summer2026')));
  });

  test('a client is sent the doc links and related places it says it reads, and the same findings', async () => {
    const fullUri = newDoc('full.barecount.yaml', EXAMPLE);
    await client.open(fullUri, EXAMPLE, 3);
    const full = await client.diagnostics(fullUri, 3);
    // The client above announces both, as VS Code does: a link on every diagnostic, related places
    // where a finding has some, and no data it never reads back.
    assert.ok(full.every((d) => d.codeDescription?.href.endsWith(`docs/rules/${String(d.code)}.md`)));
    assert.ok(full.some((d) => d.relatedInformation?.length));
    assert.ok(full.every((d) => d.data === undefined));
    const bare = (ds: typeof full) => ds.map((d) => JSON.stringify([d.code, d.severity, d.range, d.message, d.source]));
    // Neither (Helix), related places only (Neovim), links only.
    for (const caps of [{}, { relatedInformation: true }, { codeDescriptionSupport: true }]) {
      const other = new LspClient();
      try {
        const init = await other.initialize(undefined, {}, { versionSupport: true, ...caps });
        writeFileSync(join(init.root, 'barecount.policy.yaml'), POLICY);
        const path = join(init.root, 'other.barecount.yaml');
        writeFileSync(path, EXAMPLE);
        const uri = fileUri(path);
        await other.open(uri, EXAMPLE, 3);
        const diags = await other.diagnostics(uri, 3);
        const what = JSON.stringify(caps);
        assert.deepEqual(bare(diags), bare(full), `${what}: the same findings`);
        for (const [d, f] of diags.map((d, i) => [d, full[i]!] as const)) {
          assert.deepEqual(d.codeDescription, 'codeDescriptionSupport' in caps ? f.codeDescription : undefined, `${what}: ${String(d.code)} link`);
          assert.deepEqual(
            d.relatedInformation?.map((r) => r.message),
            'relatedInformation' in caps ? f.relatedInformation?.map((r) => r.message) : undefined,
            `${what}: ${String(d.code)} related places`,
          );
          assert.equal(d.data, undefined);
        }
      } finally {
        await other.stop();
      }
    }
  });

  test('completion ranks runner classes for the stage and marks what the policy forbids', async () => {
    const { text, position } = cursor(EXAMPLE.replace('class: serverless', 'class: $0'));
    const uri = newDoc('c.barecount.yaml', text);
    await client.open(uri, text);
    await client.diagnostics(uri);
    const list = items(await client.connection.sendRequest('textDocument/completion', { textDocument: { uri }, position }));
    assert.equal(list[0]!.label, 'container');
    assert.match(list[0]!.detail!, /recommended for ingestion \/ api-poll/);
    assert.equal(list[list.length - 1]!.label, 'serverless');
    assert.match(list[list.length - 1]!.detail!, /cannot run this stage/);
  });

  test('completion offers networks with reasons, sizes with cost, stage names and missing keys', async () => {
    const net = cursor(EXAMPLE.replace('network: public-egress', 'network: $0'));
    const uri = newDoc('n.barecount.yaml', net.text);
    await client.open(uri, net.text);
    const nets = items(await client.connection.sendRequest('textDocument/completion', { textDocument: { uri }, position: net.position }));
    assert.ok(nets.find((i) => i.label === 'private-vpc')!.detail!.includes('not allowed for restricted data'));

    const size = cursor(EXAMPLE.replace('size: xlarge', 'size: $0'));
    const u2 = newDoc('s.barecount.yaml', size.text);
    await client.open(u2, size.text);
    const sizes = items(await client.connection.sendRequest('textDocument/completion', { textDocument: { uri: u2 }, position: size.position }));
    assert.deepEqual(
      sizes.map((i) => i.label),
      ['small', 'medium', 'large', 'xlarge'],
    );
    assert.match(sizes[0]!.detail!, /1 vCPU · 2 GB · concurrency 2 · \$[\d,.]+\/month/);

    const dep = cursor(EXAMPLE.replace('dependsOn: [pull-campaign]', 'dependsOn: [$0]'));
    const u3 = newDoc('d.barecount.yaml', dep.text);
    await client.open(u3, dep.text);
    const deps = items(await client.connection.sendRequest('textDocument/completion', { textDocument: { uri: u3 }, position: dep.position }));
    assert.deepEqual(
      deps.map((i) => i.label),
      ['pull-campaigns', 'push-audiences'],
    );

    const key = cursor(EXAMPLE.replace('      workload: heavy-joins\n', '      workload: heavy-joins\n      $0\n'));
    const u4 = newDoc('k.barecount.yaml', key.text);
    await client.open(u4, key.text);
    const keys = items(await client.connection.sendRequest('textDocument/completion', { textDocument: { uri: u4 }, position: key.position })).map(
      (i) => i.label,
    );
    assert.ok(keys.includes('connections') && keys.includes('estimate'));
    assert.ok(!keys.includes('runner') && !keys.includes('phase'), 'keys already present are not offered');
  });

  test('completion works in an empty document and in a half-typed one', async () => {
    const uri = newDoc('e.barecount.yaml', '');
    await client.open(uri, '');
    const list = items(await client.connection.sendRequest('textDocument/completion', { textDocument: { uri }, position: { line: 0, character: 0 } }));
    assert.equal(list[0]!.label, 'BareCount pipeline');
    assert.equal(list[0]!.insertTextFormat, 2);
    const broken = cursor(
      'apiVersion: barecount/v1\nkind: Pipeline\nmetadata:\n  name: x\nspec:\n  stages:\n    - name: a\n      phase: publish\n      workload: api-push\n      runner:\n        network: $0\n      connections: [ {\n',
    );
    const u2 = newDoc('b.barecount.yaml', broken.text);
    await client.open(u2, broken.text);
    const nets = items(await client.connection.sendRequest('textDocument/completion', { textDocument: { uri: u2 }, position: broken.position }));
    assert.equal(nets[0]!.label, 'public-egress');
  });

  test('hover explains keys, values, rule codes, and why a stage runs where it runs', async () => {
    const uri = newDoc('h.barecount.yaml', EXAMPLE);
    await client.open(uri, EXAMPLE);
    await client.diagnostics(uri);
    const lines = EXAMPLE.split('\n');
    const at = (needle: string, delta = 1) => {
      const line = lines.findIndex((l) => l.includes(needle));
      return { line, character: lines[line]!.indexOf(needle) + delta };
    };
    const hov = (p: { line: number; character: number }) =>
      client.connection.sendRequest('textDocument/hover', { textDocument: { uri }, position: p }) as Promise<Hover | null>;
    assert.match(hoverText(await hov(at('dataClassification'))), /Data classification/);
    assert.match(hoverText(await hov(at('managed-etl'))), /heavy batch transforms and large joins/);
    const trace = hoverText(await hov(at('pull-campaigns', 3)));
    assert.match(trace, /Selection matrix: \*\*ingestion \/ api-poll\*\*/);
    assert.match(trace, /✗ network may carry restricted data/);
    assert.match(trace, /\$7,502\.42 a month/);
    assert.match(trace, /No runner passes every check/);
    const text2 = EXAMPLE.replace('  stages:\n', '  stages:\n    # barecount-ignore BC101: vendor SDK\n');
    const u2 = newDoc('h2.barecount.yaml', text2);
    await client.open(u2, text2);
    const line = text2.split('\n').findIndex((l) => l.includes('barecount-ignore'));
    const h = await client.connection.sendRequest('textDocument/hover', { textDocument: { uri: u2 }, position: { line, character: 26 } });
    assert.match(hoverText(h as Hover), /BC101.*class-recommendation/s);
  });

  test('a quick fix applies and its finding goes; fix-all; ignore; documentation', async () => {
    const uri = newDoc('q.barecount.yaml', EXAMPLE);
    await client.open(uri, EXAMPLE, 1);
    const diags = await client.diagnostics(uri, 1);
    const d502 = diags.find((d) => d.code === 'BC502')!;
    const actions = (await client.connection.sendRequest('textDocument/codeAction', {
      textDocument: { uri },
      range: d502.range,
      context: { diagnostics: [d502] },
    })) as CodeAction[];
    const fix = actions.find((a) => a.title === 'Change to "pull-campaigns"')!;
    assert.equal(fix.isPreferred, true);
    assert.ok(actions.some((a) => a.title === 'Ignore BC502 for this stage'));
    const edits = fix.edit!.changes![uri]!;
    await client.change(
      uri,
      2,
      edits.map((e) => ({ range: e.range, text: e.newText })),
    );
    const after2 = await client.diagnostics(uri, 2);
    assert.ok(!after2.some((d) => d.code === 'BC502'));

    const docs = actions.find((a) => a.title === 'Show documentation for BC502')!;
    await client.connection.sendRequest('workspace/executeCommand', docs.command);
    await client.until(() => client.shown.find((u) => u.endsWith('BC502.md')), 'showDocument');

    const all = (await client.connection.sendRequest('textDocument/codeAction', {
      textDocument: { uri },
      range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } },
      context: { diagnostics: [], only: ['source.fixAll'] },
    })) as CodeAction[];
    assert.equal(all.length, 1);
    assert.equal(all[0]!.kind, 'source.fixAll.barecount');
    await client.change(
      uri,
      3,
      all[0]!.edit!.changes![uri]!.map((e) => ({ range: e.range, text: e.newText })),
    );
    // Fix-all corrects typos and decides nothing: the secrets, boundaries and tags stay as written.
    const after3 = await client.diagnostics(uri, 3);
    assert.ok(after2.some((d) => d.code === 'BC002'));
    assert.ok(!after3.some((d) => d.code === 'BC002'));
    assert.equal(after3.filter((d) => d.code === 'BC201').length, 2);
    assert.ok(after3.some((d) => d.code === 'BC203') && after3.some((d) => d.code === 'BC401'));
  });

  test('code lens shows stage and pipeline costs, the recommended runner (click to apply it) or why there is none', async () => {
    const uri = newDoc('l.barecount.yaml', EXAMPLE);
    await client.open(uri, EXAMPLE, 1);
    await client.diagnostics(uri, 1);
    type Lens = { command: { title: string; command: string; arguments?: unknown[] } };
    const lenses = (await client.connection.sendRequest('textDocument/codeLens', { textDocument: { uri } })) as Lens[];
    assert.ok(lenses.some((l) => /^\$[\d,.]+\/month of \$2,500\.00 budget \(\d+%\) · over budget/.test(l.command.title)));
    assert.ok(lenses.some((l) => /^\$7,502\.42\/month · serverless xlarge public-egress/.test(l.command.title)));
    assert.ok(lenses.some((l) => /^No runner passes every check/.test(l.command.title) && l.command.command === ''));

    const u2 = newDoc('l2.barecount.yaml', FINANCE);
    await client.open(u2, FINANCE, 1);
    await client.diagnostics(u2, 1);
    const finance = (await client.connection.sendRequest('textDocument/codeLens', { textDocument: { uri: u2 } })) as Lens[];
    const rec = finance.find((l) => l.command.title === 'Recommended: container · large · private-vpc (changes class, size and network)')!;
    await client.connection.sendRequest('workspace/executeCommand', { command: rec.command.command, arguments: rec.command.arguments });
    const applied = await client.until(
      () => client.applied[client.applied.length - 1] as { edit: { changes: Record<string, Array<{ newText: string }>> } },
      'applyEdit',
    );
    assert.deepEqual(
      applied.edit.changes[u2]!.map((e) => e.newText),
      ['container', 'large', 'private-vpc'],
    );
  });

  test('symbols, folding, definition, references, highlights and rename for stages', async () => {
    const uri = newDoc('nav.barecount.yaml', CLEAN);
    await client.open(uri, CLEAN);
    await client.diagnostics(uri);
    const symbols = (await client.connection.sendRequest('textDocument/documentSymbol', { textDocument: { uri } })) as Array<{
      name: string;
      children: Array<{ name: string; children: unknown[] }>;
    }>;
    assert.equal(symbols[0]!.name, 'orders-daily');
    assert.deepEqual(
      symbols[0]!.children.map((c) => c.name),
      ['extract-orders', 'normalize-orders', 'hourly-kpis'],
    );
    assert.equal(symbols[0]!.children[0]!.children.length, 2);
    const folds = (await client.connection.sendRequest('textDocument/foldingRange', { textDocument: { uri } })) as unknown[];
    assert.ok(folds.length >= 5);
    const lines = CLEAN.split('\n');
    const depLine = lines.findIndex((l) => l.includes('dependsOn: [extract-orders]'));
    const pos = { line: depLine, character: lines[depLine]!.indexOf('extract-orders') + 2 };
    const def = (await client.connection.sendRequest('textDocument/definition', { textDocument: { uri }, position: pos })) as {
      range: { start: { line: number } };
    };
    assert.equal(
      def.range.start.line,
      lines.findIndex((l) => l.includes('- name: extract-orders')),
    );
    const refs = (await client.connection.sendRequest('textDocument/references', {
      textDocument: { uri },
      position: pos,
      context: { includeDeclaration: true },
    })) as unknown[];
    assert.equal(refs.length, 2);
    const hl = (await client.connection.sendRequest('textDocument/documentHighlight', { textDocument: { uri }, position: pos })) as unknown[];
    assert.equal(hl.length, 2);
    const rename = (await client.connection.sendRequest('textDocument/rename', { textDocument: { uri }, position: pos, newName: 'extract' })) as {
      changes: Record<string, Array<{ newText: string }>>;
    };
    assert.deepEqual(
      rename.changes[uri]!.map((e) => e.newText),
      ['extract', 'extract'],
    );
    await assert.rejects(
      client.connection.sendRequest('textDocument/rename', { textDocument: { uri }, position: pos, newName: 'Bad Name' }),
      /not a valid stage name/,
    );
  });

  test('cost estimate and recommendations requests; their edits; the same total as barecount-lint --cost', async () => {
    // With the workload's typo corrected, score-leads gets a recommendation; pull-campaigns cannot.
    const text = EXAMPLE.replace('heavy-joins', 'heavy-join');
    const path = join(root, 'cost-m.barecount.yaml');
    writeFileSync(path, text);
    const uri = fileUri(path);
    await client.open(uri, text);
    const est = (await client.connection.sendRequest(COST_ESTIMATE, { uri })) as CostEstimateResult;
    const cli = JSON.parse(runCli(['--format', 'json', '--cost', path], root).stdout);
    assert.ok(Math.abs(est.totalUsd - cli.files[0].cost.monthlyUsd) < 0.001, `${est.totalUsd} vs ${cli.files[0].cost.monthlyUsd} (${est.policySource})`);
    assert.equal(est.policySource, join(root, 'barecount.policy.yaml'));
    assert.deepEqual(est.pipelines[0]!.stages[0]!.defaulted, ['runsPerDay', 'dataGb']);
    // pull-campaigns has no runner that passes (restricted data, a partner network and the
    // public internet), and says why; score-leads has several.
    const pull = est.pipelines[0]!.stages[0]!;
    assert.deepEqual(pull.alternatives, []);
    assert.equal(pull.recommended, null);
    assert.match(pull.noRecommendation![0]!, /reaches both "ads-api" at public-internet and "crm" at partner-network/);
    const stage = est.pipelines[0]!.stages[1]!;
    // Only runners that pass every check: restricted data over PrivateLink (the one typical network allowed).
    assert.ok(stage.alternatives.length > 0);
    for (const a of stage.alternatives) assert.deepEqual([a.class, a.network], ['managed-etl', 'privatelink']);
    assert.ok(stage.alternatives[0]!.monthlyUsd <= stage.alternatives[stage.alternatives.length - 1]!.monthlyUsd);
    assert.deepEqual(stage.recommended && [stage.recommended.class, stage.recommended.size, stage.recommended.network, stage.recommended.changes], [
      'managed-etl',
      'large',
      'privatelink',
      ['network'],
    ]);

    const recs = (await client.connection.sendRequest(RECOMMENDATIONS, { uri })) as RecommendationsResult;
    assert.equal(recs.matrix.length, 9);
    const first = recs.stages[0]!;
    assert.equal(first.recommended, null);
    assert.ok(first.deviations.some((d) => d.code === 'BC101'));
    assert.deepEqual(recs.stages[1]!.recommended, stage.recommended);

    const alt = stage.alternatives[0]!;
    const edit = (await client.connection.sendRequest(RUNNER_EDIT, {
      uri,
      documentIndex: 0,
      stageIndex: 1,
      class: alt.class,
      size: alt.size,
      network: alt.network,
    })) as EditResult;
    assert.ok(edit.edits.length >= 1);
    const est2 = (await client.connection.sendRequest(ESTIMATE_EDIT, {
      uri,
      documentIndex: 0,
      stageIndex: 1,
      estimate: { runsPerDay: 2, durationMinutes: 30 },
    })) as EditResult;
    assert.equal(est2.edits.length, 1);
    // The stage writes its other mappings in flow style; the new one follows them.
    assert.match(est2.edits[0]!.newText, /^\n {6}estimate: \{ runsPerDay: 2, durationMinutes: 30 \}$/);
  });

  test('settings apply live: barecount.rules and codeLens.enabled', async () => {
    const c = new LspClient();
    const { root: r } = await c.initialize();
    const uri = fileUri(join(r, 'x.barecount.yaml'));
    await c.open(uri, EXAMPLE, 1);
    assert.ok((await c.diagnostics(uri, 1)).some((d) => d.code === 'BC101'));
    c.settings = { rules: { BC101: 'off', BC202: 'hint' }, codeLens: { enabled: false } };
    const seen = c.published.length;
    await c.connection.sendNotification('workspace/didChangeConfiguration', { settings: {} });
    const next = await c.nextDiagnostics(uri, seen);
    assert.ok(!next.diagnostics.some((d) => d.code === 'BC101'));
    assert.ok(next.diagnostics.filter((d) => d.code === 'BC202').every((d) => d.severity === 4));
    assert.deepEqual(await c.connection.sendRequest('textDocument/codeLens', { textDocument: { uri } }), []);
    await c.stop();
  });

  test('barecount.policyPath applies when no policy file is near the manifest', async () => {
    const c = new LspClient();
    const { root: r } = await c.initialize();
    mkdirSync(join(r, 'policies'));
    writeFileSync(join(r, 'policies', 'strict.yaml'), 'apiVersion: barecount/v1\nkind: Policy\nallowedClasses: [serverless]\n');
    const uri = fileUri(join(r, 'm.barecount.yaml'));
    await c.open(uri, CLEAN, 1);
    assert.deepEqual(
      (await c.diagnostics(uri, 1)).map((d) => d.code),
      [],
    );
    c.settings = { policyPath: 'policies/strict.yaml' };
    const seen = c.published.length;
    await c.connection.sendNotification('workspace/didChangeConfiguration', { settings: {} });
    assert.ok((await c.nextDiagnostics(uri, seen)).diagnostics.some((d) => d.code === 'BC205'));
    await c.stop();
  });

  test('a changed, added or deleted policy file re-validates open manifests; a broken one falls back, said once', async () => {
    const c = new LspClient();
    const { root: r } = await c.initialize();
    mkdirSync(join(r, 'team'));
    const uri = fileUri(join(r, 'team', 'p.barecount.yaml'));
    await c.open(uri, CLEAN, 1);
    assert.deepEqual(
      (await c.diagnostics(uri, 1)).map((d) => d.code),
      [],
    );
    const policyPath = join(r, 'barecount.policy.yaml');
    writeFileSync(policyPath, 'apiVersion: barecount/v1\nkind: Policy\nallowedClasses: [container]\n');
    let seen = c.published.length;
    await c.connection.sendNotification('workspace/didChangeWatchedFiles', { changes: [{ uri: fileUri(policyPath), type: 1 }] });
    assert.ok((await c.nextDiagnostics(uri, seen)).diagnostics.some((d) => d.code === 'BC205'));
    writeFileSync(policyPath, 'apiVersion: barecount/v1\nkind: Policy\nallowedClasses: [containr]\n');
    seen = c.published.length;
    await c.connection.sendNotification('workspace/didChangeWatchedFiles', { changes: [{ uri: fileUri(policyPath), type: 2 }] });
    assert.deepEqual(
      (await c.nextDiagnostics(uri, seen)).diagnostics.map((d) => d.code),
      [],
    );
    await c.until(() => c.messages.find((m) => m.message.includes('has errors; the built-in policy is used')), 'fallback warning');
    seen = c.published.length;
    await c.connection.sendNotification('workspace/didChangeWatchedFiles', { changes: [{ uri: fileUri(policyPath), type: 2 }] });
    await c.nextDiagnostics(uri, seen);
    assert.equal(c.messages.filter((m) => m.message.includes('has errors')).length, 1);
    // The policy file itself, opened: its own diagnostics, completion and hover.
    const policyUri = fileUri(policyPath);
    const ptext = readFileSync(policyPath, 'utf8');
    await c.open(policyUri, ptext, 1);
    const pd = await c.diagnostics(policyUri, 1);
    assert.equal(pd[0]!.code, 'BC002');
    assert.match(String(pd[0]!.message), /Did you mean "container"/);
    const comp = items(await c.connection.sendRequest('textDocument/completion', { textDocument: { uri: policyUri }, position: { line: 3, character: 0 } }));
    assert.ok(comp.some((i) => i.label === 'requiredTags'));
    const h = await c.connection.sendRequest('textDocument/hover', { textDocument: { uri: policyUri }, position: { line: 2, character: 3 } });
    assert.match(hoverText(h as Hover), /Allowed runner classes/);
    // Editing the open policy re-validates the manifest at once.
    seen = c.published.length;
    await c.change(policyUri, 2, [{ text: 'apiVersion: barecount/v1\nkind: Policy\nallowedClasses: [serverless]\n' }]);
    await c.until(() => c.published.slice(seen).find((p) => p.uri === uri && p.diagnostics.some((d) => d.code === 'BC205')), 'revalidation after policy edit');
    await c.stop();
  });

  test('a burst of 50 edits ends with diagnostics for the last version only', async () => {
    const uri = newDoc('burst.barecount.yaml', CLEAN);
    await client.open(uri, CLEAN, 1);
    await client.diagnostics(uri, 1);
    const seen = client.published.length;
    const line = CLEAN.split('\n').findIndex((l) => l.includes('owner: data-platform'));
    const sends: Array<Promise<void>> = [];
    for (let v = 2; v <= 51; v++) sends.push(client.change(uri, v, [{ range: { start: { line, character: 9 }, end: { line, character: 9 } }, text: 'x' }]));
    await Promise.all(sends);
    const last = await client.diagnostics(uri, 51);
    assert.deepEqual(last, []);
    const during = client.published.slice(seen).filter((p) => p.uri === uri);
    assert.equal(during[during.length - 1]!.version, 51);
    assert.ok(during.length < 10, `${during.length} publications for 50 edits`);
  });

  test('a queued request cancelled by the client is answered as cancelled, not run', async () => {
    const c = new LspClient();
    await c.initialize();
    const { CancellationTokenSource } = await import('vscode-languageserver-protocol');
    const uri = 'file:///big.barecount.yaml';
    const big = (await import('../../bench/generate')).generateManifest(1200);
    await c.open(uri, big);
    // A slow request first (fix-all on a large file), then one that is cancelled while it waits.
    const slow = c.connection.sendRequest('textDocument/codeAction', {
      textDocument: { uri },
      range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } },
      context: { diagnostics: [], only: ['source.fixAll'] },
    });
    const source = new CancellationTokenSource();
    const queued = c.connection.sendRequest('textDocument/hover', { textDocument: { uri }, position: { line: 5, character: 3 } }, source.token);
    source.cancel();
    await assert.rejects(queued, (e: { code?: number }) => e.code === -32800);
    await slow;
    await c.stop();
  });

  test('the server survives malformed requests', async () => {
    const c = new LspClient();
    await c.initialize();
    await assert.rejects(c.connection.sendRequest('textDocument/hover', { nonsense: true }));
    await assert.rejects(c.connection.sendRequest('barecount/nope', {}));
    assert.equal(
      await c.connection.sendRequest('textDocument/hover', { textDocument: { uri: 'file:///not/open.yaml' }, position: { line: 0, character: 0 } }),
      null,
    );
    assert.equal(await c.connection.sendRequest(COST_ESTIMATE, { uri: 'file:///not/open.yaml' }), null);
    await c.connection.sendNotification('textDocument/didChange', {
      textDocument: { uri: 'file:///never-opened.yaml', version: 3 },
      contentChanges: [{ text: 'x' }],
    });
    const uri = 'untitled:Untitled-1';
    await c.open(uri, CLEAN);
    assert.deepEqual(await c.diagnostics(uri), []);
    assert.equal(c.exited, null);
    await c.stop();
  });
});
