import { parseDocument } from 'yaml';
import { segment } from '../incremental';

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
  for (const k of ['runsPerDay', 'durationMinutes', 'dataGb', 'replicas'] as const) {
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
  const doc = parseDocument(body, { prettyErrors: false });
  if (doc.errors.length) return undefined;
  try {
    const v = doc.toJS({ maxAliasCount: 100 }) as unknown;
    return Array.isArray(v) ? v[0] : undefined;
  } catch {
    return undefined;
  }
}

/** `metadata.dataClassification` as written, found by its line. */
export function classificationIn(text: string): string | undefined {
  return /^\s+dataClassification:\s*["']?([a-z]+)/m.exec(text)?.[1];
}

/** Stage names of `spec.stages`, found by their lines. */
export function stageNamesIn(text: string): string[] {
  const layout = segment(text);
  if (!layout) return [];
  const names: string[] = [];
  for (const s of layout.segments) {
    const m = /^\s*-?\s*name:\s*["']?([^"'\s#]+)/m.exec(text.slice(s.start, s.end));
    if (m) names.push(m[1]!);
  }
  return names;
}
