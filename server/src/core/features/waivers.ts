import type { DocumentAnalysis, WaivedFinding } from '../analysis';
import { daysBetween, describeWaiver, isCurrent, waiverInfo, type IgnoreComment, type WaiverInfo } from '../ignore';
import type { StageModel } from '../model';
import { KNOWN_CODES, docsUrl } from '../rules/registry';
import type { Severity } from '../types';

/**
 * Which waivers bear on a stage, and what they silenced: one place for hover, code lens, the
 * recommendations preview and the cost panel (spec §5.3).
 */

/** Waivers of a stage: comments above it or on its lines, and policy entries for it or its whole pipeline. */
export function stageWaivers(document: DocumentAnalysis, stage: StageModel): IgnoreComment[] {
  const r = stage.node.range;
  if (!r) return [];
  return document.waivers.filter((w) => countsAsWaiver(w) && overlaps(w, r));
}

/** A waiver that names a rule and reads as a waiver (its `until` is a date): what every count of waivers counts. */
export const countsAsWaiver = (w: IgnoreComment) => w.codes.some((c) => KNOWN_CODES.has(c)) && !w.badUntil;
const overlaps = (w: IgnoreComment, r: readonly number[]) => w.scope.start < r[2]! && w.scope.end > r[0]!;

/**
 * `stageWaivers` for every stage of a document at once (the code lens asks for all of them): one
 * sweep over waivers and stages in document order, so thousands of stages and waivers cost their
 * sum, not their product. Only waivers still open (a pipeline-wide one, say) are looked at again.
 */
export function waiversByStage(document: DocumentAnalysis): Map<StageModel, IgnoreComment[]> {
  const out = new Map<StageModel, IgnoreComment[]>();
  const position = new Map(document.waivers.map((w, i) => [w, i]));
  const waivers = document.waivers.filter(countsAsWaiver).sort((a, b) => a.scope.start - b.scope.start);
  const stages = (document.pipeline?.stages ?? []).filter((s) => s.node.range).sort((a, b) => a.node.range![0] - b.node.range![0]);
  let next = 0;
  let open: IgnoreComment[] = [];
  for (const stage of stages) {
    const r = stage.node.range!;
    while (next < waivers.length && waivers[next]!.scope.start < r[2]) open.push(waivers[next++]!);
    open = open.filter((w) => w.scope.end > r[0]);
    // In the document's order, as stageWaivers lists them.
    out.set(
      stage,
      open.filter((w) => overlaps(w, r)).sort((a, b) => position.get(a)! - position.get(b)!),
    );
  }
  return out;
}

/** The findings waived inside a stage. */
export function stageWaived(waived: readonly WaivedFinding[], stage: StageModel): WaivedFinding[] {
  const r = stage.node.range;
  if (!r) return [];
  // `waived` is sorted by position (analysis.ts): the stage's are one run, found by halves.
  let lo = 0;
  let hi = waived.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (waived[mid]!.finding.span.start < r[0]) lo = mid + 1;
    else hi = mid;
  }
  const out: WaivedFinding[] = [];
  for (let i = lo; i < waived.length && waived[i]!.finding.span.start < r[2]; i++) out.push(waived[i]!);
  return out;
}

/** "2 waivers · next expires in 12 days" (code lens), or undefined when the stage has none. */
export function waiverSummary(waivers: readonly IgnoreComment[], today: string): string | undefined {
  if (waivers.length === 0) return undefined;
  const current = waivers.filter((w) => isCurrent(w, today));
  const ended = waivers.length - current.length;
  const parts: string[] = [];
  if (current.length) {
    parts.push(`${current.length} waiver${current.length === 1 ? '' : 's'}`);
    const next = current
      .map((w) => w.until)
      .filter((u): u is string => u !== undefined)
      .sort()[0];
    if (next !== undefined) {
      const d = daysBetween(today, next);
      parts.push(d === 0 ? 'next expires today' : `next expires in ${d} day${d === 1 ? '' : 's'}`);
    } else parts.push('no end date');
  }
  if (ended) parts.push(`${ended} ended waiver${ended === 1 ? '' : 's'} (BC004)`);
  return parts.join(' · ');
}

/** A waived finding as panels show it. */
export interface WaivedReport {
  code: string;
  severity: Severity;
  message: string;
  docs: string;
  waiver: WaiverInfo;
  /** One line: what, who, until when, why. */
  summary: string;
}

export function waivedReport(w: WaivedFinding, today: string): WaivedReport {
  const info = waiverInfo(w.waiver);
  return {
    code: w.finding.code,
    severity: w.finding.severity,
    message: w.finding.message,
    docs: docsUrl(w.finding.code),
    waiver: info,
    summary: describeWaiver({ ...info, codes: [w.finding.code] }, today),
  };
}
