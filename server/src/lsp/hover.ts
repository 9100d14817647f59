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
      // With barecount.baseline: the stage's cost at the revision.
      ...(state.analysis ? { baseline: session.baselineCostsOf(state) } : {}),
      ...(at?.parsed ? { doc: at.parsed.doc } : {}),
      ...(at && 'result' in at && at.result ? { document: at.result } : {}),
    });
    return result ? { contents: { kind: MarkupKind.Markdown, value: result.markdown }, range: toRange(state.lines, result.span) } : null;
  });
}
