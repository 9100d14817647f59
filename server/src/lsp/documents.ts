import type { TextDocument } from 'vscode-languageserver-textdocument';
import { URI } from 'vscode-uri';
import {
  AnalysisCache,
  LineIndex,
  analyze,
  isPolicyPath,
  isoDate,
  loadPolicy,
  parseYaml,
  type Analysis,
  type AnalysisEnv,
  type Finding,
  type Limits,
  type ParsedFile,
  type SeveritySetting,
  secretsInText,
} from '../core';
import { heap } from './heap';
import type { PolicyResolver, ResolvedPolicy } from './policy';
import type { SecretRegistry } from './redaction';

/** What the server knows of one open document, computed once per version (and day). */
export interface DocState {
  uri: string;
  version: number;
  text: string;
  lines: LineIndex;
  kind: 'manifest' | 'policy';
  findings: readonly Finding[];
  /** The engine's analysis of a manifest. */
  analysis?: Analysis;
  /** The parsed policy file, for hover and navigation in it. */
  file?: ParsedFile;
  policy: ResolvedPolicy;
  env: AnalysisEnv;
}

export interface AnalysisSettings {
  rules: Record<string, SeveritySetting>;
  policyPath: string | undefined;
  limits: Limits;
  /** barecount.policyPath was set but not used (an untrusted workspace). */
  policyWithheld?: boolean;
}

export class Analyzer {
  private caches = new Map<string, AnalysisCache>();
  private results = new Map<string, DocState>();
  /** The pipelines of each open manifest as last analysed: kept when results are invalidated (a policy opened or edited). */
  private pipelines = new Map<string, string[]>();

  constructor(
    private readonly policies: PolicyResolver,
    private readonly secrets: SecretRegistry,
    private readonly today: () => string = () => isoDate(new Date()),
  ) {}

  kindOf(uri: string): 'manifest' | 'policy' {
    return isPolicyPath(URI.parse(uri).path) ? 'policy' : 'manifest';
  }

  /** The analysis of the document's current version, computed if it is not known yet. */
  analyze(doc: TextDocument, settings: AnalysisSettings): DocState {
    const today = this.today();
    const known = this.results.get(doc.uri);
    if (known && known.version === doc.version && known.env.today === today) return known;
    const text = doc.getText();
    const kind = this.kindOf(doc.uri);
    const policy = this.policies.resolve(doc.uri, settings.policyPath);
    // The built-in policy standing in for one that could not be used: no waiver is called unused.
    const policyFallback = policy.fallback || policy.refused !== undefined || (settings.policyWithheld === true && policy.source === 'built-in');
    const env: AnalysisEnv = { policy: policy.policy, limits: settings.limits, today, severityOverrides: settings.rules, policyFallback };
    const base = { uri: doc.uri, version: doc.version, text, lines: new LineIndex(text), kind, policy, env };
    let state: DocState;
    if (kind === 'policy') {
      const r = loadPolicy(text, settings.limits, { today, knownPipelines: this.pipelineNames() });
      state = { ...base, findings: r.findings, file: parseYaml(text, settings.limits) };
      this.secrets.set(doc.uri, [...secretsInText(text)]);
    } else {
      let cache = this.caches.get(doc.uri);
      const opening = !cache;
      if (!cache) this.caches.set(doc.uri, (cache = new AnalysisCache()));
      heap.forManifest(text.length, opening);
      const analysis = analyze(text, env, cache);
      state = { ...base, findings: analysis.findings, analysis };
      this.pipelines.set(
        doc.uri,
        analysis.documents.flatMap((d) => (d.pipeline?.name ? [d.pipeline.name.value] : [])),
      );
      this.secrets.set(doc.uri, analysis.secrets);
    }
    this.results.set(doc.uri, state);
    return state;
  }

  /**
   * The pipelines of the open manifests: what a policy's waivers are checked against. As last
   * analysed, so that a policy checked before the manifests it invalidated are analysed again
   * still knows them.
   */
  private pipelineNames(): string[] {
    return [...this.pipelines.values()].flat();
  }

  /** The named pipelines of an open manifest, as last analysed (undefined before its first analysis). */
  pipelinesOf(uri: string): readonly string[] | undefined {
    return this.pipelines.get(uri);
  }

  /** The last analysis, whatever its version (completion uses it rather than wait for a new one). */
  last(uri: string): DocState | undefined {
    return this.results.get(uri);
  }

  forget(uri: string): void {
    this.pipelines.delete(uri);
    this.secrets.delete(uri);
    this.caches.delete(uri);
    this.results.delete(uri);
  }

  /** The document is analysed again on next use (an open policy, when the pipelines open change). */
  invalidate(uri: string): void {
    this.results.delete(uri);
  }

  /** Settings or a policy changed: every document is analysed again on next use. */
  invalidateAll(): void {
    this.results.clear();
  }
}
