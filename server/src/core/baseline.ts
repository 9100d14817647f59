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

const rangeEnd = (n: unknown) => (n as Node | null)?.range?.[2] ?? 0;
const rangeStart = (n: unknown) => (n as Node | null)?.range?.[0] ?? Number.MAX_SAFE_INTEGER;

/**
 * Where a finding is, independent of its line (spec §8: "same code, same stage or key, whatever
 * its line"): the document's pipeline name, then keys and stage names from the root down to the
 * deepest node holding the finding's start. Lists are searched by halves: a finding costs the
 * depth of the tree, not its size.
 */
export function findingPlace(a: Analysis, f: Finding): string {
  const doc = a.file.documents.find((d) => d.index === f.documentIndex);
  const pipeline = a.documents.find((d) => d.index === f.documentIndex)?.pipeline?.name?.value ?? '';
  const steps: string[] = [`${f.documentIndex}:${pipeline}`];
  const at = f.span.start;
  let node: unknown = doc?.doc.contents;
  let seqKey: string | undefined;
  for (let depth = 0; depth < 64 && node; depth++) {
    if (isMap(node)) {
      const items = node.items;
      const i = itemAt(items, at, (p) => Math.max(rangeEnd(p.key), rangeEnd(p.value)));
      const pair = items[i];
      if (!isPair(pair) || Math.min(rangeStart(pair.key), rangeStart(pair.value)) > at) break;
      const key = isScalar(pair.key) ? String(pair.key.value) : '?';
      steps.push(`.${key.slice(0, 128)}`);
      seqKey = key;
      node = pair.value;
    } else if (isSeq(node)) {
      const items = node.items;
      const i = itemAt(items, at, rangeEnd);
      const item = items[i];
      if (item === undefined || rangeStart(item) > at) break;
      steps.push(stepOf(seqKey, item, i));
      seqKey = undefined;
      node = item;
    } else break;
  }
  return steps.join('');
}

/**
 * New and fixed findings: a finding is the same as one of the baseline when it has the same code
 * at the same place (`findingPlace`). Counted, not just matched: a third BC202 where there were two
 * is one new finding. Without a baseline file every finding is new.
 */
export function compareFindings(current: Analysis, base: Analysis | null): FindingsDelta {
  return matchFindings(
    current.findings,
    base?.findings ?? [],
    (f) => findingPlace(current, f),
    (f) => findingPlace(base!, f),
  );
}

/**
 * `compareFindings` for a file with no manifest tree (a policy file): a finding is the same as one
 * of the baseline when it has the same code and message.
 */
export function compareFindingsByMessage(current: readonly Finding[], base: readonly Finding[] | null): FindingsDelta {
  return matchFindings(
    current,
    base ?? [],
    (f) => f.message,
    (f) => f.message,
  );
}

function matchFindings(
  current: readonly Finding[],
  base: readonly Finding[],
  placeNow: (f: Finding) => string,
  placeThen: (f: Finding) => string,
): FindingsDelta {
  const before = new Map<string, Finding[]>();
  for (const f of base) {
    const k = `${f.code}\u0000${placeThen(f)}`;
    const list = before.get(k);
    if (list) list.push(f);
    else before.set(k, [f]);
  }
  const isNew = current.map((f) => {
    const list = before.get(`${f.code}\u0000${placeNow(f)}`);
    if (list && list.length > 0) {
      list.shift();
      return false;
    }
    return true;
  });
  const fixed = [...before.values()].flat().sort((x, y) => x.span.start - y.span.start);
  return { isNew, fixed };
}

export { changeLabel, usdChange } from './money';
