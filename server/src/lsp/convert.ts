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
  return {
    range: toRange(lines, f.span),
    severity: SEVERITY[f.severity],
    code: f.code,
    codeDescription: codeDescription(f.code),
    source: newSince === undefined ? 'barecount' : `barecount · new since ${newSince}`,
    message: f.message,
    ...(related.length ? { relatedInformation: related } : {}),
    data: { index, documentIndex: f.documentIndex, ...(newSince === undefined ? {} : { new: true }) },
  };
}

/**
 * Diagnostics kept per finding: a stage an edit did not reach keeps its finding objects, and
 * their diagnostics are the same while the finding is at the same place in the list and every span
 * it has starts on the same line at the same column (lines above may have been added). Thousands
 * of findings then cost a lookup each, not a diagnostic each, on every keystroke.
 */
export class DiagnosticCache {
  private readonly known = new WeakMap<Finding, { index: number; newSince: string | undefined; lines: number[]; diagnostic: Diagnostic }>();

  convert(uri: string, lines: LineIndex, f: Finding, index: number, newSince?: string): Diagnostic {
    const k = this.known.get(f);
    if (k && k.index === index && k.newSince === newSince && sameLines(k.lines, lines, f)) return k.diagnostic;
    const diagnostic = toDiagnostic(uri, lines, f, index, newSince);
    this.known.set(f, { index, newSince, lines: spanLines(lines, f), diagnostic });
    return diagnostic;
  }
}

/** For each span of a finding (its own, then its related ones): its line and that line's start. */
function spanLines(lines: LineIndex, f: Finding): number[] {
  const out: number[] = [];
  for (const span of [f.span, ...f.related.map((r) => r.span)]) {
    const line = lines.lineOf(span.start);
    out.push(line, lines.lineStart(line));
  }
  return out;
}

function sameLines(known: readonly number[], lines: LineIndex, f: Finding): boolean {
  // A finding's spans are fixed (the same object); only the lines around them may have moved.
  const check = (k: number, start: number) => {
    const line = lines.lineOf(start);
    return known[k] === line && known[k + 1] === lines.lineStart(line);
  };
  if (!check(0, f.span.start)) return false;
  for (let i = 0; i < f.related.length; i++) if (!check(2 * (i + 1), f.related[i]!.span.start)) return false;
  return true;
}
