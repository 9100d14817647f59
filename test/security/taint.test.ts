import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
import fc from 'fast-check';
import { run } from '../../server/src/cli/main';
import { COST_ESTIMATE, RECOMMENDATIONS } from '../../server/src/protocol';
import { hideDocumentText } from '../../client/src/trace';
import { fileUri, killAll, LspClient } from '../lsp/harness';
import { tempDir } from '../helpers';

/**
 * The secret-taint property: a marker secret placed anywhere a secret can hide (under a secret
 * key, in a credential shape, as a name, through an alias, in broken YAML, under an ignore
 * comment, in a comment) never appears in any output, CLI or LSP. Each case is a random manifest.
 */
after(killAll);

const ALNUM = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
const markerArb = fc.array(fc.constantFrom(...ALNUM), { minLength: 20, maxLength: 28 }).map((cs) => `Qz${cs.join('')}`);

const token = (m: string) => `ghp_${m}`.padEnd(40, 'x');
const SHAPED: Array<(m: string) => string> = [
  token,
  (m) => `eyJ${m}.eyJ${m}Zm9v.c2ln${m}`,
  (m) => `https://svc-user:${m}@crm.example.com/api`,
  (m) => `Bearer ${m}`,
  (m) => `-----BEGIN RSA PRIVATE KEY----- ${m}`,
];
const FIELDS = ['name', 'owner', 'description', 'size', 'class', 'network', 'workload', 'cron', 'dependsOn', 'connection', 'justification', 'tag', 'comment'];

function placeShaped(text: string, field: string, value: string): string {
  const q = JSON.stringify(value);
  switch (field) {
    case 'name':
      return text.replace('- name: pull-orders', `- name: ${q}`);
    case 'owner':
      return text.replace('owner: data-platform', `owner: ${q}`);
    case 'description':
      return text.replace('description: nightly', `description: ${q}`);
    case 'size':
      return text.replace('size: small', `size: ${q}`);
    case 'class':
      return text.replace('class: serverless', `class: ${q}`);
    case 'network':
      return text.replace('network: public-egress', `network: ${q}`);
    case 'workload':
      return text.replace('workload: api-poll', `workload: ${q}`);
    case 'cron':
      return text.replace('cron: "0 2 * * *"', `cron: ${q}`);
    case 'dependsOn':
      return text.replace('dependsOn: [pull-orders]', `dependsOn: [pull-orders, ${q}]`);
    case 'connection':
      return text.replace('name: orders-api', `name: ${q}`);
    case 'justification':
      return text.replace('size: small', `size: small\n        justification: ${q}`);
    case 'tag':
      return text.replace('cost-center: ops', `cost-center: ${q}`);
    default:
      return text.replace('spec:', `# ${value}\nspec:`);
  }
}

const BASE = `apiVersion: barecount/v1
kind: Pipeline
metadata:
  name: taint
  owner: data-platform
  description: nightly
  dataClassification: internal
  tags: { cost-center: ops }
spec:
  stages:
    - name: pull-orders
      phase: ingestion
      workload: api-poll
      runner:
        class: serverless
        size: small
        network: public-egress
      connections:
        - name: orders-api
          kind: http-api
          location: public-internet
          direction: read
      schedule: { cron: "0 2 * * *" }
#SECRET#
    - name: load
      phase: ingestion
      workload: bulk-extract
      runner: { class: container, size: medium, network: private-vpc }
      dependsOn: [pull-orders]
      schedule: { cron: "0 3 * * *" }
`;

const KEYED: Array<(m: string) => string[]> = [
  (m) => ['      env:', `        DB_PASSWORD: ${m}`],
  (m) => ['      env:', `        API_TOKEN: "${m}"`],
  (m) => ['      env:', `        'client-secret': '${m}'`],
  (m) => ['      env: { LOG: info, ACCESS_KEY: ' + m + ' }'],
  (m) => ['      env:', '        PRIVATE_KEY: |', `          ${m}`, `          ${m}2`],
];

const caseArb = fc.record({
  marker: markerArb,
  keyed: fc.option(fc.nat(KEYED.length - 1), { nil: undefined }),
  shaped: fc.option(fc.record({ shape: fc.nat(SHAPED.length - 1), field: fc.constantFrom(...FIELDS) }), { nil: undefined }),
  // The keyed secret, through an alias, as the value of another field.
  alias: fc.option(fc.constantFrom('name', 'owner', 'size', 'dependsOn', 'workload'), { nil: undefined }),
  ignored: fc.boolean(),
  broken: fc.option(fc.constantFrom('unclosed quote', 'tab indent', 'bad indent', 'stray bracket'), { nil: undefined }),
});

type Case = typeof caseArb extends fc.Arbitrary<infer T> ? T : never;

function manifest(c: Case): string {
  const m = c.marker;
  const keyed = c.keyed ?? (c.shaped === undefined ? 0 : undefined);
  let lines = keyed === undefined ? [] : KEYED[keyed]!(m);
  if (c.alias && keyed === 0) lines = ['      env:', `        DB_PASSWORD: &pw ${m}`];
  let text = BASE.replace('#SECRET#\n', lines.length ? `${lines.join('\n')}\n` : '');
  if (c.alias && keyed === 0) {
    text =
      c.alias === 'name'
        ? text.replace('- name: load', '- name: *pw')
        : c.alias === 'owner'
          ? text.replace('owner: data-platform', 'owner: data-platform2').replace('size: medium', 'size: medium')
          : c.alias === 'dependsOn'
            ? text.replace('dependsOn: [pull-orders]', 'dependsOn: [pull-orders, *pw]')
            : c.alias === 'size'
              ? text.replace('size: medium', 'size: *pw')
              : text.replace('workload: bulk-extract', 'workload: *pw');
  }
  if (c.shaped) text = placeShaped(text, c.shaped.field, SHAPED[c.shaped.shape]!(m));
  if (c.ignored) text = text.replace('    - name:', '    # barecount-ignore BC201 BC002 BC102 BC205: fixture\n    - name:');
  if (c.broken) {
    const broken = {
      'unclosed quote': '      description: "never closed',
      'tab indent': '\t  oops: 1',
      'bad indent': '   misaligned: true',
      'stray bracket': '      ]',
    }[c.broken];
    text = text.replace('      schedule: { cron: "0 3', `${broken}\n      schedule: { cron: "0 3`);
  }
  return text;
}

function assertClean(where: string, output: string, marker: string, text: string) {
  assert.ok(!output.includes(marker), `${where} repeats the marker secret; manifest:\n${text}`);
}

describe('secret taint: no output of any kind holds the marker', () => {
  test('the generated manifests really hold the marker', () => {
    fc.assert(
      fc.property(caseArb, (c) => manifest(c).includes(c.marker)),
      { numRuns: 200 },
    );
  });

  test('barecount-lint in every format, with --cost and --fix', () => {
    const dir = tempDir('barecount-taint-');
    let n = 0;
    fc.assert(
      fc.property(caseArb, (c) => {
        const text = manifest(c);
        const file = join(dir, `case-${n++}.barecount.yaml`);
        for (const args of [['--cost'], ['--cost', '--format', 'json'], ['--cost', '--format', 'sarif'], ['--fix', '--unsafe-fixes', '--cost']]) {
          writeFileSync(file, text);
          let out = '';
          const io = { stdout: (s: string) => (out += s), stderr: (s: string) => (out += s), isTty: false, env: {} };
          run([...args, file], io);
          assertClean(`barecount-lint ${args.join(' ')}`, out, c.marker, text);
        }
      }),
      { numRuns: 120 },
    );
  });

  test('the language server: everything it writes, for every request a client makes', async () => {
    const client = new LspClient({ tapWire: true });
    const { root } = await client.initialize();
    const cases = fc.sample(caseArb, { numRuns: 30, seed: 9 });
    for (const [i, c] of cases.entries()) {
      const text = manifest(c);
      const path = join(root, `taint-${i}.barecount.yaml`);
      writeFileSync(path, text);
      const uri = fileUri(path);
      const start = client.wire.length;
      await client.open(uri, text);
      const diags = await client.diagnostics(uri);
      const lines = text.split('\n');
      const textDocument = { uri };
      for (let line = 0; line < lines.length; line++) {
        for (let character = 0; character <= lines[line]!.length; character += 4) {
          await client.connection.sendRequest('textDocument/hover', { textDocument, position: { line, character } });
        }
        await client.connection.sendRequest('textDocument/completion', { textDocument, position: { line, character: lines[line]!.length } });
      }
      await client.connection.sendRequest('textDocument/documentSymbol', { textDocument });
      await client.connection.sendRequest('textDocument/codeLens', { textDocument });
      for (const d of diags) await client.connection.sendRequest('textDocument/codeAction', { textDocument, range: d.range, context: { diagnostics: [d] } });
      await client.connection.sendRequest('textDocument/codeAction', {
        textDocument,
        range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } },
        context: { diagnostics: [], only: ['source.fixAll'] },
      });
      await client.connection.sendRequest(COST_ESTIMATE, { uri });
      await client.connection.sendRequest(RECOMMENDATIONS, { uri });
      assertClean(`the server's messages (case ${i})`, client.wire.slice(start), c.marker, text);
      await client.close(uri);
    }
    assertClean('stderr', client.stderr, cases[0]!.marker, '');
    await client.stop();
  });

  test("the client's protocol trace leaves out the text of documents", () => {
    fc.assert(
      fc.property(caseArb, (c) => {
        const text = manifest(c);
        const traced = `[Trace] Sending notification 'textDocument/didOpen'.\nParams: ${JSON.stringify({ textDocument: { uri: 'file:///x', text } }, null, 4)}`;
        const shown = hideDocumentText(traced);
        assertClean('the trace', shown, c.marker, text);
        assert.match(shown, /characters of document text not logged/);
      }),
      { numRuns: 100 },
    );
  });
});
