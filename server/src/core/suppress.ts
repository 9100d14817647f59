import type { PipelineModel } from './model';
import type { Span } from './types';

/**
 * `# barecount-ignore BC101[, BC102]: reason` comments. Directly above a stage, the comment
 * silences those codes in the whole stage; above any other line, on that line only.
 */

export interface Suppression {
  codes: string[];
  reason: string;
  /** The comment itself, and the code list within it (for BC003 and hover). */
  comment: Span;
  codeSpans: Array<Span & { code: string }>;
  /** Findings that start inside this span are silenced. */
  scope: Span;
}

const DIRECTIVE = /^([ \t]*)#\s*barecount-ignore\b(.*)$/gm;

export function findSuppressions(text: string, span: Span, pipeline: PipelineModel | undefined): Suppression[] {
  const body = text.slice(span.start, span.end);
  if (!body.includes('barecount-ignore')) return [];
  const stageStarts = new Map<number, Span>();
  for (const s of pipeline?.stages ?? []) {
    const r = s.node.range;
    if (!r) continue;
    const lineStart = text.lastIndexOf('\n', r[0] - 1) + 1;
    stageStarts.set(lineStart, { start: lineStart, end: r[1] });
  }
  const out: Suppression[] = [];
  for (const m of body.matchAll(DIRECTIVE)) {
    const start = span.start + m.index!;
    const end = start + m[0].length;
    const rest = m[2]!;
    const restStart = end - rest.length;
    const colon = rest.indexOf(':');
    const codePart = colon === -1 ? rest : rest.slice(0, colon);
    const reason = colon === -1 ? '' : rest.slice(colon + 1).trim();
    const codeSpans: Suppression['codeSpans'] = [];
    for (const c of codePart.matchAll(/[A-Za-z]+\d+|[^\s,]+/g)) {
      codeSpans.push({ code: c[0], start: restStart + c.index!, end: restStart + c.index! + c[0].length });
    }
    // The target is the next line that is not itself an ignore directive, so directives stack.
    let next = text.indexOf('\n', end);
    let target: Span | undefined;
    while (next !== -1) {
      const lineStart = next + 1;
      const lineEnd = text.indexOf('\n', lineStart);
      const line = text.slice(lineStart, lineEnd === -1 ? text.length : lineEnd);
      if (/^\s*#\s*barecount-ignore\b/.test(line)) {
        next = lineEnd;
        continue;
      }
      target = stageStarts.get(lineStart) ?? { start: lineStart, end: lineEnd === -1 ? text.length : lineEnd };
      break;
    }
    out.push({
      codes: codeSpans.map((c) => c.code.toUpperCase()),
      reason,
      comment: { start: start + m[1]!.length, end },
      codeSpans,
      scope: target ?? { start: end, end },
    });
  }
  return out;
}

export function isSuppressed(code: string, at: number, suppressions: readonly Suppression[]): boolean {
  for (const s of suppressions) if (at >= s.scope.start && at <= s.scope.end && s.codes.includes(code)) return true;
  return false;
}
