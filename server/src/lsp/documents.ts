import { TextDocument } from 'vscode-languageserver-textdocument';
import { URI } from 'vscode-uri';
import {
  LineIndex,
  ParseCache,
  isPolicyPath,
  lintManifest,
  loadPolicy,
  parseYaml,
  type Finding,
  type LintResult,
  type Limits,
  type ParsedFile,
  type SeveritySetting,
} from '../core';
import type { PolicyResolver, ResolvedPolicy } from './policy';

/** What the server knows of one open document, recomputed once per version. */
export interface Analysis {
  version: number;
  text: string;
  lines: LineIndex;
  kind: 'manifest' | 'policy';
  findings: Finding[];
  lint?: LintResult;
  /** The parsed policy file, for hover and navigation in it. */
  file?: ParsedFile;
  policy: ResolvedPolicy;
}

export interface AnalysisSettings {
  rules: Record<string, SeveritySetting>;
  policyPath: string | undefined;
  limits: Limits;
}

export class Analyzer {
  private caches = new Map<string, ParseCache>();
  private results = new Map<string, Analysis>();

  constructor(private readonly policies: PolicyResolver) {}

  kindOf(uri: string): 'manifest' | 'policy' {
    return isPolicyPath(URI.parse(uri).path) ? 'policy' : 'manifest';
  }

  /** The analysis of the document's current version, computed if it is not known yet. */
  analyze(doc: TextDocument, settings: AnalysisSettings): Analysis {
    const known = this.results.get(doc.uri);
    if (known && known.version === doc.version) return known;
    const text = doc.getText();
    const kind = this.kindOf(doc.uri);
    const policy = this.policies.resolve(doc.uri, settings.policyPath);
    let analysis: Analysis;
    if (kind === 'policy') {
      const r = loadPolicy(text, settings.limits);
      analysis = { version: doc.version, text, lines: new LineIndex(text), kind, findings: r.findings, policy, file: parseYaml(text, settings.limits) };
    } else {
      let cache = this.caches.get(doc.uri);
      if (!cache) this.caches.set(doc.uri, (cache = new ParseCache()));
      const lint = lintManifest(text, { policy: policy.policy, severityOverrides: settings.rules, cache, limits: settings.limits });
      analysis = { version: doc.version, text, lines: new LineIndex(text), kind, findings: lint.findings, lint, policy };
    }
    this.results.set(doc.uri, analysis);
    return analysis;
  }

  /** The last analysis, whatever its version (for requests that can live with one edit of lag). */
  last(uri: string): Analysis | undefined {
    return this.results.get(uri);
  }

  forget(uri: string): void {
    this.caches.delete(uri);
    this.results.delete(uri);
  }

  /** Settings or a policy changed: every document is analysed again on next use. */
  invalidateAll(): void {
    this.results.clear();
  }
}
