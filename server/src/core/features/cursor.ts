import type { Span } from '../types';
import type { Work } from '../work';

/**
 * Where the cursor is in a YAML document, read from the text around it rather than from the
 * AST: while typing, the document is usually not valid YAML, and completion must still work.
 */

export type CursorKind = 'key' | 'value' | 'item';

export interface CursorContext {
  /** Keys from the root to the mapping being typed in; '[]' stands for a list item. */
  path: string[];
  /** Typing a key, the value of `key`, or an entry of the list that is the value of `key`. */
  kind: CursorKind;
  key?: string;
  /** What is typed so far of the word at the cursor, and the span to replace. */
  prefix: string;
  span: Span;
  /** Column of the keys of the mapping being typed in (block context). */
  column: number;
  /** Keys already present in that mapping (block or flow). */
  siblings: string[];
  /** The cursor line starts a new list item (`- `). */
  newItem: boolean;
  /** Inside a flow collection (`{ … }` or `[ … ]`). */
  flow: boolean;
}

export interface LineInfo {
  indent: number;
  dashes: number;
  column: number;
  key?: string;
  /** The key has no value on its line: a block follows. */
  opensBlock: boolean;
  blank: boolean;
}

const KEY = /^([A-Za-z0-9_.$-][^:#]*?|"[^"]*"|'[^']*'):(?:\s|$)/;

export function lineInfo(line: string): LineInfo {
  const text = line.replace(/\r$/, '');
  const indent = text.length - text.trimStart().length;
  const dashes = listMarkers(text, indent, true) - indent;
  const rest = text.slice(indent + dashes);
  const blank = rest.trim() === '' || rest.startsWith('#');
  const km = KEY.exec(rest);
  const key = km ? km[1]!.replace(/^["']|["']$/g, '') : undefined;
  const after = km ? rest.slice(km[0].length).trim() : '';
  return {
    indent,
    dashes,
    column: indent + dashes,
    ...(key !== undefined ? { key } : {}),
    opensBlock: !!km && (after === '' || after.startsWith('#') || after === '|' || after === '>'),
    blank: blank && dashes === 0,
  };
}

const CHUNK = 64 * 1024;

/** The end of the line that starts at `start` (its line break, or the end of the text). */
function lineEndAt(text: string, start: number): number {
  const e = text.indexOf('\n', start);
  return e === -1 ? text.length : e;
}

/**
 * The start of the nearest line above the line starting at `pos` that is indented less than `col`
 * and is neither blank nor a comment; -1 if there is none. Searched backwards a chunk at a time by
 * a regular expression, so a long list above costs a native scan, never a walk line by line.
 */
function lineIndentedBelow(text: string, pos: number, col: number, work?: Work): number {
  const re = new RegExp(`\\n {0,${col - 1}}[^ \\r\\n#]`, 'g');
  // `limit`: matches must start before it (their line break ends a line above `pos`'s).
  let limit = pos - 1;
  while (limit > 0) {
    const from = Math.max(0, limit - CHUNK);
    // The chunk reaches past `limit` far enough to see the first characters of a line starting there.
    const chunk = text.slice(from, Math.min(pos - 1, limit + col + 1));
    work?.add(chunk.length);
    let last = -1;
    re.lastIndex = 0;
    for (let m = re.exec(chunk); m && from + m.index < limit; m = re.exec(chunk)) last = from + m.index;
    if (last !== -1) return last + 1;
    limit = from;
  }
  // The first line of the text has no line break before it.
  let sp = 0;
  while (sp < pos && text.charCodeAt(sp) === 32) sp++;
  const c = text.charCodeAt(sp);
  return sp < col && sp < pos - 1 && c !== 10 && c !== 13 && c !== 35 ? 0 : -1;
}

/** `work` counts a step per character of the lines read (the cursor's, and those above and below it that matter). */
export function cursorContext(text: string, offset: number, work?: Work): CursorContext | undefined {
  const lineStart = text.lastIndexOf('\n', offset - 1) + 1;
  const before = text.slice(lineStart, offset);
  work?.add(before.length + 1);
  if (/(^|\s)#/.test(before.replace(/"[^"]*"|'[^']*'/g, '""'))) return undefined;
  const indent = before.length - before.trimStart().length;
  const dashes = listMarkers(before, indent, false) - indent;
  const rest = before.slice(indent + dashes);
  const newItem = dashes > 0;
  const column = indent + dashes;

  // The path of the block mapping the line belongs to, from the lines above: innermost first,
  // reversed once at the end (unshift at every level was quadratic in a deep staircase of lines).
  const up: string[] = [];
  const siblings: string[] = [];
  let col = newItem ? indent : column;
  let firstLevel = true;
  if (newItem) up.push('[]');
  let pos = lineStart;
  while (pos > 0 && col > 0) {
    if (!firstLevel || newItem) {
      // Past the mapping being typed in, only a line indented less than the column sought can
      // be a parent: jump to it (the stages above the cursor in a long list cost a native search).
      const shallower = lineIndentedBelow(text, pos, col, work);
      if (shallower === -1) break;
      pos = lineEndAt(text, shallower) + 1;
    }
    const prevEnd = pos - 1;
    // (lastIndexOf reads a negative start as 0: the first line, when it is empty, must not be
    // found again as its own line break, or the walk never moves.)
    const prevStart = prevEnd === 0 ? 0 : text.lastIndexOf('\n', prevEnd - 1) + 1;
    pos = prevStart;
    // Lines indented deeper than the column sought cannot be a parent, an item start or a
    // sibling: skip them without parsing (a long list above the cursor stays cheap).
    let sp = prevStart;
    while (sp < prevEnd && text.charCodeAt(sp) === 32) sp++;
    work?.add(sp - prevStart + 1);
    if (sp - prevStart > col) continue;
    // An item of a list at the column sought (`- …` at that indentation) sits deeper than the
    // column once its marker is counted: none of the cases below, so not parsed either (the
    // stages above the cursor in a long list are skipped a line each).
    const first = text.charCodeAt(sp);
    const next = text.charCodeAt(sp + 1);
    if (sp - prevStart === col && first === 45 && (next === 32 || next === 9 || next === 10 || next === 13 || sp + 1 >= prevEnd)) continue;
    // Blank and comment lines are blank to lineInfo too: skipped without reading them.
    if (sp >= prevEnd || first === 35 || (first === 13 && sp + 1 >= prevEnd)) continue;
    work?.add(prevEnd - sp);
    const info = lineInfo(text.slice(prevStart, prevEnd));
    if (info.blank) continue;
    if (info.dashes > 0 && info.column === col && !newItem && firstLevel) {
      // The start of the list item whose mapping we are in.
      if (info.key) siblings.push(info.key);
      up.push('[]');
      col = info.indent;
      firstLevel = false;
      continue;
    }
    if (info.dashes > 0 && info.column === col) {
      up.push('[]');
      col = info.indent;
      continue;
    }
    if (info.column < col && info.key !== undefined) {
      up.push(info.key);
      col = info.column;
      firstLevel = false;
      if (info.dashes > 0) {
        up.push('[]');
        col = info.indent;
      }
      continue;
    }
    if (info.column === col && info.dashes === 0 && info.key !== undefined && firstLevel && !newItem) siblings.push(info.key);
  }
  const path = up.reverse();
  // Keys below the cursor in the same mapping count as present too.
  let p = text.indexOf('\n', offset);
  while (p !== -1 && p < text.length) {
    const next = text.indexOf('\n', p + 1);
    work?.add((next === -1 ? text.length : next) - p);
    const info = lineInfo(text.slice(p + 1, next === -1 ? text.length : next));
    p = next;
    if (info.blank) continue;
    if (info.column < column || info.dashes > 0) break;
    if (info.column === column && info.key !== undefined) siblings.push(info.key);
  }

  // Flow collections on this line: `runner: { class: con` or `dependsOn: [a, b`.
  const flowOpen = lastUnclosed(rest);
  if (flowOpen !== -1) {
    const owner = KEY.exec(rest)?.[1];
    const chain: string[] = owner ? [owner] : [];
    const inner = rest.slice(flowOpen + 1);
    const opener = rest[flowOpen];
    // Keys of enclosing flow maps between the owner and the innermost bracket.
    const between = rest.slice(owner ? KEY.exec(rest)![0].length : 0, flowOpen);
    chain.push(...flowKeys(between, work));
    const token = inner.slice(Math.max(inner.lastIndexOf(','), -1) + 1);
    const flowSiblings = [...inner.matchAll(/(?:^|,)\s*([A-Za-z0-9_-]+)\s*:/g)].map((m) => m[1]!);
    const prefix = token.replace(/^\s*["']?/, '');
    const span = { start: offset - prefix.length, end: wordEnd(text, offset) };
    if (opener === '[') {
      const key = chain.pop();
      return { path: [...path, ...chain], kind: 'item', ...(key ? { key } : {}), prefix, span, column, siblings: [], newItem, flow: true };
    }
    const kv = /^\s*([A-Za-z0-9_-]+)\s*:\s*["']?(.*)$/.exec(token);
    if (kv) {
      const p = kv[2]!;
      return {
        path: [...path, ...chain],
        kind: 'value',
        key: kv[1]!,
        prefix: p,
        span: { start: offset - p.length, end: wordEnd(text, offset) },
        column,
        siblings: flowSiblings,
        newItem,
        flow: true,
      };
    }
    return { path: [...path, ...chain], kind: 'key', prefix, span, column, siblings: flowSiblings, newItem, flow: true };
  }

  const kv = KEY.exec(rest);
  if (kv) {
    const value = rest.slice(kv[0].length).replace(/^\s*["']?/, '');
    return {
      path,
      kind: 'value',
      key: kv[1]!.replace(/^["']|["']$/g, ''),
      prefix: value,
      span: { start: offset - value.length, end: valueEnd(text, offset) },
      column,
      siblings,
      newItem,
      flow: false,
    };
  }
  const prefix = rest.replace(/^["']/, '');
  if (newItem) {
    // `- ab|`: a key of a new list item, or an entry of a list of scalars owned by the key above.
    const owner = [...path].reverse().find((s) => s !== '[]');
    return {
      path,
      kind: 'key',
      prefix,
      span: { start: offset - prefix.length, end: wordEnd(text, offset) },
      column,
      siblings,
      newItem,
      flow: false,
      ...(owner ? { key: owner } : {}),
    };
  }
  return { path, kind: 'key', prefix, span: { start: offset - prefix.length, end: wordEnd(text, offset) }, column, siblings, newItem, flow: false };
}

const isKeyChar = (c: number) => (c >= 48 && c <= 57) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c === 95 || c === 45;

/**
 * The keys that open a flow collection (`key: {` or `key: [`), as `/([A-Za-z0-9_-]+):\s*[[{]/g`
 * finds them, in one pass: that expression started a match at every character of a long word and
 * re-read the rest of it (quadratic on a crafted line).
 */
function flowKeys(s: string, work: Work | undefined): string[] {
  const out: string[] = [];
  let i = 0;
  while (i < s.length) {
    if (!isKeyChar(s.charCodeAt(i))) {
      i++;
      continue;
    }
    let e = i;
    while (e < s.length && isKeyChar(s.charCodeAt(e))) e++;
    if (s.charCodeAt(e) === 58) {
      let p = e + 1;
      while (p < s.length && /\s/.test(s[p]!)) p++;
      if (s[p] === '[' || s[p] === '{') out.push(s.slice(i, e));
      e = p;
    }
    i = e;
  }
  work?.add(s.length);
  return out;
}

/**
 * The end of the `- ` list markers from `at` (`-` and the white space after it, repeated), in one
 * pass. `atEnd`: a `-` that ends the text counts as a marker too.
 */
function listMarkers(s: string, at: number, atEnd: boolean): number {
  let p = at;
  for (;;) {
    if (s.charCodeAt(p) !== 45) return p;
    let q = p + 1;
    while (q < s.length && /\s/.test(s[q]!)) q++;
    if (q === p + 1 && !(atEnd && q === s.length)) return p;
    p = q;
  }
}

function lastUnclosed(s: string): number {
  const stack: number[] = [];
  let quote = '';
  for (let i = 0; i < s.length; i++) {
    const c = s[i]!;
    if (quote) {
      if (c === quote) quote = '';
      continue;
    }
    if (c === '"' || c === "'") quote = c;
    else if (c === '[' || c === '{') stack.push(i);
    else if ((c === ']' || c === '}') && stack.length) stack.pop();
  }
  return stack.length ? stack[stack.length - 1]! : -1;
}

function wordEnd(text: string, offset: number): number {
  let e = offset;
  while (e < text.length && /[A-Za-z0-9_.$-]/.test(text[e]!)) e++;
  return e;
}

function valueEnd(text: string, offset: number): number {
  let e = offset;
  while (e < text.length && text[e] !== '\n' && text[e] !== '\r' && text[e] !== '#' && text[e] !== '"' && text[e] !== "'") e++;
  while (e > offset && /\s/.test(text[e - 1]!)) e--;
  return e;
}
