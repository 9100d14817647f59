/**
 * Runs per day of a five-field cron expression (minute hour day-of-month month day-of-week),
 * averaged over a year: what the cost model needs, not a scheduler.
 */

export type CronResult = { ok: true; runsPerDay: number } | { ok: false; reason: string };

const MACROS: Record<string, string> = {
  '@yearly': '0 0 1 1 *',
  '@annually': '0 0 1 1 *',
  '@monthly': '0 0 1 * *',
  '@weekly': '0 0 * * 0',
  '@daily': '0 0 * * *',
  '@midnight': '0 0 * * *',
  '@hourly': '0 * * * *',
};

const MONTHS = ['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec'];
const DAYS = ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'];

interface FieldSpec {
  name: string;
  min: number;
  max: number;
  names?: string[];
  namesBase?: number;
}

const FIELDS: FieldSpec[] = [
  { name: 'minute', min: 0, max: 59 },
  { name: 'hour', min: 0, max: 23 },
  { name: 'day of month', min: 1, max: 31 },
  { name: 'month', min: 1, max: 12, names: MONTHS, namesBase: 1 },
  { name: 'day of week', min: 0, max: 7, names: DAYS, namesBase: 0 },
];

function parseField(text: string, spec: FieldSpec): Set<number> | string {
  const out = new Set<number>();
  for (const part of text.split(',')) {
    const m = /^(\*|[a-z0-9]+(?:-[a-z0-9]+)?)(?:\/(\d+))?$/i.exec(part);
    if (!m) return `"${part}" is not a valid ${spec.name}`;
    const step = m[2] === undefined ? 1 : Number(m[2]);
    if (step < 1) return `the step in "${part}" must be at least 1`;
    let lo: number;
    let hi: number;
    if (m[1] === '*') {
      lo = spec.min;
      hi = spec.max === 7 ? 6 : spec.max;
    } else {
      const [a, b] = m[1]!.split('-');
      const av = value(a!, spec);
      if (av === undefined) return `"${a}" is not a valid ${spec.name}`;
      lo = av;
      if (b !== undefined) {
        const bv = value(b, spec);
        if (bv === undefined) return `"${b}" is not a valid ${spec.name}`;
        hi = bv;
      } else hi = m[2] === undefined ? av : spec.max;
      if (hi < lo) return `the range "${m[1]}" runs backwards`;
    }
    for (let v = lo; v <= hi; v += step) out.add(spec.max === 7 && v === 7 ? 0 : v);
  }
  return out;
}

function value(text: string, spec: FieldSpec): number | undefined {
  if (/^\d+$/.test(text)) {
    const n = Number(text);
    return n >= spec.min && n <= spec.max ? n : undefined;
  }
  const i = spec.names?.indexOf(text.toLowerCase()) ?? -1;
  return i === -1 ? undefined : i + (spec.namesBase ?? 0);
}

/** Month, day of month and day of week of each day of a non-leap reference year (2027). */
const YEAR: ReadonlyArray<readonly [number, number, number]> = Array.from({ length: 365 }, (_, d) => {
  const date = new Date(Date.UTC(2027, 0, 1) + d * 86_400_000);
  return [date.getUTCMonth() + 1, date.getUTCDate(), date.getUTCDay()] as const;
});

/** The five fields of a cron expression as sets, and whether the day fields start with `*`. */
interface Cron {
  minutes: ReadonlySet<number>;
  hours: ReadonlySet<number>;
  dom: ReadonlySet<number>;
  months: ReadonlySet<number>;
  dow: ReadonlySet<number>;
  domStar: boolean;
  dowStar: boolean;
}

/** Reads a cron expression (macros expanded), or says why it cannot; `fields` reads each field. */
function readCron(
  expression: string,
  fields: (text: string, i: number) => ReadonlySet<number> | string = (text, i) => parseField(text, FIELDS[i]!),
): Cron | string {
  const trimmed = expression.trim();
  if (trimmed.toLowerCase() === '@reboot') return '@reboot has no regular cadence';
  const parts = (MACROS[trimmed.toLowerCase()] ?? trimmed).split(/\s+/);
  if (parts.length !== 5) return `a cron expression has 5 fields (minute hour day-of-month month day-of-week), this one has ${parts.length}`;
  const sets: ReadonlySet<number>[] = [];
  for (let i = 0; i < 5; i++) {
    const r = fields(parts[i]!, i);
    if (typeof r === 'string') return r;
    sets.push(r);
  }
  const [minutes, hours, dom, months, dow] = sets as [ReadonlySet<number>, ReadonlySet<number>, ReadonlySet<number>, ReadonlySet<number>, ReadonlySet<number>];
  return { minutes, hours, dom, months, dow, domStar: parts[2]!.startsWith('*'), dowStar: parts[4]!.startsWith('*') };
}

/** Whether a day of the reference year matches the day-of-month, day-of-week and month fields. */
function runsOn(c: Cron, month: number, date: number, weekday: number): boolean {
  if (!c.months.has(month)) return false;
  // cron ORs day-of-month and day-of-week when both are restricted, and ANDs them when either
  // starts with `*` (`*/20` restricts the days it names).
  const d = c.dom.has(date);
  const w = c.dow.has(weekday);
  return c.domStar || c.dowStar ? d && w : d || w;
}

/** Runs a day of a cron expression. */
export function cronRunsPerDay(expression: string): CronResult {
  const c = readCron(expression);
  return typeof c === 'string' ? { ok: false, reason: c } : runsPerDayOf(c);
}

export interface CronFacts {
  runs: CronResult;
  interval?: number;
}

function factsOf(c: Cron | string): CronFacts {
  if (typeof c === 'string') return { runs: { ok: false, reason: c } };
  const interval = intervalOf(c);
  return interval !== undefined ? { runs: runsPerDayOf(c), interval } : { runs: runsPerDayOf(c) };
}

/**
 * Reads the schedules of one document (model.ts makes one per pipeline): each expression once, and
 * each field text once. Hundreds of schedules in a manifest repeat a few dozen field texts (`*`, a
 * step, a minute), and reading five fields into fresh sets per schedule cost about 15 ms of a
 * 1000-stage open. The sets are shared between schedules, so never changed. Only short field texts
 * are kept, and no more than the document has.
 */
export class CronReader {
  private readonly expressions = new Map<string, CronFacts>();
  private readonly fields = FIELDS.map(() => new Map<string, ReadonlySet<number> | string>());
  private readonly field = (text: string, i: number): ReadonlySet<number> | string => {
    if (text.length > 32) return parseField(text, FIELDS[i]!);
    const memo = this.fields[i]!;
    let r = memo.get(text);
    if (r === undefined) memo.set(text, (r = parseField(text, FIELDS[i]!)));
    return r;
  };

  facts(expression: string): CronFacts {
    let known = this.expressions.get(expression);
    if (!known) this.expressions.set(expression, (known = factsOf(readCron(expression, this.field))));
    return known;
  }
}

function runsPerDayOf(c: Cron): CronResult {
  // Days of a non-leap reference year that match. Every day of every month (most schedules):
  // no need to walk the year.
  let days = c.dom.size === 31 && c.dow.size === 7 && c.months.size === 12 ? 365 : 0;
  if (days === 0) for (const [month, date, weekday] of YEAR) if (runsOn(c, month, date, weekday)) days++;
  if (days === 0) return { ok: false, reason: 'the expression never matches a day' };
  return { ok: true, runsPerDay: (c.minutes.size * c.hours.size * days) / 365 };
}

/**
 * The shortest time in minutes between two consecutive runs of a cron expression (BC305): over a
 * week, wrap-around included, when it names every day of the month and every month (10 for
 * `0,10 * * * *`); otherwise over the days of the reference year, wrap-around included.
 * Undefined when the expression cannot be read or never runs.
 */
export function cronInterval(expression: string): number | undefined {
  const c = readCron(expression);
  return typeof c === 'string' ? undefined : intervalOf(c);
}

function intervalOf(c: Cron): number | undefined {
  // The times of day it runs, in minutes after midnight, in order.
  const times: number[] = [];
  for (const h of [...c.hours].sort((a, b) => a - b)) for (const m of [...c.minutes].sort((a, b) => a - b)) times.push(h * 60 + m);
  // Weekly only when the days are the weekdays' alone: every day of the month and every month, and
  // one of the two day fields a `*` (when both are restricted, cron ORs them: `1-31 … 1` is daily).
  const weekly = c.dom.size === 31 && c.months.size === 12 && (c.domStar || c.dowStar);
  const span = weekly ? 7 : 365;
  const days: number[] = [];
  if (weekly) {
    for (let d = 0; d < 7; d++) if (c.dow.has(d)) days.push(d);
  } else for (const [d, [month, date, weekday]] of YEAR.entries()) if (runsOn(c, month, date, weekday)) days.push(d);
  if (times.length === 0 || days.length === 0) return undefined;
  let best = Infinity;
  for (let i = 1; i < times.length; i++) best = Math.min(best, times[i]! - times[i - 1]!);
  // From the last run of a day to the first of the next day it runs (the first day again, a
  // week or a year on, after the last).
  const first = times[0]!;
  const last = times[times.length - 1]!;
  for (let i = 0; i < days.length; i++) {
    const next = i + 1 < days.length ? days[i + 1]! : days[0]! + span;
    best = Math.min(best, (next - days[i]!) * 1440 - last + first);
  }
  return best;
}
