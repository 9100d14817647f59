import type { Diagnostic, DiagnosticRelatedInformation, Range, TextEdit as LspTextEdit } from 'vscode-languageserver/node';
import { DiagnosticSeverity } from 'vscode-languageserver/node';
import { docsUrl, LineIndex, type Finding, type Severity, type Span, type TextEdit } from '../core';

/** Offsets to LSP positions, once, at the edge. */

export const SEVERITY: Record<Severity, DiagnosticSeverity> = {
  error: DiagnosticSeverity.Error,
  warning: DiagnosticSeverity.Warning,
  info: DiagnosticSeverity.Information,
  hint: DiagnosticSeverity.Hint,
};

export function toRange(lines: LineIndex, span: Span): Range {
  return { start: lines.positionAt(span.start), end: lines.positionAt(span.end) };
}

export function toEdits(lines: LineIndex, edits: readonly TextEdit[]): LspTextEdit[] {
  return edits.map((e) => ({ range: toRange(lines, e), newText: e.newText }));
}

/** A rule's documentation link, one object per code: thousands of diagnostics share a few dozen. */
const DESCRIPTIONS = new Map<string, { href: string }>();
function codeDescription(code: string): { href: string } {
  let d = DESCRIPTIONS.get(code);
  if (!d) DESCRIPTIONS.set(code, (d = Object.freeze({ href: docsUrl(code) })));
  return d;
}

/**
 * A finding as a diagnostic. `newSince` names the baseline revision when the finding is new against
 * it: the source then says so ("barecount · new since HEAD"), which the Problems view can filter
 * on, and `data.new` says it to any client.
 */
export function toDiagnostic(uri: string, lines: LineIndex, f: Finding, index: number, newSince?: string): Diagnostic {
  const related: DiagnosticRelatedInformation[] = f.related.map((r) => ({ location: { uri, range: toRange(lines, r.span) }, message: r.message }));
  // Optional fields set only when present, not spread from temporary objects (thousands per publish).
  const d: Diagnostic = {
    range: toRange(lines, f.span),
    severity: SEVERITY[f.severity],
    code: f.code,
    codeDescription: codeDescription(f.code),
    source: newSince === undefined ? 'barecount' : `barecount · new since ${newSince}`,
    message: f.message,
  };
  if (related.length) d.relatedInformation = related;
  d.data = newSince === undefined ? { index, documentIndex: f.documentIndex } : { index, documentIndex: f.documentIndex, new: true };
  return d;
}
