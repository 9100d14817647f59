import { MessageType, ShowMessageNotification, TextDocuments, type Connection } from 'vscode-languageserver/node';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { URI } from 'vscode-uri';
import { DEFAULT_LIMITS, SEVERITY_SETTINGS, documentAt, limitsWithSize, type SeveritySetting } from '../core';
import { BaselineStore } from './baseline';
import { ALL_DIAGNOSTIC_FEATURES, type DiagnosticFeatures } from './convert';
import { Analyzer, type AnalysisSettings, type DocState } from './documents';
import { PolicyResolver } from './policy';
import type { SecretRegistry } from './redaction';

/**
 * What every feature of the server shares: the open documents, their analyses, the settings
 * and the ways to speak to the client. Each feature file registers its handlers on this.
 */

export interface Settings extends AnalysisSettings {
  codeLensEnabled: boolean;
  /** `barecount.baseline`: the git revision costs and findings are compared with; empty: off. */
  baseline: string;
}

export const DEFAULT_SETTINGS: Settings = { rules: {}, policyPath: undefined, codeLensEnabled: true, limits: DEFAULT_LIMITS, baseline: 'HEAD' };

export function readSettings(raw: unknown): Settings {
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
    baseline: typeof s.baseline === 'string' ? s.baseline.trim() : DEFAULT_SETTINGS.baseline,
  };
}

export class Session {
  readonly documents = new TextDocuments(TextDocument);
  readonly policies: PolicyResolver;
  readonly analyzer: Analyzer;
  readonly baselines: BaselineStore;
  /** Set by the diagnostics feature: a document's baseline arrived or changed. */
  onBaselineChanged: (uri: string) => void = () => undefined;
  private readonly settingsCache = new Map<string, Settings>();
  globalSettings: Settings = DEFAULT_SETTINGS;
  configurationCapability = false;
  /** What the client reads of a diagnostic; everything until it says (convert.ts). */
  diagnosticFeatures: DiagnosticFeatures = ALL_DIAGNOSTIC_FEATURES;
  retriggerCommand: string | undefined;
  serverSnippets = true;
  /**
   * Whether the user trusts the workspace. Only VS Code has Restricted Mode and says so
   * (initializationOptions.workspaceTrusted); other editors (Neovim, Helix, Zed...) open what the
   * user opens and send nothing, so a workspace is trusted unless the client says otherwise.
   */
  workspaceTrusted = true;
  private saidRestricted = false;

  constructor(
    readonly connection: Connection,
    /** What the redaction layer masks: every analysis reports the secrets of its document here. */
    readonly secrets: SecretRegistry,
  ) {
    this.policies = new PolicyResolver((path) => this.documents.get(URI.file(path).toString())?.getText());
    this.analyzer = new Analyzer(this.policies, secrets);
    this.baselines = new BaselineStore(
      (uri) => this.onBaselineChanged(uri),
      (m) => this.log(m),
    );
  }

  /** The document compared with `barecount.baseline` (new findings, figures there), once git answered. */
  baselineOf(state: DocState, ask = true) {
    return this.baselines.of(state, this.knownSettings(state.uri).baseline, ask);
  }

  /** The baseline's figures per pipeline and stage (lenses, hover), once git answered. */
  baselineCostsOf(state: DocState) {
    return this.baselines.costs(state, this.knownSettings(state.uri).baseline);
  }

  /** The document's cost report, with the baseline's figures when there are some: what every surface shows. */
  costReportOf(state: DocState) {
    return this.baselines.report(state, this.knownSettings(state.uri).baseline);
  }

  log(message: string): void {
    this.connection.console.log(message);
  }

  /** A notification, not window/showMessageRequest: nothing to wait for, and no client can fail it. */
  notify(type: MessageType, message: string): void {
    void this.connection.sendNotification(ShowMessageNotification.type, { type, message });
  }

  async settingsFor(uri: string): Promise<Settings> {
    if (!this.configurationCapability) return this.restricted(this.globalSettings);
    const cached = this.settingsCache.get(uri);
    if (cached) return this.restricted(cached);
    try {
      const raw = await this.connection.workspace.getConfiguration({ scopeUri: uri, section: 'barecount' });
      const s = readSettings(raw);
      this.settingsCache.set(uri, s);
      return this.restricted(s);
    } catch {
      return this.restricted(this.globalSettings);
    }
  }

  /** Settings as last read: requests never wait on the client. */
  knownSettings(uri: string): Settings {
    return this.restricted(this.settingsCache.get(uri) ?? this.globalSettings);
  }

  /**
   * In an untrusted workspace `barecount.policyPath` is ignored (spec section 1), whoever set it, and so
   * is a raised size limit (it would lift the work budget with it): the package declares both
   * restricted configurations, and the server does not rely on the client for that.
   */
  private restricted(s: Settings): Settings {
    if (this.workspaceTrusted) return s;
    const raisedLimits = s.limits.maxDocumentSize > DEFAULT_LIMITS.maxDocumentSize;
    // git is never run in an untrusted workspace: its config could name programs to run.
    if (s.baseline) s = { ...s, baseline: '' };
    if (s.policyPath === undefined && !raisedLimits) return s;
    if (!this.saidRestricted)
      this.log('barecount.policyPath and a raised barecount.limits.maxFileSizeKb are ignored: the workspace is not trusted (Restricted Mode).');
    this.saidRestricted = true;
    return { ...s, policyPath: undefined, policyWithheld: s.policyPath !== undefined, ...(raisedLimits ? { limits: DEFAULT_LIMITS } : {}) };
  }

  forgetSettings(uri?: string): void {
    if (uri) this.settingsCache.delete(uri);
    else this.settingsCache.clear();
  }

  /** The analysis of a document's current version. */
  current(uri: string): DocState | undefined {
    const doc = this.documents.get(uri);
    return doc ? this.analyzer.analyze(doc, this.knownSettings(uri)) : undefined;
  }
}

/** The document of a state that holds an offset: its parsed form and, for manifests, its analysis. */
export function documentOf(state: DocState, offset: number) {
  if (state.analysis) return documentAt(state.analysis, offset);
  const parsed = state.file?.documents.find((d) => offset >= d.span.start && offset <= d.span.end) ?? state.file?.documents[0];
  return parsed ? { parsed } : undefined;
}
