import { isMap, isSeq, type Document, type Node, type Pair } from 'yaml';
import type { PipelineModel } from '../model';
import type { Span } from '../types';
import { spanOf } from '../yaml-ast';

/** Document symbols and folding, as spans: pipeline → stages → connections. */

export type SymbolKind = 'pipeline' | 'stage' | 'connection';

export interface OutlineSymbol {
  name: string;
  kind: SymbolKind;
  detail?: string;
  span: Span;
  selection: Span;
  children: OutlineSymbol[];
}

export function outline(pipeline: PipelineModel, text: string): OutlineSymbol {
  const root = spanOf(pipeline.root) ?? { start: 0, end: text.length };
  const stages = pipeline.stages.map((s): OutlineSymbol => {
    const span = spanOf(s.node) ?? root;
    const runner = [s.runner.class?.value, s.runner.size?.value, s.runner.network?.value].filter(Boolean).join(' · ');
    return {
      name: s.name?.value ?? `stage ${s.index + 1}`,
      kind: 'stage',
      detail: [s.phase?.value && s.workload?.value ? `${s.phase.value} / ${s.workload.value}` : undefined, runner || undefined].filter(Boolean).join(' · '),
      span,
      selection: spanOf(s.name?.node) ?? { start: span.start, end: span.start },
      children: s.connections.map((c) => {
        const cs = spanOf(c.node) ?? span;
        return {
          name: c.name?.value ?? 'connection',
          kind: 'connection' as const,
          ...(c.location ? { detail: c.location.value } : {}),
          span: cs,
          selection: spanOf(c.name?.node) ?? cs,
          children: [],
        };
      }),
    };
  });
  return {
    name: pipeline.name?.value ?? 'pipeline',
    kind: 'pipeline',
    ...(pipeline.classification ? { detail: pipeline.classification.value } : {}),
    span: root,
    selection: spanOf(pipeline.name?.node) ?? { start: root.start, end: root.start },
    children: stages,
  };
}

/** Foldable regions: every block collection that spans lines, and runs of comment lines. */
export function foldingSpans(doc: Document, text: string): Array<Span & { comment?: boolean }> {
  const out: Array<Span & { comment?: boolean }> = [];
  const visit = (node: Node | null | undefined, keyStart: number | undefined, depth: number) => {
    if (!node || depth > 64) return;
    if ((isMap(node) || isSeq(node)) && !node.flow && node.range) {
      const start = keyStart ?? node.range[0];
      let end = node.range[1];
      while (end > start && /\s/.test(text[end - 1]!)) end--;
      if (text.slice(start, end).includes('\n')) out.push({ start, end });
    }
    if (isMap(node)) for (const p of node.items as Pair<Node, Node | null>[]) visit(p.value, p.key?.range?.[0], depth + 1);
    else if (isSeq(node)) for (const it of node.items) visit(it as Node, undefined, depth + 1);
  };
  visit(doc.contents as Node, undefined, 0);
  // Comment blocks of two or more lines.
  let runStart = -1;
  let runEnd = -1;
  let lines = 0;
  let pos = 0;
  while (pos <= text.length) {
    const nl = text.indexOf('\n', pos);
    const end = nl === -1 ? text.length : nl;
    const isComment = /^\s*#/.test(text.slice(pos, end));
    if (isComment) {
      if (runStart === -1) runStart = pos;
      runEnd = end;
      lines++;
    } else {
      if (lines >= 2) out.push({ start: runStart, end: runEnd, comment: true });
      runStart = -1;
      lines = 0;
    }
    if (nl === -1) break;
    pos = nl + 1;
  }
  if (lines >= 2) out.push({ start: runStart, end: runEnd, comment: true });
  return out;
}
