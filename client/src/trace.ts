import type * as vscode from 'vscode';

/**
 * `barecount.trace.server: verbose` writes every message between VS Code and the server to a log
 * file. What the server sends has passed its redaction layer already; what VS Code sends carries
 * whole documents (didOpen, didChange), secrets and all. This channel writes the trace with the
 * text of documents left out: the log keeps the shape and size of each message, never its text.
 */
const DOCUMENT_TEXT = /"(text|newText)":\s*"(?:[^"\\]|\\.)*"/g;

export function hideDocumentText(line: string): string {
  return line.replace(DOCUMENT_TEXT, (whole, key: string) => `"${key}": "(${whole.length - key.length - 6} characters of document text not logged)"`);
}

const WRITERS = new Set(['trace', 'debug', 'info', 'warn', 'error', 'append', 'appendLine', 'replace']);

/** The channel with every written string passed through `hideDocumentText`. */
export function redactingTraceChannel(channel: vscode.LogOutputChannel): vscode.LogOutputChannel {
  return new Proxy(channel, {
    get(target, prop, receiver) {
      const value: unknown = Reflect.get(target, prop, receiver);
      if (typeof prop !== 'string' || !WRITERS.has(prop) || typeof value !== 'function') return typeof value === 'function' ? value.bind(target) : value;
      return (first: unknown, ...rest: unknown[]) =>
        (value as (...a: unknown[]) => unknown).call(target, typeof first === 'string' ? hideDocumentText(first) : first, ...rest);
    },
  });
}
