import { spawn, type ChildProcess } from 'node:child_process';
import { StringDecoder } from 'node:string_decoder';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import {
  createProtocolConnection,
  DidChangeTextDocumentNotification,
  DidCloseTextDocumentNotification,
  DidOpenTextDocumentNotification,
  InitializedNotification,
  InitializeRequest,
  PublishDiagnosticsNotification,
  ShutdownRequest,
  ExitNotification,
  StreamMessageReader,
  StreamMessageWriter,
  type Diagnostic,
  type ProtocolConnection,
  type PublishDiagnosticsParams,
  type TextDocumentContentChangeEvent,
} from 'vscode-languageserver-protocol/node';
import { ROOT, tempDir } from '../helpers';

/**
 * A real LSP client over stdio against the built server (dist/server.js), with the protocol
 * library's own framing. Tests talk to it as an editor would.
 */
/** Every server started by a test, so that a failed test cannot leave one running. */
const running = new Set<ChildProcess>();
/** A server a test started itself, killed with the rest. */
export function track(proc: ChildProcess): ChildProcess {
  running.add(proc);
  proc.on('exit', () => running.delete(proc));
  return proc;
}
export function killAll(): void {
  for (const p of running) p.kill('SIGKILL');
  running.clear();
}

export class LspClient {
  readonly connection: ProtocolConnection;
  readonly proc: ChildProcess;
  readonly published: PublishDiagnosticsParams[] = [];
  readonly messages: Array<{ type: number; message: string }> = [];
  readonly logs: string[] = [];
  readonly shown: string[] = [];
  readonly applied: unknown[] = [];
  settings: Record<string, unknown> = {};
  private waiters: Array<() => void> = [];
  stderr = '';
  /** Every byte the server wrote to stdout, when asked for: what any client could see or log. */
  wire = '';
  exited: number | null = null;

  constructor(options: { tapWire?: boolean } = {}) {
    this.proc = process.env.LSP_VIA_BIN
      ? spawn(join(ROOT, 'dist/server.js'), ['--stdio'], { stdio: ['pipe', 'pipe', 'pipe'] })
      : spawn(process.execPath, [join(ROOT, 'dist/server.js'), '--stdio'], { stdio: ['pipe', 'pipe', 'pipe'] });
    this.proc.stderr!.on('data', (d: Buffer) => (this.stderr += d.toString()));
    // A character split between two chunks is decoded whole.
    const wire = new StringDecoder('utf8');
    if (options.tapWire) this.proc.stdout!.on('data', (d: Buffer) => (this.wire += wire.write(d)));
    running.add(this.proc);
    this.proc.on('exit', (code) => {
      this.exited = code;
      running.delete(this.proc);
    });

    this.connection = createProtocolConnection(new StreamMessageReader(this.proc.stdout!), new StreamMessageWriter(this.proc.stdin!));
    this.connection.onNotification(PublishDiagnosticsNotification.type, (p) => {
      this.published.push(p);
      this.poke();
    });
    this.connection.onNotification('window/showMessage', (p: { type: number; message: string }) => {
      this.messages.push(p);
      this.poke();
    });
    this.connection.onNotification('window/logMessage', (p: { message: string }) => {
      this.logs.push(p.message);
    });
    this.connection.onRequest('workspace/configuration', (p: { items: Array<{ section?: string }> }) =>
      p.items.map((i) => (i.section === 'barecount' ? this.settings : null)),
    );
    this.connection.onRequest('client/registerCapability', () => null);
    this.connection.onRequest('window/showDocument', (p: { uri: string }) => {
      this.shown.push(p.uri);
      return { success: true };
    });
    this.connection.onRequest('workspace/applyEdit', (p: unknown) => {
      this.applied.push(p);
      this.poke();
      return { applied: true };
    });
    this.connection.onRequest('workspace/workspaceFolders', () => []);
    this.connection.listen();
  }

  private poke() {
    const w = this.waiters;
    this.waiters = [];
    for (const f of w) f();
  }

  /** Waits until `check` holds, re-checking on every message from the server (no sleeps). */
  async until<T>(check: () => T | undefined | false, what: string, timeoutMs = 15_000): Promise<T> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const v = check();
      if (v) return v;
      if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}; stderr: ${this.stderr.slice(-500)}`);
      await new Promise<void>((resolve) => {
        const t = setTimeout(resolve, Math.max(0, Math.min(250, deadline - Date.now())));
        this.waiters.push(() => {
          clearTimeout(t);
          resolve();
        });
      });
    }
  }

  /** `publishDiagnostics`: what the client says it reads of a diagnostic; VS Code's by default. */
  async initialize(
    rootPath?: string,
    options: Record<string, unknown> = {},
    publishDiagnostics: Record<string, unknown> = { relatedInformation: true, versionSupport: true, codeDescriptionSupport: true },
  ) {
    const root = rootPath ?? tempDir('barecount-lsp-');
    const rootUri = pathToFileURL(root).href;
    const result = await this.connection.sendRequest(InitializeRequest.type, {
      processId: process.pid,
      rootUri,
      workspaceFolders: [{ uri: rootUri, name: 'ws' }],
      capabilities: {
        workspace: { configuration: true, didChangeWatchedFiles: { dynamicRegistration: true }, workspaceFolders: true, applyEdit: true },
        textDocument: {
          publishDiagnostics,
          completion: { completionItem: { snippetSupport: true } },
        },
        window: { showDocument: { support: true } },
      },
      initializationOptions: options,
    });
    await this.connection.sendNotification(InitializedNotification.type, {});
    return { result, root, rootUri };
  }

  open(uri: string, text: string, version = 1) {
    return this.connection.sendNotification(DidOpenTextDocumentNotification.type, { textDocument: { uri, languageId: 'barecount', version, text } });
  }

  change(uri: string, version: number, changes: TextDocumentContentChangeEvent[]) {
    return this.connection.sendNotification(DidChangeTextDocumentNotification.type, { textDocument: { uri, version }, contentChanges: changes });
  }

  close(uri: string) {
    return this.connection.sendNotification(DidCloseTextDocumentNotification.type, { textDocument: { uri } });
  }

  /** Diagnostics published for `uri` at `version` (or any version when left out). */
  diagnostics(uri: string, version?: number): Promise<Diagnostic[]> {
    return this.until(
      () => {
        const hit = [...this.published].reverse().find((p) => p.uri === uri && (version === undefined || p.version === version));
        return hit?.diagnostics;
      },
      `diagnostics for ${uri}${version === undefined ? '' : ` v${version}`}`,
    );
  }

  /** Diagnostics published for `uri` after `count` publications had been seen. */
  nextDiagnostics(uri: string, after: number): Promise<PublishDiagnosticsParams> {
    return this.until(() => this.published.slice(after).find((p) => p.uri === uri), `new diagnostics for ${uri}`);
  }

  async stop() {
    // A server that does not answer is killed after 10 s: a test's failure is reported, not hung on.
    let timer: NodeJS.Timeout | undefined;
    try {
      await Promise.race([
        (async () => {
          await this.connection.sendRequest(ShutdownRequest.type);
          await this.connection.sendNotification(ExitNotification.type);
        })(),
        new Promise<void>((resolve) => (timer = setTimeout(resolve, 10_000))),
      ]);
    } catch {
      // Already gone: the test that killed it says so.
    } finally {
      clearTimeout(timer);
    }
    this.connection.dispose();
    if (this.exited === null) this.proc.kill();
  }
}

export function fileUri(path: string): string {
  return pathToFileURL(path).href;
}

/** Text with a `$0` cursor marker: the text without it and the marker's line/character. */
export function cursor(marked: string): { text: string; position: { line: number; character: number } } {
  const at = marked.indexOf('$0');
  const before = marked.slice(0, at);
  const line = before.split('\n').length - 1;
  return { text: marked.replace('$0', ''), position: { line, character: at - (before.lastIndexOf('\n') + 1) } };
}
