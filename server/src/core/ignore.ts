import type { Span } from './types';
import type { Work } from './work';
import { Redactor } from './redact';
import { printable } from './secrets';
import { eolAt } from './yaml-edit';

/**
 * `# barecount-ignore BC101[, BC102]: reason` comments: their syntax, read and written here only.
 * Directly above a stage, a comment silences those codes in the whole stage; above any other
 * line, on that line only. Comments stack: each applies to the next line that is not one.
 */

export const IGNORE_KEYWORD = 'barecount-ignore';
/** What the editor's "Ignore" action writes for the reason until a person replaces it. */
export const REASON_PLACEHOLDER = '<reason>';

export interface IgnoreComment {
  codes: string[];
  reason: string;
  /** `until YYYY-MM-DD`: the last day the waiver holds (spec §5.3). */
  until?: string;
  /** `until` followed by something that is not a date (BC003 reports it). */
  badUntil?: Span;
  /** The comment itself, from `#`, and each code as written (for BC003 and hover). */
  comment: Span;
  codeSpans: Array<Span & { code: string }>;
  /** Findings that start inside this span are silenced. */
  scope: Span;
  /** The comment sits above a stage and covers all of it. */
  stage: boolean;
  /**
   * A waiver of the policy's `waivers` list (spec §5.3) rather than a comment: its scope is its
   * stage, or the whole document for a pipeline-wide one; its comment and code spans are empty.
   */
  policy?: { owner: string };
}

/** The parts of a directive's text after `# barecount-ignore`, with offsets relative to it. */
export interface IgnoreSyntax {
  codes: Array<{ code: string; start: number; end: number }>;
  reason: string;
  until?: string;
  /** Where `until` is followed by something other than a date. */
  badUntil?: { start: number; end: number };
}

const ISO_DATE = /^\d{4}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])$/;

const DIRECTIVE_PREFIX = /^[ \t]*#[ \t]*barecount-ignore(?![\w-])/;

/** Reads the text after the keyword: codes, then `until DATE`, up to the first `:`; the reason after it. */
export function parseIgnoreBody(rest: string): IgnoreSyntax {
  const colon = rest.indexOf(':');
  const codePart = colon === -1 ? rest : rest.slice(0, colon);
  const reason = colon === -1 ? '' : rest.slice(colon + 1).trim();
  const tokens = [...codePart.matchAll(/[^\s,]+/g)].map((c) => ({ code: c[0], start: c.index!, end: c.index! + c[0].length }));
  const u = tokens.findIndex((t) => t.code.toLowerCase() === 'until');
  if (u === -1) return { codes: tokens, reason };
  const date = tokens[u + 1];
  const out: IgnoreSyntax = { codes: tokens.slice(0, u), reason };
  if (date && ISO_DATE.test(date.code) && u + 2 === tokens.length) out.until = date.code;
  else out.badUntil = { start: tokens[u]!.start, end: tokens[tokens.length - 1]!.end };
  return out;
}

/** Whether a line (without its break) is an ignore directive; returns where the text after the keyword starts. */
export function directiveRest(line: string): number | undefined {
  const m = DIRECTIVE_PREFIX.exec(line);
  return m ? m[0].length : undefined;
}

/** The comment line that silences `codes` on the line at `indent` below it. */
export function formatIgnoreComment(codes: readonly string[], reason: string, indent: string, until?: string): string {
  return `${indent}# ${IGNORE_KEYWORD} ${codes.join(', ')}${until ? ` until ${until}` : ''}: ${reason}`;
}

/** Whether a waiver still holds on `today` (both YYYY-MM-DD): through its `until` day, none after. */
export function isCurrent(c: Pick<IgnoreComment, 'until'>, today: string): boolean {
  return c.until === undefined || c.until >= today;
}

/** An edit that adds an ignore comment above the line starting at `lineStart`. */
export function ignoreCommentEdit(text: string, lineStart: number, code: string): { start: number; end: number; newText: string } {
  let p = lineStart;
  while (text.charCodeAt(p) === 32) p++;
  const eol = eolAt(text, lineStart);
  return { start: lineStart, end: lineStart, newText: `${formatIgnoreComment([code], REASON_PLACEHOLDER, text.slice(lineStart, p))}${eol}` };
}

/**
 * The ignore comments inside `span`. `stageLines` maps the start of a stage's first line to the
 * stage's span. One pass over the lines: each comment's target is the next line with content
 * (not blank, not a comment), so a stack of thousands of comments costs one walk, not one each.
 * `work` counts a step per character of the lines read.
 */
export function findIgnores(text: string, span: Span, stageLines: ReadonlyMap<number, Span>, work?: Work): IgnoreComment[] {
  // Within the span only: a file of many documents must not be searched to its end once per document.
  if (!text.slice(span.start, span.end).includes(IGNORE_KEYWORD)) return [];
  const out: IgnoreComment[] = [];
  const pending: Array<Omit<IgnoreComment, 'scope' | 'stage'>> = [];
  let lineStart = span.start;
  while (lineStart <= span.end && lineStart <= text.length) {
    if (pending.length === 0) {
      // No comment waits for its line: on to the next line that names the keyword (most lines do not).
      const k = text.indexOf(IGNORE_KEYWORD, lineStart);
      const next = k === -1 || k >= span.end ? span.end : Math.max(lineStart, text.lastIndexOf('\n', k - 1) + 1);
      work?.add(next - lineStart);
      if (k === -1 || k >= span.end) break;
      lineStart = next;
    }
    const nl = text.indexOf('\n', lineStart);
    const lineEnd = nl === -1 || nl > span.end ? Math.min(span.end, text.length) : nl;
    const contentEnd = lineEnd > lineStart && text.charCodeAt(lineEnd - 1) === 13 ? lineEnd - 1 : lineEnd;
    const line = text.slice(lineStart, contentEnd);
    work?.add(line.length + 1);
    const rest = line.includes(IGNORE_KEYWORD) ? directiveRest(line) : undefined;
    if (rest !== undefined) {
      const body = parseIgnoreBody(line.slice(rest));
      const hash = lineStart + line.indexOf('#');
      const base = lineStart + rest;
      pending.push({
        codes: body.codes.map((c) => c.code.toUpperCase()),
        reason: body.reason,
        ...(body.until ? { until: body.until } : {}),
        ...(body.badUntil ? { badUntil: { start: base + body.badUntil.start, end: base + body.badUntil.end } } : {}),
        comment: { start: hash, end: contentEnd },
        codeSpans: body.codes.map((c) => ({ code: c.code, start: base + c.start, end: base + c.end })),
      });
    } else if (pending.length > 0 && line.trim() !== '' && !line.trimStart().startsWith('#')) {
      // The first line that holds content: blank lines and other comments in between are skipped.
      const stageSpan = stageLines.get(lineStart);
      const scope = stageSpan ?? { start: lineStart, end: contentEnd };
      for (const p of pending) out.push({ ...p, scope, stage: stageSpan !== undefined });
      work?.add(pending.length);
      pending.length = 0;
    }
    if (nl === -1 || nl >= span.end) break;
    lineStart = nl + 1;
  }
  // Comments with nothing below them silence nothing.
  for (const p of pending) out.push({ ...p, scope: { start: p.comment.end, end: p.comment.end }, stage: false });
  return out.sort((a, b) => a.comment.start - b.comment.start);
}

/** The longest-lasting waiver first: no end date, then the latest end. */
const longestFirst = (a: IgnoreComment, b: IgnoreComment) =>
  a.until === b.until ? 0 : a.until === undefined ? -1 : b.until === undefined ? 1 : a.until < b.until ? 1 : -1;

/** The comments over one scope (stacked over one stage or line), longest-lasting first: one shared answer. */
interface Bucket {
  scope: Span;
  members: IgnoreComment[];
}

/**
 * Which ignore comments silence a code at an offset, answered by binary search: comments above
 * stages cover disjoint stage spans, comments above lines disjoint lines. Comments stacked over
 * one scope are one bucket, sorted once, and the bucket itself is the answer: a finding costs
 * the depth of the search, however many comments are stacked.
 */
export class IgnoreIndex {
  private readonly byCode = new Map<string, { stages: Bucket[]; lines: Bucket[] }>();

  /** The policy's waivers of the document, by code: few, and their scopes may overlap. */
  private readonly fromPolicy = new Map<string, IgnoreComment[]>();

  /** Only waivers current on `today` silence anything; an expired one waives nothing. */
  constructor(comments: readonly IgnoreComment[], today: string, policyWaivers: readonly IgnoreComment[] = []) {
    for (const w of policyWaivers) {
      if (!isCurrent(w, today)) continue;
      for (const code of w.codes) {
        const list = this.fromPolicy.get(code);
        if (list) list.push(w);
        else this.fromPolicy.set(code, [w]);
      }
    }
    const flat = new Map<string, { stages: IgnoreComment[]; lines: IgnoreComment[] }>();
    for (const c of comments) {
      if (c.badUntil || !isCurrent(c, today)) continue;
      for (const code of new Set(c.codes)) {
        let entry = flat.get(code);
        if (!entry) flat.set(code, (entry = { stages: [], lines: [] }));
        (c.stage ? entry.stages : entry.lines).push(c);
      }
    }
    for (const [code, e] of flat) this.byCode.set(code, { stages: buckets(e.stages), lines: buckets(e.lines) });
  }

  /** Whether no current waiver exists at all (most files). */
  get empty(): boolean {
    return this.byCode.size === 0 && this.fromPolicy.size === 0;
  }

  /** Whether any current waiver names `code`: most codes have none, and then nothing needs locating. */
  waives(code: string): boolean {
    return this.byCode.has(code) || this.fromPolicy.has(code);
  }

  /** The waiver that silences `code` at `at`, if any: of several, the one that lasts longest. */
  silencing(code: string, at: number): IgnoreComment | undefined {
    // Most checks of most stages have no waiver at all: asked thousands of times per analysis.
    if (!this.waives(code)) return undefined;
    return this.silencers(code, at)[0];
  }

  /**
   * Every current waiver that silences `code` at `at`, the longest-lasting first: all of them are
   * used, so none is reported as silencing nothing (BC005). Comments stacked over one scope come
   * back as the same array each time (callers only read it), so marking them used can be done once.
   */
  silencers(code: string, at: number): readonly IgnoreComment[] {
    const e = this.byCode.get(code);
    const line = e ? covering(e.lines, at) : undefined;
    const stage = e ? covering(e.stages, at) : undefined;
    const policy = this.fromPolicy.get(code)?.filter((w) => at >= w.scope.start && at <= w.scope.end) ?? [];
    if (!policy.length && !(line && stage)) return line?.members ?? stage?.members ?? policy;
    return [...(line?.members ?? []), ...(stage?.members ?? []), ...policy].sort(longestFirst);
  }
}

/** Comments grouped by their scope (stacked comments share one), in scope order. */
function buckets(list: IgnoreComment[]): Bucket[] {
  list.sort((a, b) => a.scope.start - b.scope.start || a.scope.end - b.scope.end);
  const out: Bucket[] = [];
  for (const c of list) {
    const last = out[out.length - 1];
    if (last && last.scope.start === c.scope.start && last.scope.end === c.scope.end) last.members.push(c);
    else out.push({ scope: c.scope, members: [c] });
  }
  for (const b of out) if (b.members.length > 1) b.members.sort(longestFirst);
  return out;
}

/** The bucket whose scope holds `at`: the last one starting at or before it (scopes do not overlap). */
function covering(list: readonly Bucket[], at: number): Bucket | undefined {
  let lo = 0;
  let hi = list.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (list[mid]!.scope.start <= at) lo = mid + 1;
    else hi = mid;
  }
  const b = list[lo - 1];
  return b && at <= b.scope.end ? b : undefined;
}

/** The rule code under the cursor in an ignore comment, for hover. */
export function ignoreCodeAt(text: string, offset: number): (Span & { code: string }) | undefined {
  const lineStart = text.lastIndexOf('\n', offset - 1) + 1;
  const nl = text.indexOf('\n', offset);
  const line = text.slice(lineStart, nl === -1 ? text.length : nl).replace(/\r$/, '');
  const rest = directiveRest(line);
  if (rest === undefined) return undefined;
  for (const c of parseIgnoreBody(line.slice(rest)).codes) {
    const start = lineStart + rest + c.start;
    if (offset >= start && offset <= start + c.code.length && /^BC\d{3}$/i.test(c.code))
      return { code: c.code.toUpperCase(), start, end: start + c.code.length };
  }
  return undefined;
}

/** Completion inside an ignore comment's code list: the codes already listed and the one being typed. */
export function ignoreCodesBefore(text: string, offset: number): { listed: string[]; prefix: string } | undefined {
  const lineStart = text.lastIndexOf('\n', offset - 1) + 1;
  const before = text.slice(lineStart, offset);
  const rest = directiveRest(before);
  if (rest === undefined || before.slice(rest).includes(':')) return undefined;
  const after = before.slice(rest);
  // Right after the keyword, a space must come first.
  if (!/^\s/.test(after)) return undefined;
  const body = parseIgnoreBody(after);
  const last = body.codes[body.codes.length - 1];
  const typing = last && last.end === after.length ? last.code : '';
  if (!/^[A-Za-z0-9]*$/.test(typing)) return undefined;
  return { listed: body.codes.filter((c) => c !== last || typing === '').map((c) => c.code.toUpperCase()), prefix: typing };
}

/** A waiver as outputs show it (JSON `waived`, SARIF suppressions, hover, lens, panels). */
export interface WaiverInfo {
  /** A comment in the manifest, or an entry of the policy's `waivers`. */
  source: 'inline' | 'policy';
  codes: string[];
  reason: string;
  until?: string;
  /** Who answers for it (policy waivers). */
  owner?: string;
}

export function waiverInfo(w: IgnoreComment): WaiverInfo {
  // A policy's text is not the manifest's: its secrets are not in the redaction layer's list, and
  // Markdown escaping (hover) would hide a token's shape from it. Credential shapes are masked here.
  // Control characters are replaced for every output (a terminal would run them).
  const plain = (t: string) => printable(w.policy ? new Redactor().text(t) : t);
  return {
    source: w.policy ? 'policy' : 'inline',
    codes: w.codes.map(printable),
    reason: plain(w.reason),
    ...(w.until ? { until: w.until } : {}),
    ...(w.policy ? { owner: plain(w.policy.owner) } : {}),
  };
}

/** Days since 1970-01-01 of an ISO date (proleptic Gregorian; no clock, no time zone). */
function dayNumber(iso: string): number {
  const y0 = Number(iso.slice(0, 4));
  const m = Number(iso.slice(5, 7));
  const d = Number(iso.slice(8, 10));
  const y = m <= 2 ? y0 - 1 : y0;
  const era = Math.floor(y / 400);
  const yoe = y - era * 400;
  const doy = Math.floor((153 * (m + (m > 2 ? -3 : 9)) + 2) / 5) + d - 1;
  const doe = yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy;
  return era * 146097 + doe - 719468;
}

/** The ISO date of a day number (the inverse of dayNumber). */
function isoOfDay(n: number): string {
  const z = n + 719468;
  const era = Math.floor(z / 146097);
  const doe = z - era * 146097;
  const yoe = Math.floor((doe - Math.floor(doe / 1460) + Math.floor(doe / 36524) - Math.floor(doe / 146096)) / 365);
  const doy = doe - (365 * yoe + Math.floor(yoe / 4) - Math.floor(yoe / 100));
  const mp = Math.floor((5 * doy + 2) / 153);
  const d = doy - Math.floor((153 * mp + 2) / 5) + 1;
  const m = mp < 10 ? mp + 3 : mp - 9;
  const y = yoe + era * 400 + (m <= 2 ? 1 : 0);
  const pad = (v: number, w: number) => String(v).padStart(w, '0');
  return `${pad(y, 4)}-${pad(m, 2)}-${pad(d, 2)}`;
}

/** Whole days from one ISO date to another (negative when `to` is earlier). */
export function daysBetween(from: string, to: string): number {
  return dayNumber(to) - dayNumber(from);
}

/** "ends in 12 days" / "ends today" / "ended 3 days ago" / "no end date". */
function waiverEnd(until: string | undefined, today: string): string {
  if (until === undefined) return 'no end date';
  const d = daysBetween(today, until);
  if (d === 0) return `ends today (${until})`;
  if (d > 0) return `ends in ${d} day${d === 1 ? '' : 's'} (${until})`;
  return `ended ${-d} day${d === -1 ? '' : 's'} ago (${until})`;
}

/** One line about a waiver, for hover and panels: what, who, until when, why. */
export function describeWaiver(w: WaiverInfo, today: string): string {
  const who = w.source === 'policy' ? `the policy (owner ${w.owner})` : 'a comment';
  return `${w.codes.join(', ')} waived by ${who}, ${waiverEnd(w.until, today)}: ${w.reason || 'no reason given'}`;
}

/** The date `days` after an ISO date (completion offers `until` 90 days out). */
export function addDays(date: string, days: number): string {
  return isoOfDay(dayNumber(date) + days);
}
