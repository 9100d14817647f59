import { MarkupKind } from 'vscode-languageserver/node';
import { hover } from '../core';
import { toRange } from './convert';
import { documentOf, type Session } from './session';

export function registerHover(session: Session): void {
  session.connection.onHover((params, token) => {
    if (token.isCancellationRequested) return null;
    const state = session.current(params.textDocument.uri);
    if (!state) return null;
    const offset = state.lines.offsetAt(params.position);
    const at = documentOf(state, offset);
    const result = hover({
      text: state.text,
      offset,
      kind: state.kind,
      policy: state.policy.policy,
      today: state.env.today,
      // Only with a baseline: the stage's cost there (the report is built once per document version).
      ...(state.analysis && session.baselineOf(state) ? { costReport: session.costReportOf(state) } : {}),
      ...(at?.parsed ? { doc: at.parsed.doc } : {}),
      ...(at && 'result' in at && at.result ? { document: at.result } : {}),
    });
    return result ? { contents: { kind: MarkupKind.Markdown, value: result.markdown }, range: toRange(state.lines, result.span) } : null;
  });
}
