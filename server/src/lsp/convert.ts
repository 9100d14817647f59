import type {
  Diagnostic,
  DiagnosticRelatedInformation,
  PublishDiagnosticsClientCapabilities,
  Range,
  TextEdit as LspTextEdit,
} from 'vscode-languageserver/node';
import { DiagnosticSeverity } from 'vscode-languageserver/node';
import { docsUrl, LineIndex, type Finding, type Severity, type Span, type TextEdit } from '../core';
import { keepJson } from './kept-json';

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

/** A diagnostic's source: ours, and whether the finding is new against the baseline. */
function sourceOf(newSince: string | undefined): string {
  return newSince === undefined ? 'barecount' : `barecount · new since ${newSince}`;
}

/** `data` of a finding new against the baseline: one object for all of them. */
const NEW_DATA = Object.freeze({ new: true });

/**
 * A finding as a diagnostic. `newSince` names the baseline revision when the finding is new against
 * it: the source then says so ("barecount · new since HEAD"), which the Problems view can filter
 * on, and `data.new` says it to any client. Code actions find a diagnostic's finding by its code and
 * range (code-actions.ts), so nothing else goes in `data`.
 */
export function toDiagnostic(
  uri: string,
  lines: LineIndex,
  f: Finding,
  features: DiagnosticFeatures,
  newSince?: string,
  range = toRange(lines, f.span),
): Diagnostic {
  // Optional fields set only when present, not spread from temporary objects (thousands per publish).
  const d: Diagnostic = {
    range,
    severity: SEVERITY[f.severity],
    code: f.code,
    source: sourceOf(newSince),
    message: f.message,
  };
  if (features.docLinks) d.codeDescription = codeDescription(f.code);
  if (features.related && f.related.length) {
    d.relatedInformation = f.related.map((r): DiagnosticRelatedInformation => ({ location: { uri, range: toRange(lines, r.span) }, message: r.message }));
  }
  if (newSince !== undefined) d.data = NEW_DATA;
  return d;
}

/**
 * One document's diagnostics as last published, found again by message. A keystroke republishes
 * every finding of a file, and nearly all come back as they were: moved with their stage (new
 * finding objects, the same text) or computed again the same. A diagnostic found again is the
 * object published before, whose JSON the writer made once (kept-json.ts); making them all
 * anew, and writing them, was most of a keystroke's publish on a large manifest. One is found again
 * only when everything it says is the same: message, code, severity, source, range, related places.
 */
export class DiagnosticCache {
  private byMessage = new Map<string, Diagnostic | Diagnostic[]>();
  private features: DiagnosticFeatures | undefined;

  constructor(private readonly uri: string) {}

  /** The findings as diagnostics; `newSince(i)` names the baseline revision the i-th is new against (toDiagnostic). */
  convert(lines: LineIndex, findings: readonly Finding[], features: DiagnosticFeatures, newSince: (i: number) => string | undefined): Diagnostic[] {
    // A client's capabilities do not change, but a cache made for other features keeps nothing.
    if (features.docLinks !== this.features?.docLinks || features.related !== this.features?.related) {
      this.byMessage.clear();
      this.features = features;
    }
    const next = new Map<string, Diagnostic | Diagnostic[]>();
    const out: Diagnostic[] = new Array(findings.length);
    for (let i = 0; i < findings.length; i++) {
      const f = findings[i]!;
      const since = newSince(i);
      const range = toRange(lines, f.span);
      const known = this.byMessage.get(f.message);
      let d: Diagnostic | undefined;
      if (known !== undefined) {
        if (!Array.isArray(known)) d = this.same(known, f, range, since, lines) ? known : undefined;
        else for (let k = 0; k < known.length && !d; k++) if (this.same(known[k]!, f, range, since, lines)) d = known[k];
      }
      d ??= keepJson(toDiagnostic(this.uri, lines, f, features, since, range));
      out[i] = d;
      const there = next.get(f.message);
      if (there === undefined) next.set(f.message, d);
      else if (Array.isArray(there)) there.push(d);
      else next.set(f.message, [there, d]);
    }
    this.byMessage = next;
    return out;
  }

  private same(d: Diagnostic, f: Finding, range: Range, newSince: string | undefined, lines: LineIndex): boolean {
    // (The message is the key it was found by; compared again, it costs nothing when it is the same string.)
    if (d.message !== f.message || d.code !== f.code || d.severity !== SEVERITY[f.severity] || d.source !== sourceOf(newSince) || !sameRange(d.range, range)) {
      return false;
    }
    const related = d.relatedInformation;
    if (!this.features!.related || f.related.length === 0) return related === undefined;
    if (related === undefined || related.length !== f.related.length) return false;
    for (let i = 0; i < related.length; i++) {
      const r = f.related[i]!;
      if (related[i]!.message !== r.message || !sameRange(related[i]!.location.range, toRange(lines, r.span))) return false;
    }
    return true;
  }
}

function sameRange(a: Range, b: Range): boolean {
  return a.start.line === b.start.line && a.start.character === b.start.character && a.end.line === b.end.line && a.end.character === b.end.character;
}
