import { Alias, Document, Pair, Scalar, YAMLMap, YAMLSeq, isPair, type Node } from 'yaml';
import { NODE_TYPE, madeWithoutAliases, markHoldsAlias, type Ranged } from './yaml-ast';
import { blankOrComment, documentRegions, type DocumentRegion } from './doc-markers';

/**
 * A fast path for the YAML manifests are made of: block mappings and lists, flow collections (on
 * one line or wrapped over several), plain and quoted scalars on one line, block scalars (`|`,
 * `>`) as mapping values, comments (after a tab too, and comment lines deeper than the next line),
 * \n or \r\n line ends, one or several documents between `---` and `...` lines. It builds the
 * same nodes, ranges and data as the `yaml` library in one pass over the lines, several times
 * faster. An anchor is taken before a value on its line (`key: &a value`, `- &a { … }`) or alone
 * before the mapping or list below its key (`key: &a`), and an alias as a value alone on its line
 * (`key: *a`, `- *a`) in a stage read alone (fastParseItem), whose data the caller builds with the
 * document's anchors. Anything else (tags, an alias in a whole document, plain or quoted scalars
 * over several lines, unusual block scalars, directives, a duplicate key,
 * anything it does not recognise) returns undefined and the library parses the file, so results
 * never differ; a property test compares the two on mutated manifests.
 */

export interface FastParsed {
  doc: Document.Parsed;
  data: unknown;
}

export interface FastItem {
  node: Node;
  /** Undefined when the item holds an alias (`aliased`): its data depends on the document's anchors. */
  data: unknown;
  aliased: boolean;
}

/** The content line after the text read: its indentation and where its content starts. */
export interface FollowingLine {
  indent: number;
  at: number;
}

/**
 * Thrown to leave the fast path. Not an Error: nothing captures a stack trace, which cost more
 * than the parse itself where `isKeyLine` tries a key on every `- ` line.
 */
class Bail {}
const BAIL = new Bail();
function bail(): never {
  throw BAIL;
}

const NULLS = new Set(['', '~', 'null', 'Null', 'NULL']);
const TRUES = new Set(['true', 'True', 'TRUE']);
const FALSES = new Set(['false', 'False', 'FALSE']);

/** The file as one document (a `---` before it and a `...` after it are fine), or undefined. */
export function fastParse(text: string): FastParsed | undefined {
  const docs = fastParseDocuments(text);
  return docs?.length === 1 ? docs[0] : undefined;
}

/**
 * Every document of the file, each read in place between its marker lines (doc-markers.ts), with
 * the library's document ranges; undefined when any of them is not for the fast path.
 */
export function fastParseDocuments(text: string): FastParsed[] | undefined {
  if (text.length === 0 || !lineBreaksRead(text, 0, text.length)) return undefined;
  const regions = documentRegions(text);
  if (!regions) return undefined;
  const docs: FastParsed[] = [];
  for (let i = 0; i < regions.length; i++) {
    const doc = fastParseRegion(text, regions[i]!, i === regions.length - 1);
    if (!doc) return undefined;
    docs.push(doc);
  }
  return docs;
}

/** One document of the file (`last`: the file's last), or undefined when it is not for the fast path. */
export function fastParseRegion(text: string, region: DocumentRegion, last: boolean): FastParsed | undefined {
  try {
    // At the file's end, comment lines indented after the last content stretch a node to the end,
    // as a column-0 line after them would.
    const atEnd = last && !region.closed && region.to === text.length;
    return new FastParser(text, region.from, region.to, atEnd ? { indent: 0, at: text.length } : undefined).parse(region, last);
  } catch (e) {
    if (e instanceof Bail) return undefined;
    throw e;
  }
}

/**
 * One item of a block list, read from `text` between `start` and `end` in place (its ranges are
 * offsets in the whole text): how a stage is read when the rest of the file is not (incremental.ts).
 * The lines must be the item's own, the first `- ` at the list's indentation; undefined for
 * anything the fast path does not take, which the caller leaves to the library.
 */
export function fastParseItem(text: string, start: number, end: number, next?: FollowingLine): FastItem | undefined {
  if (start >= end || !lineBreaksRead(text, start, end)) return undefined;
  try {
    return new FastParser(text, start, end, next).item();
  } catch (e) {
    if (e instanceof Bail) return undefined;
    throw e;
  }
}

/**
 * Whether the fast path sees text[start, end) as the library does: no byte order mark, and no
 * carriage return but in a \r\n (one alone is a line break to YAML, which the lines here, cut at
 * \n with a \r\n's \r left out, would not see). Text with either is the library's to read.
 */
export function lineBreaksRead(text: string, start: number, end: number): boolean {
  // (One that starts the file is skipped as YAML skips it: documentRegions starts reading past it.)
  const bom = text.indexOf('\ufeff', start === 0 ? 1 : start);
  if (bom !== -1 && bom < end) return false;
  for (let i = text.indexOf('\r', start); i !== -1 && i < end; i = text.indexOf('\r', i + 1)) if (text.charCodeAt(i + 1) !== 10) return false;
  return true;
}

/**
 * Makes the library's node objects. The classes' constructors define their type tag (and a
 * collection's schema) on every instance with `Object.defineProperty`, which cost a quarter of the
 * fast path's time; here each node inherits them from a prototype made once, under the class's own
 * prototype, so it is still an instance of its class, answers `isScalar`/`isMap`… and copies
 * (`clone`) as the library's nodes do. One prototype per kind for every document keeps the code that
 * reads nodes monomorphic. The schema is the library's default (YAML 1.2 core), as manifests are read.
 */
function kind(proto: object, type: string, schema?: unknown): object {
  const p = Object.create(proto) as object;
  Object.defineProperty(p, NODE_TYPE, { value: Symbol.for(type) });
  if (schema) Object.defineProperty(p, 'schema', { value: schema, configurable: true, enumerable: false, writable: true });
  return p;
}

const CORE_SCHEMA = new Document().schema;
const SCALAR_PROTO = kind(Scalar.prototype, 'yaml.scalar');
const MAP_PROTO = kind(YAMLMap.prototype, 'yaml.map', CORE_SCHEMA);
const SEQ_PROTO = kind(YAMLSeq.prototype, 'yaml.seq', CORE_SCHEMA);
const PAIR_PROTO = kind(Pair.prototype, 'yaml.pair');
// A stage item the fast path made holds no alias: nothing walks it to find out.
madeWithoutAliases(MAP_PROTO);

/**
 * A fast node's `range`, the library's `[start, valueEnd, end]`, is kept as three numbers on the node
 * and made into an array when it is read (a fresh one each time; assigning an array sets the three).
 * An array per node is two more objects: for a 5000-stage manifest they were about a quarter of the
 * heap the analysis keeps, 390,000 pairs of objects that the young generation copied as it filled.
 * Code that changes a range assigns a new one (as incremental.ts does); the array it read is a copy.
 */
const RANGE: PropertyDescriptor = {
  get(this: Ranged): [number, number, number] {
    return [this.rangeStart, this.rangeValueEnd, this.rangeEnd];
  },
  set(this: Ranged, r: readonly [number, number, number]) {
    this.rangeStart = r[0];
    this.rangeValueEnd = r[1];
    this.rangeEnd = r[2];
  },
  configurable: true,
};
for (const proto of [SCALAR_PROTO, MAP_PROTO, SEQ_PROTO]) Object.defineProperty(proto, 'range', RANGE);

/**
 * Moves a node's range `delta` characters on, in place, whether this parser or the library made it
 * (the library's nodes hold an array of their own). False when the node has no range (a pair).
 */
export function shiftRange(node: object, delta: number): boolean {
  const n = node as Partial<Ranged> & { range?: [number, number, number] };
  if (n.rangeStart !== undefined) {
    n.rangeStart += delta;
    n.rangeValueEnd! += delta;
    n.rangeEnd! += delta;
    return true;
  }
  const r = n.range;
  if (!r) return false;
  r[0] += delta;
  r[1] += delta;
  r[2] += delta;
  return true;
}

/** Moves every range of a subtree `delta` characters on, in place. */
export function shiftInPlace(root: Node, delta: number): void {
  // Half the stages move on an edit near the top: the ranges are changed where they are (each node
  // has its own), and only what has no range (a pair) is asked what it is.
  const stack: unknown[] = [root];
  while (stack.length) {
    const n = stack.pop() as { items?: unknown[] } | null;
    if (!n || typeof n !== 'object') continue;
    const ranged = shiftRange(n, delta);
    const items = n.items;
    if (Array.isArray(items)) for (let i = items.length - 1; i >= 0; i--) stack.push(items[i]);
    else if (!ranged && isPair(n)) stack.push(n.value, n.key);
  }
}

/**
 * Constructors (not `Object.create`) so that V8 sizes each kind's objects to the fields it sets:
 * a scalar's five fit in the object, where `Object.create` gives room for four, and a pair takes
 * room for its two only.
 */
function ScalarNode(this: Ranged & { value: unknown; type: Scalar.Type }, value: unknown, type: Scalar.Type, start: number, valueEnd: number, end: number) {
  this.value = value;
  this.type = type;
  this.rangeStart = start;
  this.rangeValueEnd = valueEnd;
  this.rangeEnd = end;
}
ScalarNode.prototype = SCALAR_PROTO;

/** A collection, made once its items are read; its value ends where it does. */
function MapNode(this: Ranged & { items: unknown[] }, items: unknown[], start: number, end: number) {
  this.items = items;
  this.rangeStart = start;
  this.rangeValueEnd = end;
  this.rangeEnd = end;
}
MapNode.prototype = MAP_PROTO;
function SeqNode(this: Ranged & { items: unknown[] }, items: unknown[], start: number, end: number) {
  this.items = items;
  this.rangeStart = start;
  this.rangeValueEnd = end;
  this.rangeEnd = end;
}
SeqNode.prototype = SEQ_PROTO;

function PairNode(this: { key: unknown; value: unknown }, key: unknown, value: unknown) {
  this.key = key;
  this.value = value;
}
PairNode.prototype = PAIR_PROTO;

const kinds = {
  /** A scalar with its value, style and range, set in one order (one shape for every scalar). */
  scalar(value: unknown, type: Scalar.Type, start: number, valueEnd: number, end: number): Scalar {
    return new (ScalarNode as unknown as new (...a: unknown[]) => Scalar)(value, type, start, valueEnd, end);
  },
  map(items: unknown[], start: number, end: number): YAMLMap {
    return new (MapNode as unknown as new (items: unknown[], start: number, end: number) => YAMLMap)(items, start, end);
  },
  seq(items: unknown[], start: number, end: number): YAMLSeq {
    return new (SeqNode as unknown as new (items: unknown[], start: number, end: number) => YAMLSeq)(items, start, end);
  },
  flow(isMap: boolean, items: unknown[], start: number, end: number): YAMLMap | YAMLSeq {
    const node = isMap ? kinds.map(items, start, end) : kinds.seq(items, start, end);
    node.flow = true;
    return node;
  },
  pair(key: unknown, value: unknown): Pair {
    return new (PairNode as unknown as new (key: unknown, value: unknown) => Pair)(key, value);
  },
} as const;

class FastParser {
  /**
   * The lines with content, three numbers each (no object per line): the offset of the line's
   * start, of its first content character, and of its end (before the line break).
   */
  private readonly lines: number[] = [];
  /**
   * Content lines with a comment line just before or after them. An empty value on one is left
   * to the library, which stretches the collections around it over the comment. Made at the first
   * comment (a stage read alone mostly has none).
   */
  private nearComment: Set<number> | undefined;
  /**
   * Runs of comment lines with one indented deeper than the content line after them, by that
   * line's index: each line's indentation and where it ends, in pairs. The library (its parser's
   * `atIndentedComment` and `pop`) gives them to nodes closing there, innermost first: the lines
   * that come first and are deeper than the innermost collection's indentation stretch its last
   * value (a scalar or a flow collection) over them; the rest go to the innermost collection that
   * closes there at or under the deepest of them (not one at column 0), which ends where the next
   * line's content starts. `led`: the first lines were settled by the innermost collection;
   * `from`: where the rest start; `deepest`: the deepest of the rest.
   */
  private deep: Map<number, { run: number[]; led: boolean; from: number; deepest: number }> | undefined;
  /** Whether an alias may be read (a stage read alone), and whether one was. */
  private aliases = false;
  private aliased = false;
  /** How many lines with content. */
  private n = 0;
  private i = 0;
  /** Where the document ends when its last value is an empty `key:` (the library ends it there). */
  private endAt: number | undefined;
  /**
   * The items of the collections being read, a nested collection's above its parent's, and their
   * data (a list's): each collection copies its own out at their exact number when it ends. Pushed
   * one by one into their own arrays, they kept room for 16 or more (V8 grows an array that way),
   * a tenth of what a large manifest's analysis keeps.
   */
  private readonly pending: unknown[] = [];
  private top = 0;
  private readonly pendingData: unknown[] = [];
  private dataTop = 0;

  constructor(
    private readonly text: string,
    from: number,
    /** Where the text read ends. */
    private readonly to: number,
    /** The content line after it, when known (a stage read alone: the next stage's `- `). */
    private readonly following?: FollowingLine,
  ) {
    const n = to;
    let pos = from;
    // Comment lines since the last content line: the deepest one's indentation. When one is deeper
    // than the next content line, nodes closing there may take them (`deep`, settle).
    let pendingComment = -1;
    // Those comment lines: the indentation of each and where it ends (past its line break).
    const run: number[] = [];
    // After a line ending in a block scalar's header, the indentation of that line: the lines below
    // indented deeper are the scalar's text, `#` lines too (-1: none).
    let block = -1;
    // The next `|` and `>` at or after the line read (-1: none; -2: not searched yet), so that
    // asking each line whether it holds one reads the text once.
    let bar = -2;
    let gt = -2;
    while (pos <= n) {
      let next = text.indexOf('\n', pos);
      if (next === -1 || next > n) next = n;
      // A line's content ends before its line break, \n or \r\n (a \r alone was refused before).
      const end = next > pos && text.charCodeAt(next - 1) === 13 ? next - 1 : next;
      let c = pos;
      while (c < end && text.charCodeAt(c) === 32) c++;
      let ch = text.charCodeAt(c);
      if (ch === 9 && c < end) {
        // A tab where indentation is: only a comment line may hold one (`\t# a note`), indented
        // by the spaces before the tab, as the library reads it (a blank line of them it may refuse).
        const q = pastBlanks(text, c, end);
        if (q >= end || text.charCodeAt(q) !== 35) bail();
        ch = 35;
      }
      const inBlock = block !== -1 && c < end && c - pos > block;
      // Blank and comment-only lines carry no content.
      if (c < end && (ch !== 35 || inBlock)) {
        if (c === pos && (text.startsWith('---', c) || text.startsWith('...', c) || ch === 37)) bail();
        // Comment lines, one indented deeper than this line: nodes closing here may take them
        // (`deep`, settle). (Before the first content line there is no node.)
        if (pendingComment > c - pos && this.n > 0) this.deepBefore(run);
        if (pendingComment !== -1) (this.nearComment ??= new Set()).add(this.n);
        pendingComment = -1;
        run.length = 0;
        this.lines.push(pos, c, end);
        this.n++;
        if (!inBlock) {
          // Searched within the text read: a stage read alone must not search the rest of the file.
          if (bar !== -1 && bar < c) bar = indexIn(text, '|', c, n);
          if (gt !== -1 && gt < c) gt = indexIn(text, '>', c, n);
          block = (bar !== -1 && bar < end) || (gt !== -1 && gt < end) ? (endsWithBlockHeader(text, c, end) ? c - pos : -1) : -1;
        }
      } else if (ch === 35 && c < end) {
        block = -1;
        pendingComment = Math.max(pendingComment, c - pos);
        run.push(c - pos, next < n ? next + 1 : n);
        if (this.n > 0) (this.nearComment ??= new Set()).add(this.n - 1);
      }
      if (next === n) break;
      pos = next + 1;
    }
    // Comment lines at the end deeper than the line after the text: as before a content line,
    // when that line is known; else the library's. (None deeper than it: they are between nodes
    // that go on past that line.)
    if (pendingComment > 0) {
      if (!this.following || this.n === 0) bail();
      if (pendingComment > this.following.indent) this.deepBefore(run);
    }
  }

  /** Records the run of comment lines before content line `this.n` (or the line after the text). */
  private deepBefore(run: readonly number[]): void {
    (this.deep ??= new Map()).set(this.n, { run: run.slice(), led: false, from: 0, deepest: -1 });
  }

  /**
   * Settles the comment lines before line `this.i` for a collection at `indent` whose last value
   * is `last`, when it is the first to reach them, or closes there (`closes`). Returns where it
   * then ends (-1: where its last value does).
   */
  private settle(indent: number, last: Node, closes: boolean): number {
    const d = this.deep?.get(this.i);
    if (d === undefined) return -1;
    const { run } = d;
    if (!d.led) {
      // The innermost collection, the first to reach them: the first lines deeper than it are its
      // last value's (`led`: taken; `from`: where the rest start).
      d.led = true;
      let k = 0;
      while (2 * k < run.length && run[2 * k]! > indent) k++;
      if (k > 0) {
        if (!isLeaf(last)) bail();
        setEnd(last, run[2 * k - 1]!);
      }
      d.from = 2 * k;
      for (let j = d.from; j < run.length; j += 2) d.deepest = Math.max(d.deepest, run[j]!);
    }
    if (d.from >= run.length || !closes) {
      // Nothing left, or the collection goes on: the rest are between its items.
      this.deep!.delete(this.i);
      return -1;
    }
    // Deeper than all of them (or at column 0, which never takes them): left for the collection
    // around it, which settles them as it closes.
    if (indent === 0 || d.deepest < indent) return -1;
    this.deep!.delete(this.i);
    return this.contentAt(this.i);
  }

  /**
   * Whether a run of comment lines was not reached by the collection before it (one inside a flow
   * collection, say). Those reached and left over are the document's, or, for a stage read alone,
   * the list's business (incremental.ts tailOf).
   */
  private unsettled(): boolean {
    if (this.deep) for (const d of this.deep.values()) if (!d.led) return true;
    return false;
  }

  /** Where the content of line `i` starts; for the line after the text, where the caller said. */
  private contentAt(i: number): number {
    return i < this.n ? this.content(i) : this.following!.at;
  }

  private start(i: number): number {
    return this.lines[3 * i]!;
  }
  private content(i: number): number {
    return this.lines[3 * i + 1]!;
  }
  private end(i: number): number {
    return this.lines[3 * i + 2]!;
  }
  private indent(i: number): number {
    return this.lines[3 * i + 1]! - this.lines[3 * i]!;
  }

  /** The one item of a block list the lines hold. */
  item(): FastItem {
    if (this.n === 0 || this.text.charCodeAt(this.content(0)) !== 45 || !isBreak(this.text.charCodeAt(this.content(0) + 1))) bail();
    this.aliases = true;
    const { node, data } = this.seq(this.indent(0), this.content(0));
    const items = (node as YAMLSeq<Node>).items;
    if (this.i !== this.n || items.length !== 1 || this.unsettled()) bail();
    const item = items[0]!;
    if (!this.aliased) return { node: item, data: (data as unknown[])[0], aliased: false };
    markHoldsAlias(item);
    return { node: item, data: undefined, aliased: true };
  }

  /**
   * The document the lines hold (a stage read alone is a node: item()). As the library has it, it
   * starts at its `---` (else where its content does) and ends where the region says, or where an
   * empty value being typed at the file's very end is.
   */
  parse(region: DocumentRegion, last: boolean): FastParsed {
    if (this.n === 0 || this.indent(0) !== 0) bail();
    const at = this.content(0);
    const first = this.text.charCodeAt(at);
    // A document that is one flow collection (a JSON file is one): a value whose lines may be at
    // any column, its closing bracket too.
    const flow = first === 123 || first === 91;
    const { node, data } = flow ? this.inlineValue(at, this.end(0), -1) : this.block(0, at);
    if (this.i !== this.n || this.unsettled()) bail();
    if (this.endAt !== undefined && (!last || region.closed)) bail();
    const r = node.range!;
    // After a flow collection, the library ends the document where lines after it (blank lines,
    // comments) say, not where the region does: left to it.
    if (flow && r[2] !== region.to) bail();
    const doc = new Document();
    doc.contents = node;
    // (The library's document value ends past a flow collection's line end, a block node's value where it does.)
    doc.range = [region.marker === -1 ? r[0] : region.marker, flow ? r[2] : r[1], this.endAt ?? region.end];
    return { doc: doc as unknown as Document.Parsed, data };
  }

  /** A block node whose first line is lines[i], its content starting at `at` (after `- `). */
  private block(indent: number, at: number): { node: Node; data: unknown } {
    const t = this.text;
    if (isItem(t, at)) return this.seq(indent, at);
    return this.map(indent, at);
  }

  /** A block mapping from `at`; `first` is its first key when the caller has read it already. */
  private map(indent: number, at: number, first?: { key: Scalar; colon: number }): { node: Node; data: unknown } {
    const t = this.text;
    // Keys seen are the data's own keys (`__proto__` is refused before it could be one).
    const data: Record<string, unknown> = {};
    const start = at;
    const base = this.top;
    let last: Node | undefined;
    /** Where comment lines after it end the mapping, when they stretch it (-1: where its last value does). */
    let stretch = -1;
    for (;;) {
      const lineEnd = this.end(this.i);
      // The key: plain, or quoted without escapes.
      const { key, colon } = first ?? this.key(at, lineEnd);
      first = undefined;
      const name = key.value as string;
      if (name === '__proto__' || Object.hasOwn(data, name)) bail();
      this.i++;
      let valueNode: Node;
      let valueData: unknown;
      let p = colon + 1;
      while (p < lineEnd && t.charCodeAt(p) === 32) p++;
      const more = this.i < this.n;
      // `key: &name` alone on its line: an anchor on the block below (a mapping or a list).
      let anchor: string | undefined;
      if (t.charCodeAt(p) === 38 && more && this.indent(this.i) > indent) {
        const e = nameEnd(t, p + 1, lineEnd);
        if (e > p + 1 && pastBlanks(t, e, lineEnd) >= lineEnd) {
          anchor = t.slice(p + 1, e);
          p = lineEnd;
        }
      }
      if (p >= lineEnd || t.charCodeAt(p) === 35 || (t.charCodeAt(p) === 9 && blankOrComment(t, p, lineEnd))) {
        // Nothing on the line: a nested block, a list at the same indentation, or null.
        const col = indent;
        if (more && this.indent(this.i) > col) {
          const at = this.content(this.i);
          const item = isItem(t, at);
          const first = item ? undefined : this.tryKey(at, this.end(this.i));
          if (item) ({ node: valueNode, data: valueData } = this.seq(this.indent(this.i), at));
          else if (first) ({ node: valueNode, data: valueData } = this.map(this.indent(this.i), at, first));
          else {
            // A scalar or a flow collection on the line below its key (as the library's writer puts
            // a long one): read as on its own line (comments between them, or a scalar going on
            // over more lines, are the library's).
            if (anchor !== undefined || p < lineEnd || indexIn(t, '#', lineEnd, this.start(this.i)) !== -1) bail();
            ({ node: valueNode, data: valueData } = this.inlineValue(at, this.end(this.i), indent));
            if (this.i < this.n && this.indent(this.i) > indent) bail();
          }
        } else if (more && this.indent(this.i) === col && isItem(t, this.content(this.i))) {
          ({ node: valueNode, data: valueData } = this.seq(col, this.content(this.i)));
        } else {
          // `key:` and nothing: the library puts the null where the line's spaces end. At the
          // very end of the document (a key being typed) the document ends there too.
          if (p < lineEnd || this.nearComment?.has(this.i - 1) === true) bail();
          if (!more) this.endAt = p;
          valueNode = kinds.scalar(null, 'PLAIN', p, p, p);
          valueData = null;
        }
      } else if (t.charCodeAt(p) === 124 || t.charCodeAt(p) === 62) {
        // `|` or `>`: a block scalar, its lines below the key's.
        const b = this.blockScalar(p, lineEnd, indent);
        valueNode = b;
        valueData = b.value;
        if (this.i < this.n && this.indent(this.i) > indent) bail();
      } else {
        ({ node: valueNode, data: valueData } = this.inlineValue(p, lineEnd, indent));
        if (this.i < this.n && this.indent(this.i) > indent) bail(); // a multi-line plain scalar, or worse
      }
      if (anchor !== undefined) (valueNode as { anchor?: string }).anchor = anchor;
      this.pending[this.top++] = kinds.pair(key, valueNode);
      data[name] = valueData;
      last = valueNode;
      // Comment lines deeper than the next line (settle): past its last value, or, when it closes
      // there, over them to the next line.
      if (this.deep !== undefined) {
        const closes = this.i >= this.n || this.indent(this.i) !== indent || isItem(t, this.content(this.i));
        const e = this.settle(indent, valueNode, closes);
        if (e !== -1) stretch = e;
      }
      if (this.i >= this.n || this.indent(this.i) !== indent) break;
      if (isItem(t, this.content(this.i))) break;
      at = this.content(this.i);
    }
    const items = this.pending.slice(base, this.top);
    this.top = base;
    const map = kinds.map(items, start, endOf(last!));
    if (stretch !== -1) (map as unknown as Ranged).rangeEnd = stretch;

    return { node: map, data };
  }

  private seq(indent: number, at: number): { node: Node; data: unknown } {
    const t = this.text;
    const start = at;
    const base = this.top;
    const dataBase = this.dataTop;
    let last: Node | undefined;
    /** Where comment lines after it end the list, when they stretch it (-1: where its last item does). */
    let stretch = -1;
    for (;;) {
      const line = this.i;
      const lineEnd = this.end(line);
      if (this.content(line) !== at && this.indent(line) !== indent) bail();
      let p = at + 1;
      while (p < lineEnd && t.charCodeAt(p) === 32) p++;
      let item: { node: Node; data: unknown };
      let key: { key: Scalar; colon: number } | undefined;
      if (p >= lineEnd || t.charCodeAt(p) === 35 || (t.charCodeAt(p) === 9 && blankOrComment(t, p, lineEnd))) {
        // `-` alone: the item is the block below, or null.
        this.i++;
        const more = this.i < this.n;
        if (more && this.indent(this.i) > indent) item = this.block(this.indent(this.i), this.content(this.i));
        else {
          if (p < lineEnd || this.nearComment?.has(this.i - 1) === true) bail();
          if (!more) this.endAt = p;
          item = { node: kinds.scalar(null, 'PLAIN', p, p, p), data: null };
        }
      } else if (isItem(t, p)) {
        bail(); // `- - x`
      } else if ((key = this.tryKey(p, lineEnd))) {
        // `- key: value …`: a mapping whose keys sit at this column (its first key read once).
        item = this.map(p - this.start(line), p, key);
      } else {
        this.i++;
        item = this.inlineValue(p, lineEnd, indent);
        if (this.i < this.n && this.indent(this.i) > indent) bail();
      }
      this.pending[this.top++] = item.node;
      this.pendingData[this.dataTop++] = item.data;
      last = item.node;
      // Comment lines deeper than the next line (settle), as for a mapping.
      if (this.deep !== undefined) {
        const closes = this.i >= this.n || this.indent(this.i) !== indent || !isItem(t, this.content(this.i));
        const e = this.settle(indent, item.node, closes);
        if (e !== -1) stretch = e;
      }
      if (this.i >= this.n || this.indent(this.i) !== indent || !isItem(t, this.content(this.i))) {
        // A list at its key's column, a comment line, then the next key at that column: the
        // library stretches the list to that key. Left to it.
        if (this.i < this.n && this.indent(this.i) === indent && this.nearComment?.has(this.i) === true) bail();
        break;
      }
      at = this.content(this.i);
    }
    const items = this.pending.slice(base, this.top);
    this.top = base;
    const data = this.pendingData.slice(dataBase, this.dataTop);
    this.dataTop = dataBase;
    const seq = kinds.seq(items, start, endOf(last!));
    if (stretch !== -1) (seq as unknown as Ranged).rangeEnd = stretch;
    return { node: seq, data };
  }

  private key(p: number, end: number): { key: Scalar; colon: number } {
    return this.tryKey(p, end) ?? bail();
  }

  /**
   * The key at `p` and its colon, or undefined when the text there is not a key the fast path
   * takes. (A quoted scalar it cannot read still bails: read as a value, it would bail the same.)
   * Asked of every `- ` line, most of which in a list of names are not keys: answered without
   * throwing (a throw per line cost more than reading the line).
   */
  private tryKey(p: number, end: number): { key: Scalar; colon: number } | undefined {
    const t = this.text;
    // Most keys are a word and a colon (`name:`, `LOG_LEVEL:`): found by one native match.
    SIMPLE_KEY.lastIndex = p;
    if (SIMPLE_KEY.test(t)) {
      const colon = SIMPLE_KEY.lastIndex - 1;
      if (colon < end && (colon + 1 >= end || t.charCodeAt(colon + 1) === 32)) {
        const raw = t.slice(p, colon);
        if (isPlainString(raw)) return { key: kinds.scalar(own(raw), 'PLAIN', p, colon, colon), colon };
      }
    }
    const c = t.charCodeAt(p);
    if (c === 34 || c === 39) {
      const q = this.quoted(p, end);
      if (t.charCodeAt(q.end) !== 58 || !isBreakOrEnd(t.charCodeAt(q.end + 1), q.end + 1, end)) return undefined;
      return { key: q.scalar, colon: q.end };
    }
    if (isIndicator(c)) return undefined;
    // A plain key ends at the first `: ` (or `:` at the end of the line).
    let k = p;
    for (;;) {
      k = indexIn(t, ':', k, end);
      if (k === -1) return undefined;
      if (isBreakOrEnd(t.charCodeAt(k + 1), k + 1, end)) break;
      k++;
    }
    let e = k;
    while (e > p && t.charCodeAt(e - 1) === 32) e--;
    const raw = t.slice(p, e);
    if (raw.length === 0 || raw.includes(' #') || /[[\]{},]/.test(raw) || raw.includes('\t')) return undefined;
    // Keys that would resolve to something other than a string are left to the library.
    if (!isPlainString(raw)) return undefined;
    return { key: kinds.scalar(own(raw), 'PLAIN', p, e, e), colon: k };
  }

  /**
   * A value that starts at `p` on a line ending at `end`: it ends on that line, but for a flow
   * collection, which may go on over lines indented deeper than `parent` (the column of its key
   * or list). The content lines it took are passed.
   */
  private inlineValue(p: number, end: number, parent: number): { node: Node; data: unknown } {
    const t = this.text;
    const c = t.charCodeAt(p);
    let node: Node;
    let data: unknown;
    let after: number;
    if (c === 38) return this.anchored(p, end, parent);
    if (c === 91 || c === 123) {
      // A tab in a flow collection is white space around its scalars (`[a,\tb]` is `a` and `b`):
      // left to the library. One after it (before a comment, or trailing) is the line's tail.
      const tab = indexIn(t, '\t', p, end);
      if (tab !== -1 && !blankOrComment(t, tab, end)) bail();
      const r = this.flow(p, parent);
      node = r.node;
      data = r.data;
      after = r.end;
      if (after > end) {
        // It closed on a later line: its tail is that line's, and the lines it took are passed.
        end = lineEndAt(t, after, this.to);
        const tail = this.lineTail(after, end);
        (node as unknown as Ranged).rangeEnd = tail;
        while (this.i < this.n && this.start(this.i) < tail) this.i++;
        return { node, data };
      }
    } else if (c === 34 || c === 39) {
      const q = this.quoted(p, end);
      node = q.scalar;
      data = q.scalar.value;
      after = q.end;
    } else if (c === 42) {
      // `*name` alone on its line (but for a comment), in a stage read alone: its data is the
      // anchored value's, which the caller finds.
      const e = nameEnd(t, p + 1, end);
      if (!this.aliases || e === p + 1) bail();
      const q = pastBlanks(t, e, end);
      if (q < end && (q === e || t.charCodeAt(q) !== 35)) bail();
      const alias = new Alias(t.slice(p + 1, e));
      alias.range = [p, e, e];
      this.aliased = true;
      node = alias as unknown as Node;
      data = undefined;
      after = e;
    } else {
      // (`-` then a space or a tab is an indicator, not the start of a scalar.)
      const c1 = t.charCodeAt(p + 1);
      if (isIndicator(c) && !(c === 45 && !isBreak(c1) && c1 !== 9 && !isDigit(c1))) bail();
      // A plain scalar runs to a comment (`#` after a space or a tab) or the end of the line.
      let e = indexIn(t, '#', p, end);
      while (e !== -1 && t.charCodeAt(e - 1) !== 32 && t.charCodeAt(e - 1) !== 9) e = indexIn(t, '#', e + 1, end);
      if (e === -1) e = end;
      while (e > p && (t.charCodeAt(e - 1) === 32 || t.charCodeAt(e - 1) === 9)) e--;
      if (e === p) bail();
      const raw = own(t.slice(p, e));
      if (raw.includes(': ') || raw.endsWith(':') || raw.includes('\t')) bail();
      const value = resolvePlain(raw);
      const s = kinds.scalar(value, 'PLAIN', p, e, e);
      node = s;
      data = value;
      after = e;
    }
    // The node (made here, its range its own) ends past the comment and the line break.
    const tail = this.lineTail(after, end);
    setEnd(node, tail);
    // (The line it is on when that is the line after its key's.)
    while (this.i < this.n && this.start(this.i) < tail) this.i++;
    return { node, data };
  }

  /**
   * `&name value`: the value on the same line (a scalar or a flow collection, not a mapping's first
   * key), its node anchored. Its range is the value's own, as the library has it.
   */
  private anchored(p: number, end: number, parent: number): { node: Node; data: unknown } {
    const t = this.text;
    const e = nameEnd(t, p + 1, end);
    if (e === p + 1 || (t.charCodeAt(e) !== 32 && t.charCodeAt(e) !== 9)) bail();
    const v = pastBlanks(t, e, end);
    const c = t.charCodeAt(v);
    if (v >= end || c === 35 || c === 38 || c === 42 || c === 33 || c === 124 || c === 62 || this.tryKey(v, end)) bail();
    const r = this.inlineValue(v, end, parent);
    (r.node as { anchor?: string }).anchor = t.slice(p + 1, e);
    return r;
  }

  /**
   * A block scalar whose header (`|` or `>`, then `-`, `+` or nothing) is at `p`, on a value of a
   * mapping whose keys are at column `parent`: its lines are those below indented deeper than the
   * key, the first of them setting the indentation. Read from the text, not the content lines
   * (its blank lines and `#` lines are text); the lines it covers are then passed. The common forms
   * only: an indentation indicator, a tab where indentation is, blank lines before its first line
   * or holding more spaces than its indentation, and in folded style a more indented line are left
   * to the library, as is a block kept (`+`) with blank lines after it.
   */
  private blockScalar(p: number, lineEnd: number, parent: number): Scalar {
    const t = this.text;
    const folded = t.charCodeAt(p) === 62;
    let h = p + 1;
    const chomp = t.charCodeAt(h);
    if (chomp === 45 || chomp === 43) h++;
    // Only a comment may follow the header, after a space or a tab.
    const tail = pastBlanks(t, h, lineEnd);
    if (tail < lineEnd && (t.charCodeAt(tail) !== 35 || tail === h)) bail();
    const n = this.to;
    // The line after the header's line break (\n, or \r\n: lineEnd is before its \r).
    let pos = Math.min(pastBreak(t, lineEnd), n);
    const headerEnd = pos;
    let indent = -1;
    let value = '';
    /** Blank lines since the last content line, and where the last content line's break ends. */
    let blanks = 0;
    let contentEnd = headerEnd;
    let lines = 0;
    /** Whether a line after the block ended it (else the text read ended first). */
    let ended = false;
    while (pos < n) {
      let next = t.indexOf('\n', pos);
      if (next === -1 || next > n) next = n;
      const end = next > pos && t.charCodeAt(next - 1) === 13 ? next - 1 : next;
      let c = pos;
      while (c < end && t.charCodeAt(c) === 32) c++;
      if (c < end && t.charCodeAt(c) === 9 && (indent === -1 || c - pos < indent)) bail();
      const after = next < n ? next + 1 : n;
      if (c === end) {
        // A blank line: text when more content follows, else chomped.
        if (indent === -1 || c - pos > indent) bail();
        blanks++;
        pos = after;
        continue;
      }
      if (indent === -1) {
        if (c - pos <= parent) {
          ended = true;
          break;
        }
        if (blanks > 0) bail();
        indent = c - pos;
      } else if (c - pos < indent) {
        ended = true;
        break;
      }
      const line = t.slice(pos + indent, end);
      // In folded style a more indented line (spaces or a tab after the indentation) keeps its
      // line breaks: left to the library.
      if (folded && (c - pos > indent || t.charCodeAt(pos + indent) === 9)) bail();
      if (lines === 0) value = line;
      else if (folded) value += (blanks > 0 ? '\n'.repeat(blanks) : ' ') + line;
      else value += '\n'.repeat(blanks + 1) + line;
      lines++;
      blanks = 0;
      contentEnd = after;
      pos = after;
    }
    // An empty block takes in the blank lines after it, which may run past the text read.
    if (lines === 0 && (blanks > 0 || (!ended && n < t.length))) bail();
    // A kept block takes in the blank lines after it: where the text read ends (a stage read
    // alone, a document before a `---`), more of them may follow that are not read here.
    if (chomp === 43 && (blanks > 0 || (!ended && n < t.length))) bail();
    // Clip keeps one final line break, keep (`+`) all of them, strip (`-`) none.
    if (lines > 0 && chomp !== 45) value += '\n';
    // The lines passed: the content lines the constructor found inside the block.
    while (this.i < this.n && this.start(this.i) < contentEnd) this.i++;
    const type = folded ? 'BLOCK_FOLDED' : 'BLOCK_LITERAL';
    return kinds.scalar(own(value), type, p, contentEnd, contentEnd);
  }

  /** After a value: spaces, an optional comment, the line break; the node ends past them. */
  private lineTail(after: number, end: number): number {
    const t = this.text;
    const p = pastBlanks(t, after, end);
    // Anything left must be a comment, separated from the value by a space or a tab.
    if (p < end && (t.charCodeAt(p) !== 35 || p === after)) bail();
    return pastBreak(t, end);
  }

  private quoted(p: number, end: number): { scalar: Scalar; end: number } {
    const t = this.text;
    const q = t.charCodeAt(p);
    let value = '';
    let k = p + 1;
    if (q === 34) {
      // Up to the closing quote, escapes read as the library reads them (`\"`, `\n`, `\u00e9`…).
      // The quote is searched for again only when an escape took it (`\"`): a line of escapes is
      // read once, not once per escape.
      let close = indexIn(t, '"', k, end);
      for (;;) {
        if (close === -1) bail();
        const slash = indexIn(t, '\\', k, close);
        if (slash === -1) {
          value = own(value + t.slice(k, close));
          k = close + 1;
          break;
        }
        const [char, next] = unescape(t, slash, end);
        value += t.slice(k, slash) + char;
        k = next;
        if (k > close) close = indexIn(t, '"', k, end);
      }
    } else {
      for (;;) {
        const close = indexIn(t, "'", k, end);
        if (close === -1) bail();
        if (t.charCodeAt(close + 1) === 39) {
          value += t.slice(k, close + 1);
          k = close + 2;
          continue;
        }
        value = own(value + t.slice(k, close));
        k = close + 1;
        break;
      }
    }
    return { scalar: kinds.scalar(value, q === 34 ? 'QUOTE_DOUBLE' : 'QUOTE_SINGLE', p, k, k), end: k };
  }

  /**
   * A flow collection from `p`, on one line or over several. Between entries (after `[`, `{` or
   * a comma) it takes line breaks and comments; a key, its colon and its value stay on one line.
   * Lines it goes on over are indented deeper than `parent`, its closing line at least as deep.
   * Ranges as the library has them: a list's item ends where the next token starts (past line
   * breaks and comments), a mapping's value past the spaces and the line break after it.
   */
  private flow(p: number, parent: number, outer = true): { node: Node; data: unknown; end: number } {
    const t = this.text;
    const isMap = t.charCodeAt(p) === 123;
    const close = isMap ? 125 : 93;
    let data: Record<string, unknown> | unknown[] = isMap ? {} : [];
    let k = this.gap(p + 1, parent, close, outer);
    if (t.charCodeAt(k) === close) return { node: kinds.flow(isMap, [], p, k + 1), data, end: k + 1 };
    const base = this.top;
    const dataBase = this.dataTop;
    for (;;) {
      // Each entry is read within its line, before a tab (white space to the library, which
      // reads `[a\t#]` as `a` and a comment).
      const end = this.flowLineEnd(k);
      if (k >= end) bail();
      let keyNode: Scalar | undefined;
      if (isMap) {
        const c = t.charCodeAt(k);
        if (c === 34 || c === 39) {
          const q = this.quoted(k, end);
          keyNode = q.scalar;
          k = q.end;
        } else {
          if (isIndicator(c)) bail();
          const e = flowPlainEnd(t, k, end);
          let r = e;
          while (r > k && t.charCodeAt(r - 1) === 32) r--;
          const raw = own(t.slice(k, r));
          if (!raw || raw.includes(' #') || resolvePlain(raw) !== raw) bail();
          keyNode = kinds.scalar(raw, 'PLAIN', k, r, r);
          k = e;
        }
        k = spaces(t, k, end);
        if (t.charCodeAt(k) !== 58) bail();
        k++;
        k = spaces(t, k, end);
        if (keyNode.value === '__proto__' || Object.hasOwn(data, keyNode.value as string)) bail();
      }
      const c = t.charCodeAt(k);
      let valueNode: Node;
      let valueData: unknown;
      if (c === 91 || c === 123) {
        const r = this.flow(k, parent, false);
        valueNode = r.node;
        valueData = r.data;
        k = r.end;
      } else if (c === 34 || c === 39) {
        const q = this.quoted(k, end);
        valueNode = q.scalar;
        valueData = q.scalar.value;
        k = q.end;
      } else {
        if (k >= end || c === 44 || c === close || isIndicator(c)) bail(); // an empty entry or an indicator
        let e = flowPlainEnd(t, k, end);
        if (t.charCodeAt(e) === 58) bail(); // `a: b` inside a list: a pair, left to the library
        // A comment after a list's item ends it (the list goes on below); after a value, bails.
        const hash = indexIn(t, ' #', k, e);
        if (hash !== -1) {
          if (isMap) bail();
          e = hash + 1;
        }
        let r = e;
        while (r > k && t.charCodeAt(r - 1) === 32) r--;
        const raw = own(t.slice(k, r));
        const value = resolvePlain(raw);
        valueNode = kinds.scalar(value, 'PLAIN', k, r, r);
        valueData = value;
        k = e;
      }
      if (isMap) {
        // A value ends past the spaces after it, and past the line break when its line ends there.
        const lineEnd = k <= end ? end : this.flowLineEnd(k);
        k = spaces(t, k, lineEnd);
        (valueNode as unknown as Ranged).rangeEnd = k < lineEnd ? k : pastBreak(t, lineEnd);
        if (k >= lineEnd) k = this.gap(k, parent, close, outer, false);
        this.pending[this.top++] = kinds.pair(keyNode!, valueNode);
        (data as Record<string, unknown>)[keyNode!.value as string] = valueData;
      } else {
        // An item ends where the next token starts.
        k = this.gap(k, parent, close, outer);
        (valueNode as unknown as Ranged).rangeEnd = k;
        this.pending[this.top++] = valueNode;
        this.pendingData[this.dataTop++] = valueData;
      }
      const d = t.charCodeAt(k);
      if (d === close) {
        k++;
        break;
      }
      if (d !== 44) bail();
      k = this.gap(k + 1, parent, close, outer);
      if (t.charCodeAt(k) === close) bail(); // a trailing comma
    }
    const items = this.pending.slice(base, this.top);
    this.top = base;
    if (!isMap) data = this.pendingData.slice(dataBase, this.dataTop);
    this.dataTop = dataBase;
    return { node: kinds.flow(isMap, items, p, k), data, end: k };
  }

  /**
   * Where an entry of a flow collection at `k` must end: its line's end, or a tab before it. Found
   * once per line, for every entry and nested collection on it (a long line is read once).
   */
  private flowLineEnd(k: number): number {
    if (k > this.flowLine) {
      this.flowLine = lineEndAt(this.text, k, this.to);
      this.flowTab = indexIn(this.text, '\t', k, this.flowLine);
    }
    return this.flowTab >= k ? this.flowTab : this.flowLine;
  }
  private flowLine = -1;
  private flowTab = -1;

  /**
   * Past the white space from `k` inside a flow collection: spaces, and line breaks with the next
   * line's indentation (deeper than `parent`; the outermost collection's closing line may be at
   * `parent`), and comments when `comments` (else a comment bails). A tab bails.
   */
  private gap(k: number, parent: number, close: number, outer: boolean, comments = true): number {
    const t = this.text;
    const n = this.to;
    for (;;) {
      while (k < n && t.charCodeAt(k) === 32) k++;
      if (k >= n) return k;
      let c = t.charCodeAt(k);
      if (c === 35) {
        // A comment: after white space only, and to the end of its line.
        const prev = t.charCodeAt(k - 1);
        if (!comments || (prev !== 32 && prev !== 10)) bail();
        k = lineEndAt(t, k, n);
        c = t.charCodeAt(k);
      }
      if (c === 13 && t.charCodeAt(k + 1) === 10) c = t.charCodeAt(++k);
      if (c !== 10) return c === 9 ? bail() : k;
      // The next line: blank, or indented deep enough.
      let q = k + 1;
      while (q < n && t.charCodeAt(q) === 32) q++;
      const next = t.charCodeAt(q);
      const blank = q >= n || next === 10 || (next === 13 && t.charCodeAt(q + 1) === 10);
      if (!blank && q - (k + 1) <= parent && !(outer && next === close && q - (k + 1) === parent)) bail();
      k = q;
    }
  }
}

/** Single-character escapes of a double-quoted scalar (YAML 1.2), as the library has them. */
const ESCAPES: Record<string, string> = {
  '0': '\0',
  a: '\x07',
  b: '\b',
  e: '\x1b',
  f: '\f',
  n: '\n',
  r: '\r',
  t: '\t',
  v: '\v',
  N: '\u0085',
  _: '\u00a0',
  L: '\u2028',
  P: '\u2029',
  ' ': ' ',
  '"': '"',
  '/': '/',
  '\\': '\\',
  '\t': '\t',
};

/**
 * The escape at `at` (a backslash) in a double-quoted scalar on one line: the character it stands
 * for, and where the text goes on. An escape the library reports as an error, or one at the line's
 * end (a value going on over lines), bails.
 */
function unescape(t: string, at: number, end: number): [string, number] {
  const c = t[at + 1];
  if (at + 1 >= end || c === undefined) bail();
  const one = Object.hasOwn(ESCAPES, c) ? ESCAPES[c] : undefined;
  if (one !== undefined) return [one, at + 2];
  const length = c === 'x' ? 2 : c === 'u' ? 4 : c === 'U' ? 8 : 0;
  const hex = t.slice(at + 2, at + 2 + length);
  if (length === 0 || at + 2 + length > end || !/^[0-9a-fA-F]+$/.test(hex)) bail();
  const code = parseInt(hex, 16);
  if (code > 0x10ffff) bail();
  return [String.fromCodePoint(code), at + 2 + length];
}

/**
 * A value cut out of the text, copied when V8 would keep it as a view into the whole text (13
 * characters or more): a kept stage must not keep an old version of the file alive.
 */
function own(s: string): string {
  return s.length < 13 ? s : (' ' + s).slice(1);
}

/** indexOf bounded by the end of the line: a search must never run on through the file. */
export function indexIn(t: string, s: string, from: number, end: number): number {
  const i = t.slice(from, end).indexOf(s);
  return i === -1 ? -1 : from + i;
}

/**
 * Whether the line text[c, end) ends in a block scalar's header (`key: |`, `- >-`, `a: | # note`).
 * It may say so of a line that holds none (a plain value ending in ` |`): the parser then finds
 * the lines below where no value can take them and leaves the text to the library.
 */
function endsWithBlockHeader(t: string, c: number, end: number): boolean {
  // Before the line's comment, if any (the first `#` after a space or a tab).
  let e = end;
  for (let h = indexIn(t, '#', c, end); h !== -1; h = indexIn(t, '#', h + 1, end)) {
    if (h > c && (t.charCodeAt(h - 1) === 32 || t.charCodeAt(h - 1) === 9)) {
      e = h;
      break;
    }
  }
  e = backOverBlanks(t, c, e);
  let k = e - 1;
  if (t.charCodeAt(k) === 45 || t.charCodeAt(k) === 43) k--;
  const h = t.charCodeAt(k);
  return k > c && (h === 124 || h === 62) && (t.charCodeAt(k - 1) === 32 || t.charCodeAt(k - 1) === 9);
}

/** Back from `e` over spaces and tabs, at least to `c`. */
function backOverBlanks(t: string, c: number, e: number): number {
  while (e > c && (t.charCodeAt(e - 1) === 32 || t.charCodeAt(e - 1) === 9)) e--;
  return e;
}

/** Where the line holding `at` ends (before its \n or \r\n), at most at `n`. */
function lineEndAt(t: string, at: number, n: number): number {
  const nl = indexIn(t, '\n', at, n);
  const e = nl === -1 ? n : nl;
  return e > at && t.charCodeAt(e - 1) === 13 ? e - 1 : e;
}

/** Past the line break at `end` (\n, or \r\n with `end` at its \r), or `end` at the text's end. */
function pastBreak(t: string, end: number): number {
  return end < t.length ? (t.charCodeAt(end) === 13 ? end + 2 : end + 1) : end;
}

/** Where a node ends (range[2]): an alias, the library's own node, holds its range in an array. */
function endOf(n: Node): number {
  return (n as unknown as Partial<Ranged>).rangeEnd ?? n.range![2];
}

function setEnd(n: Node, end: number): void {
  if ((n as unknown as Partial<Ranged>).rangeEnd !== undefined) (n as unknown as Ranged).rangeEnd = end;
  else n.range![2] = end;
}

/**
 * Where an anchor's or alias's name starting at `k` ends: letters, digits, `-`, `_` and `.` (other
 * characters YAML allows in one, `:` among them, are left to the library).
 */
function nameEnd(t: string, k: number, end: number): number {
  while (k < end) {
    const c = t.charCodeAt(k);
    if (!((c >= 97 && c <= 122) || (c >= 65 && c <= 90) || (c >= 48 && c <= 57) || c === 45 || c === 95 || c === 46)) break;
    k++;
  }
  return k;
}

/** Past the spaces and tabs from `k`, at most to `end`. */
function pastBlanks(t: string, k: number, end: number): number {
  while (k < end && (t.charCodeAt(k) === 32 || t.charCodeAt(k) === 9)) k++;
  return k;
}

/** Past the spaces from `k`, at most to `end`. */
function spaces(t: string, k: number, end: number): number {
  while (k < end && t.charCodeAt(k) === 32) k++;
  return k;
}

/** Whether a node ends on the line it starts on: a scalar (not a block scalar) or a flow collection. */
function isLeaf(n: Node): boolean {
  const items = (n as { items?: unknown }).items;
  if (items !== undefined) return (n as YAMLMap).flow === true;
  const type = (n as Scalar).type;
  return type !== 'BLOCK_LITERAL' && type !== 'BLOCK_FOLDED';
}

/** Whether a list item's `- ` starts at `p`. */
function isItem(t: string, p: number): boolean {
  return t.charCodeAt(p) === 45 && isBreak(t.charCodeAt(p + 1));
}

/** After an indicator: a space, the line's end (\n, or the \r of a \r\n) or the text's. */
function isBreak(c: number): boolean {
  return c === 32 || c === 10 || c === 13 || Number.isNaN(c);
}

function isBreakOrEnd(c: number, pos: number, end: number): boolean {
  return pos >= end || c === 32;
}

function isDigit(c: number): boolean {
  return c >= 48 && c <= 57;
}

/**
 * Where a plain scalar inside a flow collection stops: a flow indicator, or a colon followed by a
 * space, a flow indicator or the end; a line break stops the search. A search for the stop, not a
 * match of the scalar: matching a scalar of millions of characters would keep a backtrack entry per
 * character and overflow the stack.
 */
const FLOW_STOP = /[,[\]{}\n]|:(?=[ ,[\]{}]|$)/g;

/** Where a flow plain scalar that starts at `k` ends, at most at `end`: one native search, not a loop over its characters. */
function flowPlainEnd(t: string, k: number, end: number): number {
  FLOW_STOP.lastIndex = k;
  const stop = FLOW_STOP.exec(t);
  return stop ? Math.min(stop.index, end) : Math.min(t.length, end);
}

/** A key of word characters up to its colon, matched where a key may start (sticky). */
const SIMPLE_KEY = /[A-Za-z_][A-Za-z0-9_-]*:/y;

/** Characters a plain scalar may not start with (YAML indicators), by character code. */
const INDICATORS = Uint8Array.from({ length: 128 }, (_, c) => ('-?:,[]{}#&*!|>\'"%@`'.includes(String.fromCharCode(c)) ? 1 : 0));

/**
 * Whether `c` is a YAML indicator. One load, not a chain of comparisons: it is asked of every
 * key and value, on code that runs unoptimised while a large file is first read.
 */
function isIndicator(c: number): boolean {
  return c < 128 && INDICATORS[c] === 1;
}

/** Whether a plain scalar reads as this very string (a key the fast path takes); never throws. */
function isPlainString(raw: string): boolean {
  try {
    return resolvePlain(raw) === raw;
  } catch (e) {
    if (e instanceof Bail) return false;
    throw e;
  }
}

/** The YAML 1.2 core schema for the plain scalars manifests use; anything unusual bails. */
function resolvePlain(raw: string): unknown {
  const c = raw.charCodeAt(0);
  // Most scalars start with a letter that no word of the schema (null, true, false) starts with.
  if ((c >= 97 && c <= 122 && c !== 110 && c !== 116 && c !== 102) || (c >= 65 && c <= 90 && c !== 78 && c !== 84 && c !== 70)) return raw;
  if (NULLS.has(raw)) return null;
  if (TRUES.has(raw)) return true;
  if (FALSES.has(raw)) return false;
  if (isDigit(c) || c === 43 || c === 46 || (c === 45 && raw.length > 1)) {
    if (/^-?[0-9]+$/.test(raw) && raw.length < 16) return Number(raw);
    if (/^-?[0-9]+\.[0-9]+$/.test(raw) && raw.length < 16) return Number(raw);
    // Any other number of the core schema (hex, octal, exponent, a sign, inf, nan) is left to the
    // library; text that only starts like a number (`4Gi`, `1.2.3`, `10%`) is a string.
    if (/^[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?$/.test(raw) || /^0o[0-7]+$/.test(raw) || /^0x[0-9a-fA-F]+$/.test(raw)) bail();
    if (/^[-+]?\.(?:inf|Inf|INF)$/.test(raw) || /^\.(?:nan|NaN|NAN)$/.test(raw)) bail();
  }
  return raw;
}
