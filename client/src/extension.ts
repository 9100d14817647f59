import * as vscode from 'vscode';
import { LanguageClient, TransportKind, type LanguageClientOptions, type ServerOptions } from 'vscode-languageclient/node';
import { DID_CHANGE_WORKSPACE_TRUST, type InitializationOptions } from '../../server/src/protocol';
import { CostPanel, RecommendationsPanel } from './panels';
import { CostStatus } from './status';
import { redactingTraceChannel } from './trace';

/**
 * The extension: start the language server, register the commands, the status bar item and the
 * panels. Everything else happens in the server; the client never imports the engine.
 */
let client: LanguageClient | undefined;

export interface BareCountApi {
  client: LanguageClient;
  costPanel(): CostPanel | undefined;
  recommendationsPanel(): RecommendationsPanel | undefined;
}

export async function activate(context: vscode.ExtensionContext): Promise<BareCountApi> {
  const output = vscode.window.createOutputChannel('BareCount', { log: true });
  const module = context.asAbsolutePath('dist/server.js');
  // The same setting as the bin's shebang: one malloc arena keeps the server's peak memory down at
  // no measured cost in speed (bench/README.md). The server sizes its young generation itself.
  const env = { ...process.env, MALLOC_ARENA_MAX: '1' };
  const serverOptions: ServerOptions = {
    run: { module, transport: TransportKind.ipc, options: { env } },
    debug: { module, transport: TransportKind.ipc, options: { execArgv: ['--nolazy', '--inspect=6019'], env } },
  };
  const clientOptions: LanguageClientOptions = {
    documentSelector: [{ language: 'barecount' }],
    synchronize: { fileEvents: vscode.workspace.createFileSystemWatcher('**/barecount.policy.yaml'), configurationSection: 'barecount' },
    outputChannel: output,
    // The protocol trace never holds a document's text (see trace.ts).
    traceOutputChannel: redactingTraceChannel(vscode.window.createOutputChannel('BareCount Trace', { log: true })),
    // In Restricted Mode the server ignores barecount.policyPath (spec §1). Read at each start, so
    // a restarted server knows; trust granted while it runs is sent to it (taking trust back
    // reloads the window).
    initializationOptions: (): InitializationOptions => ({
      retriggerCommand: 'editor.action.triggerSuggest',
      snippets: false,
      workspaceTrusted: vscode.workspace.isTrusted,
    }),
  };
  client = new LanguageClient('barecount', 'BareCount', serverOptions, clientOptions);
  await client.start();
  const c = client;

  const status = new CostStatus(c);
  context.subscriptions.push(
    status,
    vscode.commands.registerCommand('barecount.showCostEstimate', () => CostPanel.createOrShow(context, c, output)),
    vscode.commands.registerCommand('barecount.previewRecommendations', () => RecommendationsPanel.createOrShow(context, c, output)),
    vscode.commands.registerCommand('barecount.restartServer', () => c.restart()),
    vscode.workspace.onDidGrantWorkspaceTrust(() => void c.sendNotification(DID_CHANGE_WORKSPACE_TRUST, { trusted: true })),
    vscode.window.registerWebviewPanelSerializer(CostPanel.viewType, {
      deserializeWebviewPanel: async (panel, state) => void CostPanel.revive(panel, context, c, output, state),
    }),
    vscode.window.registerWebviewPanelSerializer(RecommendationsPanel.viewType, {
      deserializeWebviewPanel: async (panel, state) => void RecommendationsPanel.revive(panel, context, c, output, state),
    }),
  );
  output.info(`BareCount language server started (${module}).`);
  // What the end-to-end tests read through the real API (exports of the activated extension).
  return { client: c, costPanel: () => CostPanel.current, recommendationsPanel: () => RecommendationsPanel.current };
}

export async function deactivate(): Promise<void> {
  await client?.stop();
  client = undefined;
}
