import { isAlias, isMap, isScalar, isSeq, visit, YAMLSeq, type Document, type Node, type Pair, type Scalar, type YAMLMap } from 'yaml';
import { readDocument } from './yaml-read';
import { fastParse, fastParseItem, indexIn, shiftInPlace, type FollowingLine } from './fast-parse';
import { anchorsNest, deref, holdsAlias, presetAnchors, stageHoldsAlias } from './yaml-ast';

import { aliasBudget, type Limits } from './limits';
import { blankOrComment, documentRegions, type DocumentRegion } from './doc-markers';
import { isSeparator, libraryMayRead, parseChecked, precheck, syntaxMessage, syntaxSpan, tooDeep, type ParsedDocument, type ParsedFile } from './parse';

/**
 * Parsing a manifest piece by piece. A manifest is mostly its `spec.stages` list, and an edit
 * touches one stage. The text is cut into the header and one segment per stage item; each
 * segment is parsed on its own and cached by its text, so an edit re-parses one stage and the
 * header, not the file. The pieces are put back together into one Document whose ranges are
 * those of the whole text, so everything downstream is unchanged.
 *
 * The same cut keeps the cost of unusual YAML where it is: a stage the fast path cannot read (a
 * tag, a plain scalar over several lines, an unknown layout) is read by the library, alone, and
 * the other stages stay on the fast path, on the first parse as on every edit. An alias may point
 * into another piece: aliases resolve against the composed document, and the data of a stage
 * holding one is rebuilt from it on every parse (an edit to the anchored stage changes it).
 *
 * A file of several documents is read document by document, each by a cache of its own that reads
 * it in place (split): an edit re-reads the document it is in, piece by piece, and the documents
 * before it are not read again (those after it moved: each is read again, piece by piece, and its
 * stages checked again). More documents than MAX_SPLIT_DOCUMENTS, a segment whose errors are not
 * its own (indentation), or a header that does not read cleanly go to the full parse, so results
 * always equal it.
 */

/** At most this many documents are read each by a cache of its own; a file of more is read whole. */
const MAX_SPLIT_DOCUMENTS = 16;
/**
 * Each document's cache holds a copy of the text up to its document's end: together at most this
 * many times the file (a large document followed by many small ones is read whole instead).
 */
const SPLIT_TEXT = 4;

interface Segment {
  start: number;
  end: number;
  /** Where the item's own `- ` line starts (start is earlier when comment lines above it were taken in). */
  item: number;
}

interface Entry {
  /** The item node, its ranges relative to `base`; with syntax errors, what the library read of the piece. */
  node: Node | null;
  /** The item's data; undefined when it holds an alias (rebuilt from the composed document). */
  data: unknown;
  base: number;
  /** Whether the item holds an alias: its data depends on other pieces. */
  aliased: boolean;
  /** Read by the library: its piece runs to the next item's own line (compose). */
  library: boolean;
  /** Syntax errors of the segment, relative to `base`. */
  errors: Array<{ start: number; end: number; code: string; message: string }>;
  /**
   * Where the content of the line after its text was when it was read, relative to its start:
   * comment lines at its end may stretch it there, so it is read again when that line moves.
   */
  follows?: number;
}

/** An entry as it was laid out in the text it was last part of, with the piece it was read from. */
interface Placed {
  start: number;
  end: number;
  entry: Entry;
  /** The piece's text has an `&`: it may hold an anchor. */
  amp: boolean;
}

/**
 * The entries of the previous version of the text, found again by where they are: an edit changes
 * one span of the text (between the common prefix and suffix of the two versions), and a piece
 * wholly before or after it is the same text at the same place (or shifted by the edit's length).
 * Only pieces within the changed span are compared by their text, so an edit does not hash the file.
 */
class Previous {
  private readonly before = new Map<number, Placed>();
  private readonly after = new Map<number, Placed>();
  private readonly within = new Map<string, Placed[]>();
  private readonly prefix: number;
  private readonly suffixFrom: number;
  private readonly delta: number;

  constructor(
    old: string,
    placed: readonly Placed[],
    private readonly text: string,
  ) {
    this.prefix = commonPrefix(old, text);
    const suffix = commonSuffix(old, text, Math.min(old.length, text.length) - this.prefix);
    this.suffixFrom = text.length - suffix;
    this.delta = text.length - old.length;
    const oldSuffixFrom = old.length - suffix;
    for (const p of placed) {
      if (p.end <= this.prefix) this.before.set(p.start, p);
      else if (p.start >= oldSuffixFrom) this.after.set(p.start + this.delta, p);
      else {
        const key = old.slice(p.start, p.end);
        const list = this.within.get(key);
        if (list) list.push(p);
        else this.within.set(key, [p]);
      }
    }
  }

  /** The entry read from the same text as text[start, end), taken (each is found once). */
  take(start: number, end: number): Placed | undefined {
    if (end <= this.prefix || start >= this.suffixFrom) {
      const map = end <= this.prefix ? this.before : this.after;
      const p = map.get(start);
      if (!p || p.end - p.start !== end - start) return undefined;
      map.delete(start);
      return p;
    }
    return this.within.get(this.text.slice(start, end))?.pop();
  }
}

/** How many characters two texts start with in common (compared a block at a time, natively). */
function commonPrefix(a: string, b: string): number {
  const n = Math.min(a.length, b.length);
  let i = 0;
  for (let block = 4096; block >= 1; block >>= 4) while (i + block <= n && a.slice(i, i + block) === b.slice(i, i + block)) i += block;
  return i;
}

/** How many characters two texts end with in common, at most `max`. */
function commonSuffix(a: string, b: string, max: number): number {
  let i = 0;
  for (let block = 4096; block >= 1; block >>= 4)
    while (i + block <= max && a.slice(a.length - i - block, a.length - i) === b.slice(b.length - i - block, b.length - i)) i += block;
  return i;
}

export class ParseCache {
  /** The text last parsed and its stage entries, in order; empty before the first piecewise read. */
  private text = '';
  private placed: Placed[] = [];
  /** How the last parse went, for tests and the benchmark. */
  lastMode: 'incremental' | 'full' = 'full';
  /** Segments parsed (not reused) by the last parse, and how many of them the library read. */
  lastReparsed = 0;
  lastLibrary = 0;
  /**
   * What aliases resolve to (ParsedFile.anchors): the header and the stage entries holding an
   * anchor (an `&`) last read, in order, and the number that changes with them.
   */
  private anchorEpoch = 0;
  private anchorHeader = '';
  private anchorEntries: readonly Entry[] = [];
  /** Called with a cached stage node just before it is shifted in place (AnalysisCache settles what it computed from it). */
  onShift: ((node: Node) => void) | undefined;
  /** For a file of several documents: a cache per document, in order (empty for one document). */
  private split: ParseCache[] = [];
  /**
   * A file not cut in pieces whose stage list is a flow collection (a JSON file): its text and its
   * stage items as last read, handed back by their text on the next read (keepFlowItems).
   */
  private flowItems: { text: string; items: Node[] } | undefined;
  /** What this cache last read as one document of several (its text, where it started), and what it gave. */
  private last: { own: string; start: number; limits: Limits; file: ParsedFile } | undefined;

  parse(text: string, limits: Limits): ParsedFile {
    // Read piece by piece, only the pieces an edit changed are checked for depth (compose): the
    // others were checked when they were read, and each reads alone, so nothing nests across them.
    // (A file of several documents is checked whole each time, as brackets count across them; each
    // document's cache then checks the pieces an edit changed.)
    const piecewise = this.placed.length > 0;
    const early = precheck(text, limits, !piecewise);
    if (early) return early;
    const regions = documentRegions(text);
    if (regions && regions.length > 1 && regions.length <= MAX_SPLIT_DOCUMENTS) {
      const split = this.parseSplit(text, regions, limits);
      if (split) return split;
    }
    this.split = [];
    const layout = segment(text, regions);
    if (layout) {
      this.flowItems = undefined;
      if (this.placed.length === 0) {
        // First sight: a file the fast path reads whole needs no cutting.
        const fast = fastParse(text);
        if (fast) {
          const r = fast.doc.range;
          const file: ParsedFile = {
            text,
            documents: [{ index: 0, doc: fast.doc, data: fast.data, ok: true, span: { start: r[0], end: r[2] } }],
            problems: [],
          };
          this.lastMode = 'full';
          this.seed(text, layout, file, true);
          return file;
        }
      }
      const composed = this.compose(text, layout, limits);
      if (composed) {
        this.lastMode = 'incremental';
        return composed;
      }
    }
    // A file that cannot be cut (or whose pieces do not read alone): one full parse, which also
    // seeds the cache with its stage items so the next edit is piecewise.
    const deep = piecewise ? tooDeep(text, limits) : undefined;
    if (deep) return deep;
    this.lastMode = 'full';
    this.placed = [];
    this.text = '';
    const full = parseChecked(text, limits);
    if (layout) this.seed(text, layout, full);
    else this.keepFlowItems(text, full);
    return full;
  }

  /**
   * After a whole read of a file that is not cut in pieces, whose stage list is a flow collection
   * (a JSON file; a YAML file has block stages, cut by segment): each stage item an edit did not
   * touch (all of its text before what changed, or after it, its range the same) is the node read
   * last time, moved in place, so that what the analysis keeps per stage node is kept: an edit
   * costs the whole read, but not every stage's checks. What they depend on besides themselves is
   * the text around the list (`header`).
   */
  private keepFlowItems(text: string, full: ParsedFile): void {
    const previous = this.flowItems;
    this.flowItems = undefined;
    const only = full.documents.length === 1 ? full.documents[0]! : undefined;
    if (!only?.ok || full.problems.length) return;
    const seq = only.doc.getIn(['spec', 'stages'], true) as Node | undefined;
    if (!isSeq(seq) || !seq.flow || !seq.range) return;
    const items = seq.items as Node[];
    let reparsed = items.length;
    if (previous) {
      const old = previous.text;
      const prefix = commonPrefix(old, text);
      const suffix = commonSuffix(old, text, Math.min(old.length, text.length) - prefix);
      const oldSuffixFrom = old.length - suffix;
      const delta = text.length - old.length;
      // The items read last time that an edit did not touch, by where they start now.
      const kept = new Map<number, { node: Node; delta: number }>();
      for (const node of previous.items) {
        const r = node.range;
        if (r && r[2] < prefix) kept.set(r[0], { node, delta: 0 });
        else if (r && r[0] >= oldSuffixFrom) kept.set(r[0] + delta, { node, delta });
      }
      for (let i = 0; i < items.length; i++) {
        const r = items[i]!.range;
        const k = r ? kept.get(r[0]) : undefined;
        const was = k?.node.range;
        if (!k || !r || !was || was[1] + k.delta !== r[1] || was[2] + k.delta !== r[2] || holdsAlias(items[i]!)) continue;
        if (k.delta !== 0) {
          this.onShift?.(k.node);
          shiftInPlace(k.node, k.delta);
        }
        items[i] = k.node;
        reparsed--;
      }
    }
    this.lastReparsed = reparsed;
    this.flowItems = { text, items: [...items] };
    full.header = headerKey(text, seq.range[0], seq.range[1]);
  }

  /**
   * A file of several documents, each read by its own cache in place: the cache is handed the
   * file's text up to the document's end, what comes before the document replaced by one line of
   * spaces (offsets stay the file's, and the library reads a long line of spaces at once, where
   * it read as many blank lines slowly). A document an edit did not touch, where it was, reads as
   * before (the same nodes, not read again); one the edit moved is read again by its cache, which
   * moves its stages, and its stages are checked again (what they point at in its header moved:
   * its key, `header`, holds where it starts). Undefined, for the file to be read whole, when a
   * document does not read as one alone or has errors (what the whole read reports counts: a
   * quote left open runs on past the next `---` there), when the copies would hold more than
   * SPLIT_TEXT times the file, or when the library could not read all of its lines within the work
   * limit (the whole read refuses such a file).
   */
  private parseSplit(text: string, regions: readonly DocumentRegion[], limits: Limits): ParsedFile | undefined {
    let held = 0;
    for (const r of regions) held += r.end;
    if (held > SPLIT_TEXT * text.length || !libraryMayRead(text, limits)) return undefined;
    if (this.split.length !== regions.length) {
      this.split = regions.map(() => {
        const cache = new ParseCache();
        cache.onShift = (node) => this.onShift?.(node);
        return cache;
      });
    }
    this.placed = [];
    this.text = '';
    this.flowItems = undefined;
    const documents: ParsedDocument[] = [];
    let anchors: Map<Node, string> | undefined;
    let incremental = true;
    let reparsed = 0;
    let library = 0;
    for (let k = 0; k < regions.length; k++) {
      const r = regions[k]!;
      // From its `---` line (the first document: from the file's start, its comments before it included).
      const start = k === 0 ? 0 : r.marker !== -1 ? r.marker : r.from;
      const own = text.slice(start, r.end);
      const cache = this.split[k]!;
      const last = cache.last;
      let file: ParsedFile;
      if (last && last.start === start && last.own === own && last.limits === limits) file = last.file;
      else {
        file = cache.parse(start === 0 ? own : `${' '.repeat(start - 1)}\n${own}`, limits);
        cache.last = { own, start, limits, file };
        incremental &&= cache.lastMode === 'incremental';
        reparsed += cache.lastReparsed;
        library += cache.lastLibrary;
      }
      if (file.documents.length !== 1 || file.problems.length) return undefined;
      const header = file.header !== undefined ? `${start}\u0000${file.header.slice(start)}` : undefined;
      documents.push({ ...file.documents[0]!, index: k, ...(header !== undefined ? { header } : {}) });
      if (file.anchors) for (const [node, key] of file.anchors) (anchors ??= new Map()).set(node, `${k}:${key}`);
    }
    this.lastMode = incremental ? 'incremental' : 'full';
    this.lastReparsed = reparsed;
    this.lastLibrary = library;
    return { text, documents, problems: [], ...(anchors ? { anchors } : {}) };
  }

  private seed(text: string, layout: Layout, full: ParsedFile, fast = false): void {
    const only = full.documents.length === 1 ? full.documents[0]! : undefined;
    if (!only?.ok || full.problems.length) return;
    full.header = headerKey(text, layout.seqStart, layout.seqEnd);
    const seq = (only.doc.getIn(['spec', 'stages'], true) ?? null) as Node | null;
    const datas = ((only.data as { spec?: { stages?: unknown } } | undefined)?.spec?.stages ?? null) as unknown[] | null;
    if (!isSeq(seq) || seq.flow || !Array.isArray(datas) || seq.items.length !== layout.segments.length) return;
    const placed: Placed[] = [];
    // The last stage may be stretched to the line after the list (tailOf), as compose reads it.
    const tail = tailOf(text, layout);
    for (let i = 0; i < layout.segments.length; i++) {
      const seg = layout.segments[i]!;
      const node = seq.items[i] as Node;
      // Comment lines deeper than the next item stretch a stage to that item's content, as a
      // piece the library reads runs (compose): it is found again by that extent, so that a line
      // put between them reads it again.
      const next = layout.segments[i + 1];
      // (As far as the line after it, which it is read with: the next item's content, or the line after the list.)
      const limit = next ? next.item + layout.itemIndent : (tail?.following.at ?? seg.end);
      if (!isMap(node) || !node.range || node.range[0] < seg.start || node.range[2] > limit) return;
      const stretched = node.range[2] > seg.end;
      const end = stretched ? limit : seg.end;
      // An anchored stage is cached as it reads alone: its aliases may point into other pieces.
      // (The fast path reads no alias.)
      const aliased = !fast && stageHoldsAlias(node);
      const entry: Entry = { node, data: aliased ? undefined : datas[i], base: seg.start, aliased, library: stretched, errors: [], follows: limit - seg.start };
      placed.push({ start: seg.start, end, entry, amp: hasAmp(text, seg.start, seg.end) });
    }
    this.placed = placed;
    this.text = text;
    full.anchors = this.anchorsOf(full.header, placed);
  }

  /**
   * The key of what each stage holding an alias resolves it to (ParsedFile.anchors): the anchor
   * epoch, which changes when the header or the entries holding an anchor (in order) changed, and
   * how many of those entries come before the stage.
   */
  private anchorsOf(header: string, placed: readonly Placed[]): Map<Node, string> {
    const entries = placed.filter((p) => p.amp).map((p) => p.entry);
    const same = header === this.anchorHeader && entries.length === this.anchorEntries.length && entries.every((e, i) => e === this.anchorEntries[i]);
    if (!same) {
      this.anchorEpoch++;
      this.anchorHeader = header;
      this.anchorEntries = entries;
    }
    const keys = new Map<Node, string>();
    let before = 0;
    for (const p of placed) {
      if (p.entry.aliased && p.entry.node) keys.set(p.entry.node, `${this.anchorEpoch}:${before}`);
      if (p.amp) before++;
    }
    return keys;
  }

  private compose(text: string, layout: Layout, limits: Limits): ParsedFile | undefined {
    const { segments, seqStart, seqEnd } = layout;
    const tail = tailOf(text, layout);
    if (!tail) return undefined;
    const previous = new Previous(this.text, this.placed, text);
    const placed: Placed[] = [];
    const items: Node[] = [];
    const entries: Entry[] = [];
    /** Stages whose text has an `&`: with the header, the only places an anchor can be. */
    const anchored: Node[] = [];
    const broken: Entry['errors'] = [];
    let reparsed = 0;
    let library = 0;
    let aliased = false;
    // The header first: the text with the stage items cut out. Its schema builds the stages' nodes.
    const headerText = text.slice(0, seqStart) + text.slice(seqEnd);
    const deepHeader = tooDeep(text, limits, headerText);
    if (deepHeader) return deepHeader;
    // Past the lines the library may read within the work limit, the whole read decides (it
    // refuses such a file): a header of blank lines held the first read for seconds.
    if (!libraryMayRead(headerText, limits)) return undefined;
    const doc = readDocument(headerText);
    if (doc.errors.length || doc.warnings.length) return undefined;
    // A stage the library reads keeps the comment and blank lines that follow it: they may be
    // content of its last value (a block string, a quoted string over several lines), as the
    // library decides. The next stage then starts at its own `- ` line.
    let from = segments[0]!.start;
    // A piece the library reads runs to the next item's own line, and over its indentation: the
    // library ends an item whose last value is empty there (the indentation is read twice, as
    // spaces ending one piece and starting the next).
    const libraryEnd = (i: number) => {
      const next = segments[i + 1];
      return next ? next.item + layout.itemIndent : segments[i]!.end;
    };
    // How far a stage stretched by comment lines after it runs: to the next item's content, or,
    // for the last, to the line after the list (which it is read with).
    const stretchEnd = (i: number) => (i + 1 < segments.length ? libraryEnd(i) : tail.following.at);
    for (let i = 0; i < segments.length; i++) {
      const seg = segments[i]!;
      const start = from;
      let end = seg.end;
      // A stage read to the next item's content (by the library, or stretched there by comment
      // lines after it) is found by that extent.
      let found = previous.take(start, end) ?? previous.take(start, stretchEnd(i));
      let entry = found?.entry;
      // The line after it: the next item's content, or, after the last, the line after the list.
      const next = segments[i + 1];
      const follows = stretchEnd(i);
      if (entry && entry.follows !== follows - start) entry = found = undefined;
      if (!entry) {
        reparsed++;
        // To the next item's own line: as far as the library may read it.
        const deep = tooDeep(text, limits, text, start, Math.max(end, libraryEnd(i)));
        if (deep) return deep;
        // An empty value ending it is stretched by the library over the comment lines after it,
        // which are the next item's: the library reads it to that item, as the whole read does.
        const fast =
          next && emptyBeforeComments(text, seg.item, end, next.item)
            ? undefined
            : fastParseItem(text, start, end, next ? { indent: layout.itemIndent, at: follows } : tail.following);
        // Stretched to the next item's content by comment lines after it, it is kept by that
        // extent, as a library piece is (seed).
        if (fast) entry = { node: fast.node, data: fast.data, base: start, aliased: fast.aliased, library: fast.node.range![2] > end, errors: [] };
        else {
          // The library reads the last stage alone, to the list's end: comment lines stretching it
          // to the line after the list are the whole read's, unless that line is where the list ends.
          if (!next && tail.deepest > layout.itemIndent && seg.end !== tail.following.at) return undefined;
          end = libraryEnd(i);
          found = previous.take(start, end);
          entry = found?.entry;
          if (!entry) {
            entry = parseSegment(text.slice(start, end), limits);
            if (!entry) return undefined;
            library++;
          }
        }
        entry.follows = follows - start;
      }
      // (A library piece is found again by its own extent, which libraryEnd gives; a stage
      // stretched past its lines, by how far it is stretched.)
      if (entry.library) end = entry.node && entry.node.range![2] - entry.base + start > seg.end ? stretchEnd(i) : libraryEnd(i);
      from = entry.library ? (segments[i + 1]?.item ?? seg.end) : end;
      // A stage that moved is shifted in place: it keeps its identity, so what the analysis
      // keeps per stage node (its model, verdict and findings) is reused (see AnalysisCache).
      if (entry.base !== start) {
        if (entry.node) {
          this.onShift?.(entry.node);
          shiftInPlace(entry.node, start - entry.base);
        }
        entry.base = start;
      }
      const amp = found && found.end - found.start === end - start ? found.amp : hasAmp(text, start, end);
      placed.push({ start, end, entry, amp });
      if (entry.node) items.push(entry.node);
      if (entry.node && amp) anchored.push(entry.node);
      entries.push(entry);
      aliased ||= entry.aliased;
      for (const e of entry.errors) broken.push({ ...e, start: e.start + start, end: e.end + start });
    }
    this.placed = placed;
    this.text = text;
    this.lastReparsed = reparsed;
    this.lastLibrary = library;

    const removed = seqEnd - seqStart;
    /** Empty nodes the header has where the list was cut out: the library puts one where the content before it ends. */
    const atCut: Node[] = [];
    visit(doc, {
      Node(_, node) {
        const r = node.range;
        if (!r) return;
        if (r[0] === r[2] && r[0] < seqStart && r[0] >= seqStart - 2) atCut.push(node);
        node.range = [r[0] >= seqStart ? r[0] + removed : r[0], r[1] >= seqStart ? r[1] + removed : r[1], r[2] >= seqStart ? r[2] + removed : r[2]];
      },
    });
    const spec = doc.get('spec', true);
    if (!isMap(spec)) return undefined;
    const pair = spec.items.find((p) => isScalar(p.key) && p.key.value === 'stages');
    // The list stands in for an empty value, without an anchor or a tag (an `&a` line after the
    // list is its property in the header, and an error in the whole read).
    const empty = pair?.value as Scalar | null | undefined;
    if (!pair || !(empty === null || (isScalar(empty) && empty.value === null && !empty.anchor && !empty.tag))) return undefined;
    // Another empty node where the list was (an empty key after it): in the whole read it is where
    // the last stage's content ends, which the header does not hold.
    if (atCut.some((n) => n !== empty)) return undefined;
    // Anchors can only be in the header and in stages whose text has an `&`.
    if (aliased) presetAnchors(doc, [doc.contents, ...anchored]);
    const seq = new YAMLSeq(doc.schema);
    seq.items = items;
    // A collection's value ends where its last item ends (range[2]): past comment lines deeper
    // than the next line that stretched that item, as the library reads it whole.
    // Comment lines the last stage leaves, at the list's column or between it and the stage's keys,
    // stretch the list (not its last item) to the line after them (tailOf).
    // Comment lines after the list were given out (tailOf) as to a stage that is a block mapping
    // with its keys on its `- ` line: another last stage (`- {…}`, `- x`, `-` alone) takes them otherwise.
    if (tail.deepest > layout.itemIndent && !keysAt(text, items[items.length - 1], tail.keys)) return undefined;
    const lastEnd = items[items.length - 1]?.range?.[2];
    seq.range = [segments[0]!.start + layout.itemIndent, lastEnd ?? seqEnd, tail.takes === 'list' ? tail.following.at : (lastEnd ?? seqEnd)];
    pair.value = seq;
    // The header's spec and root mappings ended where the items were cut out. When the list is
    // spec's last value (and spec the root's), each ends as in the full parse: its value where its
    // last value ends, itself there too, or, for spec, where comment lines after the list stretch
    // it (the deepest mapping at or under their indentation). Else a later key ends it, as read.
    const root = doc.contents as YAMLMap;
    const ends = (outer: YAMLMap, value: Node, stretched: boolean) => {
      const r = outer.range;
      if (!r || (outer.items[outer.items.length - 1] as Pair | undefined)?.value !== value) return;
      const valueEnd = value.range![2];
      outer.range = [r[0], valueEnd, stretched ? tail.following.at : valueEnd];
    };
    ends(spec, seq, tail.takes === 'spec');
    // (The root mapping, at column 0, never takes comment lines: they are the document's.)
    ends(root, spec, false);
    const { closedAt } = layout;
    // The document starts where the header's content does (the text before it is the same). It
    // ends as the header read says when the header holds its last lines (content after the list,
    // or the `...` closing it), else with the text, or where the last stage's empty value being
    // typed at the very end is (as read whole).
    const end = closedAt !== undefined || !tail.ended ? doc.range[2] + removed : (emptyEndOf(items[items.length - 1], text) ?? text.length);
    doc.range = [doc.range[0], (doc.contents as Node).range![1], end];
    const span = { start: doc.range[0], end };
    if (broken.length) {
      // A stage being typed does not parse: report its errors where they are; the rest waits.
      const problems = broken.map((e) => ({
        kind: 'syntax' as const,
        documentIndex: 0,
        span: syntaxSpan(text, e.start, e.end),
        message: syntaxMessage(e.code, e.message),
      }));
      return {
        text,
        documents: [{ index: 0, doc: doc as Document.Parsed, data: undefined, ok: false, span }],
        problems,
        header: headerKey(text, seqStart, seqEnd),
      };
    }
    let data: Record<string, unknown>;
    // The same alias budget as the whole read (parse.ts), counted the library's way.
    const max = aliasBudget(limits, span.end - span.start);
    try {
      // The header's own data without the stages (an empty list), then each stage's.
      pair.value = null;
      const headerAliases = aliased && holdsAlias(doc.contents);
      if (aliased && (headerAliases || anchorsNest(doc))) {
        // Aliases in the header, or in anchored values: the library counts them as the whole read does.
        pair.value = seq;
        data = doc.toJS({ maxAliasCount: max }) as Record<string, unknown>;
      } else {
        data = doc.toJS({ maxAliasCount: max }) as Record<string, unknown>;
        pair.value = seq;
        const uses = new Map<Node, number>();
        (data.spec as Record<string, unknown>).stages = entries.map((e) => (e.aliased ? e.node && dataOf(e.node, doc, uses, max) : e.data));
      }
    } catch {
      // An alias that resolves nowhere, or expands past the budget: the full parse says which.
      return undefined;
    }
    const header = headerKey(text, seqStart, seqEnd);
    return {
      text,
      documents: [{ index: 0, doc: doc as Document.Parsed, data, ok: true, span }],
      problems: [],
      header,
      anchors: this.anchorsOf(header, placed),
    };
  }
}

/** Whether text[start, end) has an `&` (where an anchor can be). */
function hasAmp(text: string, start: number, end: number): boolean {
  return text.slice(start, end).includes('&');
}

/**
 * Where the document ends when the last stage's last value is empty and nothing but white space
 * follows it (`key:` or `- ` being typed at the file's end): where the library put that value,
 * past the spaces after its indicator, as it ends the document there.
 */
function emptyEndOf(node: Node | undefined, text: string): number | undefined {
  let n: unknown = node;
  while (isMap(n) || isSeq(n)) {
    const last = n.items[n.items.length - 1];
    if (last === undefined) return undefined;
    n = isMap(n) ? (last as Pair).value : last;
  }
  if (!isScalar(n) || n.value !== null || !n.range) return undefined;
  const at = n.range[0];
  for (let i = at; i < text.length; i++) if (!isSeparator(text.charCodeAt(i))) return undefined;
  return at;
}

/**
 * The header as the analysis compares it between versions: the text before the stage list and the
 * text after it, apart (a comment moved from after the list to before its first stage changes it).
 */
function headerKey(text: string, seqStart: number, seqEnd: number): string {
  return `${text.slice(0, seqStart)}\u0000${text.slice(seqEnd)}`;
}

function parseSegment(piece: string, limits: Limits): Entry | undefined {
  if (!libraryMayRead(piece, limits)) return undefined;
  // A copy: the library's strings are views into what it reads, and a kept stage must not keep
  // a whole old version of the file alive.
  const segText = (' ' + piece).slice(1);
  const doc = readDocument(segText);
  const errors = [...doc.errors, ...doc.warnings];
  if (errors.length) {
    // Only errors inside the item's own lines are local; anything else needs the full parse. So
    // does an error on the piece's last line, a missing closing quote, or one running to the
    // piece's end (a quote opened where no value may start): the value may go on past the next
    // `- ` line, which the whole text would show.
    const body = segText.trimEnd();
    const lastLine = body.lastIndexOf('\n') + 1;
    if (
      doc.errors.some(
        (e) =>
          e.code === 'BAD_INDENT' ||
          e.code === 'MISSING_CHAR' ||
          e.pos[0] >= lastLine ||
          e.pos[1] >= body.length ||
          (e.code === 'UNEXPECTED_TOKEN' && e.pos[0] === 0),
      )
    )
      return undefined;
    return {
      // What the library could read of it: in a document with syntax errors nothing is checked,
      // but its values are still looked at for secrets to mask, as in the whole read.
      node: (doc.contents as Node | null) ?? null,
      data: undefined,
      base: 0,
      aliased: false,
      library: true,
      errors: errors.map((e) => ({ start: e.pos[0], end: e.pos[1], code: e.code, message: e.message })),
    };
  }
  const seq = doc.contents;
  if (!isSeq(seq) || seq.items.length !== 1 || seq.flow) return undefined;
  const node = seq.items[0] as Node;
  if (!isMap(node)) return undefined;
  if (stageHoldsAlias(node)) return { node, data: undefined, base: 0, aliased: true, library: true, errors: [] };
  try {
    return {
      node,
      data: (doc.toJS({ maxAliasCount: aliasBudget(limits, segText.length) }) as unknown[])[0],
      base: 0,
      aliased: false,
      library: true,
      errors: [],
    };
  } catch {
    return undefined;
  }
}

/**
 * The data of a subtree whose aliases point anywhere in the composed document, as the library's
 * toJS builds it (core schema: no merge keys; keys as strings; `__proto__` an own property). The
 * anchored values hold no alias (else the library builds it all): each use of an anchor counts one,
 * as the library counts it (none for an empty collection), and past `max` uses the read stops.
 */
function dataOf(node: unknown, doc: Document, uses: Map<Node, number>, max: number): unknown {
  if (isAlias(node)) {
    const target = deref(node, doc);
    if (!target) throw new ReferenceError('Unresolved alias');
    const count = (uses.get(target) ?? 0) + 1;
    uses.set(target, count);
    const weight = isMap(target) || isSeq(target) ? (target.items.length ? 1 : 0) : 1;
    if (count * weight > max) throw new RangeError('Excessive alias count');
    return dataOf(target, doc, uses, max);
  }
  if (isScalar(node)) return node.value;
  if (isSeq(node)) return node.items.map((item) => dataOf(item, doc, uses, max));
  if (isMap(node)) {
    const out: Record<string, unknown> = {};
    for (const p of node.items) {
      if (!isScalar(p.key) || (p.key.value !== null && typeof p.key.value === 'object')) throw new TypeError('Key not a scalar');
      const key = p.key.value === null ? '' : String(p.key.value);
      const value = p.value === null ? null : dataOf(p.value, doc, uses, max);
      Object.defineProperty(out, key, { value, writable: true, enumerable: true, configurable: true });
    }
    return out;
  }
  if (node === null || node === undefined) return null;
  throw new TypeError('Unknown node');
}

interface Layout {
  segments: Segment[];
  seqStart: number;
  seqEnd: number;
  itemIndent: number;
  /** The column of `stages:` (spec's keys). */
  keyIndent: number;
  /** Where the `...` line closing the document starts, when one does. */
  closedAt: number | undefined;
}

/**
 * Finds the stage items of `spec.stages` by their lines, or undefined when that is not safe.
 * `regions`: the text's documentRegions, when the caller has them already.
 */
export function segment(text: string, regions: readonly DocumentRegion[] | undefined = documentRegions(text)): Layout | undefined {
  return computeSegments(text, regions);
}

function computeSegments(text: string, regions: readonly DocumentRegion[] | undefined): Layout | undefined {
  // One document the pieces can be cut from: markers (`---` before it, `...` after it) are fine;
  // several documents are read each by a cache of its own (parseSplit), or whole. Anchors
  // and aliases need no check here: aliases resolve against the composed document (compose), and
  // one that resolves nowhere sends the file to the full parse.
  if (regions?.length !== 1) return undefined;
  const spec = /^spec:[ ]*(#.*)?$/m.exec(text);
  if (!spec) return undefined;
  let pos = spec.index + spec[0].length + 1;
  let stagesLineEnd = -1;
  let stagesIndent = -1;
  // Walk spec's children until `stages:`; a column-0 line means spec ended first.
  while (pos < text.length) {
    const nl = text.indexOf('\n', pos);
    const end = nl === -1 ? text.length : nl;
    const line = text.slice(pos, end);
    if (/^\S/.test(line) && !line.startsWith('#')) return undefined;
    const m = /^( +)stages:[ ]*(#.*)?\r?$/.exec(line);
    if (m) {
      stagesIndent = m[1]!.length;
      stagesLineEnd = end;
      break;
    }
    pos = end + 1;
  }
  if (stagesLineEnd === -1) return undefined;
  const segments: Segment[] = [];
  let itemIndent = -1;
  pos = stagesLineEnd + 1;
  let seqEnd = text.length;
  /** Where the search for a block string before a tab-indented line stopped. */
  let searched = 0;
  while (pos < text.length) {
    const nl = text.indexOf('\n', pos);
    const end = nl === -1 ? text.length : nl + 1;
    // Indentation and the first two characters, without slicing the line.
    let p = pos;
    while (p < end && text.charCodeAt(p) === 32) p++;
    const indent = p - pos;
    // Blank and comment lines (tabs in their white space too: `\t# a note`) end nothing.
    if (blankOrComment(text, p, end)) {
      // A tab in its indentation after a block string is the library's error (a tab as
      // indentation), which a piece that does not hold both does not see: read whole. (The
      // stage's text is searched for a block string once, up to the last such line.)
      if (text.charCodeAt(p) === 9 && segments.length > 0) {
        const from = Math.max(segments[segments.length - 1]!.item, searched);
        if (indexIn(text, '|', from, pos) !== -1 || indexIn(text, '>', from, pos) !== -1) return undefined;
        searched = pos;
      }
      pos = end;
      continue;
    }
    const dash = text.charCodeAt(p) === 45 /* - */ && (text.charCodeAt(p + 1) === 32 || text.charCodeAt(p + 1) === 10 || text.charCodeAt(p + 1) === 13);
    if (itemIndent === -1) {
      if (!dash || indent < stagesIndent) return undefined;
      itemIndent = indent;
    }
    if (indent === itemIndent && dash) {
      // A new item; comment lines just above it belong to it (barecount-ignore directives).
      const start = segments.length ? backOverComments(text, pos, segments[segments.length - 1]!.start, itemIndent) : pos;
      if (segments.length) segments[segments.length - 1]!.end = start;
      segments.push({ start, end: end, item: pos });
    } else if (indent <= itemIndent) {
      seqEnd = backOverComments(text, pos, segments[segments.length - 1]!.start, itemIndent);
      break;
    }
    pos = end;
  }
  if (segments.length === 0) return undefined;
  const last = segments[segments.length - 1]!;
  last.end = seqEnd === text.length ? text.length : seqEnd;
  if (seqEnd === text.length) seqEnd = text.length;
  // The first segment begins at its own line; comments between `stages:` and it stay in the header.
  return {
    segments,
    seqStart: segments[0]!.start,
    seqEnd: last.end,
    itemIndent,
    keyIndent: stagesIndent,
    closedAt: regions[0]!.closed ? regions[0]!.to : undefined,
  };
}

/** What follows the stage list, as the pieces must read it (tailOf). */
interface Tail {
  /**
   * The content line after the list: its indentation and where its content starts. At the file's
   * end, or at a `...` closing the document, column 0 there (as the library reads it).
   */
  following: FollowingLine;
  /** Whether no content line follows (the file's end, or the `...`). */
  ended: boolean;
  /**
   * Which collection closing at that line the comment lines after the last stage go to, when its
   * stage does not take them (fast-parse.ts settle): the list, `spec`, or none (compose sets their
   * ends). The last stage, read with `following`, takes them itself when one is at its keys or
   * deeper after the first lines deeper than its every collection.
   */
  takes: 'list' | 'spec' | undefined;
  /** The deepest of those comment lines (-1: none). */
  deepest: number;
  /** The column of the last stage's keys, as `takes` assumed it (compose checks it). */
  keys: number;
}

/**
 * The lines after the last stage's content, read as the library reads them whole, or undefined
 * when the pieces cannot give what it gives (the file is then read whole): an empty value ending
 * the last stage before comment lines, a compact list with comment lines after it, a block string
 * at the last stage's end with blank lines before more content. Reads only the blank and comment
 * lines around the list's end.
 */
function tailOf(text: string, layout: Layout): Tail | undefined {
  const last = layout.segments[layout.segments.length - 1]!;
  /** Whether a blank line is among them. */
  let blank = false;
  // A comment line's indentation is its spaces (tabs and spaces may follow them: `  \t # note`).
  const isComment = (p: number) => {
    while (text.charCodeAt(p) === 9 || text.charCodeAt(p) === 32) p++;
    return text.charCodeAt(p) === 35;
  };
  const indentAt = (from: number, to: number) => {
    let p = from;
    while (p < to && text.charCodeAt(p) === 32) p++;
    return p;
  };
  // From the line after the last stage's last line with content (its trailing blank and comment
  // lines are its segment's)…
  const lastLine = lastContentLine(text, last.item, layout.seqEnd);
  const nl = text.indexOf('\n', lastLine);
  const start = nl === -1 || nl >= layout.seqEnd ? layout.seqEnd : nl + 1;
  // …on, in order, to the next content line (or the end, or the `...` closing the document).
  const indents: number[] = [];
  const stop = layout.closedAt ?? text.length;
  /** Whether the last stage may hold a block string (a `|` or `>` anywhere in it). */
  const blockHeader = indexIn(text, '|', last.item, layout.seqEnd) !== -1 || indexIn(text, '>', last.item, layout.seqEnd) !== -1;
  let following: FollowingLine | undefined;
  let pos = start;
  while (pos < stop) {
    const nl = text.indexOf('\n', pos);
    const end = nl === -1 || nl > stop ? stop : nl + 1;
    const p = indentAt(pos, end);
    if (!blankOrComment(text, p, end)) {
      following = { indent: p - pos, at: p };
      break;
    }
    if (isComment(p)) {
      // A tab before it, after a block string: the library's error, which no piece sees.
      if (text.charCodeAt(p) === 9 && blockHeader) return undefined;
      indents.push(p - pos);
    } else blank = true;
    pos = end;
  }
  // An empty value ending the last stage (`key:`, `- `) is stretched over the comment lines after
  // it by the library (and over its own line's comment), as far as the pieces cannot tell: read
  // whole.
  if ((indents.length > 0 || indexIn(text, '#', lastLine, start) !== -1) && endsEmpty(text, lastLine, start)) return undefined;
  const ended = following === undefined;
  // An empty key first after the list (`: value`, `? key`) starts, to the library, where the list's
  // content ends, which the header read does not hold.
  if (following && (text.charCodeAt(following.at) === 58 || text.charCodeAt(following.at) === 63) && isSeparator(text.charCodeAt(following.at + 1)))
    return undefined;
  following ??= { indent: 0, at: stop };
  // Where the last stage's keys are (past its `- ` and any spaces after it): its mapping's
  // indentation, which the library compares them with.
  let keys = last.item + layout.itemIndent + 1;
  while (text.charCodeAt(keys) === 32) keys++;
  keys -= last.item;
  // The lines the stage leaves: from the first at its keys' column or shallower (those before it
  // are deeper than its keys: its last value's, or all the stage's when one is not deeper than its
  // innermost collection, which the stage read with `following` gives). The deepest of them says
  // which collection closing at the line after them takes them; one that goes on past that line
  // (shallower than it) shows nothing.
  let j = 0;
  while (j < indents.length && indents[j]! > keys) j++;
  let left = -1;
  for (; j < indents.length; j++) left = Math.max(left, indents[j]!);
  const takes = left <= following.indent || left >= keys ? undefined : left >= layout.itemIndent ? 'list' : left >= layout.keyIndent ? 'spec' : undefined;
  const deepest = indents.reduce((a, b) => Math.max(a, b), -1);
  // A list at spec's own keys' column (`- name:` under `stages:`) is stretched by comment lines at
  // or past its column whatever follows them: read whole.
  if (layout.itemIndent === layout.keyIndent && indents.some((i) => i >= layout.itemIndent)) return undefined;
  // A block string at the last stage's end takes in blank lines after the list (a kept one, or an
  // empty one), which its piece does not hold when more content follows: any `|` or `>` there,
  // with blank lines before that content, is read whole.
  // (Before a `...` too: the blank lines before it are not the last stage's lines.)
  if ((!ended || layout.closedAt !== undefined) && blank && blockHeader) return undefined;
  return { following, ended, takes, deepest, keys };
}

/** Whether `node` is a block mapping whose first key is at `column`. */
function keysAt(text: string, node: Node | undefined, column: number): boolean {
  if (!isMap(node) || node.flow || !node.range) return false;
  const at = node.range[0];
  return at - (text.lastIndexOf('\n', at - 1) + 1) === column;
}

/** Where the last line with content in text[from, to) starts (`from` when there is none). */
function lastContentLine(text: string, from: number, to: number): number {
  let start = to;
  while (start > from) {
    const lineStart = Math.max(from, text.lastIndexOf('\n', start - 2) + 1);
    let p = lineStart;
    while (p < start && text.charCodeAt(p) === 32) p++;
    if (!blankOrComment(text, p, start)) return lineStart;
    start = lineStart;
  }
  return from;
}

/**
 * Whether the item whose text is text[item, end) ends in an empty value with a comment after it,
 * on its line or on a line before the next item (at `next`).
 */
function emptyBeforeComments(text: string, item: number, end: number, next: number): boolean {
  const line = lastContentLine(text, item, end);
  const lineEnd = text.indexOf('\n', line);
  if (!endsEmpty(text, line, lineEnd === -1 || lineEnd > end ? end : lineEnd)) return false;
  return indexIn(text, '#', line, next) !== -1;
}

/**
 * Whether the line text[from, to) ends in an empty value: `key:` or `- `, with nothing after it but
 * properties (`&a`, `!!str`) and a comment. Errs towards yes (a quoted `x:`), except where a quoted
 * ` #` is taken for the comment (`"a #b":`). Reads the line once.
 */
function endsEmpty(text: string, from: number, to: number): boolean {
  // Without the comment: from the first ` #` (or `\t#`), else the whole line.
  let end = to;
  for (let i = from + 1; i < to; i++) {
    const c = text.charCodeAt(i - 1);
    if (text.charCodeAt(i) === 35 && (c === 32 || c === 9)) {
      end = i;
      break;
    }
  }
  // Back over white space and properties, word by word.
  for (;;) {
    while (end > from && isSeparator(text.charCodeAt(end - 1))) end--;
    let word = end;
    while (word > from && !isSeparator(text.charCodeAt(word - 1))) word--;
    const c = text.charCodeAt(word);
    if (word === end || (c !== 38 && c !== 33)) break;
    end = word;
  }
  const last = text.charCodeAt(end - 1);
  return end > from && (last === 58 || (last === 45 && (end - 1 === from || isSeparator(text.charCodeAt(end - 2)))));
}

/** The start of the run of comment and blank lines that ends just before `lineStart`. */
function backOverComments(text: string, lineStart: number, floor: number, indent: number): number {
  let start = lineStart;
  while (start > floor) {
    const prevEnd = start - 1;
    const prevStart = text.lastIndexOf('\n', prevEnd - 1) + 1;
    const line = text.slice(prevStart, prevEnd);
    const prev = line.trim();
    if (prev !== '' && !prev.startsWith('#')) break;
    // A comment indented deeper than the items belongs to the item above it, as the library reads it.
    if (prev !== '' && line.length - line.trimStart().length > indent) break;
    if (prevStart <= floor) break;
    start = prevStart;
  }
  return start;
}
