import type { Event, Message, MessageWriter } from 'vscode-languageserver/node';
import { Redactor } from '../core';

/**
 * The server's side of the one redaction layer: every message it writes (responses, diagnostics,
 * logs, notifications of any kind) passes `RedactingWriter`, which masks every secret of every
 * open document and every credential-shaped token. Features do not have to remember it.
 */

export class SecretRegistry {
  private readonly byUri = new Map<string, readonly string[]>();
  private redactor = new Redactor();
  private stale = false;

  /** The secrets a document holds now (from its latest analysis). */
  set(uri: string, secrets: readonly string[]): void {
    const known = this.byUri.get(uri);
    if (known && known.length === secrets.length && known.every((s, i) => s === secrets[i])) return;
    if (!known && secrets.length === 0) return;
    this.byUri.set(uri, secrets);
    this.stale = true;
  }

  delete(uri: string): void {
    if (this.byUri.delete(uri)) this.stale = true;
  }

  /** Masks the secrets of every open document. */
  current(): Redactor {
    if (this.stale) {
      this.stale = false;
      const all = new Set<string>();
      for (const list of this.byUri.values()) for (const s of list) all.add(s);
      this.redactor = new Redactor(all);
    }
    return this.redactor;
  }
}

/** Wraps the transport's writer: what reaches the client has passed the registry's redactor. */
export class RedactingWriter implements MessageWriter {
  readonly onError: Event<[Error, Message | undefined, number | undefined]>;
  readonly onClose: Event<void>;

  constructor(
    private readonly inner: MessageWriter,
    private readonly secrets: SecretRegistry,
  ) {
    this.onError = inner.onError;
    this.onClose = inner.onClose;
  }

  write(msg: Message): Promise<void> {
    return this.inner.write(redactMessage(msg, this.secrets.current()));
  }

  end(): void {
    this.inner.end();
  }

  dispose(): void {
    this.inner.dispose();
  }
}

/** A JSON-RPC message with its payload masked; the envelope (id, method) is left as it is. */
export function redactMessage(msg: Message, redactor: Redactor): Message {
  const m = msg as Message & { params?: unknown; result?: unknown; error?: unknown };
  const out: Record<string, unknown> = { ...m };
  if ('params' in m) out.params = redactor.deep(m.params);
  if ('result' in m) out.result = redactor.deep(m.result);
  if ('error' in m) out.error = redactor.deep(m.error);
  return out as unknown as Message;
}
