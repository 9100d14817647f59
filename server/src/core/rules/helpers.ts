import type { YAMLMap } from 'yaml';
import { CLASSES, NETWORKS, allowedNetworksFor, matrixRow, reaches, type MatrixRow, type Policy } from '../data';
import type { PipelineModel, RunnerField, StageModel } from '../model';
import type { Fix, RelatedInfo, Span, TextEdit } from '../types';
import { spanOf } from '../yaml-ast';
import { fillEmptyPair, insertPair, replaceScalar } from '../yaml-edit';

/** Where a stage's problems are reported when no better node exists: its name, else its first line. */
export function stageAnchor(stage: StageModel, text: string): Span {
  const named = spanOf(stage.name?.node);
  if (named) return named;
  const start = stage.node.range?.[0] ?? 0;
  const nl = text.indexOf('\n', start);
  return { start, end: nl === -1 ? text.length : nl };
}

export function stageLabel(stage: StageModel): string {
  return stage.name ? `"${stage.name.value}"` : `#${stage.index + 1}`;
}

/** The span of a runner field as declared, or of the stage name when it is inherited or missing. */
export function runnerFieldSpan(stage: StageModel, field: RunnerField, text: string): Span {
  const f = stage.runner[field];
  if (f?.source === 'stage') return spanOf(f.node) ?? stageAnchor(stage, text);
  return stageAnchor(stage, text);
}

export function inheritedNote(stage: StageModel, field: RunnerField): string {
  return stage.runner[field]?.source === 'defaults' ? ` (inherited from spec.defaults.runner.${field})` : '';
}

export function inheritedRelated(stage: StageModel, field: RunnerField): RelatedInfo[] {
  const f = stage.runner[field];
  const span = f?.source === 'defaults' ? spanOf(f.node) : undefined;
  return span ? [{ span, message: `${field} "${f!.value}" is set here for every stage that leaves it out` }] : [];
}

/** An edit that sets a runner field on the stage itself (never on the shared defaults). */
export function setRunnerFieldEdit(text: string, stage: StageModel, field: RunnerField, value: string): TextEdit {
  const own = stage.runner[field];
  if (own?.source === 'stage') return replaceScalar(own.node, value);
  if (stage.runnerMap) return insertPair(text, stage.runnerMap, field, value);
  if (stage.runnerPair) return fillEmptyPair(text, stage.runnerPair, field, value);
  return insertPair(text, stage.node as YAMLMap, 'runner', { [field]: value });
}

export function setRunnerFieldFix(text: string, stage: StageModel, field: RunnerField, value: string, title?: string, isPreferred?: boolean): Fix {
  return {
    title: title ?? `Set ${field} to "${value}"`,
    edits: [setRunnerFieldEdit(text, stage, field, value)],
    ...(isPreferred ? { isPreferred } : {}),
  };
}

export function rowOf(stage: StageModel): MatrixRow | undefined {
  return matrixRow(stage.phase?.value, stage.workload?.value);
}

/** Networks that reach every connection of the stage (spec §4). */
export function reachingNetworks(stage: StageModel, policy: Policy, candidates: readonly string[]): string[] {
  return candidates.filter((n) =>
    stage.connections.every((c) => !c.location || reaches(n, { location: c.location.value, privateLink: c.privateLink }, policy)),
  );
}

/** Networks that pass BC202–BC205 for the stage: allowed, allowed for the classification, reaching all. */
export function compliantNetworks(stage: StageModel, pipeline: PipelineModel, policy: Policy, candidates?: readonly string[]): string[] {
  const allowed = allowedNetworksFor(pipeline.classification?.value, policy);
  const base = candidates ? candidates.filter((n) => allowed.includes(n as never)) : allowed;
  return reachingNetworks(stage, policy, base);
}

export function isKnownClass(value: string): boolean {
  return (CLASSES as readonly string[]).includes(value);
}

/** Values BC002 already reports as invalid are left alone by the other rules. */
export function isKnownNetwork(value: string): boolean {
  return (NETWORKS as readonly string[]).includes(value);
}
