import { lazyFix } from '../types';
import { workloadsOfPhase } from '../data';
import type { ConnectionModel, StageModel } from '../model';
import { PIPELINE_SCHEMA, schemaAtPath } from '../schema';
import { spanOf } from '../yaml-ast';
import { replaceScalar } from '../yaml-edit';
import { defineRule } from './rule';
import { stageLabel } from './helpers';

/**
 * What each workload reads or writes (seed: Selection Guide, "Webhooks or small file batches",
 * "API polling at steady cadence", "JDBC or ODBC bulk extract", "API push or file export").
 * Workloads not listed expect no particular connection.
 */
const WORKLOAD_CONNECTIONS: Readonly<Record<string, { kinds: readonly string[]; direction: 'read' | 'write'; label: string }>> = {
  webhook: { kinds: ['webhook'], direction: 'read', label: 'a webhook read' },
  'small-batch': { kinds: ['object-store', 'sftp'], direction: 'read', label: 'an object-store or sftp read' },
  'api-poll': { kinds: ['http-api'], direction: 'read', label: 'an http-api read' },
  'bulk-extract': { kinds: ['jdbc', 'odbc'], direction: 'read', label: 'a jdbc or odbc read' },
  'api-push': { kinds: ['http-api', 'webhook'], direction: 'write', label: 'an http-api or webhook write' },
  'file-export': { kinds: ['object-store', 'sftp'], direction: 'write', label: 'an object-store or sftp write' },
};

/** Whether one of the connections is what the workload reads or writes (true when it expects nothing). */
function connectionsFit(workload: string, connections: readonly ConnectionModel[]): boolean {
  const want = WORKLOAD_CONNECTIONS[workload];
  if (!want) return true;
  return connections.some((c) => c.kind !== undefined && want.kinds.includes(c.kind.value) && c.direction?.value === want.direction);
}

/** The connection kinds and directions the manifest schema allows (one list, the schema's). */
const CONNECTION = ['spec', 'stages', 0, 'connections', 0];
const KINDS: readonly unknown[] = schemaAtPath(PIPELINE_SCHEMA, [...CONNECTION, 'kind'])?.enum ?? [];
const DIRECTIONS: readonly unknown[] = schemaAtPath(PIPELINE_SCHEMA, [...CONNECTION, 'direction'])?.enum ?? [];

/** A connection whose kind and direction are valid values. */
function readable(c: ConnectionModel): boolean {
  return c.kind !== undefined && c.direction !== undefined && KINDS.includes(c.kind.value) && DIRECTIONS.includes(c.direction.value);
}

function described(c: ConnectionModel): string {
  return `${c.kind?.value ?? 'unknown kind'} ${c.direction?.value ?? '(no direction)'}`;
}

/** The workloads of the stage's phase that its connections fit (only those that expect a connection). */
function fittingWorkloads(stage: StageModel): string[] {
  const phase = stage.phase?.value;
  if (!phase) return [];
  return workloadsOfPhase(phase).filter((w) => WORKLOAD_CONNECTIONS[w] !== undefined && connectionsFit(w, stage.connections));
}

export const bc105 = defineRule({
  meta: {
    code: 'BC105',
    slug: 'workload-connections',
    category: 'selection',
    defaultSeverity: 'info',
    summary: 'The stage has connections, but none is what its workload reads or writes (a webhook workload with no webhook read, say).',
    messages: {
      noFit: 'Stage {stage} has workload {workload}, which reads or writes through {wanted}, but none of its connections is one (it has {has}).{hint}',
    },
    perStage: true,
    fixable: true,
  },
  check(ctx) {
    for (const stage of ctx.pipeline?.stages ?? []) {
      const workload = stage.workload;
      // Only connections whose kind and direction are valid: a misspelt one is BC002's to correct first.
      if (!workload || stage.connections.length === 0 || !stage.connections.every(readable)) continue;
      const want = WORKLOAD_CONNECTIONS[workload.value];
      if (!want || connectionsFit(workload.value, stage.connections)) continue;
      const fits = fittingWorkloads(stage);
      const hint = fits.length === 1 ? ` Its connections fit ${fits[0]}.` : '';
      const kinds = [...new Set(stage.connections.map(described))];
      ctx.report({
        messageId: 'noFit',
        data: { stage: stageLabel(stage), workload: workload.value, wanted: want.label, has: kinds.join(', '), hint },
        span: spanOf(workload.node)!,
        // Which workload a stage is, is its author's call: a suggestion, and only when exactly one fits.
        fixes:
          fits.length === 1
            ? [
                lazyFix({ title: `Set workload to "${fits[0]}"`, safety: 'suggestion', decides: 'classification' }, () => [
                  replaceScalar(workload.node, fits[0]!, ctx.text),
                ]),
              ]
            : [],
      });
    }
  },
});
