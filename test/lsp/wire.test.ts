import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createServer, type AddressInfo, type Socket } from 'node:net';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
import {
  createProtocolConnection,
  DidOpenTextDocumentNotification,
  InitializedNotification,
  InitializeRequest,
  PublishDiagnosticsNotification,
  SocketMessageReader,
  SocketMessageWriter,
  type PublishDiagnosticsParams,
} from 'vscode-languageserver-protocol/node';
import { ROOT, tempDir } from '../helpers';
import { fileUri, killAll, LspClient, track } from './harness';

after(killAll);

// The server writes its own bytes for every message (server/src/lsp/wire.ts): what a client reads
// must be the JSON it meant, framed by its length in UTF-8 bytes, whatever the characters, on
// every stream transport. A misframed message leaves a client waiting: each wait here is bounded.
const NAME = 'étape-🚀-ünknown';
const MANIFEST = readFileSync(join(ROOT, 'examples/orders-daily.barecount.yaml'), 'utf8').replace(
  'dependsOn: [extract-orders]',
  `dependsOn: [extract-orders, "${NAME}"]`,
);
const WAIT_MS = 20_000;

function unknownDependency(diagnostics: PublishDiagnosticsParams['diagnostics']): string | undefined {
  const message = diagnostics.find((d) => d.code === 'BC502')?.message;
  return typeof message === 'string' ? message : message?.value;
}

/** `promise`, or a rejection naming `what` after WAIT_MS. */
function within<T>(promise: Promise<T>, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  return Promise.race([
    promise,
    new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new Error(`timed out waiting for ${what}`)), WAIT_MS))),
  ]).finally(() => clearTimeout(timer));
}

/**
 * The server started with `flag` (`--pipe=…` or `--socket=…`, made from what the listener is
 * listening on), connected to a listener of ours as an LSP client connects: the manifest opened,
 * the message of its BC502 finding back.
 */
async function overSocket(listenOn: string | 0, flag: (address: string | AddressInfo) => string): Promise<string | undefined> {
  let stderr = '';
  let server: ReturnType<typeof spawn> | undefined;
  const accepted = new Promise<Socket>((resolve, reject) => {
    const listener = createServer((socket) => {
      listener.close();
      resolve(socket);
    });
    listener.on('error', reject);
    const started = () => {
      server = track(spawn(process.execPath, [join(ROOT, 'dist/server.js'), flag(listener.address()!)], { stdio: ['ignore', 'ignore', 'pipe'] }));
      server.stderr!.on('data', (d: Buffer) => (stderr += d.toString()));
      server.on('exit', (code) => reject(new Error(`the server exited (${code}) before connecting: ${stderr.slice(-500)}`)));
    };
    if (typeof listenOn === 'string') listener.listen(listenOn, started);
    else listener.listen(0, '127.0.0.1', started);
  });
  try {
    const socket = await within(accepted, 'the server to connect');
    const connection = createProtocolConnection(new SocketMessageReader(socket), new SocketMessageWriter(socket));
    const root = tempDir('barecount-wire-ws-');
    const uri = fileUri(join(root, 'unicode.barecount.yaml'));
    const published = new Promise<PublishDiagnosticsParams>((resolve) =>
      connection.onNotification(PublishDiagnosticsNotification.type, (p) => {
        if (p.uri === uri) resolve(p);
      }),
    );
    connection.onRequest('workspace/configuration', (p: { items: unknown[] }) => p.items.map(() => null));
    connection.onRequest('client/registerCapability', () => null);
    connection.listen();
    await within(
      connection.sendRequest(InitializeRequest.type, { processId: process.pid, rootUri: fileUri(root), workspaceFolders: null, capabilities: {} }),
      'the answer to initialize',
    );
    await connection.sendNotification(InitializedNotification.type, {});
    await connection.sendNotification(DidOpenTextDocumentNotification.type, { textDocument: { uri, languageId: 'barecount', version: 1, text: MANIFEST } });
    const message = unknownDependency((await within(published, `diagnostics; server stderr: ${stderr.slice(-500)}`)).diagnostics);
    connection.dispose();
    socket.destroy();
    return message;
  } finally {
    server?.kill();
  }
}

describe('the bytes on the wire', () => {
  test('over stdio, a message with non-ASCII text arrives whole, in ASCII, framed by its length', { timeout: 60_000 }, async () => {
    const client = new LspClient({ tapWire: true });
    try {
      const { root } = await client.initialize();
      const uri = fileUri(join(root, 'unicode.barecount.yaml'));
      await client.open(uri, MANIFEST);
      const message = unknownDependency(await client.diagnostics(uri, 1));
      assert.ok(message?.includes(`"${NAME}"`), message);
      // Every frame on the wire: its header's length is its body's length in bytes.
      const bytes = Buffer.from(client.wire, 'utf8');
      let at = 0;
      let frames = 0;
      let withName = 0;
      while (at < bytes.length) {
        const headerEnd = bytes.indexOf('\r\n\r\n', at);
        assert.notEqual(headerEnd, -1, 'a frame without its header end');
        const length = Number(/Content-Length: (\d+)/.exec(bytes.subarray(at, headerEnd).toString('ascii'))?.[1]);
        const body = bytes.subarray(headerEnd + 4, headerEnd + 4 + length);
        assert.equal(body.length, length, 'a frame shorter than its Content-Length');
        // Characters past ASCII are written as JSON escapes (a client reads ASCII fastest).
        assert.ok(
          body.every((b) => b < 0x80),
          'a frame with a byte past ASCII',
        );
        const parsed = JSON.parse(body.toString('utf8')) as { jsonrpc?: string };
        assert.equal(parsed.jsonrpc, '2.0');
        if (JSON.stringify(parsed).includes(NAME)) withName++;
        frames++;
        at = headerEnd + 4 + length;
      }
      assert.ok(frames >= 2 && withName >= 1, `${frames} frames, ${withName} naming the stage`);
    } finally {
      await client.stop();
    }
  });

  test('over --pipe, the client listening on a socket file, the server connects and publishes the same message', { timeout: 60_000 }, async () => {
    const message = await overSocket(join(tempDir('barecount-pipe-'), 'lsp.sock'), (address) => `--pipe=${String(address)}`);
    assert.ok(message?.includes(`"${NAME}"`), message);
  });

  test('over --socket, the server connects to the client’s port and publishes the same message', { timeout: 60_000 }, async () => {
    const message = await overSocket(0, (address) => `--socket=${(address as AddressInfo).port}`);
    assert.ok(message?.includes(`"${NAME}"`), message);
  });
});
