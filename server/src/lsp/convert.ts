import type {
  Diagnostic,
  DiagnosticRelatedInformation,
  PublishDiagnosticsClientCapabilities,
  Range,
  TextEdit as LspTextEdit,
} from 'vscode-languageserver/node';
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
 * What a client said it reads of a diagnostic (`textDocument.publishDiagnostics` in its
 * capabilities). A field it does not read is not sent: at thousands of findings per publish, the
 * documentation link and the related locations were a quarter of the bytes written and parsed on
 * every keystroke. VS Code reads both.
 */
export interface DiagnosticFeatures {
  /** `codeDescriptionSupport`: the rule's documentation link. */
  docLinks: boolean;
  /** `relatedInformation`: the other places a finding points at. */
  related: boolean;
}

export const ALL_DIAGNOSTIC_FEATURES: DiagnosticFeatures = Object.freeze({ docLinks: true, related: true });

export function diagnosticFeatures(publish: PublishDiagnosticsClientCapabilities | undefined): DiagnosticFeatures {
  return { docLinks: publish?.codeDescriptionSupport === true, related: publish?.relatedInformation === true };
}

/** `data` of a finding new against the baseline: one object for all of them. */
const NEW_DATA = Object.freeze({ new: true });

/**
 * A finding as a diagnostic. `newSince` names the baseline revision when the finding is new against
 * it: the source then says so ("barecount · new since HEAD"), which the Problems view can filter
 * on, and `data.new` says it to any client. Code actions find a diagnostic's finding by its code and
 * range (code-actions.ts), so nothing else goes in `data`.
 */
export function toDiagnostic(uri: string, lines: LineIndex, f: Finding, features: DiagnosticFeatures, newSince?: string): Diagnostic {
  // Optional fields set only when present, not spread from temporary objects (thousands per publish).
  const d: Diagnostic = {
    range: toRange(lines, f.span),
    severity: SEVERITY[f.severity],
    code: f.code,
    source: newSince === undefined ? 'barecount' : `barecount · new since ${newSince}`,
    message: f.message,
  };
  if (features.docLinks) d.codeDescription = codeDescription(f.code);
  if (features.related && f.related.length) {
    d.relatedInformation = f.related.map((r): DiagnosticRelatedInformation => ({ location: { uri, range: toRange(lines, r.span) }, message: r.message }));
  }
  if (newSince !== undefined) d.data = NEW_DATA;
  return d;
}
