import { diffLines } from 'diff';
/** Converts offsets to zero-based line/character positions and back; used by the adapters. */
export interface Position {
  line: number;
  character: number;
}

export class LineIndex {
  private readonly starts: number[];

  constructor(private readonly text: string) {
    const starts = [0];
    for (let i = text.indexOf('\n'); i !== -1; i = text.indexOf('\n', i + 1)) starts.push(i + 1);
    this.starts = starts;
  }

  get lineCount(): number {
    return this.starts.length;
  }

  positionAt(offset: number): Position {
    const clamped = Math.max(0, Math.min(offset, this.text.length));
    let lo = 0;
    let hi = this.starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (this.starts[mid]! <= clamped) lo = mid;
      else hi = mid - 1;
    }
    return { line: lo, character: clamped - this.starts[lo]! };
  }

  offsetAt(position: Position): number {
    if (position.line < 0) return 0;
    if (position.line >= this.starts.length) return this.text.length;
    const start = this.starts[position.line]!;
    const next = position.line + 1 < this.starts.length ? this.starts[position.line + 1]! : this.text.length;
    return Math.max(start, Math.min(start + position.character, next));
  }

  lineStart(line: number): number {
    return this.starts[Math.max(0, Math.min(line, this.starts.length - 1))]!;
  }

  /** The text of a line without its line break. */
  lineText(line: number): string {
    const start = this.lineStart(line);
    const next = line + 1 < this.starts.length ? this.starts[line + 1]! : this.text.length;
    return this.text.slice(start, next).replace(/\r?\n$/, '');
  }
}

/**
 * The edits that turn one text into another, one per changed run of lines, each trimmed to the
 * characters that differ: what fix-all returns. Text between two fixes is never rewritten, so an
 * unrelated line (a secret, a comment) is neither repeated in the edit nor at risk.
 */
export function minimalEdits(before: string, after: string): Array<{ start: number; end: number; newText: string }> {
  if (before === after) return [];
  const edits: Array<{ start: number; end: number; newText: string }> = [];
  let at = 0;
  let pending: { start: number; end: number; newText: string } | undefined;
  const flush = () => {
    if (pending) edits.push(trimEdit(before, pending));
    pending = undefined;
  };
  for (const part of diffLines(before, after)) {
    if (!part.added && !part.removed) {
      flush();
      at += part.value.length;
      continue;
    }
    pending ??= { start: at, end: at, newText: '' };
    if (part.removed) {
      at += part.value.length;
      pending.end = at;
    } else pending.newText += part.value;
  }
  flush();
  return edits.filter((e) => e.start !== e.end || e.newText !== '');
}

/** An edit without the characters it would write back unchanged at either end. */
function trimEdit(before: string, e: { start: number; end: number; newText: string }) {
  const end = e.end;
  let start = e.start;
  let text = e.newText;
  let head = 0;
  while (start + head < end && head < text.length && before.charCodeAt(start + head) === text.charCodeAt(head)) head++;
  start += head;
  text = text.slice(head);
  let tail = 0;
  while (end - tail > start && tail < text.length && before.charCodeAt(end - tail - 1) === text.charCodeAt(text.length - tail - 1)) tail++;
  return { start, end: end - tail, newText: text.slice(0, text.length - tail) };
}
