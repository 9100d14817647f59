import { isMap, isPair, isScalar, isSeq, type Node } from 'yaml';
import type { Analysis } from './analysis';
import type { Finding } from './types';

/**
 * A manifest compared with itself at an earlier revision (spec §8, `--baseline REF`): which
 * findings the change introduced, which it fixed, and what it changed in cost. Pure: the caller
 * reads the earlier text (from git) and analyses it with the same policy and date, so the
 * difference is what the manifest change did. Every surface (CLI formats, diagnostics, code lens,
 * hover, panel, status bar) reads these answers; none computes its own.
 */

export interface Baseline {
  /** The revision as the user named it: "HEAD", "origin/main". */
  ref: string;
  /** The file's analysis at `ref`; null when the file did not exist there. */
  analysis: Analysis | null;
}

/** Which findings are new against a baseline, and which of the baseline's are gone. */
export interface FindingsDelta {
  /** Parallel to `current.findings`: true when the baseline has no such finding. */
  isNew: boolean[];
  /** Findings of the baseline with no counterpart now, as the baseline reported them. */
  fixed: Finding[];
}

/** One step of a finding's place: a key, a stage's or item's name, or a list index. */
function stepOf(seqKey: string | undefined, item: unknown, index: number): string {
  if (isMap(item)) {
    const name = item.get('name', true);
    if (isScalar(name) && name.value !== null && name.value !== undefined) return `[${String(name.value).slice(0, 128)}]`;
  }
  // A list of plain values (dependsOn, secrets): the value is the place, whatever its position.
  if (isScalar(item) && seqKey !== 'stages' && item.value !== null && item.value !== undefined) return `[=${String(item.value).slice(0, 128)}]`;
  return `[${index}]`;
}

/** The first of `items` whose range ends after `at` (items are in document order). */
function itemAt<T>(items: readonly T[], at: number, end: (item: T) => number): number {
  let lo = 0;
  let hi = items.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (end(items[mid]!) <= at) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

const nodeEnd = (n: unknown) => (n as Node | null)?.range?.[2] ?? 0;
const nodeStart = (n: unknown) => (n as Node | null)?.range?.[0] ?? Number.MAX_SAFE_INTEGER;

/**
 * Where findings are, independent of their lines (spec §8: "same code, same stage or key, whatever
 * its line"): keys and list items' names from the root down to the deepest node holding a
 * finding's start, behind the pipeline's name when the file holds several documents (one
 * pipeline renamed is the same file; several reordered are not). Lists are searched by halves and
 * each item's step is worked out once, so a finding costs the depth of the tree.
 */
class Places {
  private readonly steps = new Map<unknown, string>();
  private readonly roots = new Map<number, { root: unknown; prefix: string }>();

  constructor(a: Analysis) {
    const several = a.file.documents.length > 1;
    const names = new Map(a.documents.map((d) => [d.index, d.pipeline?.name?.value]));
    for (const d of a.file.documents) this.roots.set(d.index, { root: d.doc.contents, prefix: several ? `${names.get(d.index) ?? `#${d.index}`}:` : '' });
  }

  of(f: Finding): string {
    const top = this.roots.get(f.documentIndex);
    let out = top?.prefix ?? `#${f.documentIndex}:`;
    const at = f.span.start;
    let node: unknown = top?.root;
    let seqKey: string | undefined;
    for (let depth = 0; depth < 64 && node; depth++) {
      if (isMap(node)) {
        const items = node.items;
        const pair = items[itemAt(items, at, (p) => Math.max(nodeEnd(p.key), nodeEnd(p.value)))];
        if (!isPair(pair) || Math.min(nodeStart(pair.key), nodeStart(pair.value)) > at) break;
        const key = isScalar(pair.key) ? String(pair.key.value) : '?';
        out += `.${key.slice(0, 128)}`;
        seqKey = key;
        node = pair.value;
      } else if (isSeq(node)) {
        const items = node.items;
        const i = itemAt(items, at, nodeEnd);
        const item = items[i];
        if (item === undefined || nodeStart(item) > at) break;
        let step = this.steps.get(item);
        if (step === undefined) this.steps.set(item, (step = stepOf(seqKey, item, i)));
        out += step;
        seqKey = undefined;
        node = item;
      } else break;
    }
    return out;
  }
}

/** The baseline's findings by code and place: built once, compared with every version of the document. */
export type FindingIndex = ReadonlyMap<string, readonly Finding[]>;

export function indexFindings(base: Analysis | null): FindingIndex {
  const places = base ? new Places(base) : undefined;
  return group(base?.findings ?? [], (f) => places!.of(f));
}

function group(findings: readonly Finding[], place: (f: Finding) => string): FindingIndex {
  const out = new Map<string, Finding[]>();
  for (const f of findings) {
    const k = `${f.code}\u0000${place(f)}`;
    const list = out.get(k);
    if (list) list.push(f);
    else out.set(k, [f]);
  }
  return out;
}

/**
 * New and fixed findings: a finding is the same as one of the baseline when it has the same code
 * at the same place. Counted, not just matched: a third BC202 where there were two is one new
 * finding. Without a baseline file every finding is new.
 */
export function compareFindings(current: Analysis, base: Analysis | null, index: FindingIndex = indexFindings(base)): FindingsDelta {
  const places = new Places(current);
  return match(current.findings, (f) => places.of(f), index);
}

/**
 * `compareFindings` for a file with no manifest tree (a policy file): a finding is the same as one
 * of the baseline when it has the same code and message.
 */
export function compareFindingsByMessage(current: readonly Finding[], base: readonly Finding[] | null): FindingsDelta {
  const message = (f: Finding) => f.message;
  return match(current, message, group(base ?? [], message));
}

function match(current: readonly Finding[], place: (f: Finding) => string, before: FindingIndex): FindingsDelta {
  const used = new Map<string, number>();
  const isNew = current.map((f) => {
    const k = `${f.code}\u0000${place(f)}`;
    const n = used.get(k) ?? 0;
    if (n < (before.get(k)?.length ?? 0)) {
      used.set(k, n + 1);
      return false;
    }
    return true;
  });
  const fixed: Finding[] = [];
  for (const [k, list] of before) for (let i = used.get(k) ?? 0; i < list.length; i++) fixed.push(list[i]!);
  fixed.sort((x, y) => x.span.start - y.span.start);
  return { isNew, fixed };
}

/** What each pipeline and stage cost at the baseline: pipelines by name, stages by name within them. */
export interface BaselineCosts {
  ref: string;
  /** The file's total there; null when the file did not exist or could not be estimated (YAML errors). */
  totalUsd: number | null;
  pipelines: ReadonlyMap<string, { monthlyUsd: number; stages: ReadonlyMap<string, number> }>;
}

/**
 * The baseline's figures, read from its analysis (the first of a repeated name counts, as the cost
 * report lists it). The cost report, the code lens and the hover all take them from here.
 */
export function baselineCosts(b: Baseline): BaselineCosts {
  const a = b.analysis;
  const pipelines = new Map<string, { monthlyUsd: number; stages: Map<string, number> }>();
  if (!a || a.file.documents.some((d) => !d.ok) || a.file.problems.length) return { ref: b.ref, totalUsd: null, pipelines };
  let total = 0;
  for (const d of a.documents) {
    if (!d.pipeline || !d.cost) continue;
    total += d.cost.monthlyUsd;
    if (pipelines.has(d.cost.name)) continue;
    const stages = new Map<string, number>();
    for (const s of d.cost.stages) if (!stages.has(s.name)) stages.set(s.name, s.monthlyUsd);
    pipelines.set(d.cost.name, { monthlyUsd: d.cost.monthlyUsd, stages });
  }
  return { ref: b.ref, totalUsd: total, pipelines };
}

/** A pipeline's (or one of its stages') cost at the baseline; null where it was not there. */
export function costThen(costs: BaselineCosts, pipeline: string, stage?: string): number | null {
  const p = costs.pipelines.get(pipeline);
  if (!p) return null;
  return stage === undefined ? p.monthlyUsd : (p.stages.get(stage) ?? null);
}

export { changeLabel, usdChange } from './money';
