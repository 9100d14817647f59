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
import { fileUri, killAll, LspClient } from './harness';

after(killAll);

// The server writes its own bytes for every message (server/src/lsp/wire.ts): what a client reads
// must be the JSON it meant, framed by its length in UTF-8 bytes, whatever the characters.
const NAME = 'étape-🚀-ünknown';
const MANIFEST = readFileSync(join(ROOT, 'examples/orders-daily.barecount.yaml'), 'utf8').replace(
  'dependsOn: [extract-orders]',
  `dependsOn: [extract-orders, "${NAME}"]`,
);

function unknownDependency(diagnostics: PublishDiagnosticsParams['diagnostics']): string | undefined {
  const message = diagnostics.find((d) => d.code === 'BC502')?.message;
  return typeof message === 'string' ? message : message?.value;
}

describe('the bytes on the wire', () => {
  test('over stdio, a message with non-ASCII text arrives whole, its Content-Length counting UTF-8 bytes', async () => {
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
        const parsed = JSON.parse(body.toString('utf8')) as { jsonrpc?: string };
        assert.equal(parsed.jsonrpc, '2.0');
        if (body.toString('utf8').includes(NAME)) withName++;
        frames++;
        at = headerEnd + 4 + length;
      }
      assert.ok(frames >= 2 && withName >= 1, `${frames} frames, ${withName} naming the stage`);
    } finally {
      await client.stop();
    }
  });

  test('over --pipe, the client listening on a socket file, the server connects and publishes the same message', async () => {
    const path = join(tempDir('barecount-pipe-'), 'lsp.sock');
    let spawned: ReturnType<typeof spawn> | undefined;
    const accepted = new Promise<Socket>((resolve) => {
      const server = createServer((socket) => {
        server.close();
        resolve(socket);
      });
      server.listen(path, () => {
        spawned = spawn(process.execPath, [join(ROOT, 'dist/server.js'), `--pipe=${path}`], { stdio: ['ignore', 'ignore', 'pipe'] });
      });
    });
    try {
      const socket = await accepted;
      const connection = createProtocolConnection(new SocketMessageReader(socket), new SocketMessageWriter(socket));
      const got = new Promise<PublishDiagnosticsParams>((resolve) =>
        connection.onNotification(PublishDiagnosticsNotification.type, (p) => {
          if (p.version === 1) resolve(p);
        }),
      );
      connection.onRequest('workspace/configuration', (p: { items: unknown[] }) => p.items.map(() => null));
      connection.onRequest('client/registerCapability', () => null);
      connection.listen();
      const root = tempDir('barecount-pipe-ws-');
      await connection.sendRequest(InitializeRequest.type, {
        processId: process.pid,
        rootUri: fileUri(root),
        workspaceFolders: null,
        capabilities: { textDocument: { publishDiagnostics: { versionSupport: true } } },
      });
      await connection.sendNotification(InitializedNotification.type, {});
      const uri = fileUri(join(root, 'unicode.barecount.yaml'));
      await connection.sendNotification(DidOpenTextDocumentNotification.type, { textDocument: { uri, languageId: 'barecount', version: 1, text: MANIFEST } });
      const message = unknownDependency((await got).diagnostics);
      assert.ok(message?.includes(`"${NAME}"`), message);
      connection.dispose();
      socket.destroy();
    } finally {
      spawned?.kill();
    }
  });

  test('over --socket, the server connects to the client’s port', async () => {
    let spawned: ReturnType<typeof spawn> | undefined;
    const accepted = new Promise<Socket>((resolve) => {
      const server = createServer((socket) => {
        server.close();
        resolve(socket);
      });
      server.listen(0, '127.0.0.1', () => {
        const port = (server.address() as AddressInfo).port;
        spawned = spawn(process.execPath, [join(ROOT, 'dist/server.js'), `--socket=${port}`], { stdio: ['ignore', 'ignore', 'pipe'] });
      });
    });
    try {
      const socket = await accepted;
      const connection = createProtocolConnection(new SocketMessageReader(socket), new SocketMessageWriter(socket));
      const got = new Promise<PublishDiagnosticsParams>((resolve) =>
        connection.onNotification(PublishDiagnosticsNotification.type, (p) => {
          if (p.version === 1) resolve(p);
        }),
      );
      connection.onRequest('workspace/configuration', (p: { items: unknown[] }) => p.items.map(() => null));
      connection.onRequest('client/registerCapability', () => null);
      connection.listen();
      const root = tempDir('barecount-socket-ws-');
      await connection.sendRequest(InitializeRequest.type, { processId: process.pid, rootUri: fileUri(root), workspaceFolders: null, capabilities: {} });
      await connection.sendNotification(InitializedNotification.type, {});
      const uri = fileUri(join(root, 'unicode.barecount.yaml'));
      await connection.sendNotification(DidOpenTextDocumentNotification.type, { textDocument: { uri, languageId: 'barecount', version: 1, text: MANIFEST } });
      assert.ok(unknownDependency((await got).diagnostics)?.includes(`"${NAME}"`));
      connection.dispose();
      socket.destroy();
    } finally {
      spawned?.kill();
    }
  });
});
