import { isAlias, isMap, isPair, isScalar, isSeq, type Alias, type Document, type Node, type Pair, type Scalar, type YAMLMap, type YAMLSeq } from 'yaml';
import type { Span } from './types';

/** Reading helpers over the `yaml` AST. They never throw and never expand aliases recursively. */

/** The library's own type tag of a node (a registered symbol), which its `isMap`… read. */
export const NODE_TYPE = Symbol.for('yaml.node.type');
export const MAP_TYPE = Symbol.for('yaml.map');
export const SEQ_TYPE = Symbol.for('yaml.seq');
export const SCALAR_TYPE = Symbol.for('yaml.scalar');
export const PAIR_TYPE = Symbol.for('yaml.pair');

/**
 * A node's type tag, for a walk that asks every node of a file what it is: one read, where `isMap`,
 * `isSeq`, `isScalar` and `isPair` in turn are a call each on the unoptimised code of a first open.
 */
export function typeTag(n: unknown): symbol | undefined {
  return n !== null && typeof n === 'object' ? (n as { [NODE_TYPE]?: symbol })[NODE_TYPE] : undefined;
}

export type AnyNode = Node | null | undefined;

/**
 * Where a node the fast path made (fast-parse.ts) keeps its range, the library's `[start, valueEnd,
 * end]`: three numbers, and a `range` getter that makes a fresh array at each read (the library's
 * nodes hold an array). spanOf and hasRange, which the scans over every node of a file call, read
 * the numbers where a node has them.
 */
export interface Ranged {
  rangeStart: number;
  rangeValueEnd: number;
  rangeEnd: number;
}

/** The span of anything that may be a node (a pair's key is typed loosely by the library). */
export function spanOf(node: unknown): Span | undefined {
  if (node === null || typeof node !== 'object') return undefined;
  const start = (node as Partial<Ranged>).rangeStart;
  if (start !== undefined) return { start, end: (node as Ranged).rangeValueEnd };
  const r = (node as { range?: unknown }).range;
  return Array.isArray(r) ? { start: r[0] as number, end: r[1] as number } : undefined;
}

/** Whether a node has a range: whether it was read from the text rather than made. */
export function hasRange(node: object): boolean {
  return (node as Partial<Ranged>).rangeStart !== undefined || Array.isArray((node as { range?: unknown }).range);
}

/** One step through an alias (to its anchored node), never more: cycles and bombs stay bounded. */
export function deref(node: unknown, doc: Document): Node | null {
  if (isAlias(node)) return resolveAlias(node, doc);
  return (node as Node | null) ?? null;
}

/**
 * Visits every node of a subtree (keys, values, items, aliases; aliases not followed) in document
 * order, without recursion: a walk as deep as a document may nest. `visit` returning true stops it;
 * the result says whether it stopped.
 */
export function someNode(root: unknown, visit: (node: Node) => boolean | void): boolean {
  const stack: unknown[] = [root];
  while (stack.length) {
    const n = stack.pop();
    if (isPair(n)) {
      stack.push(n.value, n.key);
      continue;
    }
    if (!n || typeof n !== 'object') continue;
    if (visit(n as Node)) return true;
    if (isMap(n) || isSeq(n)) {
      const items = n.items as unknown[];
      for (let i = items.length - 1; i >= 0; i--) stack.push(items[i]);
    }
  }
  return false;
}

/** Each document's anchored nodes by name, in document order: read once, not once per alias. */
function indexAnchors(root: unknown, into: Map<string, Node[]>): Map<string, Node[]> {
  someNode(root, (n) => {
    const anchor = isAlias(n) ? undefined : (n as { anchor?: string }).anchor;
    if (!anchor) return;
    const list = into.get(anchor);
    if (list) list.push(n);
    else into.set(anchor, [n]);
  });
  return into;
}

/** Where a document keeps its anchor index: on the document it describes, not in a module cache. */
const ANCHORS = Symbol('barecount.anchors');
type Indexed = Document & { [ANCHORS]?: Map<string, Node[]> };

/**
 * The node an alias points to: as the library resolves it (the last node with that anchor before
 * the alias), but from an index built in one walk of the document. The library's own
 * `Alias.resolve` walks the whole document for every alias, which is quadratic on a manifest that
 * reuses an anchor in many stages.
 */
/**
 * Sets a document's anchor index from the subtrees that can hold anchors, when the caller knows
 * them (incremental.ts: the header and the stages whose text has an `&`), instead of a walk of the
 * whole document at the first alias.
 */
export function presetAnchors(doc: Document, roots: readonly unknown[]): void {
  const index = new Map<string, Node[]>();
  for (const root of roots) indexAnchors(root, index);
  for (const list of index.values()) if (list.length > 1) list.sort((a, b) => (a.range?.[0] ?? 0) - (b.range?.[0] ?? 0));
  (doc as Indexed)[ANCHORS] = index;
}

/** Whether a subtree holds an alias (its values live elsewhere in the document). */
export function holdsAlias(node: unknown): boolean {
  return someNode(node, isAlias);
}

/** Where a stage item keeps whether it holds an alias: on the node it describes, as `ANCHORS`. */
const ALIASED = Symbol('barecount.aliased');

/**
 * `holdsAlias` for a stage item, walked once. A stage's children never change after it is read
 * (an edit that moves it shifts ranges only), and each stage is asked about by the reader, the
 * model and the analysis in turn. Only for stage items: a header is changed in place while a
 * manifest is composed from pieces.
 */
export function stageHoldsAlias(stage: object): boolean {
  const marked = stage as { [ALIASED]?: boolean };
  return (marked[ALIASED] ??= someNode(stage, isAlias));
}

/**
 * Says of every node made from `proto` that it holds no alias, so that `stageHoldsAlias` does not
 * walk it: for the fast path's nodes, which it makes only for text without aliases (it bails on one).
 */
export function madeWithoutAliases(proto: object): void {
  Object.defineProperty(proto, ALIASED, { value: false, writable: true });
}

/** Says of a stage item the fast path read that it holds an alias (its prototype says it holds none). */
export function markHoldsAlias(stage: object): void {
  (stage as { [ALIASED]?: boolean })[ALIASED] = true;
}

/** Whether an anchored node of the document holds an alias itself (aliases that nest). */
export function anchorsNest(doc: Document): boolean {
  const indexed = doc as Indexed;
  const index = (indexed[ANCHORS] ??= indexAnchors(doc.contents, new Map()));
  for (const list of index.values()) for (const node of list) if (holdsAlias(node)) return true;
  return false;
}

function resolveAlias(alias: Alias, doc: Document): Node | null {
  const indexed = doc as Indexed;
  const index = (indexed[ANCHORS] ??= indexAnchors(doc.contents, new Map()));
  const at = alias.range?.[0];
  const list = index.get(alias.source);
  if (!list || at === undefined) return null;
  // Document order is offset order: the last anchored node starting before the alias.
  let lo = 0;
  let hi = list.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if ((list[mid]!.range?.[0] ?? Infinity) < at) lo = mid + 1;
    else hi = mid;
  }
  return lo > 0 ? list[lo - 1]! : null;
}

/**
 * The pair of a mapping under `key`. Asked many times of every stage, first on unoptimised code: an
 * indexed loop (no iterator), and a key compared before it is converted or checked.
 */
export function pairOf(map: AnyNode, key: string): Pair<Node, Node | null> | undefined {
  if (!isMap(map)) return undefined;
  const items = map.items;
  for (let i = 0; i < items.length; i++) {
    const item = items[i]!;
    const k = item.key as { value?: unknown } | null;
    const v = k?.value;
    if ((v === key || (typeof v !== 'string' && String(v) === key)) && isScalar(k)) return item as Pair<Node, Node | null>;
  }
  return undefined;
}

export function valueOf(map: AnyNode, key: string, doc: Document): Node | null {
  const pair = pairOf(map, key);
  return pair ? deref(pair.value, doc) : null;
}

export function asMap(node: AnyNode): YAMLMap<Node, Node | null> | undefined {
  return isMap(node) ? (node as YAMLMap<Node, Node | null>) : undefined;
}

export function asSeq(node: AnyNode): YAMLSeq<Node> | undefined {
  return isSeq(node) ? (node as YAMLSeq<Node>) : undefined;
}

export function asScalar(node: AnyNode): Scalar | undefined {
  return isScalar(node) ? node : undefined;
}

export function stringOf(node: AnyNode): string | undefined {
  return isScalar(node) && typeof node.value === 'string' ? node.value : undefined;
}

export function numberOf(node: AnyNode): number | undefined {
  return isScalar(node) && typeof node.value === 'number' && Number.isFinite(node.value) ? node.value : undefined;
}

export function boolOf(node: AnyNode): boolean | undefined {
  return isScalar(node) && typeof node.value === 'boolean' ? node.value : undefined;
}

export function keyString(pair: Pair): string | undefined {
  return isScalar(pair.key) ? String(pair.key.value) : undefined;
}

/** The node at a JSON-pointer-like path of keys and indices, with the pair that holds it. */
/** `pairOf` by default; a caller that looks up many keys of large mappings passes an indexed lookup. */
export function nodeAtPath(
  doc: Document,
  path: readonly (string | number)[],
  lookup: (map: YAMLMap, key: string) => Pair<Node, Node | null> | undefined = pairOf,
): { node: Node | null; pair?: Pair<Node, Node | null>; parent?: Node } {
  let node: Node | null = deref(doc.contents, doc);
  let pair: Pair<Node, Node | null> | undefined;
  let parent: Node | undefined;
  for (const seg of path) {
    if (isMap(node)) {
      const p = lookup(node, String(seg));
      if (!p) return { node: null, parent: node };
      parent = node;
      pair = p;
      node = deref(p.value, doc);
    } else if (isSeq(node)) {
      const item = node.items[Number(seg)];
      if (item === undefined) return { node: null, parent: node };
      parent = node;
      pair = undefined;
      node = deref(item, doc);
    } else {
      return { node: null, ...(parent ? { parent } : {}) };
    }
  }
  return { node, ...(pair ? { pair } : {}), ...(parent ? { parent } : {}) };
}

export { isMap, isPair, isScalar, isSeq, isAlias };
