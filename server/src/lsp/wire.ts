import { createConnection as connectTo } from 'node:net';
import {
  SocketMessageReader,
  SocketMessageWriter,
  StreamMessageReader,
  StreamMessageWriter,
  type ContentTypeEncoder,
  type Message,
  type MessageReader,
  type MessageWriter,
  type MessageWriterOptions,
} from 'vscode-languageserver/node';

/**
 * How messages become bytes on a stream transport (stdio, a pipe, a socket). The same JSON as the
 * protocol library writes, made UTF-8 by the platform's `TextEncoder` instead of `Buffer.from(json,
 * 'utf-8')`: the library's way took 36 ms for the 7 MB of a 5000-stage manifest's diagnostics and
 * `TextEncoder` 10 ms (1 ms when the text is ASCII, as most publishes are), on every publish.
 * JSON.stringify escapes a lone surrogate, so both write the same bytes for every message.
 * (`--node-ipc`, VS Code's transport, is serialised by Node itself.)
 */
const utf8 = new TextEncoder();

export const JSON_UTF8: ContentTypeEncoder = Object.freeze({
  name: 'application/json',
  encode(msg: Message): Promise<Uint8Array> {
    try {
      return Promise.resolve(utf8.encode(JSON.stringify(msg)));
    } catch (e) {
      return Promise.reject(e);
    }
  },
});

const WRITER: MessageWriterOptions = Object.freeze({ charset: 'utf-8', contentTypeEncoder: JSON_UTF8 });

export function stdioTransport(): { reader: MessageReader; writer: MessageWriter } {
  return { reader: new StreamMessageReader(process.stdin), writer: new StreamMessageWriter(process.stdout, WRITER) };
}

/** `--pipe` (a named pipe or socket file) or `--socket` (a local port): the client listens, the server connects. */
export function socketTransport(to: { path: string } | { port: number }): { reader: MessageReader; writer: MessageWriter } {
  const socket = 'path' in to ? connectTo(to.path) : connectTo(to.port, '127.0.0.1');
  return { reader: new SocketMessageReader(socket, 'utf-8'), writer: new SocketMessageWriter(socket, WRITER) };
}
