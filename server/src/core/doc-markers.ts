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

/** A marker at a line's start: `---` or `...`, then white space or the end. */
const MARKER = /(?:^|\n)(---|\.\.\.)(?=[ \t\r\n]|$)/g;

/** A directive (`%YAML`, `%TAG`): it changes how every document reads. */
const DIRECTIVE = /(?:^|\n)%/;

/**
 * The file's documents, in order; undefined when its markers mean anything else. A file without
 * markers is one document from its start; comments before the first `---` belong to no document.
 */
export function documentRegions(text: string): DocumentRegion[] | undefined {
  if (DIRECTIVE.test(text)) return undefined;
  const regions: DocumentRegion[] = [];
  /** Where the current document's lines start, and its `---` (-1: none yet). */
  let from = 0;
  let marker = -1;
  /** After a `...`: only comments may come before the next `---`. */
  let closed = false;
  MARKER.lastIndex = 0;
  for (let m = MARKER.exec(text); m; m = MARKER.exec(text)) {
    const at = m.index + (text.charCodeAt(m.index) === 10 ? 1 : 0);
    const lineEnd = lineEndAt(text, at);
    if (!blankOrComment(text, at + 3, lineEnd)) return undefined;
    const next = lineEnd < text.length ? lineEnd + 1 : lineEnd;
    if (m[1] === '---') {
      // The document before it, if it has any lines of content (or a `---` of its own).
      if (!closed && (marker !== -1 || !onlyComments(text, from, at))) regions.push({ marker, from, to: at, end: at, closed: false });
      else if (closed && !onlyComments(text, from, at)) return undefined;
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

/** Whether every line of text[from, to) is blank or a comment. */
export function onlyComments(text: string, from: number, to: number): boolean {
  for (let at = from; at < to;) {
    const end = Math.min(lineEndAt(text, at), to);
    if (!blankOrComment(text, at, end)) return false;
    at = end + 1;
  }
  return true;
}
