import type { Document, Node } from 'yaml';
import { readAllDocuments } from './yaml-read';
import { fastParseRegion, lineBreaksRead, shiftInPlace } from './fast-parse';
import { documentRegions, lineEndAt } from './doc-markers';
import { aliasBudget, type Limits } from './limits';
import type { Span } from './types';

export type ParseProblemKind = 'syntax' | 'too-large' | 'binary' | 'too-deep' | 'aliases' | 'too-many-lines';

export interface ParseProblem {
  kind: ParseProblemKind;
  message: string;
  span: Span;
  documentIndex: number;
}

export interface ParsedDocument {
  index: number;
  doc: Document.Parsed;
  /** Plain data of the document, or undefined when it could not be built safely. */
  data: unknown;
  /** False when the document has syntax errors: later stages skip it. */
  ok: boolean;
  span: Span;
  /**
   * In a file of several documents read each by a cache of its own (incremental.ts): what its
   * stages' results depend on besides them (ParsedFile.header is a single document's).
   */
  header?: string;
}

export interface ParsedFile {
  text: string;
  documents: ParsedDocument[];
  problems: ParseProblem[];
  /**
   * The text outside the stage items (one document whose stages are read piece by piece): what
   * every stage's results depend on besides the stage itself. Absent for other files.
   */
  header?: string;
  /**
   * For each stage holding an alias in such a file, what its aliases resolve to, as a key that
   * stays the same while the header, the stages holding an anchor (in order) and how many of them
   * come before it do (incremental.ts): the stage keeps its results while its key does. An alias
   * resolves to the last anchor of its name before it, and a name may be anchored twice.
   */
  anchors?: ReadonlyMap<Node, string>;
}

/** Offset of the first byte that marks the text as binary (NUL or other C0 controls), if any. */
function binaryMarker(text: string): number {
  const n = Math.min(text.length, 8192);
  let controls = 0;
  for (let i = 0; i < n; i++) {
    const c = text.charCodeAt(i);
    if (c === 0) return i;
    // C0 controls other than tab and line breaks, and U+FFFD left by decoding bytes that were not UTF-8.
    if (((c < 9 || (c > 13 && c < 32)) && c !== 27) || c === 0xfffd) controls++;
  }
  return controls > 8 ? 0 : -1;
}

/**
 * Deepest nesting, approximated in one pass over the characters, before anything recursive reads
 * the text: open brackets; and in block style, a line's indentation (two columns a level) plus its
 * longest run of block indicators (`- `, `? `, `: `) with only spaces, tabs, anchors and tags
 * between them. Each indicator in such a run opens a level on the same line (`- - - a`,
 * `? ? ? a`, `key: ? ? a`), and the yaml library composes levels recursively.
 *
 * It may count too much, never too little: a comment is skipped (a bracket in `# see [ticket` opened
 * a level that never closed, and seventy stages with one refused the whole file) only when it holds
 * no quote, since inside a quoted scalar over several lines `#` is text and its closing quote may be
 * followed by structure. Quoted values are read like the rest. Reads text[from, to), which starts
 * at a line's start.
 */
function nestingDepth(text: string, cap: number, from = 0, to = text.length): number {
  let flow = 0;
  let max = 0;
  let leading = true;
  let indent = 0;
  let run = 0;
  // One pass over every character of the file, on code V8 has not optimised yet when a file is
  // opened: the common characters take as few steps as can be (no call, no allocation).
  for (let i = from; i < to; i++) {
    let c = text.charCodeAt(i);
    if (c === 10) {
      leading = true;
      indent = 0;
      run = 0;
      continue;
    }
    if (leading) {
      if (c === 32) {
        indent++;
        continue;
      }
      leading = false;
      if (c === 35) {
        // A comment line nests nothing, whatever it holds (`# - - - …`), unless it holds a quote.
        const end = commentEnd(text, i, to);
        if (end !== -1) {
          i = end - 1;
          continue;
        }
      }
      if (indent >> 1 > max && (max = indent >> 1) > cap) return max;
    }
    // Most characters are none of the ones below (non-ASCII ones neither): a run of them is
    // skipped in one loop.
    if (c >= 128 || PLAIN[c] === 1) {
      run = 0;
      while (i + 1 < to && ((c = text.charCodeAt(i + 1)) >= 128 || PLAIN[c] === 1)) i++;
      continue;
    }
    if (c === 32 || c === 9 || c === 13) continue;
    if (c === 35 && (text.charCodeAt(i - 1) === 32 || text.charCodeAt(i - 1) === 9)) {
      // A comment after content, when it holds no quote.
      const end = commentEnd(text, i, to);
      if (end !== -1) {
        i = end - 1;
        continue;
      }
    }
    if ((c === 45 || c === 63 || c === 58) && isSeparator(text.charCodeAt(i + 1))) {
      run++;
      if ((indent >> 1) + run > max && (max = (indent >> 1) + run) > cap) return max;
      continue;
    }
    if ((c === 38 || c === 33) && run > 0) {
      // An anchor or a tag between indicators: `- &a - !!seq - …` still nests. Its name ends at a
      // flow indicator too (`- &a[[[…` opens brackets).
      while (i + 1 < to && !isSeparator(text.charCodeAt(i + 1)) && !isFlowIndicator(text.charCodeAt(i + 1))) i++;
      continue;
    }
    run = 0;
    if (c === 91 || c === 123) {
      flow++;
      if (flow > max && (max = flow) > cap) return max;
    } else if ((c === 93 || c === 125) && flow > 0) flow--;
  }
  return max;
}

/** Where the comment starting at `at` ends (its line break), or -1 when it holds a quote and is read like content. */
function commentEnd(text: string, at: number, to: number): number {
  for (let i = at; i < to; i++) {
    const c = text.charCodeAt(i);
    if (c === 10) return i;
    if (c === 34 || c === 39) return -1;
  }
  return to;
}

function isFlowIndicator(c: number): boolean {
  return c === 91 || c === 93 || c === 123 || c === 125 || c === 44;
}

/** ASCII characters that neither nest nor separate: letters, digits, most punctuation. */
const PLAIN = Uint8Array.from({ length: 128 }, (_, c) => (' \t\r\n-?:&![]{}#'.includes(String.fromCharCode(c)) ? 0 : 1));

/** After a block indicator: a space, a tab, a line break or the end. */
export function isSeparator(c: number): boolean {
  return c === 32 || c === 9 || c === 10 || c === 13 || Number.isNaN(c);
}

/** The documents of a YAML file with their syntax problems. Never throws. */
export function parseYaml(text: string, limits: Limits): ParsedFile {
  return precheck(text, limits) ?? parseChecked(text, limits);
}

/** Refuses input that is too large, binary or too deep, before any YAML parsing. */
export function precheck(text: string, limits: Limits, depth = true): ParsedFile | undefined {
  const whole = { start: 0, end: Math.min(text.length, firstLineEnd(text)) };
  if (text.length > limits.maxDocumentSize) {
    return {
      text,
      documents: [],
      problems: [
        {
          kind: 'too-large',
          documentIndex: 0,
          span: whole,
          message: `This file is ${formatSize(text.length)}, above the ${formatSize(limits.maxDocumentSize)} analysed in full; it was not checked. Split it, or raise the limit.`,
        },
      ],
    };
  }
  const bin = binaryMarker(text);
  if (bin !== -1) {
    return {
      text,
      documents: [],
      problems: [
        {
          kind: 'binary',
          documentIndex: 0,
          span: { start: bin, end: Math.min(text.length, bin + 1) },
          message: 'This file holds binary data (control characters), not YAML text; it was not checked.',
        },
      ],
    };
  }
  return depth ? tooDeep(text, limits) : undefined;
}

/**
 * The refusal of `file` when `text[from, to)` nests deeper than the limit (`text` is the file, or
 * a part of it read on its own: an editor checks only the pieces of a file an edit changed).
 */
export function tooDeep(file: string, limits: Limits, text = file, from = 0, to = text.length): ParsedFile | undefined {
  if (nestingDepth(text, limits.maxDepth, from, to) <= limits.maxDepth) return undefined;
  return {
    text: file,
    documents: [],
    problems: [
      {
        kind: 'too-deep',
        documentIndex: 0,
        span: { start: 0, end: Math.min(file.length, firstLineEnd(file)) },
        message: `Collections nest more than ${limits.maxDepth} levels deep; the file was not checked.`,
      },
    ],
  };
}

/** Steps (work.ts) the yaml library costs per line, measured against our own scanners. */
const LIBRARY_LINE_STEPS = 80;

/**
 * Whether the library may read every line of the text within the work limit: a file whose
 * documents are read apart (incremental.ts) is, only then, so that no part of it is read by the
 * library past the limit the whole read keeps to.
 */
export function libraryMayRead(text: string, limits: Limits): boolean {
  return lineCount(text) * LIBRARY_LINE_STEPS <= limits.maxWork;
}

function lineCount(text: string): number {
  let n = 1;
  for (let i = text.indexOf('\n'); i !== -1; i = text.indexOf('\n', i + 1)) n++;
  return n;
}

/** Full parse of text that passed the prechecks. */
export function parseChecked(text: string, limits: Limits): ParsedFile {
  return byDocument(text, limits) ?? parseWithLibrary(text, limits);
}

/**
 * The file read document by document (doc-markers.ts). Most manifests are plain block YAML: the
 * fast path builds the same nodes several times faster (fast-parse.ts). In a file of several
 * documents, each the fast path cannot take is read by the library alone (documents are
 * independent: an anchor does not cross a `---`), so one unusual construct costs its own document,
 * not the file. Undefined, for the library to read the file whole, when the fast path cannot take
 * a file of one document, when a document's text does not read as one document alone, or when
 * the library's lines would pass the work limit (the whole read reports that).
 */
function byDocument(text: string, limits: Limits): ParsedFile | undefined {
  const regions = lineBreaksRead(text, 0, text.length) ? documentRegions(text) : undefined;
  if (!regions) return undefined;
  const problems: ParseProblem[] = [];
  const documents: ParsedDocument[] = [];
  let libraryLines = 0;
  for (let index = 0; index < regions.length; index++) {
    const region = regions[index]!;
    const fast = fastParseRegion(text, region, index === regions.length - 1);
    if (fast) {
      const r = fast.doc.range;
      documents.push({ index, doc: fast.doc, data: fast.data, ok: true, span: { start: r[0], end: r[2] } });
      continue;
    }
    if (regions.length === 1) return undefined;
    // From its `---` (the first document: from the file's start) to where it ends, and over the
    // next `---` line: where the library ends a document depends on what follows it.
    const from = region.marker !== -1 ? region.marker : 0;
    const open = index < regions.length - 1 && !region.closed;
    const piece = text.slice(from, open ? lineEndAt(text, region.end) + 1 : region.end);
    libraryLines += lineCount(piece);
    if (libraryLines * LIBRARY_LINE_STEPS > limits.maxWork) return undefined;
    // One document without errors; with them, what the whole read reports is what counts (a quote
    // left open runs on past the next marker there).
    const docs = readAllDocuments(piece);
    const doc = docs[0];
    if (docs.length !== (open ? 2 : 1) || !doc || doc.errors.length || doc.warnings.length) return undefined;
    if (from > 0) {
      if (doc.contents) shiftInPlace(doc.contents, from);
      doc.range = [doc.range[0] + from, doc.range[1] + from, doc.range[2] + from];
    }
    documents.push(readParsed(text, doc, index, limits, problems));
  }
  return { text, documents, problems };
}

/** The file read by the library whole. */
export function parseWithLibrary(text: string, limits: Limits): ParsedFile {
  const whole = { start: 0, end: Math.min(text.length, firstLineEnd(text)) };
  // The library reads about half a million lines a second, however empty they are: a file of
  // blank lines it must read would hold a request for seconds. Its lines are counted as work.
  const lines = lineCount(text);
  if (lines * LIBRARY_LINE_STEPS > limits.maxWork) {
    const most = Math.floor(limits.maxWork / LIBRARY_LINE_STEPS);
    return {
      text,
      documents: [],
      problems: [
        {
          kind: 'too-many-lines',
          documentIndex: 0,
          span: whole,
          message: `This file has ${lines} lines and uses YAML that only the full reader takes (anchors, block strings, unusual layout); past ${most} lines that is more work than the limit allows (maxWork), so it was not checked. Remove blank or comment lines, or split the file.`,
        },
      ],
    };
  }
  let docs: Document.Parsed[];
  try {
    docs = readAllDocuments(text);
  } catch (e) {
    return {
      text,
      documents: [],
      problems: [{ kind: 'syntax', documentIndex: 0, span: whole, message: `The YAML could not be read (${(e as Error).name}).` }],
    };
  }
  const problems: ParseProblem[] = [];
  const documents = docs.map((doc, index) => readParsed(text, doc, index, limits, problems));
  return { text, documents, problems };
}

/** A document the library read: its syntax problems (added to `problems`) and its data. */
function readParsed(text: string, doc: Document.Parsed, index: number, limits: Limits, problems: ParseProblem[]): ParsedDocument {
  const span = { start: doc.range[0], end: doc.range[2] ?? doc.range[1] };
  const errors = [...doc.errors, ...doc.warnings];
  for (const err of errors) {
    problems.push({ kind: 'syntax', documentIndex: index, span: syntaxSpan(text, err.pos[0], err.pos[1]), message: syntaxMessage(err.code, err.message) });
  }
  let data: unknown;
  let ok = doc.errors.length === 0;
  if (ok) {
    try {
      data = doc.toJS({ maxAliasCount: aliasBudget(limits, span.end - span.start) });
    } catch (e) {
      ok = false;
      const aliasAt = firstAlias(text, span);
      problems.push({
        kind: 'aliases',
        documentIndex: index,
        span: aliasAt,
        message: /alias/i.test((e as Error).message)
          ? `Aliases expand to more than ${aliasBudget(limits, span.end - span.start)} nodes (a resource exhaustion pattern); the document was not checked.`
          : `The document could not be read (${(e as Error).name}).`,
      });
    }
  }
  return { index, doc, data, ok, span };
}

/**
 * Where a syntax error is shown. One found only at the end of input (an unclosed bracket or quote)
 * is shown on the last line that has content, where the user is typing, not past the end of the file.
 */
export function syntaxSpan(text: string, start: number, end: number): Span {
  if (start >= text.length - 1 && /\S/.test(text)) {
    const last = text.trimEnd().length;
    start = text.lastIndexOf('\n', last - 1) + 1;
    while (start < last && /\s/.test(text[start]!)) start++;
    end = last;
  }
  return { start, end: Math.max(end, start) };
}

function firstAlias(text: string, span: Span): Span {
  const m = /(?<![\w*])\*[^\s,\]}]+/.exec(text.slice(span.start, span.end));
  if (!m) return { start: span.start, end: span.start };
  return { start: span.start + m.index, end: span.start + m.index + m[0].length };
}

function firstLineEnd(text: string): number {
  const nl = text.indexOf('\n');
  return nl === -1 ? text.length : nl;
}

function formatSize(chars: number): string {
  return chars >= 1024 * 1024 ? `${(chars / 1024 / 1024).toFixed(1)} MB` : `${Math.ceil(chars / 1024)} KB`;
}

/**
 * A syntax error described in our words, from yaml's error code: the library's own messages quote
 * the source (a token, a line), and source text may hold a secret, so they are never shown. Only
 * the kind of token yaml names (`double-quoted-scalar`, `flow-map-end`) is kept.
 */
export function syntaxMessage(code: string, message: string): string {
  switch (code) {
    case 'DUPLICATE_KEY':
      return 'This key appears twice in the same mapping: a key may appear once per mapping; remove or rename one of them.';
    case 'TAB_AS_INDENT':
      return 'A tab is used for indentation: YAML indents with spaces only.';
    case 'BAD_INDENT':
      return 'The indentation does not line up with the lines above: check the spaces at the start of this line.';
    case 'MISSING_CHAR':
      return 'A closing character is missing here (a quote, a bracket or a brace, or the ": " after a key).';
    case 'BLOCK_AS_IMPLICIT_KEY':
    case 'MULTILINE_IMPLICIT_KEY':
      return 'A key must fit on one line, and a block value cannot be used as a key: check for a missing ": " or a stray line break.';
    case 'BLOCK_IN_FLOW':
      return 'Block-style content (a "- " item or an indented mapping) cannot appear inside [ ] or { }.';
    case 'BAD_SCALAR_START':
      return 'A plain value cannot start with this character: quote the value.';
    case 'BAD_DQ_ESCAPE':
      return 'Invalid escape sequence in a double-quoted value: write \\\\ for a backslash, or use single quotes.';
    case 'BAD_ALIAS':
      return 'This alias names no anchor defined before it.';
    case 'ALIAS_PROPS':
      return 'An alias cannot carry an anchor or a tag.';
    case 'MULTIPLE_ANCHORS':
      return 'A node may have only one anchor.';
    case 'MULTIPLE_TAGS':
      return 'A node may have only one tag.';
    case 'BAD_PROP_ORDER':
      return 'An anchor or tag must come before the value it belongs to.';
    case 'BAD_DIRECTIVE':
      return 'This directive is not one YAML knows.';
    case 'MULTIPLE_DOCS':
      return 'A second document starts here without a "---" separator.';
    case 'NON_STRING_KEY':
      return 'Keys must be plain strings.';
    case 'TAG_RESOLVE_FAILED':
      return 'The value does not match its tag.';
    case 'BAD_COLLECTION_TYPE':
      return 'The collection does not match its tag.';
    case 'RESOURCE_EXHAUSTION':
      return 'The document needs more work to read than the limits allow.';
    case 'UNEXPECTED_TOKEN': {
      const kind = /^Unexpected ([a-z-]{1,40}) token/.exec(message)?.[1];
      return kind ? `Unexpected ${kind.replace(/-/g, ' ')} here: check the quoting, indentation and punctuation of this line.` : UNEXPECTED;
    }
    default:
      return UNEXPECTED;
  }
}

const UNEXPECTED = 'Unexpected content here: check the quoting, indentation and punctuation of this line.';
