/**
 * npm run bench (LSP part): our server and Red Hat's yaml-language-server 1.25.0 (schema store
 * off, our manifest schema mapped) driven over stdio on the same generated manifests.
 * Prints one table; nothing here asserts a time.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { createProtocolConnection, StreamMessageReader, StreamMessageWriter, type PublishDiagnosticsParams } from 'vscode-languageserver-protocol/node';
import { generateManifest } from './generate';

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

async function drive(server: 'barecount' | 'yaml-language-server', stages: number): Promise<Figures> {
  const dir = mkdtempSync(join(tmpdir(), 'bc-bench-'));
  const file = join(dir, 'bench.barecount.yaml');
  const text = generateManifest(stages);
  writeFileSync(file, text);
  const uri = pathToFileURL(file).href;
  const schemaUri = pathToFileURL(join(ROOT, 'schemas/barecount-pipeline.schema.json')).href;
  // Each server is started as an editor starts it: ours through its bin (whose shebang carries
  // its V8 settings), the peer through node and its bin script. BENCH_NODE_FLAGS instead runs
  // ours under node with those flags, to try others.
  const flags = process.env.BENCH_NODE_FLAGS?.split(' ').filter(Boolean);
  const proc =
    server === 'barecount'
      ? flags
        ? spawn(process.execPath, [...flags, join(ROOT, 'dist/server.js'), '--stdio'], { stdio: ['pipe', 'pipe', 'ignore'] })
        : spawn(join(ROOT, 'dist/server.js'), ['--stdio'], { stdio: ['pipe', 'pipe', 'ignore'] })
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
        publishDiagnostics: { versionSupport: true },
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

  // One-character edits in the middle stage: a name gets a letter (still valid YAML).
  const lines = text.split('\n');
  const mid = lines.findIndex((l) => l === `    - name: stage-${Math.floor(stages / 2)}`);
  const edits: number[] = [];
  for (let i = 0; i < EDITS; i++) {
    const before = published.length;
    const start = performance.now();
    await conn.sendNotification('textDocument/didChange', {
      textDocument: { uri, version: i + 2 },
      contentChanges: [
        { range: { start: { line: mid, character: lines[mid]!.length + i }, end: { line: mid, character: lines[mid]!.length + i } }, text: 'x' },
      ],
    });
    edits.push((await waitPublish(before, i + 2)) - start);
  }
  const classLine = mid + 4;
  const completion: number[] = [];
  const hover: number[] = [];
  for (let i = 0; i < QUERIES; i++) {
    let s = performance.now();
    await conn.sendRequest('textDocument/completion', { textDocument: { uri }, position: { line: classLine, character: lines[classLine]!.indexOf(':') + 2 } });
    completion.push(performance.now() - s);
    s = performance.now();
    await conn.sendRequest('textDocument/hover', { textDocument: { uri }, position: { line: mid + 1, character: 8 } });
    hover.push(performance.now() - s);
  }
  const peakRssMb = peakRss(proc.pid!);
  await conn.sendRequest('shutdown').catch(() => undefined);
  await conn.sendNotification('exit').catch(() => undefined);
  conn.dispose();
  proc.kill();
  return { initMs, openMs, editMedian: pct(edits, 50), editP95: pct(edits, 95), completionP95: pct(completion, 95), hoverP95: pct(hover, 95), peakRssMb };
}

async function main() {
  const sizes = (process.env.BENCH_LSP_SIZES ?? '100,1000,5000').split(',').map(Number);
  const rows: Record<string, string | number>[] = [];
  for (const stages of sizes) {
    const ours = await drive('barecount', stages);
    const peer = await drive('yaml-language-server', stages);
    const row = (metric: string, a: number, b: number, goal: string) =>
      rows.push({ stages, metric, barecount: a.toFixed(1), 'yaml-ls 1.25.0': b.toFixed(1), ratio: (a / b).toFixed(2), goal });
    row('initialize ms', ours.initMs, peer.initMs, '');
    row('open → diagnostics ms', ours.openMs, peer.openMs, '≤ 0.5');
    row('edit → diagnostics median ms', ours.editMedian, peer.editMedian, '≤ 0.2');
    row('edit → diagnostics p95 ms', ours.editP95, peer.editP95, '');
    row('completion p95 ms', ours.completionP95, peer.completionP95, '< 20 ms');
    row('hover p95 ms', ours.hoverP95, peer.hoverP95, '< 20 ms');
    row('peak RSS MiB', ours.peakRssMb, peer.peakRssMb, '≤ 0.5');
  }
  console.log(`\nLanguage servers over stdio (${EDITS} edits, ${QUERIES} completions and hovers each)`);
  console.table(rows);
}

void main();
