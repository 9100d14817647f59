import { randomBytes } from 'node:crypto';
import * as vscode from 'vscode';
import type { LanguageClient } from 'vscode-languageclient/node';
import {
  COST_ESTIMATE,
  ESTIMATE_EDIT,
  RECOMMENDATIONS,
  RUNNER_EDIT,
  type CostEstimateResult,
  type EditResult,
  type RecommendationsResult,
} from '../../server/src/protocol';
import { toCsv, toMarkdown } from './export';
import { acceptPanelMessage, type PanelMessage } from './messages';
import { webviewShell } from './webview-html';

/**
 * The two webview panels. Each follows the active manifest and its live edits, asks the server
 * for its data, posts it to the page, and turns the page's (validated) messages into edits that
 * the server computes: the same edits as the quick fixes, applied as one undo step.
 */
abstract class Panel implements vscode.Disposable {
  protected uri: vscode.Uri | undefined;
  private readonly disposables: vscode.Disposable[] = [];
  private timer: NodeJS.Timeout | undefined;

  protected constructor(
    protected readonly panel: vscode.WebviewPanel,
    protected readonly context: vscode.ExtensionContext,
    protected readonly client: LanguageClient,
    protected readonly output: vscode.OutputChannel,
    page: 'cost' | 'recommendations',
    title: string,
  ) {
    const media = vscode.Uri.joinPath(context.extensionUri, 'media');
    const scripts = vscode.Uri.joinPath(context.extensionUri, 'dist', 'webview');
    panel.webview.options = { enableScripts: true, localResourceRoots: [media, scripts] };
    panel.webview.html = webviewShell({
      title,
      page,
      cspSource: panel.webview.cspSource,
      nonce: randomBytes(16).toString('base64'),
      scriptUri: panel.webview.asWebviewUri(vscode.Uri.joinPath(scripts, 'panel.js')).toString(),
      styleUri: panel.webview.asWebviewUri(vscode.Uri.joinPath(media, 'panel.css')).toString(),
    });
    this.disposables.push(
      panel.onDidDispose(() => this.dispose()),
      panel.webview.onDidReceiveMessage((raw: unknown) => {
        const msg = acceptPanelMessage(raw, page, (line) => this.output.appendLine(line));
        if (msg) void this.onMessage(msg).catch((e: unknown) => this.output.appendLine(`BareCount: ${(e as Error).message}`));
      }),
      vscode.window.onDidChangeActiveTextEditor((e) => {
        if (e && e.document.languageId === 'barecount' && e.document.uri.toString() !== this.uri?.toString()) {
          this.uri = e.document.uri;
          this.refresh(0);
        }
      }),
      vscode.workspace.onDidChangeTextDocument((e) => {
        if (e.document.uri.toString() === this.uri?.toString()) this.refresh(250);
      }),
      // Diagnostics are published again when the baseline (barecount.baseline) arrives or moves.
      vscode.languages.onDidChangeDiagnostics((e) => {
        if (this.uri && e.uris.some((u) => u.toString() === this.uri!.toString())) this.refresh(250);
      }),
    );
  }

  /** Shows the panel's data for `uri` (or keeps the current manifest). */
  follow(uri: vscode.Uri | undefined) {
    if (uri) this.uri = uri;
    this.refresh(0);
  }

  reveal() {
    this.panel.reveal(vscode.ViewColumn.Beside, true);
  }

  refresh(delay: number) {
    if (this.timer) clearTimeout(this.timer);
    this.timer = setTimeout(() => void this.update().catch((e: unknown) => this.output.appendLine(`BareCount: ${(e as Error).message}`)), delay);
  }

  protected abstract update(): Promise<void>;
  protected abstract onMessage(msg: PanelMessage): Promise<void>;

  /**
   * Applies the server's edits as one workspace edit (one undo step) to the document they were
   * computed for, whichever editor is active now, and only if its text has not moved on.
   */
  protected async applyEdits(result: EditResult | null): Promise<boolean> {
    if (!result) {
      // The server computes edits only for the version the page shows: the text moved on (or closed).
      void vscode.window.showInformationMessage('BareCount: the manifest changed since the panel showed it; the panel is up to date now, try again.');
      this.refresh(0);
      return false;
    }
    const doc = vscode.workspace.textDocuments.find((d) => d.uri.toString() === result.uri);
    if (!doc || result.edits.length === 0) return false;
    if (doc.version !== result.version) {
      void vscode.window.showInformationMessage('BareCount: the manifest changed while the edit was computed; try again.');
      return false;
    }
    const edit = new vscode.WorkspaceEdit();
    for (const e of result.edits)
      edit.replace(doc.uri, new vscode.Range(e.range.start.line, e.range.start.character, e.range.end.line, e.range.end.character), e.newText);
    return vscode.workspace.applyEdit(edit);
  }

  dispose() {
    if (this.timer) clearTimeout(this.timer);
    for (const d of this.disposables) d.dispose();
    this.disposables.length = 0;
    this.panel.dispose();
  }
}

function activeManifest(): vscode.Uri | undefined {
  const doc = vscode.window.activeTextEditor?.document;
  return doc?.languageId === 'barecount' ? doc.uri : undefined;
}

type Deps = [context: vscode.ExtensionContext, client: LanguageClient, output: vscode.OutputChannel];

/** What the two panel classes share on their static side: one panel of each kind at a time. */
interface PanelKind<T extends Panel> {
  readonly viewType: string;
  readonly title: string;
  current: T | undefined;
  make(panel: vscode.WebviewPanel, ...deps: Deps): T;
}

function createOrShowPanel<T extends Panel>(kind: PanelKind<T>, ...deps: Deps): T {
  const uri = activeManifest();
  if (kind.current) {
    kind.current.reveal();
    kind.current.follow(uri);
    return kind.current;
  }
  const panel = vscode.window.createWebviewPanel(
    kind.viewType,
    kind.title,
    { viewColumn: vscode.ViewColumn.Beside, preserveFocus: true },
    { enableScripts: true },
  );
  const created = kind.make(panel, ...deps);
  kind.current = created;
  created.follow(uri);
  return created;
}

/** A panel VS Code restores after a reload: it follows the manifest it showed. */
function revivePanel<T extends Panel>(kind: PanelKind<T>, panel: vscode.WebviewPanel, state: unknown, ...deps: Deps): T {
  const revived = kind.make(panel, ...deps);
  kind.current = revived;
  const saved = (state as { data?: { uri?: string } } | undefined)?.data?.uri;
  revived.follow(saved ? vscode.Uri.parse(saved) : activeManifest());
  return revived;
}

export class CostPanel extends Panel {
  static readonly viewType = 'barecount.costEstimate';
  static current: CostPanel | undefined;
  private last: CostEstimateResult | undefined;

  static readonly title = 'BareCount: Cost Estimate';

  static make(panel: vscode.WebviewPanel, ...deps: Deps): CostPanel {
    return new CostPanel(panel, ...deps);
  }

  static createOrShow(...deps: Deps): CostPanel {
    return createOrShowPanel(CostPanel, ...deps);
  }

  static revive(panel: vscode.WebviewPanel, context: vscode.ExtensionContext, client: LanguageClient, output: vscode.OutputChannel, state: unknown): CostPanel {
    return revivePanel(CostPanel, panel, state, context, client, output);
  }

  private constructor(panel: vscode.WebviewPanel, context: vscode.ExtensionContext, client: LanguageClient, output: vscode.OutputChannel) {
    super(panel, context, client, output, 'cost', CostPanel.title);
  }

  /** The figures the page shows (tests compare them with barecount-lint --cost). */
  get estimate(): CostEstimateResult | undefined {
    return this.last;
  }

  protected async update() {
    if (!this.uri) return;
    const est = await this.client.sendRequest(COST_ESTIMATE, { uri: this.uri.toString() });
    if (!est) return;
    this.last = est;
    this.panel.title = `Cost: ${this.uri.path.split('/').pop()}`;
    await this.panel.webview.postMessage({ type: 'estimate', data: est });
  }

  protected async onMessage(msg: PanelMessage) {
    // Edits go to the manifest (and version) the page shows, whichever editor is active now.
    const shown = this.last;
    if (!shown) {
      if (msg.type === 'ready') this.refresh(0);
      return;
    }
    const target = { uri: shown.uri, version: shown.version };
    switch (msg.type) {
      case 'ready':
        this.refresh(0);
        return;
      case 'apply':
        await this.applyEdits(
          await this.client.sendRequest(RUNNER_EDIT, {
            ...target,
            documentIndex: msg.documentIndex,
            stageIndex: msg.stageIndex,
            class: msg.class,
            size: msg.size,
            network: msg.network,
          }),
        );
        return;
      case 'setEstimate':
        await this.applyEdits(
          await this.client.sendRequest(ESTIMATE_EDIT, {
            ...target,
            documentIndex: msg.documentIndex,
            stageIndex: msg.stageIndex,
            estimate: msg.estimate,
          }),
        );
        return;
      case 'export': {
        const content = msg.format === 'csv' ? toCsv(shown) : toMarkdown(shown);
        const doc = await vscode.workspace.openTextDocument({ language: msg.format === 'csv' ? 'csv' : 'markdown', content });
        await vscode.window.showTextDocument(doc, { viewColumn: vscode.ViewColumn.Active, preview: false });
        return;
      }
      case 'reveal':
        await reveal(
          shown.pipelines.find((p) => p.documentIndex === msg.documentIndex)?.stages.find((s) => s.index === msg.stageIndex)?.range,
          vscode.Uri.parse(shown.uri),
        );
        return;
      default:
        return;
    }
  }

  dispose() {
    if (CostPanel.current === this) CostPanel.current = undefined;
    super.dispose();
  }
}

export class RecommendationsPanel extends Panel {
  static readonly viewType = 'barecount.recommendations';
  static current: RecommendationsPanel | undefined;
  private last: RecommendationsResult | undefined;

  static readonly title = 'BareCount: Recommendations';

  static make(panel: vscode.WebviewPanel, ...deps: Deps): RecommendationsPanel {
    return new RecommendationsPanel(panel, ...deps);
  }

  static createOrShow(...deps: Deps): RecommendationsPanel {
    return createOrShowPanel(RecommendationsPanel, ...deps);
  }

  static revive(
    panel: vscode.WebviewPanel,
    context: vscode.ExtensionContext,
    client: LanguageClient,
    output: vscode.OutputChannel,
    state: unknown,
  ): RecommendationsPanel {
    return revivePanel(RecommendationsPanel, panel, state, context, client, output);
  }

  private constructor(panel: vscode.WebviewPanel, context: vscode.ExtensionContext, client: LanguageClient, output: vscode.OutputChannel) {
    super(panel, context, client, output, 'recommendations', RecommendationsPanel.title);
  }

  get recommendations(): RecommendationsResult | undefined {
    return this.last;
  }

  protected async update() {
    if (!this.uri) return;
    const rec = await this.client.sendRequest(RECOMMENDATIONS, { uri: this.uri.toString() });
    if (!rec) return;
    this.last = rec;
    await this.panel.webview.postMessage({ type: 'recommendations', data: rec });
  }

  /** Applies a stage's recommended runner, as the server computed it for the text shown. */
  private async applyOne(shown: RecommendationsResult, documentIndex: number, stageIndex: number): Promise<boolean> {
    const s = shown.stages.find((x) => x.documentIndex === documentIndex && x.index === stageIndex);
    const r = s?.recommended;
    if (!r || r.changes.length === 0) return false;
    const edit = await this.client.sendRequest(RUNNER_EDIT, {
      uri: shown.uri,
      version: shown.version,
      documentIndex,
      stageIndex,
      class: r.class,
      size: r.size,
      network: r.network,
    });
    return this.applyEdits(edit);
  }

  protected async onMessage(msg: PanelMessage) {
    const shown = this.last;
    if (msg.type === 'ready') this.refresh(0);
    else if (!shown) return;
    else if (msg.type === 'applyRecommendation') await this.applyOne(shown, msg.documentIndex, msg.stageIndex);
    else if (msg.type === 'applyAllRecommendations') {
      // One stage at a time, each on the text the previous one produced, all in the manifest the
      // page showed when the button was pressed (not whichever becomes active meanwhile).
      const targets = shown.stages.filter((s) => s.recommended && s.recommended.changes.length > 0).map((s) => [s.documentIndex, s.index] as const);
      for (const [d, i] of targets) {
        const fresh = await this.client.sendRequest(RECOMMENDATIONS, { uri: shown.uri });
        if (!fresh) return;
        if (!(await this.applyOne(fresh, d, i))) continue;
      }
      this.refresh(0);
    }
  }

  dispose() {
    if (RecommendationsPanel.current === this) RecommendationsPanel.current = undefined;
    super.dispose();
  }
}

async function reveal(range: { start: { line: number; character: number } } | undefined, uri: vscode.Uri) {
  if (!range) return;
  const doc = await vscode.workspace.openTextDocument(uri);
  const pos = new vscode.Position(range.start.line, range.start.character);
  await vscode.window.showTextDocument(doc, { viewColumn: vscode.ViewColumn.One, selection: new vscode.Range(pos, pos) });
}
