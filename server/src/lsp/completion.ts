import { CompletionItemKind, InsertTextFormat, MarkupKind, type CompletionItem } from 'vscode-languageserver/node';
import { DEFAULT_POLICY, complete, isoDate, secretsInText, verdictAt, type CompletionKind } from '../core';
import type { Session } from './session';

/** About 150 stages: analysing them takes a few milliseconds. */
const ANALYSE_FOR_COMPLETION_UP_TO = 96 * 1024;

const KIND: Record<CompletionKind, CompletionItemKind> = {
  property: CompletionItemKind.Property,
  value: CompletionItemKind.Value,
  enum: CompletionItemKind.EnumMember,
  snippet: CompletionItemKind.Snippet,
  reference: CompletionItemKind.Reference,
  constant: CompletionItemKind.Constant,
};

/**
 * Completion reads the text around the cursor, so it works in half-typed YAML. Runner values are
 * ranked by the stage's verdict when the analysis of this very version is known (as hover and
 * lenses show it); otherwise the stage as typed is judged by the same checks.
 */
export function registerCompletion(session: Session): void {
  session.connection.onCompletion((params, token) => {
    if (token.isCancellationRequested) return [];
    const doc = session.documents.get(params.textDocument.uri);
    if (!doc) return [];
    const text = doc.getText();
    const offset = doc.offsetAt(params.position);
    // Small documents are analysed now (the validation that follows reuses it), so runner values
    // are ranked by the stage's verdict; large ones use the last analysis if it is of this text.
    const last = text.length <= ANALYSE_FOR_COMPLETION_UP_TO ? session.current(doc.uri) : session.analyzer.last(doc.uri);
    const analysis = last?.analysis;
    const fresh = last && last.version === doc.version ? analysis : undefined;
    const at = fresh ? verdictAt(fresh, offset) : undefined;
    const pipeline = (at?.document ?? analysis?.documents[0])?.pipeline;
    const entries = complete({
      text,
      offset,
      kind: session.analyzer.kindOf(doc.uri),
      policy: last?.policy.policy ?? DEFAULT_POLICY,
      knownStageNames: pipeline?.stages.map((s) => s.name?.value).filter((n): n is string => !!n) ?? [],
      defaults: Object.fromEntries(Object.entries(pipeline?.defaults ?? {}).map(([k, v]) => [k, v.value])),
      snippets: session.serverSnippets,
      today: last?.env.today ?? isoDate(new Date()),
      ...(at ? { verdict: at.verdict } : {}),
    });
    // A completion never offers a secret (a stage named with a token, say): it would be masked anyway.
    const secrets = session.secrets.current();
    // Stage names come from the text as typed; when it is newer than the last analysis, its
    // secrets are not in the redaction layer yet: read them from the text itself.
    const typed = fresh ? undefined : secretsInText(text);
    return entries
      .filter((e) => !secrets.holds(e.insertText) && !secrets.holds(e.label) && !typed?.has(e.label))
      .map((e): CompletionItem => ({
        label: e.label,
        kind: KIND[e.kind],
        ...(e.detail ? { detail: e.detail } : {}),
        ...(e.documentation ? { documentation: { kind: MarkupKind.Markdown, value: e.documentation } } : {}),
        textEdit: { range: { start: doc.positionAt(e.span.start), end: doc.positionAt(e.span.end) }, newText: e.insertText },
        insertTextFormat: e.isSnippet ? InsertTextFormat.Snippet : InsertTextFormat.PlainText,
        sortText: e.sortText,
        ...(e.filterText ? { filterText: e.filterText } : {}),
        ...(e.preselect ? { preselect: true } : {}),
        ...(e.retrigger && session.retriggerCommand ? { command: { title: 'Suggest', command: session.retriggerCommand } } : {}),
      }));
  });
}
