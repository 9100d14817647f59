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
 * What a text has become after rounds of edits, kept as pieces of the original and inserted
 * text, so the whole change can be given back as edits of the original: one per place that
 * changed, each trimmed to the characters that differ. Text between two fixes is never rewritten,
 * so an unrelated line (a secret, a comment) is neither repeated in an edit nor at risk. Linear in
 * the number of edits per round.
 */
export class EditTrail {
  private constructor(
    private readonly original: string,
    private readonly pieces: ReadonlyArray<Piece>,
  ) {}

  static of(text: string): EditTrail {
    return new EditTrail(text, text.length ? [{ from: 0, to: text.length }] : []);
  }

  /** The trail after edits given in offsets of the current text (non-overlapping). */
  apply(edits: ReadonlyArray<{ start: number; end: number; newText: string }>): EditTrail {
    const sorted = [...edits].sort((a, b) => a.start - b.start || a.end - b.end);
    const out: Piece[] = [];
    let k = 0;
    let pos = 0; // offset in the current text where pieces[k] starts
    let cut = 0; // characters of pieces[k] already consumed
    const lengthOf = (p: Piece) => ('text' in p ? p.text.length : p.to - p.from);
    const take = (p: Piece, from: number, to: number): Piece | undefined => {
      if (to <= from) return undefined;
      return 'text' in p ? { text: p.text.slice(from, to) } : { from: p.from + from, to: p.from + to };
    };
    // Copies the current text up to `offset` (exclusive) into `out`, or skips it when `keep` is false.
    const advance = (offset: number, keep: boolean) => {
      while (k < this.pieces.length) {
        const p = this.pieces[k]!;
        const len = lengthOf(p);
        if (pos + len <= offset) {
          const rest = take(p, cut, len);
          if (keep && rest) out.push(rest);
          pos += len;
          cut = 0;
          k++;
        } else {
          const part = take(p, cut, offset - pos);
          if (keep && part) out.push(part);
          cut = Math.max(cut, offset - pos);
          return;
        }
      }
    };
    for (const e of sorted) {
      advance(e.start, true);
      if (e.newText) out.push({ text: e.newText });
      advance(e.end, false);
    }
    advance(Infinity, true);
    return new EditTrail(this.original, out);
  }

  /** The edits of the original text that give the current one, in order. */
  edits(): Array<{ start: number; end: number; newText: string }> {
    const out: Array<{ start: number; end: number; newText: string }> = [];
    let at = 0;
    let inserted = '';
    const flush = (upTo: number) => {
      if (upTo > at || inserted) out.push(trimEdit(this.original, { start: at, end: upTo, newText: inserted }));
      inserted = '';
    };
    for (const p of this.pieces) {
      if ('text' in p) inserted += p.text;
      else {
        if (p.from !== at || inserted) flush(p.from);
        at = p.to;
      }
    }
    flush(this.original.length);
    return out.filter((e) => e.start !== e.end || e.newText !== '');
  }
}

type Piece = { from: number; to: number } | { text: string };

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
