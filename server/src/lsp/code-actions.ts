import { CodeActionKind, MessageType, type CodeAction } from 'vscode-languageserver/node';
import { docsUrl, fixAllAction, quickFixes } from '../core';
import { COMMAND_APPLY_FIX, COMMAND_SHOW_RULE_DOCS, type TextEdit as ProtocolTextEdit } from '../protocol';
import { toEdits } from './convert';
import type { Session } from './session';

/** Fix-all is bounded like every request; a partial result is consistent and says so. */
const FIX_ALL_BUDGET_MS = 600;
export const FIX_ALL_KIND = 'source.fixAll.barecount';

/**
 * Quick fixes (every fix of a finding, suggestions included: a person picks one), "Ignore" and
 * the rule's documentation; and `source.fixAll.barecount`, which applies safe fixes only.
 */
export function registerCodeActions(session: Session): void {
  const { connection, documents } = session;
  connection.onCodeAction((params, token) => {
    if (token.isCancellationRequested) return [];
    const uri = params.textDocument.uri;
    const state = session.current(uri);
    if (!state) return [];
    const actions: CodeAction[] = [];
    const only = params.context.only;
    const wantsFixAll = only?.some((k) => FIX_ALL_KIND.startsWith(k) || k === CodeActionKind.Source);
    const wantsQuickFix = !only || only.some((k) => CodeActionKind.QuickFix.startsWith(k) || k.startsWith(CodeActionKind.QuickFix));
    const a = state.analysis;
    if (wantsQuickFix && a) {
      for (const diag of params.context.diagnostics) {
        if (!diag.source?.startsWith('barecount') || typeof diag.code !== 'string') continue;
        const start = state.lines.offsetAt(diag.range.start);
        const end = state.lines.offsetAt(diag.range.end);
        const finding = a.findings.find((f) => f.code === diag.code && f.span.start === start && f.span.end === end);
        if (!finding) continue;
        for (const fix of quickFixes(a, finding)) {
          actions.push({
            title: fix.title,
            kind: CodeActionKind.QuickFix,
            diagnostics: [diag],
            isPreferred: fix.isPreferred,
            edit: { changes: { [uri]: toEdits(state.lines, fix.edits) } },
          });
        }
        const title = `Show documentation for ${finding.code}`;
        actions.push({
          title,
          kind: CodeActionKind.QuickFix,
          diagnostics: [diag],
          command: { title, command: COMMAND_SHOW_RULE_DOCS, arguments: [finding.code] },
        });
      }
    }
    if (wantsFixAll && a) {
      const fixAll = fixAllAction(a, state.env, FIX_ALL_BUDGET_MS);
      if (fixAll) actions.push({ title: fixAll.title, kind: FIX_ALL_KIND, edit: { changes: { [uri]: toEdits(state.lines, fixAll.edits) } } });
    }
    // An edit that would write a secret again is not offered: the redaction layer would mask its
    // text, and applying the masked edit would overwrite what the user wrote.
    const secrets = session.secrets.current();
    return actions.filter((action) => !action.edit || !secrets.deepHolds(action.edit));
  });

  connection.onExecuteCommand(async (params) => {
    if (params.command === COMMAND_SHOW_RULE_DOCS) {
      const code = String(params.arguments?.[0] ?? '');
      if (!/^BC\d{3}$/.test(code)) return null;
      await connection.window.showDocument({ uri: docsUrl(code), external: true }).catch(() => undefined);
      return null;
    }
    if (params.command === COMMAND_APPLY_FIX) {
      const [uri, version, edits] = (params.arguments ?? []) as [string, number, ProtocolTextEdit[]];
      const doc = documents.get(uri);
      if (!doc || doc.version !== version || !Array.isArray(edits)) {
        session.notify(MessageType.Info, 'BareCount: the document changed; try again.');
        return null;
      }
      await connection.workspace.applyEdit({ label: 'BareCount fix', edit: { changes: { [uri]: edits } } });
    }
    return null;
  });
}
