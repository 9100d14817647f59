import {
  CodeAction,
  CodeActionKind,
  CompletionItemKind,
  DidChangeWatchedFilesNotification,
  DocumentHighlightKind,
  FileChangeType,
  FoldingRangeKind,
  InsertTextFormat,
  MarkupKind,
  MessageType,
  ShowMessageNotification,
  ResponseError,
  SymbolKind,
  TextDocuments,
  TextDocumentSyncKind,
  type CompletionItem,
  type Connection,
  type DocumentSymbol,
  type InitializeParams,
  type InitializeResult,
} from 'vscode-languageserver/node';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { URI } from 'vscode-uri';
import {
  DEFAULT_LIMITS,
  DEFAULT_POLICY,
  limitsWithSize,
  MATRIX,
  SEVERITY_SETTINGS,
  complete,
  docsUrl,
  estimateEdits,
  explainStage,
  fixAll,
  foldingSpans,
  hover,
  keepsYamlValid,
  lenses,
  outline,
  renameStage,
  runnerEdits,
  stageSymbolAt,
  suggestedRunner,
  compliantRunners,
  type CompletionKind,
  type OutlineSymbol,
  type PipelineModel,
  type SeveritySetting,
} from '../core';
import {
  COMMAND_APPLY_FIX,
  COMMAND_SHOW_RULE_DOCS,
  COST_ESTIMATE,
  ESTIMATE_EDIT,
  RECOMMENDATIONS,
  RUNNER_EDIT,
  type CostEstimateParams,
  type CostEstimateResult,
  type EditResult,
  type EstimateEditParams,
  type InitializationOptions,
  type RecommendationsParams,
  type RecommendationsResult,
  type RunnerEditParams,
  type TextEdit as ProtocolTextEdit,
} from '../protocol';
import { Analyzer, type Analysis, type AnalysisSettings } from './documents';
import { minimalEdit, toDiagnostic, toEdits, toRange } from './convert';
import { PolicyResolver } from './policy';

/**
 * The language server: a thin adapter that turns LSP requests into engine calls and engine
 * results into LSP types. Nothing from the workspace is ever executed.
 */

const VALIDATE_DELAY_MS = 15;
const FIX_ALL_BUDGET_MS = 600;

interface Settings extends AnalysisSettings {
  codeLensEnabled: boolean;
}

const DEFAULT_SETTINGS: Settings = { rules: {}, policyPath: undefined, codeLensEnabled: true, limits: DEFAULT_LIMITS };

const KIND: Record<CompletionKind, CompletionItemKind> = {
  property: CompletionItemKind.Property,
  value: CompletionItemKind.Value,
  enum: CompletionItemKind.EnumMember,
  snippet: CompletionItemKind.Snippet,
  reference: CompletionItemKind.Reference,
  constant: CompletionItemKind.Constant,
};

export function startServer(connection: Connection): void {
  const documents = new TextDocuments(TextDocument);
  const policies = new PolicyResolver((path) => {
    const doc = documents.get(URI.file(path).toString());
    return doc?.getText();
  });
  const analyzer = new Analyzer(policies);
  const timers = new Map<string, NodeJS.Timeout>();
  const settingsCache = new Map<string, Settings>();
  const warnedFallback = new Set<string>();
  let globalSettings: Settings = DEFAULT_SETTINGS;
  let configurationCapability = false;
  let watchRegistration = false;
  let retriggerCommand: string | undefined;
  let serverSnippets = true;

  const log = (message: string) => connection.console.log(message);
  // A notification, not window/showMessageRequest: nothing to wait for, and clients that do not
  // implement the request cannot fail it.
  const notify = (type: MessageType, message: string) => void connection.sendNotification(ShowMessageNotification.type, { type, message });

  connection.onInitialize((params: InitializeParams): InitializeResult => {
    configurationCapability = !!params.capabilities.workspace?.configuration;
    watchRegistration = !!params.capabilities.workspace?.didChangeWatchedFiles?.dynamicRegistration;
    const options = params.initializationOptions as InitializationOptions | undefined;
    retriggerCommand = options?.retriggerCommand;
    serverSnippets = options?.snippets !== false;
    const folders = params.workspaceFolders?.map((f) => f.uri) ?? (params.rootUri ? [params.rootUri] : []);
    policies.setRoots(folders);
    return {
      capabilities: {
        textDocumentSync: { openClose: true, change: TextDocumentSyncKind.Incremental, save: false },
        completionProvider: { triggerCharacters: [':', ' ', '[', ',', '-'], resolveProvider: false },
        hoverProvider: true,
        codeActionProvider: { codeActionKinds: [CodeActionKind.QuickFix, CodeActionKind.SourceFixAll, 'source.fixAll.barecount'] },
        codeLensProvider: { resolveProvider: false },
        documentSymbolProvider: true,
        foldingRangeProvider: true,
        definitionProvider: true,
        referencesProvider: true,
        renameProvider: { prepareProvider: true },
        documentHighlightProvider: true,
        executeCommandProvider: { commands: [COMMAND_APPLY_FIX, COMMAND_SHOW_RULE_DOCS] },
        workspace: { workspaceFolders: { supported: true, changeNotifications: true } },
      },
      serverInfo: { name: 'barecount-language-server', version: typeof __BARECOUNT_VERSION__ === 'string' ? __BARECOUNT_VERSION__ : '0.0.0-dev' },
    };
  });

  connection.onInitialized(() => {
    if (watchRegistration) {
      void connection.client.register(DidChangeWatchedFilesNotification.type, { watchers: [{ globPattern: '**/barecount.policy.yaml' }] });
    }
    connection.workspace.onDidChangeWorkspaceFolders(async () => {
      const folders = (await connection.workspace.getWorkspaceFolders()) ?? [];
      policies.setRoots(folders.map((f) => f.uri));
      revalidateAll();
    });
  });

  function readSettings(raw: unknown): Settings {
    const s = (raw ?? {}) as Record<string, unknown>;
    const rules: Record<string, SeveritySetting> = {};
    const rawRules = s.rules;
    if (rawRules && typeof rawRules === 'object') {
      for (const [code, sev] of Object.entries(rawRules)) {
        if (/^BC\d{3}$/.test(code) && SEVERITY_SETTINGS.includes(sev as SeveritySetting)) rules[code] = sev as SeveritySetting;
      }
    }
    const codeLens = s.codeLens as Record<string, unknown> | undefined;
    const limits = s.limits as Record<string, unknown> | undefined;
    return {
      limits: limitsWithSize(typeof limits?.maxFileSizeKb === 'number' ? limits.maxFileSizeKb : undefined),
      rules,
      policyPath: typeof s.policyPath === 'string' && s.policyPath.trim() ? s.policyPath.trim() : undefined,
      codeLensEnabled: codeLens?.enabled !== false,
    };
  }

  async function settingsFor(uri: string): Promise<Settings> {
    if (!configurationCapability) return globalSettings;
    const cached = settingsCache.get(uri);
    if (cached) return cached;
    try {
      const raw = await connection.workspace.getConfiguration({ scopeUri: uri, section: 'barecount' });
      const s = readSettings(raw);
      settingsCache.set(uri, s);
      return s;
    } catch {
      return globalSettings;
    }
  }

  /** The current analysis; settings are those last read (requests never wait on the client). */
  function current(uri: string): Analysis | undefined {
    const doc = documents.get(uri);
    if (!doc) return undefined;
    return analyzer.analyze(doc, settingsCache.get(uri) ?? globalSettings);
  }

  async function validate(uri: string): Promise<void> {
    const doc = documents.get(uri);
    if (!doc) return;
    const settings = await settingsFor(uri);
    const latest = documents.get(uri);
    // A newer version arrived while settings were read: its own validation is scheduled.
    if (!latest || latest.version !== doc.version) return;
    const analysis = analyzer.analyze(latest, settings);
    const diagnostics = analysis.findings.map((f, i) => toDiagnostic(uri, analysis.lines, f, i));
    void connection.sendDiagnostics({ uri, version: analysis.version, diagnostics });
    if (analysis.policy.fallback && !warnedFallback.has(analysis.policy.source)) {
      warnedFallback.add(analysis.policy.source);
      notify(MessageType.Warning, `BareCount: ${analysis.policy.source} has errors; the built-in policy is used until it is fixed.`);
    }
    if (!analysis.policy.fallback) warnedFallback.delete(analysis.policy.source);
  }

  function schedule(uri: string, delay = VALIDATE_DELAY_MS): void {
    const pending = timers.get(uri);
    if (pending) clearTimeout(pending);
    timers.set(
      uri,
      setTimeout(() => {
        timers.delete(uri);
        validate(uri).catch((e: unknown) => log(`validation failed for ${uri}: ${(e as Error).message}`));
      }, delay),
    );
  }

  function revalidateAll(): void {
    analyzer.invalidateAll();
    for (const doc of documents.all()) schedule(doc.uri, 0);
  }

  documents.onDidOpen((e) => schedule(e.document.uri, 0));
  documents.onDidChangeContent((e) => {
    schedule(e.document.uri);
    // A policy being edited governs other open manifests.
    if (analyzer.kindOf(e.document.uri) === 'policy') {
      policies.invalidate(URI.parse(e.document.uri).fsPath);
      analyzer.invalidateAll();
      for (const doc of documents.all()) if (doc.uri !== e.document.uri) schedule(doc.uri);
    }
  });
  documents.onDidClose((e) => {
    const pending = timers.get(e.document.uri);
    if (pending) clearTimeout(pending);
    timers.delete(e.document.uri);
    analyzer.forget(e.document.uri);
    settingsCache.delete(e.document.uri);
    void connection.sendDiagnostics({ uri: e.document.uri, diagnostics: [] });
    if (analyzer.kindOf(e.document.uri) === 'policy') revalidateAll();
  });

  connection.onDidChangeConfiguration((change) => {
    settingsCache.clear();
    if (!configurationCapability) globalSettings = readSettings((change.settings as { barecount?: unknown } | undefined)?.barecount);
    revalidateAll();
  });

  connection.onDidChangeWatchedFiles((e) => {
    for (const c of e.changes) {
      const path = URI.parse(c.uri).fsPath;
      policies.invalidate(path);
      if (c.type === FileChangeType.Deleted) warnedFallback.delete(path);
    }
    revalidateAll();
  });

  // ---- completion and hover ----

  connection.onCompletion((params, token) => {
    if (token.isCancellationRequested) return [];
    const doc = documents.get(params.textDocument.uri);
    if (!doc) return [];
    const text = doc.getText();
    const offset = doc.offsetAt(params.position);
    const last = analyzer.last(doc.uri);
    const pipeline = pipelineAt(last, offset);
    const entries = complete({
      text,
      offset,
      kind: analyzer.kindOf(doc.uri),
      policy: last?.policy.policy ?? DEFAULT_POLICY,
      knownStageNames: pipeline?.stages.map((s) => s.name?.value).filter((n): n is string => !!n) ?? [],
      defaults: Object.fromEntries(Object.entries(pipeline?.defaults ?? {}).map(([k, v]) => [k, v.value])),
      snippets: serverSnippets,
    });
    return entries.map((e): CompletionItem => ({
      label: e.label,
      kind: KIND[e.kind],
      ...(e.detail ? { detail: e.detail } : {}),
      ...(e.documentation ? { documentation: { kind: MarkupKind.Markdown, value: e.documentation } } : {}),
      textEdit: { range: { start: doc.positionAt(e.span.start), end: doc.positionAt(e.span.end) }, newText: e.insertText },
      insertTextFormat: e.isSnippet ? InsertTextFormat.Snippet : InsertTextFormat.PlainText,
      sortText: e.sortText,
      ...(e.filterText ? { filterText: e.filterText } : {}),
      ...(e.preselect ? { preselect: true } : {}),
      ...(e.retrigger && retriggerCommand ? { command: { title: 'Suggest', command: retriggerCommand } } : {}),
    }));
  });

  connection.onHover((params, token) => {
    if (token.isCancellationRequested) return null;
    const a = current(params.textDocument.uri);
    if (!a) return null;
    const offset = a.lines.offsetAt(params.position);
    const document = documentAt(a, offset);
    const result = hover({
      text: a.text,
      offset,
      kind: a.kind,
      policy: a.policy.policy,
      ...(document?.doc ? { doc: document.doc } : {}),
      ...(document?.pipeline ? { pipeline: document.pipeline } : {}),
      ...(document?.cost ? { cost: document.cost } : {}),
    });
    return result ? { contents: { kind: MarkupKind.Markdown, value: result.markdown }, range: toRange(a.lines, result.span) } : null;
  });

  // ---- code actions, commands, lenses ----

  connection.onCodeAction((params, token) => {
    if (token.isCancellationRequested) return [];
    const uri = params.textDocument.uri;
    const a = current(uri);
    if (!a) return [];
    const actions: CodeAction[] = [];
    const only = params.context.only;
    const wantsFixAll = only?.some((k) => 'source.fixAll.barecount'.startsWith(k) || k === CodeActionKind.Source);
    const wantsQuickFix = !only || only.some((k) => CodeActionKind.QuickFix.startsWith(k) || k.startsWith(CodeActionKind.QuickFix));
    if (wantsQuickFix) {
      for (const diag of params.context.diagnostics) {
        if (diag.source !== 'barecount' || typeof diag.code !== 'string') continue;
        const start = a.lines.offsetAt(diag.range.start);
        const end = a.lines.offsetAt(diag.range.end);
        const finding = a.findings.find((f) => f.code === diag.code && f.span.start === start && f.span.end === end);
        if (!finding) continue;
        // Offer only fixes that keep a parsing file parsing (checked on files of reasonable size).
        const check = a.text.length <= 512 * 1024 && !a.findings.some((f) => f.code === 'BC001');
        for (const fix of finding.fixes.filter((x) => !check || keepsYamlValid(a.text, x))) {
          actions.push({
            title: fix.title,
            kind: CodeActionKind.QuickFix,
            diagnostics: [diag],
            isPreferred: !!fix.isPreferred,
            edit: { changes: { [uri]: toEdits(a.lines, fix.edits) } },
          });
        }
        if (finding.code !== 'BC001' && finding.code !== 'BC003') {
          const edit = ignoreEdit(a, finding.span.start, finding.code);
          actions.push({
            title: `Ignore ${finding.code} for this ${edit.scope}`,
            kind: CodeActionKind.QuickFix,
            diagnostics: [diag],
            edit: { changes: { [uri]: toEdits(a.lines, [edit]) } },
          });
        }
        actions.push({
          title: `Show documentation for ${finding.code}`,
          kind: CodeActionKind.QuickFix,
          diagnostics: [diag],
          command: { title: `Show documentation for ${finding.code}`, command: COMMAND_SHOW_RULE_DOCS, arguments: [finding.code] },
        });
      }
    }
    if (wantsFixAll && a.kind === 'manifest') {
      const s = settingsCache.get(uri) ?? globalSettings;
      // Bounded like every request; a partial result is consistent and says so.
      const fixed = fixAll(a.text, { policy: a.policy.policy, severityOverrides: s.rules, limits: s.limits }, { timeMs: FIX_ALL_BUDGET_MS });
      const edit = minimalEdit(a.text, fixed.text);
      if (edit)
        actions.push({
          title: `Fix all BareCount problems (${fixed.applied.length}${fixed.partial ? '; run again for more' : ''})`,
          kind: 'source.fixAll.barecount',
          edit: { changes: { [uri]: toEdits(a.lines, [edit]) } },
        });
    }
    return actions;
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
        notify(MessageType.Info, 'BareCount: the document changed; try again.');
        return null;
      }
      await connection.workspace.applyEdit({ label: 'BareCount fix', edit: { changes: { [uri]: edits } } });
    }
    return null;
  });

  connection.onCodeLens(async (params, token) => {
    const uri = params.textDocument.uri;
    if (token.isCancellationRequested || !(await settingsFor(uri)).codeLensEnabled) return [];
    const a = current(uri);
    if (!a?.lint) return [];
    return a.lint.documents.flatMap((d) =>
      d.pipeline
        ? lenses(d.pipeline, d.cost, a.text, a.policy.policy).map((l) => ({
            range: toRange(a.lines, l.span),
            command: l.fix
              ? { title: l.title, command: COMMAND_APPLY_FIX, arguments: [uri, a.version, toEdits(a.lines, l.fix.edits)] }
              : { title: l.title, command: '' },
          }))
        : [],
    );
  });

  // ---- navigation ----

  connection.onDocumentSymbol((params) => {
    const a = current(params.textDocument.uri);
    if (!a?.lint) return [];
    const conv = (s: OutlineSymbol): DocumentSymbol => ({
      name: s.name,
      ...(s.detail ? { detail: s.detail } : {}),
      kind: s.kind === 'pipeline' ? SymbolKind.Module : s.kind === 'stage' ? SymbolKind.Function : SymbolKind.Interface,
      range: toRange(a.lines, s.span),
      selectionRange: toRange(a.lines, s.selection),
      children: s.children.map(conv),
    });
    return a.lint.documents.flatMap((d) => (d.pipeline ? [conv(outline(d.pipeline, a.text))] : []));
  });

  connection.onFoldingRanges((params) => {
    const a = current(params.textDocument.uri);
    if (!a?.lint) return [];
    return a.lint.file.documents.flatMap((d) =>
      foldingSpans(d.doc, a.text).flatMap((s) => {
        const startLine = a.lines.positionAt(s.start).line;
        const endLine = a.lines.positionAt(s.end).line;
        return endLine > startLine ? [{ startLine, endLine, ...(s.comment ? { kind: FoldingRangeKind.Comment } : {}) }] : [];
      }),
    );
  });

  function symbolAt(uri: string, position: { line: number; character: number }) {
    const a = current(uri);
    if (!a) return undefined;
    const offset = a.lines.offsetAt(position);
    const pipeline = pipelineAt(a, offset);
    const sym = pipeline ? stageSymbolAt(pipeline, offset) : undefined;
    return sym ? { a, sym, pipeline: pipeline!, offset } : undefined;
  }

  connection.onDefinition((params) => {
    const found = symbolAt(params.textDocument.uri, params.position);
    if (!found?.sym.definition) return null;
    return { uri: params.textDocument.uri, range: toRange(found.a.lines, found.sym.definition) };
  });

  connection.onReferences((params) => {
    const found = symbolAt(params.textDocument.uri, params.position);
    if (!found) return [];
    const spans = [...(params.context.includeDeclaration && found.sym.definition ? [found.sym.definition] : []), ...found.sym.references];
    return spans.map((s) => ({ uri: params.textDocument.uri, range: toRange(found.a.lines, s) }));
  });

  connection.onDocumentHighlight((params) => {
    const found = symbolAt(params.textDocument.uri, params.position);
    if (!found) return [];
    return [
      ...(found.sym.definition ? [{ range: toRange(found.a.lines, found.sym.definition), kind: DocumentHighlightKind.Write }] : []),
      ...found.sym.references.map((s) => ({ range: toRange(found.a.lines, s), kind: DocumentHighlightKind.Read })),
    ];
  });

  connection.onPrepareRename((params) => {
    const found = symbolAt(params.textDocument.uri, params.position);
    if (!found) return null;
    const here = [found.sym.definition, ...found.sym.references].find((s) => s && found.offset >= s.start && found.offset <= s.end);
    return here ? { range: toRange(found.a.lines, here), placeholder: found.sym.name } : null;
  });

  connection.onRenameRequest((params) => {
    const found = symbolAt(params.textDocument.uri, params.position);
    if (!found) return null;
    const r = renameStage(found.pipeline, found.offset, params.newName);
    if (!r.ok) throw new ResponseError(-32803, r.reason);
    return { changes: { [params.textDocument.uri]: toEdits(found.a.lines, r.edits) } };
  });

  // ---- custom requests (protocol.ts) ----

  connection.onRequest(COST_ESTIMATE, (params: CostEstimateParams): CostEstimateResult | null => {
    const a = current(params.uri);
    if (!a) return null;
    const base = { uri: params.uri, version: a.version, policySource: a.policy.source, policyFallback: a.policy.fallback };
    if (!a.lint) return { ...base, totalUsd: 0, pipelines: [], error: 'This is a policy file.' };
    if (a.lint.file.documents.some((d) => !d.ok) || a.lint.file.problems.length)
      return { ...base, totalUsd: 0, pipelines: [], error: 'The manifest has YAML errors; fix them to see the estimate.' };
    const pipelines = a.lint.documents.flatMap((d) => {
      if (!d.pipeline || !d.cost) return [];
      const pipeline = d.pipeline;
      const cost = d.cost;
      return [
        {
          documentIndex: d.index,
          name: cost.name,
          monthlyUsd: cost.monthlyUsd,
          budgetUsd: cost.budgetUsd,
          budgetSource: cost.budgetSource,
          overBudget: cost.monthlyUsd > cost.budgetUsd,
          range: toRange(a.lines, { start: pipeline.root.range?.[0] ?? 0, end: pipeline.root.range?.[1] ?? 0 }),
          uncosted: cost.uncosted.map((u) => ({ index: u.stageIndex, name: u.name, reason: u.reason })),
          stages: cost.stages.map((s) => {
            const stage = pipeline.stages.find((x) => x.index === s.stageIndex)!;
            // Every runner listed passes the policy: compliantRunners finds no other kind.
            const alternatives = compliantRunners(stage, pipeline, a.policy.policy)
              .filter((r) => !(r.class === s.class && r.size === s.size && r.network === s.network))
              .slice(0, 8)
              .map((r) => ({ ...r, savingUsd: s.monthlyUsd - r.monthlyUsd }));
            return {
              index: s.stageIndex,
              name: s.name,
              class: s.class,
              size: s.size,
              network: s.network,
              computeUsd: s.computeUsd,
              transferUsd: s.transferUsd,
              monthlyUsd: s.monthlyUsd,
              inputs: s.inputs,
              defaulted: s.defaulted,
              lineItems: s.lineItems,
              alternatives,
              range: toRange(a.lines, { start: stage.node.range?.[0] ?? 0, end: stage.node.range?.[1] ?? 0 }),
            };
          }),
        },
      ];
    });
    return { ...base, totalUsd: pipelines.reduce((s, p) => s + p.monthlyUsd, 0), pipelines };
  });

  connection.onRequest(RECOMMENDATIONS, (params: RecommendationsParams): RecommendationsResult | null => {
    const a = current(params.uri);
    if (!a) return null;
    const matrix = MATRIX.rows.map((r) => ({ phase: r.phase, workloads: [...r.workloads], class: r.class, networks: [...r.networks], guide: r.guide }));
    if (!a.lint || a.lint.file.documents.some((d) => !d.ok))
      return { uri: params.uri, version: a.version, stages: [], matrix, error: 'The manifest has YAML errors.' };
    const stages = a.lint.documents.flatMap((d) =>
      (d.pipeline?.stages ?? []).map((stage) => {
        const ex = explainStage(
          stage,
          d.pipeline!,
          a.policy.policy,
          d.cost?.stages.find((c) => c.stageIndex === stage.index),
          false,
        );
        const span = { start: stage.node.range?.[0] ?? 0, end: stage.node.range?.[1] ?? 0 };
        const deviations = a.findings
          .filter(
            (f) =>
              f.documentIndex === d.index &&
              f.span.start >= span.start &&
              f.span.start <= span.end &&
              ['BC101', 'BC102', 'BC103', 'BC104', 'BC202', 'BC204', 'BC205', 'BC301', 'BC303', 'BC304'].includes(f.code),
          )
          .map((f) => ({ code: f.code, severity: f.severity, message: f.message, docs: docsUrl(f.code), fixable: f.fixes.length > 0 }));
        return {
          documentIndex: d.index,
          index: stage.index,
          name: ex.name,
          ...(ex.phase ? { phase: ex.phase } : {}),
          ...(ex.workload ? { workload: ex.workload } : {}),
          declared: ex.declared,
          ...(ex.row ? { recommended: { class: ex.row.class, networks: [...ex.row.networks], guide: ex.row.guide } } : {}),
          ...(ex.row ? { suggested: suggestedRunner(stage, d.pipeline!, a.policy.policy) } : {}),
          deviations,
          checks: ex.checks,
          range: toRange(a.lines, span),
        };
      }),
    );
    return { uri: params.uri, version: a.version, stages, matrix };
  });

  function stageOf(a: Analysis, documentIndex: number, stageIndex: number) {
    const d = a.lint?.documents.find((x) => x.index === documentIndex);
    return d?.pipeline?.stages.find((s) => s.index === stageIndex);
  }

  connection.onRequest(RUNNER_EDIT, (params: RunnerEditParams): EditResult | null => {
    const a = current(params.uri);
    const stage = a && stageOf(a, params.documentIndex, params.stageIndex);
    if (!a || !stage) return null;
    const fields = Object.fromEntries(
      (['class', 'size', 'network'] as const).filter((f) => typeof params[f] === 'string').map((f) => [f, params[f] as string]),
    );
    return { uri: params.uri, version: a.version, edits: toEdits(a.lines, runnerEdits(a.text, stage, fields)) };
  });

  connection.onRequest(ESTIMATE_EDIT, (params: EstimateEditParams): EditResult | null => {
    const a = current(params.uri);
    const stage = a && stageOf(a, params.documentIndex, params.stageIndex);
    if (!a || !stage) return null;
    return { uri: params.uri, version: a.version, edits: toEdits(a.lines, estimateEdits(a.text, stage, params.estimate ?? {})) };
  });

  documents.listen(connection);
  connection.listen();
}

/** The pipeline whose document holds the offset. */
function pipelineAt(a: Analysis | undefined, offset: number): PipelineModel | undefined {
  return documentAt(a, offset)?.pipeline;
}

function documentAt(a: Analysis | undefined, offset: number) {
  const file = a?.lint?.file ?? a?.file;
  if (!file) return undefined;
  const parsed = file.documents.find((d) => offset >= d.span.start && offset <= d.span.end) ?? file.documents[0];
  if (!parsed) return undefined;
  const result = a?.lint?.documents.find((d) => d.index === parsed.index);
  return { doc: parsed.doc, ...(result?.pipeline ? { pipeline: result.pipeline } : {}), ...(result?.cost ? { cost: result.cost } : {}) };
}

/** A `# barecount-ignore` comment above the finding's stage (or its line), with a reason to fill in. */
function ignoreEdit(a: Analysis, at: number, code: string): { start: number; end: number; newText: string; scope: string } {
  const pipeline = pipelineAt(a, at);
  const stage = pipeline?.stages.find((s) => s.node.range && at >= s.node.range[0] && at <= s.node.range[1]);
  const anchor = stage?.node.range?.[0] ?? at;
  const lineStart = a.text.lastIndexOf('\n', anchor - 1) + 1;
  const indent = /^[ ]*/.exec(a.text.slice(lineStart))![0];
  const eol = a.text.includes('\r\n') ? '\r\n' : '\n';
  return { start: lineStart, end: lineStart, newText: `${indent}# barecount-ignore ${code}: <reason>${eol}`, scope: stage ? 'stage' : 'line' };
}

declare const __BARECOUNT_VERSION__: string | undefined;
