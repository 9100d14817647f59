import type { z } from 'zod';
import type { estimateDefaultsSchema, matrixSchema, policySchema, reachSchema, reachabilitySchema, tierSchema, usageSchema } from './schemas';
import { CLASSES, CLASSIFICATIONS, LOCATIONS, NETWORKS, PHASES } from './constants';
import matrixJson from './matrix.json';
import reachabilityJson from './reachability.json';
import defaultPolicyJson from './default-policy.json';
import estimateDefaultsJson from './estimate-defaults.json';

export { CLASSES, CLASSIFICATIONS, LOCATIONS, NETWORKS, PHASES };

export type RunnerClass = (typeof CLASSES)[number];
export type Network = (typeof NETWORKS)[number];
export type Location = (typeof LOCATIONS)[number];
export type Phase = (typeof PHASES)[number];
export type Classification = (typeof CLASSIFICATIONS)[number];
export type Matrix = z.infer<typeof matrixSchema>;
export type MatrixRow = Matrix['rows'][number];
export type Reach = z.infer<typeof reachSchema>;
export type Reachability = z.infer<typeof reachabilitySchema>;
export type SizeTier = z.infer<typeof tierSchema>;
export type Policy = z.infer<typeof policySchema>;
export type DefaultUsage = z.infer<typeof usageSchema>;
export type EstimateDefaults = z.infer<typeof estimateDefaultsSchema>;

/**
 * The bundled data, typed. test/core/data.test.ts checks each file against its zod schema, so a
 * broken data file fails the suite; at run time they are trusted as shipped.
 */
export const MATRIX = matrixJson as Matrix;
export const REACHABILITY = reachabilityJson as Reachability;
export const DEFAULT_POLICY = defaultPolicyJson as Policy;
export const ESTIMATE_DEFAULTS = estimateDefaultsJson as EstimateDefaults;

export const WORKLOADS: readonly string[] = MATRIX.rows.flatMap((r) => r.workloads);

/** Type guards: a string from a manifest or policy is one of the spec's values. */
export function isRunnerClass(value: unknown): value is RunnerClass {
  return typeof value === 'string' && (CLASSES as readonly string[]).includes(value);
}

export function isNetwork(value: unknown): value is Network {
  return typeof value === 'string' && (NETWORKS as readonly string[]).includes(value);
}

export function isLocation(value: unknown): value is Location {
  return typeof value === 'string' && (LOCATIONS as readonly string[]).includes(value);
}

export function isPhase(value: unknown): value is Phase {
  return typeof value === 'string' && (PHASES as readonly string[]).includes(value);
}

export function isClassification(value: unknown): value is Classification {
  return typeof value === 'string' && (CLASSIFICATIONS as readonly string[]).includes(value);
}

export function isWorkload(value: unknown): value is string {
  return typeof value === 'string' && WORKLOADS.includes(value);
}

export function matrixRow(phase: string | undefined, workload: string | undefined): MatrixRow | undefined {
  if (!phase || !workload) return undefined;
  return MATRIX.rows.find((r) => r.phase === phase && r.workloads.includes(workload));
}

/** The workloads of each phase of the matrix, gathered once (rules ask per stage). */
const PHASE_WORKLOADS: ReadonlyMap<string, readonly string[]> = new Map(
  [...new Set(MATRIX.rows.map((r) => r.phase))].map((phase) => [phase, MATRIX.rows.filter((r) => r.phase === phase).flatMap((r) => r.workloads)]),
);
const NO_WORKLOADS: readonly string[] = [];

export function workloadsOfPhase(phase: string): readonly string[] {
  return PHASE_WORKLOADS.get(phase) ?? NO_WORKLOADS;
}

export interface ConnectionReach {
  location: string;
  privateLink: boolean;
}

/** Whether `network` reaches a connection (spec §4). */
export function reaches(network: Network, conn: ConnectionReach, policy: Policy): boolean {
  const reach = isLocation(conn.location) ? REACHABILITY[network]?.[conn.location] : undefined;
  switch (reach) {
    case 'yes':
      return true;
    case 'nat':
      return policy.natEgress;
    case 'privatelink':
      return conn.privateLink;
    default:
      return false;
  }
}

/** Networks the policy lets carry data of a classification (spec §6: none listed, all allowed). */
export function classificationNetworks(classification: string | undefined, policy: Policy): readonly Network[] | undefined {
  return isClassification(classification) ? policy.classificationNetworks[classification] : undefined;
}

/** A size tier the policy defines, by a name from a manifest (never an inherited key such as "constructor"). */
export function tierOf(policy: Policy, name: string | undefined): SizeTier | undefined {
  return name !== undefined && Object.hasOwn(policy.sizes, name) ? policy.sizes[name] : undefined;
}

/** Size tier names from smallest to largest (by memory, then vCPU, then declaration order). */
export function orderedTiers(policy: Policy): string[] {
  const names = Object.keys(policy.sizes);
  return names
    .map((name, i) => ({ name, i, t: policy.sizes[name]! }))
    .sort((a, b) => a.t.memoryGb - b.t.memoryGb || a.t.vcpu - b.t.vcpu || a.i - b.i)
    .map((x) => x.name);
}
