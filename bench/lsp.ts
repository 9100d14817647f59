/**
 * npm run bench (LSP part): our server and Red Hat's yaml-language-server 1.25.0 (schema store
 * off, our manifest schema mapped) driven over stdio on the same generated manifests.
 * Prints one table; nothing here asserts a time.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { createProtocolConnection, StreamMessageReader, StreamMessageWriter, type PublishDiagnosticsParams } from 'vscode-languageserver-protocol/node';
import { benchSeed, generateCorpusManifest } from './corpus';

const ROOT = join(__dirname, '..');
const EDITS = 10;
const QUERIES = 20;

interface Figures {
  initMs: number;
  openMs: number;
  editMedian: number;
  editP95: number;
  completionP95: number;
  hoverP95: number;
  peakRssMb: number;
}

function pct(xs: number[], p: number): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.ceil((p / 100) * s.length) - 1)]!;
}

function peakRss(pid: number): number {
  try {
    const m = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return m ? Number(m[1]) / 1024 : NaN;
  } catch {
    return NaN;
  }
}

/**
 * What a client says it reads of a diagnostic. The table is for VS Code's (vscode-languageclient 11
 * announces these); a client announcing none of them (`versionSupport` only) is sent a third fewer
 * bytes per publish (convert.ts), and has rows of its own.
 */
const VSCODE_PUBLISH = { relatedInformation: true, versionSupport: true, codeDescriptionSupport: true, dataSupport: true, tagSupport: { valueSet: [1, 2] } };
const BARE_PUBLISH = { versionSupport: true };

/** The lines naming a stage: `- name:` items at the least indentation (connections' are deeper). */
function stageNameLines(lines: string[]): number[] {
  const at = lines.map((l) => (/^ +- name: /.test(l) ? l.indexOf('-') : -1));
  const indent = Math.min(...at.filter((n) => n >= 0));
  return at.flatMap((n, i) => (n === indent ? [i] : []));
}

async function drive(server: 'barecount' | 'yaml-language-server', text: string, publishDiagnostics: object = VSCODE_PUBLISH): Promise<Figures> {
  const dir = mkdtempSync(join(tmpdir(), 'bc-bench-'));
  const file = join(dir, 'bench.barecount.yaml');
  writeFileSync(file, text);
  const uri = pathToFileURL(file).href;
  const schemaUri = pathToFileURL(join(ROOT, 'schemas/barecount-pipeline.schema.json')).href;
  // Both servers start as a standalone server is most often started: `node <script> --stdio`,
  // with no flags and no environment of ours (the goals must hold without them).
  // BENCH_NODE_FLAGS runs ours under node with flags, to try them.
  const flags = process.env.BENCH_NODE_FLAGS?.split(' ').filter(Boolean) ?? [];
  const proc =
    server === 'barecount'
      ? spawn(process.execPath, [...flags, process.env.BENCH_SERVER ?? join(ROOT, 'dist/server.js'), '--stdio'], { stdio: ['pipe', 'pipe', 'ignore'] })
      : spawn(process.execPath, [join(ROOT, 'node_modules/yaml-language-server/bin/yaml-language-server'), '--stdio'], { stdio: ['pipe', 'pipe', 'ignore'] });
  const conn = createProtocolConnection(new StreamMessageReader(proc.stdout!), new StreamMessageWriter(proc.stdin!));
  // The 5000-stage manifest (3 MB) is above our default size limit (1 MiB): raise it here.
  const ourSettings = { limits: { maxFileSizeKb: 16384 } };
  const yamlSettings = {
    schemas: { [schemaUri]: ['*.barecount.yaml'] },
    schemaStore: { enable: false },
    validate: true,
    hover: true,
    completion: true,
    format: { enable: false },
    maxItemsComputed: 100000,
  };
  conn.onRequest('workspace/configuration', (p: { items: Array<{ section?: string }> }) =>
    p.items.map((i) => (i.section === 'yaml' ? yamlSettings : i.section === 'barecount' ? ourSettings : {})),
  );
  conn.onRequest('client/registerCapability', () => null);
  conn.onRequest('window/workDoneProgress/create', () => null);
  const published: Array<{ at: number; p: PublishDiagnosticsParams }> = [];
  let wake: (() => void) | undefined;
  conn.onNotification('textDocument/publishDiagnostics', (p: PublishDiagnosticsParams) => {
    published.push({ at: performance.now(), p });
    wake?.();
  });
  conn.listen();
  const waitPublish = async (after: number, version?: number) => {
    for (;;) {
      const hit = published.slice(after).find((x) => x.p.uri === uri && (version === undefined || x.p.version === undefined || x.p.version === version));
      if (hit) return hit.at;
      await new Promise<void>((r) => {
        wake = r;
        setTimeout(r, 2000);
      });
    }
  };

  let t0 = performance.now();
  await conn.sendRequest('initialize', {
    processId: process.pid,
    rootUri: pathToFileURL(dir).href,
    workspaceFolders: [{ uri: pathToFileURL(dir).href, name: 'bench' }],
    capabilities: {
      workspace: { configuration: true, didChangeConfiguration: { dynamicRegistration: true } },
      textDocument: {
        publishDiagnostics,
        completion: { completionItem: { snippetSupport: true } },
        hover: { contentFormat: ['markdown'] },
      },
    },
    initializationOptions: {},
  });
  await conn.sendNotification('initialized', {});
  const initMs = performance.now() - t0;
  await conn.sendNotification('workspace/didChangeConfiguration', { settings: { yaml: yamlSettings, barecount: ourSettings } });

  const seen = published.length;
  t0 = performance.now();
  await conn.sendNotification('textDocument/didOpen', { textDocument: { uri, languageId: server === 'barecount' ? 'barecount' : 'yaml', version: 1, text } });
  const openMs = (await waitPublish(seen, 1)) - t0;

  // One-character edits in the middle stage: a name gets a letter (still valid YAML). Its line
  // ends with the name (the generator sometimes adds a comment or quotes; edits go at the end of
  // the name, before either).
  const lines = text.split(/\r?\n/);
  // The first stage name past the middle that ends its line (a manifest of BENCH_FILE may name
  // its stages any way; the generator's are stage-<n>-…).
  const names = stageNameLines(lines).filter((i) => /^ +- name: "?[a-z][a-z0-9-]*"?$/.test(lines[i]!));
  const mid = names[Math.floor(names.length / 2)] ?? -1;
  if (mid < 0) throw new Error('no line `- name: <stage>` ending its line to edit');
  // Completion where a stage's runner class is written in block style, past the middle.
  const classLine = lines.findIndex((l, i) => i > mid && /^ {8}class: [a-z-]+$/.test(l));
  const edits: number[] = [];
  const nameEnd = lines[mid]!.length - (lines[mid]!.endsWith('"') ? 1 : 0);
  for (let i = 0; i < EDITS; i++) {
    const before = published.length;
    const start = performance.now();
    await conn.sendNotification('textDocument/didChange', {
      textDocument: { uri, version: i + 2 },
      contentChanges: [{ range: { start: { line: mid, character: nameEnd + i }, end: { line: mid, character: nameEnd + i } }, text: 'x' }],
    });
    edits.push((await waitPublish(before, i + 2)) - start);
  }
  const completion: number[] = [];
  const hover: number[] = [];
  for (let i = 0; i < QUERIES; i++) {
    let s = performance.now();
    await conn.sendRequest('textDocument/completion', { textDocument: { uri }, position: { line: classLine, character: lines[classLine]!.indexOf(':') + 2 } });
    completion.push(performance.now() - s);
    s = performance.now();
    await conn.sendRequest('textDocument/hover', { textDocument: { uri }, position: { line: mid, character: 14 } });
    hover.push(performance.now() - s);
  }
  const peakRssMb = peakRss(proc.pid!);
  await conn.sendRequest('shutdown').catch(() => undefined);
  await conn.sendNotification('exit').catch(() => undefined);
  conn.dispose();
  // The next server starts only once this one is gone. The row measured right after the peer (ours,
  // for a client reading no links) read 837-942 ms in some runs at 1000 dirty stages, against
  // 600-690 in the same runs: the peer was still freeing its 466 MiB.
  const gone = new Promise<void>((resolve) => (proc.exitCode !== null || proc.signalCode !== null ? resolve() : proc.once('exit', () => resolve())));
  proc.kill();
  // A server that outlives SIGTERM is killed outright, not waited for without end.
  const hard = setTimeout(() => proc.kill('SIGKILL'), 10_000);
  await gone;
  clearTimeout(hard);
  rmSync(dir, { recursive: true, force: true });
  return { initMs, openMs, editMedian: pct(edits, 50), editP95: pct(edits, 95), completionP95: pct(completion, 95), hoverP95: pct(hover, 95), peakRssMb };
}

async function main() {
  const sizes = (process.env.BENCH_LSP_SIZES ?? '100,1000,5000').split(',').map(Number);
  // plain: the dirty corpus without anchors, block strings or escapes (what the fast path reads whole).
  const kinds = (process.env.BENCH_CORPUS ?? 'clean,dirty,plain').split(',') as Array<'clean' | 'dirty' | 'plain'>;
  const rows: Record<string, string | number>[] = [];
  // BENCH_FILE=<manifest> measures that file instead of the generated corpora (a manifest of your own,
  // or one generated by another tool).
  const own = process.env.BENCH_FILE;
  const inputs = own
    ? [{ stages: stageNameLines(readFileSync(own, 'utf8').split(/\r?\n/)).length, kind: basename(own), text: readFileSync(own, 'utf8') }]
    : sizes.flatMap((stages) =>
        kinds.map((kind) => ({
          stages,
          kind,
          // The corpus generator (corpus.ts) randomises structure from a seed; dirty puts a finding in one stage in six.
          text: generateCorpusManifest({ stages, seed: benchSeed(stages), dirty: kind !== 'clean', unusual: kind !== 'plain', written: true }),
        })),
      );
  {
    for (const { stages, kind, text } of inputs) {
      const ours = await drive('barecount', text);
      const peer = await drive('yaml-language-server', text);
      const bare = await drive('barecount', text, BARE_PUBLISH);
      const row = (metric: string, a: number, b: number, goal: string) =>
        rows.push({ stages, corpus: kind, metric, barecount: a.toFixed(1), 'yaml-ls 1.25.0': b.toFixed(1), ratio: (a / b).toFixed(2), goal });
      row('initialize ms', ours.initMs, peer.initMs, '');
      row('open → diagnostics ms', ours.openMs, peer.openMs, '≤ 0.4');
      row('edit → diagnostics median ms', ours.editMedian, peer.editMedian, '≤ 0.15');
      row('edit → diagnostics p95 ms', ours.editP95, peer.editP95, '');
      row('open, a client reading no links ms', bare.openMs, peer.openMs, '');
      row('edit median, no links ms', bare.editMedian, peer.editMedian, '');
      row('completion p95 ms', ours.completionP95, peer.completionP95, '< 20 ms');
      row('hover p95 ms', ours.hoverP95, peer.hoverP95, '< 20 ms');
      row('peak RSS MiB', ours.peakRssMb, peer.peakRssMb, '≤ 0.5');
    }
  }
  console.log(
    `\nLanguage servers over stdio, both started as \`node <server> --stdio\` (${EDITS} edits, ${QUERIES} completions and hovers each; seed ${benchSeed(0)})`,
  );
  console.table(rows);
}

void main();
