import { isMap, isScalar, isSeq, stringify, type Node, type Pair, type Scalar, type YAMLMap, type YAMLSeq } from 'yaml';
import type { TextEdit } from './types';

/**
 * Minimal text edits on YAML source. Each builder touches only the bytes it must, so comments
 * and formatting elsewhere survive; indentation follows the surrounding block.
 */

/**
 * The line break the text uses where an edit goes: that of the line holding `offset` (else the
 * line before it). Local, not a search of the whole text: a fix per stage of a large file would
 * otherwise read the file once per fix.
 */
export function eolAt(text: string, offset: number): string {
  let nl = text.indexOf('\n', offset);
  if (nl === -1) nl = text.lastIndexOf('\n', offset);
  return nl > 0 && text.charCodeAt(nl - 1) === 13 ? '\r\n' : '\n';
}

function lineStartOf(text: string, offset: number): number {
  return text.lastIndexOf('\n', offset - 1) + 1;
}

function columnOf(text: string, offset: number): number {
  return offset - lineStartOf(text, offset);
}

/**
 * The column new keys of a block mapping go at: where its first key's line starts, past
 * indentation and `- ` list markers. Not the key node's own column, which a tag (`!!str key`)
 * or an explicit `? ` moves to the right.
 */
function keyIndent(text: string, keyStart: number): number {
  const ls = lineStartOf(text, keyStart);
  let p = ls;
  for (;;) {
    while (p < keyStart && text[p] === ' ') p++;
    if (p < keyStart && text[p] === '-' && text[p + 1] === ' ') p += 2;
    else break;
  }
  return p - ls;
}

/** The offset just before the line break of the line holding the last non-blank char before `end`. */
function endOfContentLine(text: string, end: number): number {
  let p = Math.min(end, text.length);
  while (p > 0 && /\s/.test(text[p - 1]!)) p--;
  let nl = text.indexOf('\n', p);
  if (nl === -1) return text.length;
  if (nl > 0 && text[nl - 1] === '\r') nl--;
  return nl;
}

/** A YAML double-quoted scalar: JSON's escapes, and DEL and C1 controls escaped too (YAML has them as non-printable). */
function doubleQuoted(value: string): string {
  return JSON.stringify(value).replace(/[\x7f-\x9f]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

/** A scalar rendered for a flow or block context: plain where YAML allows it, quoted otherwise. */
export function scalarText(value: string | number | boolean): string {
  // Enum values, names and tiers are plain-safe: skip the serializer for them.
  if (typeof value === 'string' && /^[A-Za-z][A-Za-z0-9_-]*$/.test(value) && !/^(true|false|yes|no|on|off|null|y|n)$/i.test(value)) return value;
  // A value over several lines stays on one: the serializer would write a block scalar, which is
  // wrong in a flow collection and at any other indentation than its own.
  if (typeof value === 'string' && /[\n\r]/.test(value)) return doubleQuoted(value);
  return stringify(value, { lineWidth: 0 }).trimEnd();
}

/**
 * Replaces a scalar's value, keeping its quoting style where the new value allows it. `text` is
 * the text the node was read from: a block scalar's range takes in the line break after it, which
 * the edit must keep (a typo fix on `key: |` would join the next line to it).
 */
export function replaceScalar(node: Scalar, value: string | number | boolean, text: string): TextEdit {
  const [start] = node.range!;
  let end = node.range![1];
  // Keep the line break: an edit inserted after the value (on the next line) would otherwise
  // overlap this one too.
  if (node.type === 'BLOCK_LITERAL' || node.type === 'BLOCK_FOLDED') {
    while (end > start && (text[end - 1] === '\n' || text[end - 1] === '\r')) end--;
  }
  let newText: string;
  // Double quotes for a value over several lines whatever the style was (single quotes would keep
  // raw line breaks, which fold or break the YAML).
  if (typeof value === 'string' && (node.type === 'QUOTE_DOUBLE' || /[\n\r]/.test(value))) newText = doubleQuoted(value);
  else if (typeof value === 'string' && node.type === 'QUOTE_SINGLE') newText = `'${value.replace(/'/g, "''")}'`;
  else newText = scalarText(value);
  if (start === end) {
    // An empty value right after what comes before it (`key:` ending its line, `&a`, `!!str`):
    // without a space the new value would be part of it (`apiVersion:barecount/v1`, an anchor
    // named `vbarecount/v1`). Before a comment, where the library puts it: one after it too.
    if (start > 0 && !/[ \t\r\n]/.test(text[start - 1]!)) newText = ` ${newText}`;
    if (text[start] === '#') newText = `${newText} `;
  }
  return { start, end, newText };
}

/** Renames a mapping key, keeping the value and everything around it. */
export function renameKey(key: Scalar, name: string, text: string): TextEdit {
  return replaceScalar(key, name, text);
}

function indentUnit(text: string, map: YAMLMap | YAMLSeq): string {
  // The distance between this block and its first nested block, else two spaces.
  for (const item of map.items as unknown[]) {
    const value = isMap(map) ? (item as Pair<Node, Node>).value : (item as Node);
    if ((isMap(value) || isSeq(value)) && !value.flow && value.range && map.range) {
      const d = columnOf(text, value.range[0]) - columnOf(text, map.range[0]);
      if (d > 0) return ' '.repeat(d);
    }
  }
  return '  ';
}

/** Renders `key: value` lines for a block at `indent`; objects become nested blocks. */
function blockEntry(key: string, value: unknown, indent: string, unit: string, eol: string): string {
  if (value !== null && typeof value === 'object' && !(Array.isArray(value) && value.length === 0)) {
    const body = stringify(value, { indent: unit.length, lineWidth: 0 }).trimEnd().split('\n');
    return `${indent}${scalarText(key)}:` + body.map((l) => `${eol}${indent}${unit}${l}`).join('');
  }
  const rendered = Array.isArray(value) ? '[]' : scalarText(value as string | number | boolean);
  return `${indent}${scalarText(key)}: ${rendered}`;
}

/** A value in flow style, written the way manifests are: `[a, b]` and `{ key: value }`. */
function flowValue(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(flowValue).join(', ')}]`;
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>);
    return entries.length ? `{ ${entries.map(([k, v]) => `${scalarText(k)}: ${flowValue(v)}`).join(', ')} }` : '{}';
  }
  if (typeof value === 'string') {
    // Plain where nothing in it means something in a flow collection; else double-quoted.
    const plain =
      /^[A-Za-z0-9][A-Za-z0-9_./-]*(:\/\/[A-Za-z0-9_./-]*)?$/.test(value) &&
      !/^(true|false|yes|no|on|off|null|y|n|~)$/i.test(value) &&
      !/^[0-9.+-]/.test(value);
    return plain ? value : doubleQuoted(value);
  }
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  return 'null';
}

/**
 * Whether a new collection value in a block mapping should be written in flow style: it follows
 * its neighbours, so a stage whose other mappings and lists are `{ … }` and `[ … ]` gets one more.
 */
function neighboursUseFlow(map: YAMLMap): boolean {
  let flow = 0;
  let block = 0;
  for (const p of map.items as Pair<Node, Node | null>[]) {
    const v = p.value;
    if (isMap(v) || isSeq(v)) {
      if (v.flow) flow++;
      else block++;
    }
  }
  return flow > block;
}

/** Whether the block lists of mappings beside a new one write their items as `- { … }`. */
function neighbourItemsUseFlow(map: YAMLMap): boolean {
  let flow = 0;
  let block = 0;
  for (const p of map.items as Pair<Node, Node | null>[]) {
    if (!isSeq(p.value) || p.value.flow) continue;
    for (const item of p.value.items) {
      if (!isMap(item)) continue;
      if (item.flow) flow++;
      else block++;
    }
  }
  return flow > block;
}

/** Inserts `key: value` as the last entry of a mapping (block or flow). */
export function insertPair(text: string, map: YAMLMap, key: string, value: unknown): TextEdit {
  if (map.flow) {
    const close = text.lastIndexOf('}', map.range![1]);
    const last = map.items[map.items.length - 1] as Pair<Node, Node | null> | undefined;
    const entry = `${scalarText(key)}: ${flowValue(value)}`;
    if (!last) return { start: close, end: close, newText: ` ${entry} ` };
    const after = (last.value ?? last.key)?.range?.[1] ?? close;
    return { start: after, end: after, newText: `, ${entry}` };
  }
  const first = map.items[0] as Pair<Node, Node | null> | undefined;
  const indent = ' '.repeat(keyIndent(text, (first?.key ?? map)?.range?.[0] ?? 0));
  const last = map.items[map.items.length - 1] as Pair<Node, Node | null> | undefined;
  const lastEnd = last ? ((last.value ?? last.key)?.range?.[1] ?? map.range![1]) : map.range![1];
  const at = endOfContentLine(text, lastEnd);
  const eol = eolAt(text, at);
  const collection = value !== null && typeof value === 'object' && !(Array.isArray(value) && value.length === 0);
  if (collection && neighboursUseFlow(map)) return { start: at, end: at, newText: `${eol}${indent}${scalarText(key)}: ${flowValue(value)}` };
  if (Array.isArray(value) && value.length && value.every((v) => v !== null && typeof v === 'object' && !Array.isArray(v)) && neighbourItemsUseFlow(map)) {
    // A list of mappings next to lists written as `- { … }`: the same.
    const unit = indentUnit(text, map);
    return { start: at, end: at, newText: `${eol}${indent}${scalarText(key)}:${value.map((v) => `${eol}${indent}${unit}- ${flowValue(v)}`).join('')}` };
  }
  return { start: at, end: at, newText: eol + blockEntry(key, value, indent, indentUnit(text, map), eol) };
}

/** Inserts several pairs at the end of a mapping, in order, as one edit. */
export function insertPairs(text: string, map: YAMLMap, entries: Record<string, unknown>): TextEdit[] {
  const edits = Object.entries(entries).map(([k, v]) => insertPair(text, map, k, v));
  if (edits.length === 0) return [];
  return [{ start: edits[0]!.start, end: edits[0]!.end, newText: edits.map((e) => e.newText).join('') }];
}

/**
 * Gives a pair whose value is empty (`runner:` alone) a nested block holding `entries`, or
 * replaces an empty scalar value with them in flow style.
 */
export function fillEmptyPair(text: string, pair: Pair<Node, Node | null>, entries: Record<string, unknown>, unit = '  '): TextEdit {
  const keyNode = pair.key as Node;
  const eol = eolAt(text, keyNode.range![0]);
  const indent = ' '.repeat(columnOf(text, keyNode.range![0])) + unit;
  const v = pair.value;
  if (isScalar(v) && v.range && v.range[1] > v.range[0]) {
    return { start: v.range[0], end: v.range[1], newText: flowValue(entries) };
  }
  const at = endOfContentLine(text, keyNode.range![1] + 1);
  return {
    start: at,
    end: at,
    newText: Object.entries(entries)
      .map(([k, value]) => eol + blockEntry(k, value, indent, unit, eol))
      .join(''),
  };
}

/** Sets `key` in a mapping: replaces a scalar value, else inserts the pair. */
export function setInMap(text: string, map: YAMLMap, key: string, value: string | number | boolean): TextEdit {
  const pair = (map.items as Pair<Node, Node | null>[]).find((p) => isScalar(p.key) && String(p.key.value) === key);
  if (pair && isScalar(pair.value) && pair.value.range && pair.value.range[1] > pair.value.range[0]) return replaceScalar(pair.value, value, text);
  if (pair) return fillEmptyPair(text, pair, { [key]: value });
  return insertPair(text, map, key, value);
}

/**
 * Appends an item to a sequence (block or flow). A mapping item follows the last item's style:
 * `- { a: 1 }` after flow items, a block of `key: value` lines after block ones.
 */
export function appendToSeq(text: string, seq: YAMLSeq, item: unknown): TextEdit {
  if (seq.flow) {
    const close = text.lastIndexOf(']', seq.range![1]);
    const last = seq.items[seq.items.length - 1] as Node | undefined;
    if (!last?.range) return { start: close, end: close, newText: flowValue(item) };
    return { start: last.range[1], end: last.range[1], newText: `, ${flowValue(item)}` };
  }
  const indent = ' '.repeat(columnOf(text, seq.range![0]));
  const last = seq.items[seq.items.length - 1] as Node | undefined;
  const at = endOfContentLine(text, last?.range?.[1] ?? seq.range![1]);
  const eol = eolAt(text, at);
  if (isMap(last) && !last.flow && item !== null && typeof item === 'object' && !Array.isArray(item)) {
    const entries = Object.entries(item as Record<string, unknown>);
    const lines = entries.map(
      ([k, v], i) =>
        `${i === 0 ? `${indent}- ` : `${indent}  `}${scalarText(k)}: ${v !== null && typeof v === 'object' ? flowValue(v) : scalarText(v as string)}`,
    );
    return { start: at, end: at, newText: `${eol}${lines.join(eol)}` };
  }
  return { start: at, end: at, newText: `${eol}${indent}- ${flowValue(item)}` };
}

/** Applies edits (offsets into the original text); overlapping edits are a programming error. */
export function applyEdits(text: string, edits: readonly TextEdit[]): string {
  // One pass over the text in order: thousands of edits to a large file stay linear.
  const sorted = edits.map((e, i) => ({ e, i })).sort((a, b) => a.e.start - b.e.start || a.e.end - b.e.end || a.i - b.i);
  const parts: string[] = [];
  let pos = 0;
  for (const { e } of sorted) {
    if (e.start < pos) throw new Error('overlapping edits');
    parts.push(text.slice(pos, e.start), e.newText);
    pos = e.end;
  }
  parts.push(text.slice(pos));
  return parts.join('');
}
