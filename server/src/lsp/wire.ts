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

const utf8 = new TextEncoder();

/** Long arrays are written this many elements at a time. */
const BATCH = 64;
/** How deep plain objects are opened to find long arrays: a message, its params or result, their fields. */
const OPENED = 3;

/**
 * A message as UTF-8 JSON, the same bytes as `JSON.stringify`, written in pieces. The protocol
 * library writes `Buffer.from(JSON.stringify(message))`: V8 returns a JSON text that long as a
 * chain of parts, which the encoding first copies into one string. For the 13,600 diagnostics of
 * a 5000-stage manifest (7 MB) that copy and the encoding took twice as long as JSON.stringify
 * itself, on every publish. Here a long array (the diagnostics, a long list of completion items)
 * is written 64 elements at a time, each piece a short string encoded on its own; the rest of the
 * message is written by JSON.stringify as before. (One difference no message of ours can see: a
 * `toJSON` method of a value written in a piece is passed another key.)
 */
export function encodeJson(value: unknown): Uint8Array {
  // Each piece is encoded as soon as it is made: kept as strings until the end, the pieces took
  // twice as long (each is a chain of parts that is copied into one string to be encoded).
  const pieces: Uint8Array[] = [];
  if (!write(value, pieces, 0)) throw new TypeError('The message has no JSON form.');
  // A message with no long array is one piece, as the library writes it.
  if (pieces.length === 1) return pieces[0]!;
  const out = new Uint8Array(pieces.reduce((n, b) => n + b.length, 0));
  let at = 0;
  for (const b of pieces) {
    out.set(b, at);
    at += b.length;
  }
  return out;
}

/** Appends the JSON of `value` to `out`; false when it has none (undefined, a function, a symbol), as JSON.stringify would omit it. */
function write(value: unknown, out: Uint8Array[], depth: number): boolean {
  if (!opens(value, depth)) return push(JSON.stringify(value), out);
  if (Array.isArray(value)) {
    // Each slice is written by JSON.stringify as the whole array's elements would be (an element
    // with no JSON form is null in an array); its brackets are dropped.
    for (let i = 0; i < value.length; i += BATCH) {
      const json = JSON.stringify(value.slice(i, i + BATCH));
      out.push(utf8.encode(`${i === 0 ? '[' : ','}${json.slice(1, -1)}`));
    }
    out.push(utf8.encode(']'));
    return true;
  }
  // A plain object holding a long array: its members are written one by one.
  const object = value as Record<string, unknown>;
  let first = true;
  for (const k of Object.keys(object)) {
    const member: Uint8Array[] = [];
    if (!write(object[k], member, depth + 1)) continue;
    out.push(utf8.encode(`${first ? '{' : ','}${JSON.stringify(k)}:`), ...member);
    first = false;
  }
  out.push(utf8.encode(first ? '{}' : '}'));
  return true;
}

/** Whether `value` is, or holds within the depth opened, a long array: writing it in pieces helps. */
function opens(value: unknown, depth: number): boolean {
  if (Array.isArray(value)) return value.length > BATCH && depth <= OPENED && !hasToJson(value);
  if (depth >= OPENED || !isPlainObject(value)) return false;
  for (const k in value) if (Object.prototype.hasOwnProperty.call(value, k) && opens(value[k], depth + 1)) return true;
  return false;
}

function push(json: string | undefined, out: Uint8Array[]): boolean {
  if (json === undefined) return false;
  out.push(utf8.encode(json));
  return true;
}

/** An object JSON.stringify writes key by key: no toJSON, made by `{}` (or with no prototype). */
function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return false;
  const proto = Object.getPrototypeOf(value) as unknown;
  return (proto === Object.prototype || proto === null) && !hasToJson(value);
}

function hasToJson(value: object): boolean {
  return typeof (value as { toJSON?: unknown }).toJSON === 'function';
}

/**
 * How messages become bytes on a stream transport (stdio, a pipe, a socket): encodeJson, framed by
 * the protocol library as before. (`--node-ipc`, VS Code's transport, is serialised by Node itself.)
 */
export const JSON_PIECEWISE: ContentTypeEncoder = Object.freeze({
  name: 'application/json',
  encode(msg: Message): Promise<Uint8Array> {
    try {
      return Promise.resolve(encodeJson(msg));
    } catch (e) {
      return Promise.reject(e);
    }
  },
});

const WRITER: MessageWriterOptions = Object.freeze({ charset: 'utf-8', contentTypeEncoder: JSON_PIECEWISE });

export function stdioTransport(): { reader: MessageReader; writer: MessageWriter } {
  return { reader: new StreamMessageReader(process.stdin), writer: new StreamMessageWriter(process.stdout, WRITER) };
}

/**
 * `--pipe` (a socket file, or a named pipe on Windows) or `--socket` (a local port): the client
 * listens and the server connects, as the protocol library's own transports do.
 */
export function socketTransport(to: { path: string } | { port: number }): { reader: MessageReader; writer: MessageWriter } {
  const socket = 'path' in to ? connectTo(to.path) : connectTo(to.port, '127.0.0.1');
  return { reader: new SocketMessageReader(socket, 'utf-8'), writer: new SocketMessageWriter(socket, WRITER) };
}
