import {
  CodeActionKind,
  DidChangeWatchedFilesNotification,
  TextDocumentSyncKind,
  type Connection,
  type InitializeParams,
  type InitializeResult,
} from 'vscode-languageserver/node';
import { COMMAND_APPLY_FIX, COMMAND_SHOW_RULE_DOCS, DID_CHANGE_WORKSPACE_TRUST, type InitializationOptions } from '../protocol';
import { registerCodeActions, FIX_ALL_KIND } from './code-actions';
import { registerCodeLens } from './code-lens';
import { registerCompletion } from './completion';
import { diagnosticFeatures } from './convert';
import { registerCustomRequests } from './custom-requests';
import { registerDiagnostics } from './diagnostics';
import { registerHover } from './hover';
import { registerNavigation } from './navigation';
import { SecretRegistry } from './redaction';
import { readSettings, Session } from './session';

/**
 * The language server: wiring only. Each feature lives in its own file and turns LSP requests
 * into engine calls; the engine (../core) does the work. Nothing from the workspace is run.
 */
export function startServer(connection: Connection, secrets = new SecretRegistry()): void {
  const session = new Session(connection, secrets);
  let watchRegistration = false;
  let workspaceFolders = false;
  let codeLensRefresh = false;

  connection.onInitialize((params: InitializeParams): InitializeResult => {
    session.configurationCapability = !!params.capabilities.workspace?.configuration;
    watchRegistration = !!params.capabilities.workspace?.didChangeWatchedFiles?.dynamicRegistration;
    workspaceFolders = !!params.capabilities.workspace?.workspaceFolders;
    codeLensRefresh = !!params.capabilities.workspace?.codeLens?.refreshSupport;
    session.diagnosticFeatures = diagnosticFeatures(params.capabilities.textDocument?.publishDiagnostics);
    const options = params.initializationOptions as InitializationOptions | undefined;
    session.retriggerCommand = options?.retriggerCommand;
    session.serverSnippets = options?.snippets !== false;
    // Only a client with Restricted Mode says false; the others send nothing (see Session).
    session.workspaceTrusted = options?.workspaceTrusted !== false;
    const folders = params.workspaceFolders?.map((f) => f.uri) ?? (params.rootUri ? [params.rootUri] : []);
    session.policies.setRoots(folders);
    return {
      capabilities: {
        // Saves are heard for the baseline: a commit that follows one shows up (baseline.ts).
        textDocumentSync: { openClose: true, change: TextDocumentSyncKind.Incremental, save: { includeText: false } },
        completionProvider: { triggerCharacters: [':', ' ', '[', ',', '-'], resolveProvider: false },
        hoverProvider: true,
        codeActionProvider: { codeActionKinds: [CodeActionKind.QuickFix, CodeActionKind.SourceFixAll, FIX_ALL_KIND] },
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

  const { revalidateAll, revalidate } = registerDiagnostics(session);
  // A document's baseline arrived or changed: its diagnostics (new ones are told apart) and lenses show it.
  session.onBaselineChanged = (uri) => {
    revalidate(uri);
    if (codeLensRefresh) void connection.sendRequest('workspace/codeLens/refresh').catch(() => undefined);
  };
  session.documents.onDidSave((e) => session.baselines.invalidate(e.document.uri));
  registerCompletion(session);
  registerHover(session);
  registerCodeActions(session);
  registerCodeLens(session);
  registerNavigation(session);
  registerCustomRequests(session);

  connection.onInitialized(() => {
    if (watchRegistration) {
      void connection.client.register(DidChangeWatchedFilesNotification.type, { watchers: [{ globPattern: '**/barecount.policy.yaml' }] });
    }
    // Clients without workspace folders (many editors) never send this notification.
    if (workspaceFolders) {
      connection.workspace.onDidChangeWorkspaceFolders(async () => {
        const folders = (await connection.workspace.getWorkspaceFolders()) ?? [];
        session.policies.setRoots(folders.map((f) => f.uri));
        revalidateAll();
      });
    }
  });

  connection.onNotification(DID_CHANGE_WORKSPACE_TRUST, (params) => {
    session.workspaceTrusted = params.trusted !== false;
    revalidateAll();
  });

  connection.onDidChangeConfiguration((change) => {
    session.forgetSettings();
    session.baselines.invalidate();
    if (!session.configurationCapability) session.globalSettings = readSettings((change.settings as { barecount?: unknown } | undefined)?.barecount);
    revalidateAll();
  });

  session.documents.listen(connection);
  connection.listen();
}

declare const __BARECOUNT_VERSION__: string | undefined;
