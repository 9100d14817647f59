import type { Policy } from './data';
import { formatMessage, type Report, type RuleMeta } from './rules/rule';
import type { Finding, Severity, SeveritySetting } from './types';

/** Severity of a rule: the settings layer over the policy's map over the rule's default. */
export function resolveSeverity(meta: RuleMeta, policy: Policy | undefined, overrides: Readonly<Record<string, SeveritySetting>> | undefined): SeveritySetting {
  return overrides?.[meta.code] ?? policy?.severity[meta.code] ?? meta.defaultSeverity;
}

export function toFinding(meta: RuleMeta, report: Report, severity: Severity, documentIndex: number): Finding {
  const data = report.data ?? {};
  const template = meta.cut?.[report.messageId] ?? meta.messages[report.messageId] ?? report.messageId;
  return {
    code: meta.code,
    severity,
    message: formatMessage(template, data),
    span: report.span,
    messageId: report.messageId,
    data,
    fixes: report.fixes ?? [],
    related: report.related ?? [],
    documentIndex,
  };
}

/**
 * Rule codes in order (`BC002` before `BC101`). Every code is `BC` and three digits, so code units
 * order them as a collator would (for ASCII in general they would not: `a` and `B`); a collator
 * (`localeCompare`) loaded ICU's on the first sort of every process, several milliseconds of a
 * first open.
 */
export function compareCodes(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

export function sortFindings(findings: Finding[]): Finding[] {
  return findings.sort((a, b) => a.span.start - b.span.start || a.span.end - b.span.end || compareCodes(a.code, b.code));
}
