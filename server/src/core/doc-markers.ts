/**
 * Where the YAML documents of a file are, from their marker lines (`---`, `...`) alone: what the
 * fast parser reads document by document, and what tells the piecewise reader a file is one
 * document. Anything a marker line could mean besides (a directive, content after a marker on its
 * line, a bare document after `...`) answers undefined, and the library reads the file.
 */

export interface DocumentRegion {
  /** Where the document's `---` line starts, or -1 when it has none (the file's first document). */
  marker: number;
  /** Its lines: from after its `---` line (or the file's start) to the next marker line. */
  from: number;
  to: number;
  /** Where the library ends it: at the next `---`, past its own `...` line, or at the file's end. */
  end: number;
  /** Whether a `...` line closes it. */
  closed: boolean;
}

/**
 * A marker at a line's start: `---` or `...`, then white space or the end. (The file's first line
 * may start with a byte order mark, which YAML skips: tools on Windows write one.)
 */
const MARKER = /(?:^\ufeff?|\n)(---|\.\.\.)(?=[ \t\r\n]|$)/g;

/** A directive line (`%YAML`, `%TAG`…). */
const DIRECTIVE = /(?:^\ufeff?|\n)%/g;
/**
 * The one directive read here: `%YAML 1.2`, the version every document is read as anyway. Another
 * version or a `%TAG` changes how documents read: the library reads a file that has one.
 */
const YAML_12 = /^%YAML[ \t]+1\.2(?:[ \t]+(?:#.*)?)?\r?$/;

/** Whether every directive line of the text is `%YAML 1.2`. */
function directivesRead(text: string): boolean {
  DIRECTIVE.lastIndex = 0;
  for (let m = DIRECTIVE.exec(text); m; m = DIRECTIVE.exec(text)) {
    const at = m.index + m[0].length - 1;
    if (!YAML_12.test(text.slice(at, lineEndAt(text, at)))) return false;
  }
  return true;
}

/**
 * The file's documents, in order; undefined when its markers mean anything else. A file without
 * markers is one document from its start; comments before the first `---` belong to no document.
 */
export function documentRegions(text: string): DocumentRegion[] | undefined {
  if (!directivesRead(text)) return undefined;
  const regions: DocumentRegion[] = [];
  /** Where the current document's lines start (past a byte order mark), and its `---` (-1: none yet). */
  let from = text.charCodeAt(0) === 0xfeff ? 1 : 0;
  let marker = -1;
  /** After a `...`: only comments may come before the next `---`. */
  let closed = false;
  MARKER.lastIndex = 0;
  for (let m = MARKER.exec(text); m; m = MARKER.exec(text)) {
    // (Past the line break or the byte order mark before it.)
    const at = m.index + m[0].length - 3;
    const lineEnd = lineEndAt(text, at);
    if (!blankOrComment(text, at + 3, lineEnd)) return undefined;
    const next = lineEnd < text.length ? lineEnd + 1 : lineEnd;
    if (m[1] === '---') {
      // The document before it, if it has any lines of content (or a `---` of its own).
      // (A `%YAML 1.2` line may come before the first `---`, or after a `...`, as a comment may.)
      if (!closed && (marker !== -1 || !onlyComments(text, from, at, true))) regions.push({ marker, from, to: at, end: at, closed: false });
      else if (closed && !onlyComments(text, from, at, true)) return undefined;
      marker = at;
      closed = false;
    } else {
      if (closed) return undefined;
      regions.push({ marker, from, to: at, end: next, closed: true });
      marker = -1;
      closed = true;
    }
    from = next;
  }
  if (closed) return onlyComments(text, from, text.length) ? regions : undefined;
  if (marker !== -1 || !onlyComments(text, from, text.length) || regions.length === 0)
    regions.push({ marker, from, to: text.length, end: text.length, closed: false });
  return regions;
}

/** The end of the line `at` is on (its line break, or the text's end). */
export function lineEndAt(text: string, at: number): number {
  const nl = text.indexOf('\n', at);
  return nl === -1 ? text.length : nl;
}

/** Whether a line's rest from `at` (up to `end`) is white space, then a comment or nothing. */
export function blankOrComment(text: string, at: number, end: number): boolean {
  let p = at;
  while (p < end && (text.charCodeAt(p) === 32 || text.charCodeAt(p) === 9 || text.charCodeAt(p) === 13)) p++;
  const c = text.charCodeAt(p);
  return p >= end || c === 10 || c === 35;
}

/** Whether every line of text[from, to) is blank or a comment (or, with `directives`, a directive line: documentRegions checked those). */
export function onlyComments(text: string, from: number, to: number, directives = false): boolean {
  for (let at = from; at < to;) {
    const end = Math.min(lineEndAt(text, at), to);
    if (!blankOrComment(text, at, end) && !(directives && text.charCodeAt(at) === 37)) return false;
    at = end + 1;
  }
  return true;
}
