import { createConnection as connectTo } from 'node:net';
import {
  AbstractMessageWriter,
  SocketMessageReader,
  StreamMessageReader,
  type Message,
  type MessageReader,
  type MessageWriter,
} from 'vscode-languageserver/node';
import { jsonToWrite, keptJsonOf, type KeptJson } from './kept-json';

/** Long arrays are written this many elements at a time. */
const BATCH = 64;
/** How deep plain objects are opened to find long arrays: a message, its params or result, their fields. */
const OPENED = 3;

/**
 * A message as JSON in ASCII: the text of `JSON.stringify`, every character past ASCII written as
 * its `\uXXXX` escape (which every JSON reader reads back as the same character), written in
 * pieces.
 *
 * ASCII, because a client reads the bytes into a string before parsing them: a text holding one
 * "←" or "·" (stage paths, runner names) must be decoded character by character, and becomes a
 * string of two bytes a character. Reading a 1000-stage manifest's publish (2 MB, about 4,000
 * such characters) took the protocol library's client 20 ms against 8 ms once escaped, on every
 * keystroke; the escaping costs the server about 2 ms.
 *
 * In pieces, because the protocol
 * library writes `Buffer.from(JSON.stringify(message))`: V8 returns a JSON text that long as a
 * chain of parts, which the encoding first copies into one string. For the 13,600 diagnostics of
 * a 5000-stage manifest (7 MB) that copy and the encoding took twice as long as JSON.stringify
 * itself, on every publish. Here a long array (the diagnostics, a long list of completion items)
 * is written 64 elements at a time, each piece a short string encoded on its own; the rest of the
 * message is written by JSON.stringify as before. (One difference no message of ours can see: a
 * `toJSON` method of a value written in a piece is passed another key.)
 */
export function encodeJson(value: unknown): Uint8Array {
  const pieces = encodePieces(value);
  if (pieces.length === 1) return pieces[0]!;
  const out = new Uint8Array(pieces.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of pieces) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

/**
 * encodeJson's bytes as the pieces a stream writes one after the other: views of the scratch
 * buffers lent, valid until `scratch.release()`, or bytes of their own without a scratch.
 */
export function encodePieces(value: unknown, scratch?: Scratch): Uint8Array[] {
  // A message with no long array is one piece, as the library writes it.
  if (!opens(value, 0)) {
    const json = JSON.stringify(value) as string | undefined;
    if (json === undefined) throw new TypeError('The message has no JSON form.');
    // ASCII once escaped: written as Latin-1, the same bytes, as the pieces of a long message are.
    return [Buffer.from(ascii(json), 'latin1')];
  }
  const out = new Builder(scratch);
  try {
    write(value, out, 0);
  } catch (e) {
    out.abandon();
    throw e;
  }
  return out.done();
}

/**
 * Buffers a writer lends the encoder, one message at a time, and keeps between messages: the bytes
 * of a long message are encoded into them and written from them. A new buffer for every publish of
 * a 1000-stage manifest was 2 MB of fresh memory on every keystroke, and fresh pages are what this
 * virtual machine makes slow (bench/README.md): about 6 ms of a 100 ms edit. The buffers are blocks
 * of BLOCK bytes, added as a message needs them: a buffer grown by doubling and copying touched
 * twice the message's size, on the first publish that the open waits for.
 */
export class Scratch {
  /** Blocks are kept up to this many bytes in all (a message of 13,600 diagnostics is 7 MB); more are let go after use. */
  static readonly KEPT = 16 * 1024 * 1024;
  private blocks: Buffer[] = [];
  private lent = false;

  /** `block`: the size of a block (BLOCK; tests make it small to cross blocks often). */
  constructor(readonly block = BLOCK) {}

  /** The blocks, lent until `release`; undefined while they are lent already (the message gets its own). */
  lend(): Buffer[] | undefined {
    if (this.lent) return undefined;
    this.lent = true;
    return this.blocks;
  }

  /** The blocks a message was encoded into (the ones lent, and any added), kept for the next one up to KEPT bytes. */
  keep(blocks: Buffer[]): void {
    let bytes = 0;
    let n = 0;
    while (n < blocks.length && bytes + blocks[n]!.length <= Scratch.KEPT) bytes += blocks[n++]!.length;
    this.blocks = blocks.slice(0, n);
  }

  /** The bytes lent are written: the next message may reuse the blocks. */
  release(): void {
    this.lent = false;
  }
}

/** A block of encoded bytes; a piece longer than a block gets a block of its own length. */
const BLOCK = 1024 * 1024;

const PAST_ASCII = /[^\x00-\x7f]/;
const EVERY_PAST_ASCII = /[^\x00-\x7f]/g;
const escaped = (c: string) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`;

/**
 * JSON text with every character past ASCII escaped. Such characters are only ever inside its
 * strings, where an escape means the same; a character outside the BMP is two UTF-16 units, each
 * escaped on its own, as JSON writes it.
 */
export function ascii(json: string): string {
  return PAST_ASCII.test(json) ? json.replace(EVERY_PAST_ASCII, escaped) : json;
}
const COMMA = 0x2c;

/** Where a message's pieces are encoded as they are made, into blocks filled one after the other. */
class Builder {
  private readonly blocks: Buffer[];
  private readonly lent: boolean;
  /** The block being filled, where in it, and where each block used so far starts in the message. */
  private current = 0;
  private at = 0;
  private readonly starts = [0];
  private readonly size: number;

  constructor(private readonly scratch: Scratch | undefined) {
    const lent = scratch?.lend();
    this.lent = lent !== undefined;
    this.blocks = lent ? [...lent] : [];
    this.size = scratch?.block ?? BLOCK;
  }

  /** Appends JSON `text`, in ASCII; its first byte is replaced by `first` when given (a slice's "[" by ","). */
  put(json: string, first?: number): void {
    this.putAscii(ascii(json), first);
  }

  /** Appends text that is ASCII already (ascii()): a byte a character, copied as Latin-1, which is the same bytes and several times faster to write than UTF-8. */
  putAscii(text: string, first?: number): void {
    let block = this.blocks[this.current];
    if (!block || this.at + text.length > block.length) {
      // The next block (a piece is never split): an existing one if it is large enough.
      if (block) {
        this.starts.push(this.starts[this.current]! + this.at);
        this.current++;
      }
      this.at = 0;
      const existing = this.blocks[this.current];
      if (existing && existing.length >= text.length) block = existing;
      else {
        block = Buffer.alloc(Math.max(this.size, text.length));
        this.blocks.splice(this.current, existing ? 1 : 0, block);
      }
    }
    const from = this.at;
    this.at += block.write(text, this.at, 'latin1');
    if (first !== undefined) block[from] = first;
  }

  get length(): number {
    return this.starts[this.current]! + this.at;
  }

  /**
   * Takes back the end of the last piece: a slice's closing "]" before the next slice, a member's
   * key when the member has no JSON form. A piece is never split, so that is in the current block.
   */
  rewind(length: number): void {
    const at = length - this.starts[this.current]!;
    if (at < 0) throw new RangeError('Only the end of the last piece can be taken back.');
    this.at = at;
  }

  /** The message's bytes, block by block: views of the scratch blocks (valid until released), or bytes of their own. */
  done(): Uint8Array[] {
    const pieces: Uint8Array[] = [];
    for (let i = 0; i <= this.current; i++) {
      const end = i === this.current ? this.at : this.starts[i + 1]! - this.starts[i]!;
      // (A Buffer's slice is a view: a message's own bytes are a copy, not its whole block.)
      if (end > 0) pieces.push(this.lent ? this.blocks[i]!.subarray(0, end) : new Uint8Array(this.blocks[i]!.subarray(0, end)));
    }
    if (this.lent) this.scratch!.keep(this.blocks);
    return pieces;
  }

  /** Nothing was encoded (the message has no JSON form): the scratch blocks are free again. */
  abandon(): void {
    if (!this.lent) return;
    this.scratch!.keep(this.blocks);
    this.scratch!.release();
  }
}

/** Appends the JSON of `value` to `out`; false when it has none (undefined, a function, a symbol), as JSON.stringify would omit it. */
function write(value: unknown, out: Builder, depth: number): boolean {
  if (!opens(value, depth)) {
    const json = JSON.stringify(value) as string | undefined;
    if (json === undefined) return false;
    out.put(json);
    return true;
  }
  if (Array.isArray(value)) {
    // Each slice is written by JSON.stringify as the whole array's elements would be (an element
    // with no JSON form is null in an array); the brackets between two slices become a comma.
    for (let i = 0; i < value.length; i += BATCH) {
      if (i > 0) out.rewind(out.length - 1);
      const slice = value.slice(i, i + BATCH);
      const kept = keptJson(slice);
      if (kept === undefined) {
        out.put(JSON.stringify(slice), i === 0 ? undefined : COMMA);
        continue;
      }
      // Elements whose JSON is kept: written one by one from it, not joined into a slice first.
      out.putAscii(i === 0 ? '[' : ',');
      for (let k = 0; k < kept.length; k++) {
        if (k > 0) out.putAscii(',');
        out.putAscii(kept[k]!);
      }
      out.putAscii(']');
    }
    return true;
  }
  // A plain object holding a long array: its members are written one by one.
  const object = value as Record<string, unknown>;
  let first = true;
  for (const k of Object.keys(object)) {
    const before = out.length;
    out.put(`${first ? '{' : ','}${JSON.stringify(k)}:`);
    if (!write(object[k], out, depth + 1)) {
      out.rewind(before);
      continue;
    }
    first = false;
  }
  out.put(first ? '{}' : '}');
  return true;
}

/**
 * The JSON (in ASCII) of each element of a slice of a long array, when every one is kept (keepJson)
 * and written before; undefined when one is not: the slice is written whole, as JSON.stringify does.
 */
function keptJson(slice: readonly unknown[]): string[] | undefined {
  const kept: KeptJson[] = [];
  for (let i = 0; i < slice.length; i++) {
    const k = keptJsonOf(slice[i]);
    // One element not kept (made for this message, or a masked copy): the slice is written whole,
    // and no kept element's state moves on for a JSON that would not be used.
    if (k === undefined) return undefined;
    kept.push(k);
  }
  let whole = false;
  const parts: string[] = [];
  for (let i = 0; i < kept.length; i++) {
    const json = jsonToWrite(kept[i]!, slice[i], elementJson);
    if (json === undefined) whole = true;
    else parts.push(json);
  }
  return whole ? undefined : parts;
}

/** An element's JSON in ASCII, as JSON.stringify writes it in an array (one with no JSON form is null). */
function elementJson(value: unknown): string {
  return ascii((JSON.stringify(value) as string | undefined) ?? 'null');
}

/** Whether `value` is, or holds within the depth opened, a long array: writing it in pieces helps. */
function opens(value: unknown, depth: number): boolean {
  if (Array.isArray(value)) return value.length > BATCH && depth <= OPENED && !hasToJson(value);
  if (depth >= OPENED || !isPlainObject(value)) return false;
  for (const k in value) if (Object.prototype.hasOwnProperty.call(value, k) && opens(value[k], depth + 1)) return true;
  return false;
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
 * Writes each message on a stream transport (stdio, a pipe, a socket) as the protocol library's
 * stream writer does: a Content-Length header, then the message's bytes (encodeJson), one message
 * at a time. The bytes are encoded into this writer's scratch buffer, and the next message is
 * encoded only once the stream has taken them. (`--node-ipc`, VS Code's transport, is serialised
 * by Node itself.)
 */
export class FramedWriter extends AbstractMessageWriter implements MessageWriter {
  private queue: Promise<void> = Promise.resolve();
  private readonly scratch = new Scratch();
  private errors = 0;

  constructor(private readonly stream: NodeJS.WritableStream) {
    super();
    stream.on('error', (e: Error) => this.fireError(e));
    stream.on('close', () => this.fireClose());
  }

  write(msg: Message): Promise<void> {
    const sent = this.queue.then(() => this.send(msg));
    this.queue = sent.catch(() => undefined);
    return sent;
  }

  private send(msg: Message): Promise<void> {
    return new Promise((resolve, reject) => {
      let body: Uint8Array[];
      try {
        body = encodePieces(msg, this.scratch);
      } catch (e) {
        this.fireError(e as Error);
        reject(e as Error);
        return;
      }
      this.stream.write(`Content-Length: ${body.reduce((n, p) => n + p.length, 0)}\r\n\r\n`, 'ascii');
      for (let i = 0; i < body.length - 1; i++) this.stream.write(body[i]!);
      this.stream.write(body[body.length - 1]!, (error?: Error | null) => {
        // Called once the stream is done with the bytes, written or not.
        this.scratch.release();
        if (!error) return resolve();
        this.errors++;
        this.fireError(error, msg, this.errors);
        reject(error);
      });
    });
  }

  end(): void {
    this.stream.end();
  }
}

export function stdioTransport(): { reader: MessageReader; writer: MessageWriter } {
  return { reader: new StreamMessageReader(process.stdin), writer: new FramedWriter(process.stdout) };
}

/**
 * `--pipe` (a socket file, or a named pipe on Windows) or `--socket` (a local port): the client
 * listens and the server connects, as the protocol library's own transports do.
 */
export function socketTransport(to: { path: string } | { port: number }): { reader: MessageReader; writer: MessageWriter } {
  const socket = 'path' in to ? connectTo(to.path) : connectTo(to.port, '127.0.0.1');
  return { reader: new SocketMessageReader(socket, 'utf-8'), writer: new FramedWriter(socket) };
}
