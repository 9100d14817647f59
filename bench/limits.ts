/**
 * npm run bench:limits: the slowest answer the server gives to hostile input at the default
 * limits, over stdio. The goal is that no request takes more than a second. Prints two tables:
 * milliseconds per request for every input, and for each hostile shape how its cost grows over
 * four sizes up to the document size limit (steps from the engine's own counter, work.ts; time
 * from the server). Nothing here asserts a time; the machine it runs on may be shared.
 */

import { analyze, DEFAULT_LIMITS, LineIndex, type Position } from '../server/src/core';
import { LspClient, killAll } from '../test/lsp/harness';
import { generateManifest } from './generate';

interface Input {
  label: string;
  text: string;
  /** Where hover and completion are asked: the middle of the file, or the end of a crafted line. */
  at?: number;
  /** A hostile shape measured at several sizes: its name and size step. */
  family?: string;
}

function inputs(): Input[] {
  // The largest manifest under the 1 MiB limit, built from the generator's stages.
  let n = 1500;
  while (generateManifest(n + 50).length < 1024 * 1024 - 4096) n += 50;
  const laughs = ['a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]'];
  for (let i = 1; i < 10; i++)
    laughs.push(
      `${String.fromCharCode(97 + i)}: &${String.fromCharCode(97 + i)} [${Array(9)
        .fill(`*${String.fromCharCode(96 + i)}`)
        .join(',')}]`,
    );
  const broken = generateManifest(n)
    .replace(/workload: /g, 'workload: x')
    .replace(/class: /g, 'class: y');
  return [
    { label: `manifest just under the limit (${n} stages)`, text: generateManifest(n) },
    { label: `the same with an error in every stage`, text: broken },
    { label: '10 MB file (over the limit)', text: `apiVersion: barecount/v1\n${'# padding padding padding padding\n'.repeat(320_000)}` },
    { label: 'alias bomb', text: `apiVersion: barecount/v1\n${laughs.join('\n')}\n` },
    { label: 'deep nesting', text: `apiVersion: barecount/v1\nspec: ${'['.repeat(50_000)}${']'.repeat(50_000)}\n` },
    { label: 'binary junk', text: String.fromCharCode(...Array.from({ length: 100_000 }, (_, i) => (i * 7919) % 256)) },
    {
      label: 'one 900 KB line',
      text: `apiVersion: barecount/v1\nkind: Pipeline\nmetadata: { name: x, owner: o, dataClassification: public, description: "${'x'.repeat(900_000)}" }\nspec: { stages: [] }\n`,
    },
    ...hostile(),
  ];
}

const HEAD = 'apiVersion: barecount/v1\nkind: Pipeline\nmetadata:\n  name: hostile\n  owner: data-platform\n  dataClassification: internal\n';
const STAGE = '    - name: a\n      phase: ingestion\n      workload: webhook\n      runner: { class: serverless, size: small, network: public-egress }\n';
const TAIL = `spec:\n  stages:\n${STAGE}`;

/**
 * Each hostile shape at four sizes, the largest just under the size limit: built around a
 * repeated unit, with the place to ask for hover and completion (the crafted line's end, for the
 * shapes completion reads).
 */
const SHAPES: Record<string, (size: number) => { text: string; at?: number }> = {
  'JWT-ish description (eyJ-eyJ-…)': (size) => {
    const text = `${HEAD}  description: "${'eyJ-'.repeat(size / 4)}"\n${TAIL}`;
    return { text, at: HEAD.length + 20 };
  },
  'URL-ish description (a.a.…@, ://, @)': (size) => {
    const text = `${HEAD}  description: "${'a.'.repeat(size / 4)}@ ${'a://b:c:'.repeat(size / 16)}@"\n${TAIL}`;
    return { text, at: HEAD.length + 20 };
  },
  'dependsOn with many entries': (size) => ({ text: `${HEAD}spec:\n  stages:\n${STAGE}      dependsOn: [${'a, '.repeat(size / 3)}a]\n` }),
  'ignore-comment stack': (size) => ({ text: `${HEAD}spec:\n  stages:\n${'    # barecount-ignore BC201\n'.repeat(size / 29)}${STAGE}` }),
  'crafted line, completion at its end: word then {': (size) => {
    const text = `${HEAD}spec:\n  stages:\n${STAGE}      runner: ${'a'.repeat(size)} { class: `;
    return { text, at: text.length };
  },
  'blank lines, completion of a runner class': (size) => {
    const text = `${HEAD.replace('  dataClassification: internal\n', '')}${' \n'.repeat(size / 2)}  dataClassification: internal\n${TAIL}      runner:\n        class: `;
    return { text, at: text.length };
  },
  'crafted stage line (spaces-spaces), completion in dependsOn': (size) => {
    const text = `${HEAD}spec:\n  stages:\n    - phase: ingestion\n      ${' '.repeat(size / 2)}-${' '.repeat(size / 2)}x\n${STAGE}      dependsOn: [`;
    return { text, at: text.length };
  },
  'nested ? keys': (size) => ({ text: `${HEAD}${'? '.repeat(size / 2)}a\n` }),
  // Read on the fast path: an escape or a `#` is looked at once, not the line once per escape.
  'escapes in a double-quoted value (\\n\\n…)': (size) => ({ text: `${HEAD}  description: "${'\\n'.repeat(size / 2)}"\n${TAIL}` }),
  'hashes in a plain value (a#a#…)': (size) => ({ text: `${HEAD}  description: ${'a#'.repeat(size / 2)}\n${TAIL}` }),
  // Block scalars on the fast path: their lines are read once, and a line is asked whether it
  // ends in a header by a search that moves only forward (a `|` far away is not searched for again).
  'a block scalar of blank and # lines': (size) => ({ text: `${HEAD}  description: |\n    x\n${'\n    # y\n'.repeat(size / 9)}${TAIL}` }),
  'a | on every line of a plain value (a | # | # …)': (size) => ({ text: `${HEAD}  description: ${'a | # '.repeat(size / 6)}|\n${TAIL}` }),
  // A flow collection's line is measured once, however many entries and nested collections it
  // holds ('dependsOn with many entries' above is one line of entries).
  'nested one-line flow lists ([[a], [a], …])': (size) => ({ text: `${HEAD}${TAIL}      dependsOn: [${'[a], '.repeat(size / 5)}[a]]\n` }),
  'many stages, one | at the end': (size) => ({ text: `${HEAD}spec:\n  stages:\n${STAGE.repeat(size / STAGE.length)}      notes: |\n        x\n` }),
  // Every value a distinct secret: the redaction layer searches for all of them in every output.
  'a secret on every line': (size) => {
    const lines: string[] = [];
    for (let i = 0, n = 0; n < size; i++) {
      const line = `        PASSWORD_${i}: v${(i * 7919).toString(36)}SecretValue`;
      lines.push(line);
      n += line.length + 1;
    }
    return { text: `${HEAD}${TAIL}      env:\n${lines.join('\n')}\n` };
  },
  'blank lines around a construct the fast path leaves to the library': (size) => ({
    text: `${HEAD.replace('  dataClassification: internal\n', '')}${'\n'.repeat(size - 300)}  dataClassification: &c internal\n${TAIL}`,
  }),
};

function hostile(): Input[] {
  const limit = DEFAULT_LIMITS.maxDocumentSize - 4096;
  const out: Input[] = [];
  for (const [family, make] of Object.entries(SHAPES)) {
    for (const part of [8, 4, 2, 1]) {
      const { text, at } = make(Math.floor(limit / part));
      out.push({ label: `${family} @ ${Math.round(text.length / 1024)} KB`, text, family, ...(at !== undefined ? { at } : {}) });
    }
  }
  return out;
}

async function main() {
  const client = new LspClient();
  await client.initialize();
  const rows: Array<Record<string, string>> = [];
  const growth = new Map<string, Array<{ kb: number; steps: number; open: number; worst: number }>>();
  let worst = 0;
  for (const input of inputs()) {
    const { text } = input;
    const uri = `file:///limits/${rows.length}.barecount.yaml`;
    const times: Record<string, number> = {};
    const timed = async (name: string, f: () => Promise<unknown>) => {
      const t = performance.now();
      await f();
      times[name] = performance.now() - t;
      worst = Math.max(worst, times[name]!);
    };
    await timed('open → diagnostics', async () => {
      await client.open(uri, text, 1);
      await client.diagnostics(uri, 1);
    });
    // An edit at the top, then requests that must analyse the new version themselves.
    const edited = `# edited\n${text}`;
    const lines = new LineIndex(edited);
    const at: Position = input.at !== undefined ? lines.positionAt(input.at + 9) : { line: Math.floor(lines.lineCount / 2), character: 10 };
    await client.change(uri, 2, [{ range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } }, text: '# edited\n' }]);
    await timed('hover after an edit', () => client.connection.sendRequest('textDocument/hover', { textDocument: { uri }, position: at }));
    await timed('completion', () => client.connection.sendRequest('textDocument/completion', { textDocument: { uri }, position: at }));
    await timed('fix-all', () =>
      client.connection.sendRequest('textDocument/codeAction', {
        textDocument: { uri },
        range: { start: at, end: at },
        context: { diagnostics: [], only: ['source.fixAll'] },
      }),
    );
    await timed('code lens', () => client.connection.sendRequest('textDocument/codeLens', { textDocument: { uri } }));
    await timed('symbols', () => client.connection.sendRequest('textDocument/documentSymbol', { textDocument: { uri } }));
    await timed('folding', () => client.connection.sendRequest('textDocument/foldingRange', { textDocument: { uri } }));
    await timed('cost estimate', () => client.connection.sendRequest('barecount/costEstimate', { uri }));
    await client.close(uri);
    rows.push({
      input: input.label,
      'size KB': String(Math.round(text.length / 1024)),
      ...Object.fromEntries(Object.entries(times).map(([k, v]) => [k, v.toFixed(0)])),
    });
    if (input.family) {
      // The engine's steps for the same text, counted in this process (no limit in the way).
      const steps = analyze(text, { today: '2026-06-01', limits: { ...DEFAULT_LIMITS, maxWork: Infinity } }).steps;
      const list = growth.get(input.family) ?? [];
      list.push({ kb: Math.round(text.length / 1024), steps, open: times['open → diagnostics']!, worst: Math.max(...Object.values(times)) });
      growth.set(input.family, list);
    }
  }
  console.log(`Milliseconds per request at the default limits (1 MiB, 100 aliases, depth 64, ${DEFAULT_LIMITS.maxWork / 1e6}M steps of work):`);
  console.table(rows);
  console.log('How each hostile shape grows, 8× the size from first to last (steps: the engine’s work counter):');
  console.table(
    [...growth].map(([family, list]) => {
      const first = list[0]!;
      const last = list[list.length - 1]!;
      return {
        shape: family,
        'sizes KB': list.map((r) => r.kb).join(' / '),
        steps: list.map((r) => r.steps).join(' / '),
        'steps ×': (last.steps / first.steps).toFixed(1),
        'open ms': list.map((r) => r.open.toFixed(0)).join(' / '),
        'slowest request ms': list.map((r) => r.worst.toFixed(0)).join(' / '),
      };
    }),
  );
  console.log(`worst: ${worst.toFixed(0)} ms (goal: under 1000 ms)`);
  await client.stop();
  killAll();
}

void main();
