import type { RunnerField, StageModel } from './model';
import type { Span } from './types';
import { spanOf } from './yaml-ast';

/**
 * Where a stage's findings are reported. The rules report there, and a waiver counts for a check
 * only where it silences that check's finding (verdict.ts), so both use these.
 */

/**
 * A stage's name, else its first line, up to the stage's end: the rest of a long line holding
 * many flow-style stages is not read again for each of them.
 */
export function stageAnchor(stage: StageModel, text: string): Span {
  const named = spanOf(stage.name?.node);
  if (named) return named;
  const start = stage.node.range?.[0] ?? 0;
  const stop = Math.min(text.length, stage.node.range?.[2] ?? text.length);
  let end = start;
  while (end < stop && text.charCodeAt(end) !== 10) end++;
  return { start, end };
}

/** A runner field as the stage declares it, or the stage's name when it is inherited or missing. */
export function runnerFieldSpan(stage: StageModel, field: RunnerField, text: string): Span {
  const f = stage.runner[field];
  if (f?.source === 'stage') return spanOf(f.node) ?? stageAnchor(stage, text);
  return stageAnchor(stage, text);
}
