import { DocumentHighlightKind, FoldingRangeKind, ResponseError, SymbolKind, type DocumentSymbol } from 'vscode-languageserver/node';
import { foldingSpans, outline, renameStage, stageSymbolAt, type OutlineSymbol } from '../core';
import { toEdits, toRange } from './convert';
import { documentOf, type Session } from './session';

/** Symbols, folding, and stage names as symbols: definition, references, highlights, rename. */
export function registerNavigation(session: Session): void {
  const { connection } = session;

  connection.onDocumentSymbol((params) => {
    const state = session.current(params.textDocument.uri);
    const a = state?.analysis;
    if (!state || !a) return [];
    const conv = (s: OutlineSymbol): DocumentSymbol => ({
      name: s.name,
      ...(s.detail ? { detail: s.detail } : {}),
      kind: s.kind === 'pipeline' ? SymbolKind.Module : s.kind === 'stage' ? SymbolKind.Function : SymbolKind.Interface,
      range: toRange(state.lines, s.span),
      selectionRange: toRange(state.lines, s.selection),
      children: s.children.map(conv),
    });
    return a.documents.flatMap((d) => (d.pipeline ? [conv(outline(d.pipeline, a.text))] : []));
  });

  connection.onFoldingRanges((params) => {
    const state = session.current(params.textDocument.uri);
    const file = state?.analysis?.file ?? state?.file;
    if (!state || !file) return [];
    return file.documents.flatMap((d) =>
      foldingSpans(d.doc, state.text).flatMap((s) => {
        const startLine = state.lines.positionAt(s.start).line;
        const endLine = state.lines.positionAt(s.end).line;
        return endLine > startLine ? [{ startLine, endLine, ...(s.comment ? { kind: FoldingRangeKind.Comment } : {}) }] : [];
      }),
    );
  });

  function symbolAt(uri: string, position: { line: number; character: number }) {
    const state = session.current(uri);
    if (!state) return undefined;
    const offset = state.lines.offsetAt(position);
    const at = documentOf(state, offset);
    const pipeline = at && 'result' in at ? at.result?.pipeline : undefined;
    const sym = pipeline ? stageSymbolAt(pipeline, offset) : undefined;
    return sym && pipeline ? { state, sym, pipeline, offset } : undefined;
  }

  connection.onDefinition((params) => {
    const found = symbolAt(params.textDocument.uri, params.position);
    if (!found?.sym.definition) return null;
    return { uri: params.textDocument.uri, range: toRange(found.state.lines, found.sym.definition) };
  });

  connection.onReferences((params) => {
    const found = symbolAt(params.textDocument.uri, params.position);
    if (!found) return [];
    const spans = [...(params.context.includeDeclaration && found.sym.definition ? [found.sym.definition] : []), ...found.sym.references];
    return spans.map((s) => ({ uri: params.textDocument.uri, range: toRange(found.state.lines, s) }));
  });

  connection.onDocumentHighlight((params) => {
    const found = symbolAt(params.textDocument.uri, params.position);
    if (!found) return [];
    return [
      ...(found.sym.definition ? [{ range: toRange(found.state.lines, found.sym.definition), kind: DocumentHighlightKind.Write }] : []),
      ...found.sym.references.map((s) => ({ range: toRange(found.state.lines, s), kind: DocumentHighlightKind.Read })),
    ];
  });

  connection.onPrepareRename((params) => {
    const found = symbolAt(params.textDocument.uri, params.position);
    if (!found) return null;
    const here = [found.sym.definition, ...found.sym.references].find((s) => s && found.offset >= s.start && found.offset <= s.end);
    return here ? { range: toRange(found.state.lines, here), placeholder: found.sym.name } : null;
  });

  connection.onRenameRequest((params) => {
    const found = symbolAt(params.textDocument.uri, params.position);
    if (!found) return null;
    // The redaction layer would mask a secret in the edits, and the file would get the mask.
    if (session.secrets.current().holds(params.newName)) throw new ResponseError(-32803, 'A stage name cannot be a value this file holds as a secret.');
    const r = renameStage(found.state.text, found.pipeline, found.offset, params.newName);
    if (!r.ok) throw new ResponseError(-32803, r.reason);
    return { changes: { [params.textDocument.uri]: toEdits(found.state.lines, r.edits) } };
  });
}
