import { lenses } from '../core';
import { COMMAND_APPLY_FIX } from '../protocol';
import { toEdits, toRange } from './convert';
import type { Session } from './session';

/** Each stage's cost and recommended runner (click to apply it), and each pipeline's total. */
export function registerCodeLens(session: Session): void {
  session.connection.onCodeLens(async (params, token) => {
    const uri = params.textDocument.uri;
    if (token.isCancellationRequested || !(await session.settingsFor(uri)).codeLensEnabled) return [];
    const state = session.current(uri);
    if (!state?.analysis) return [];
    return lenses(state.analysis, session.baselineCostsOf(state)).map((l) => ({
      range: toRange(state.lines, l.span),
      command: l.fix
        ? { title: l.title, command: COMMAND_APPLY_FIX, arguments: [uri, state.version, toEdits(state.lines, l.fix.edits)] }
        : { title: l.title, command: '' },
    }));
  });
}
