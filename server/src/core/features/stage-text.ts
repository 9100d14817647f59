import { readDocument } from '../yaml-read';
import { segment } from '../incremental';
import { precheck } from '../parse';
import { DEFAULT_LIMITS } from '../limits';
import type { Work } from '../work';
import { ESTIMATE_FIELDS } from '../model';

/**
 * The stage around an offset, read from its own lines: completion needs the stage's phase,
 * workload and connections while the rest of the file (or the line being typed) is broken.
 */

export interface StageText {
  start: number;
  end: number;
  name?: string;
  phase?: string;
  workload?: string;
  runner: { class?: string; size?: string; network?: string };
  justification?: string;
  connections: Array<{ name?: string; location?: string; privateLink: boolean }>;
  estimate: Partial<Record<'runsPerDay' | 'durationMinutes' | 'dataGb' | 'replicas', number>>;
  cron?: string;
  secrets: string[];
}

type Plain = Record<string, unknown>;
const str = (v: unknown) => (typeof v === 'string' ? v : undefined);
const obj = (v: unknown): Plain => (v && typeof v === 'object' && !Array.isArray(v) ? (v as Plain) : {});

export function stageAt(text: string, offset: number): StageText | undefined {
  const layout = segment(text);
  const seg = layout?.segments.find((s) => offset >= s.start && offset <= s.end);
  if (!seg) return undefined;
  const body = text.slice(seg.start, seg.end);
  const rel = offset - seg.start;
  let data = read(body);
  if (data === undefined) {
    // Drop the line being typed and read the rest.
    const ls = body.lastIndexOf('\n', rel - 1) + 1;
    const le = body.indexOf('\n', rel);
    const without = body.slice(0, ls) + (le === -1 ? '' : body.slice(le + 1));
    data = ls === 0 ? read(body.slice(0, ls) + body.slice(ls).replace(/^(\s*-\s*)[^\n]*/, '$1{}')) : read(without);
  }
  const d = obj(data);
  const runner = obj(d.runner);
  const estimate: StageText['estimate'] = {};
  for (const k of ESTIMATE_FIELDS) {
    const v = obj(d.estimate)[k];
    if (typeof v === 'number') estimate[k] = v;
  }
  const conns = Array.isArray(d.connections) ? d.connections : [];
  const secrets = Array.isArray(d.secrets) ? d.secrets.map((s) => str(obj(s).name)).filter((s): s is string => !!s) : [];
  const out: StageText = {
    start: seg.start,
    end: seg.end,
    runner: {},
    connections: conns.map((c) => ({ ...opt('name', str(obj(c).name)), ...opt('location', str(obj(c).location)), privateLink: obj(c).privateLink === true })),
    estimate,
    secrets,
  };
  if (str(d.name)) out.name = str(d.name)!;
  if (str(d.phase)) out.phase = str(d.phase)!;
  if (str(d.workload)) out.workload = str(d.workload)!;
  for (const f of ['class', 'size', 'network'] as const) if (str(runner[f])) out.runner[f] = str(runner[f])!;
  if (str(runner.justification)?.trim()) out.justification = str(runner.justification)!;
  if (str(obj(d.schedule).cron)) out.cron = str(obj(d.schedule).cron)!;
  return out;
}

function opt<K extends string>(k: K, v: string | undefined): { [P in K]?: string } {
  return (v === undefined ? {} : { [k]: v }) as { [P in K]?: string };
}

function read(body: string): unknown {
  // The text being typed has not been through the analysis' checks: nothing too deep reaches the parser.
  if (precheck(body, DEFAULT_LIMITS)) return undefined;
  const doc = readDocument(body);
  if (doc.errors.length) return undefined;
  try {
    const v = doc.toJS({ maxAliasCount: 100 }) as unknown;
    return Array.isArray(v) ? v[0] : undefined;
  } catch {
    return undefined;
  }
}

/**
 * `metadata.dataClassification` as written, found by its line: an indented `dataClassification:`
 * and a lower-case word after it on the same line. Read without a regular expression, in one pass:
 * `^\s+dataClassification:` with the `m` flag re-read every run of blank lines from each of its
 * line starts, quadratic in crafted text.
 */
export function classificationIn(text: string, work?: Work): string | undefined {
  const key = 'dataClassification:';
  let from = 0;
  for (;;) {
    const k = text.indexOf(key, from);
    work?.add((k === -1 ? text.length : k) - from + 1);
    if (k === -1) return undefined;
    from = k + key.length;
    // Only indentation before the key, back to the line start (it stops at the previous match's `:`).
    let b = k;
    while (b > 0 && isBlank(text.charCodeAt(b - 1))) b--;
    work?.add(k - b);
    if (b === k || (b > 0 && !isBreak(text.charCodeAt(b - 1)))) continue;
    let p = skipBlanks(text, from, work);
    const q = text.charCodeAt(p);
    if (q === 34 || q === 39) p++;
    let e = p;
    while (e < text.length && text.charCodeAt(e) >= 97 && text.charCodeAt(e) <= 122) e++;
    work?.add(e - p);
    if (e > p) return text.slice(p, e);
  }
}

/**
 * Stage names of `spec.stages`, found by their lines: in each stage, the first line that is
 * `name: x` (after an optional `- `). One pass over each stage's lines.
 */
export function stageNamesIn(text: string, work?: Work): string[] {
  const layout = segment(text);
  if (!layout) return [];
  const names: string[] = [];
  for (const s of layout.segments) {
    const name = nameLine(text, s.start, s.end, work);
    if (name !== undefined) names.push(name);
  }
  return names;
}

function nameLine(text: string, start: number, end: number, work: Work | undefined): string | undefined {
  let line = start;
  while (line < end) {
    let p = skipBlanks(text, line, work);
    if (text.charCodeAt(p) === 45) p = skipBlanks(text, p + 1, work);
    if (text.startsWith('name:', p)) {
      p = skipBlanks(text, p + 5, work);
      const q = text.charCodeAt(p);
      if (q === 34 || q === 39) p++;
      let e = p;
      while (e < end && isNameChar(text.charCodeAt(e))) e++;
      work?.add(e - p);
      if (e > p) return text.slice(p, e);
    }
    const nl = text.indexOf('\n', p);
    work?.add((nl === -1 ? end : Math.min(nl, end)) - p + 1);
    if (nl === -1) break;
    line = nl + 1;
  }
  return undefined;
}

const isBlank = (c: number) => c === 32 || c === 9;
const isBreak = (c: number) => c === 10 || c === 13;
/** What `[^"'\s#]` allowed in a name. */
const isNameChar = (c: number) => (c > 32 && c < 127 ? c !== 34 && c !== 39 && c !== 35 : !Number.isNaN(c) && !/\s/.test(String.fromCharCode(c)));

function skipBlanks(text: string, from: number, work: Work | undefined): number {
  let p = from;
  while (p < text.length && isBlank(text.charCodeAt(p))) p++;
  work?.add(p - from);
  return p;
}
