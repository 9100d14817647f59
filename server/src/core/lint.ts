import { DEFAULT_POLICY, type Policy } from './data';
import { costPipeline, type PipelineCost } from './cost';
import { resolveSeverity, sortFindings, toFinding } from './findings';
import { DEFAULT_LIMITS, type Limits } from './limits';
import { buildPipeline, type PipelineModel } from './model';
import { parseYaml, type ParsedFile } from './parse';
import type { ParseCache } from './incremental';
import { bc001 } from './rules/bc001-yaml-syntax';
import { bc002 } from './rules/bc002-schema';
import { KNOWN_CODES, RULES } from './rules/registry';
import type { Report, RuleContext, RuleMeta } from './rules/rule';
import { findSuppressions, isSuppressed } from './suppress';
import type { Finding, SeveritySetting } from './types';
import { isScalar } from 'yaml';
import { pairOf } from './yaml-ast';

export interface LintOptions {
  /** The merged policy (see loadPolicy); the built-in policy when left out. */
  policy?: Policy;
  /** Per-rule severities from editor settings; they win over the policy's `severity` map. */
  severityOverrides?: Readonly<Record<string, SeveritySetting>>;
  limits?: Limits;
  /** An editor's per-document cache: re-parses only the stages an edit touched (incremental.ts). */
  cache?: ParseCache;
  /** When given, milliseconds spent per stage are added to it (parse, schema, rules, cost). */
  profile?: Record<'parse' | 'schema' | 'rules' | 'cost', number>;
}

export interface DocumentResult {
  index: number;
  pipeline?: PipelineModel;
  cost?: PipelineCost;
}

export interface LintResult {
  file: ParsedFile;
  findings: Finding[];
  documents: DocumentResult[];
}

/** Checks every document of a manifest file. Never throws; findings come sorted by position. */
export function lintManifest(text: string, options: LintOptions = {}): LintResult {
  const policy = options.policy ?? DEFAULT_POLICY;
  const limits = options.limits ?? DEFAULT_LIMITS;
  const prof = options.profile;
  let mark = prof ? performance.now() : 0;
  const lap = (key: 'parse' | 'schema' | 'rules' | 'cost') => {
    if (!prof) return;
    const now = performance.now();
    prof[key] += now - mark;
    mark = now;
  };
  const file = options.cache ? options.cache.parse(text, limits) : parseYaml(text, limits);
  lap('parse');
  const findings: Finding[] = [];
  const documents: DocumentResult[] = [];

  const emitter = (meta: RuleMeta, documentIndex: number, suppressions: RuleContext['suppressions']) => {
    const severity = resolveSeverity(meta, policy, options.severityOverrides);
    return (r: Report) => {
      if (severity === 'off') return;
      if (meta.code !== 'BC003' && isSuppressed(meta.code, r.span.start, suppressions)) return;
      findings.push(toFinding(meta, r, severity, documentIndex));
    };
  };

  if (file.documents.length === 0) {
    for (const p of file.problems) emitter(bc001.meta, p.documentIndex, [])({ messageId: p.kind, data: { detail: p.message }, span: p.span });
  }

  for (const document of file.documents) {
    const empty = document.ok && (document.data === null || document.data === undefined);
    if (empty) continue;
    lap('rules');
    const pipeline = document.ok ? buildPipeline(document.doc, document.index) : undefined;
    const suppressions = findSuppressions(text, document.span, pipeline);
    if (!document.ok) {
      bc001.check(makeContext(text, file, document, undefined, policy, undefined, suppressions, emitter(bc001.meta, document.index, suppressions)));
      continue;
    }
    const kind = pipeline ? pairOf(pipeline.root, 'kind') : undefined;
    if (kind && isScalar(kind.value) && kind.value.value === 'Policy') {
      emitter(
        bc002.meta,
        document.index,
        suppressions,
      )({ messageId: 'notPipeline', data: { kind: 'Policy' }, span: { start: kind.value.range![0], end: kind.value.range![1] } });
      continue;
    }
    lap('rules');
    const cost = pipeline ? costPipeline(pipeline, policy) : undefined;
    lap('cost');
    documents.push({ index: document.index, ...(pipeline ? { pipeline } : {}), ...(cost ? { cost } : {}) });
    for (const rule of RULES) {
      const ctx = makeContext(text, file, document, pipeline, policy, cost, suppressions, emitter(rule.meta, document.index, suppressions));
      try {
        rule.check(ctx);
        lap(rule.meta.code === 'BC002' ? 'schema' : 'rules');
      } catch (e) {
        // A rule bug must not take the others down; it surfaces as a finding a user can report.
        findings.push(
          toFinding(rule.meta, { messageId: 'internal', data: {}, span: { start: document.span.start, end: document.span.start } }, 'error', document.index),
        );
        findings[findings.length - 1]!.message = `${rule.meta.code} failed on this document (${(e as Error).name}); please report it. Other rules ran.`;
      }
    }
  }
  const sorted = sortFindings(findings);
  lap('rules');
  return { file, findings: sorted, documents };
}

function makeContext(
  text: string,
  file: ParsedFile,
  document: ParsedFile['documents'][number],
  pipeline: PipelineModel | undefined,
  policy: Policy,
  cost: PipelineCost | undefined,
  suppressions: RuleContext['suppressions'],
  report: RuleContext['report'],
): RuleContext {
  return { text, file, document, pipeline, policy, cost, suppressions, knownCodes: KNOWN_CODES, report };
}
