import { z } from 'zod';
import matrixJson from './matrix.json';
import reachabilityJson from './reachability.json';
import defaultPolicyJson from './default-policy.json';
import estimateDefaultsJson from './estimate-defaults.json';

export const CLASSES = ['serverless', 'container', 'managed-etl', 'dedicated-compute'] as const;
export const NETWORKS = ['public-egress', 'private-vpc', 'privatelink', 'vpn', 'on-premise-agent'] as const;
export const LOCATIONS = ['public-internet', 'cloud-private', 'partner-network', 'on-premise'] as const;
export const PHASES = ['ingestion', 'normalization', 'kpi-materialization', 'publish', 'orchestration'] as const;
export const CLASSIFICATIONS = ['public', 'internal', 'confidential', 'restricted'] as const;

export type RunnerClass = (typeof CLASSES)[number];
export type Network = (typeof NETWORKS)[number];
export type Location = (typeof LOCATIONS)[number];
export type Phase = (typeof PHASES)[number];
export type Classification = (typeof CLASSIFICATIONS)[number];

const classSchema = z.enum(CLASSES);
const networkSchema = z.enum(NETWORKS);
const locationSchema = z.enum(LOCATIONS);

export const matrixSchema = z.strictObject({
  phases: z.array(z.enum(PHASES)),
  classes: z.array(classSchema),
  networks: z.array(networkSchema),
  locations: z.array(locationSchema),
  rows: z.array(
    z.strictObject({
      phase: z.enum(PHASES),
      workloads: z.array(z.string().min(1)).min(1),
      class: classSchema,
      networks: z.array(networkSchema).min(1),
      guide: z.string(),
    }),
  ),
});
export type Matrix = z.infer<typeof matrixSchema>;
export type MatrixRow = Matrix['rows'][number];

/** How a network reaches a location: always, never, through NAT (policy), or PrivateLink endpoints only. */
export const reachSchema = z.enum(['yes', 'no', 'nat', 'privatelink']);
export type Reach = z.infer<typeof reachSchema>;
export const reachabilitySchema = z.record(networkSchema, z.record(locationSchema, reachSchema));
export type Reachability = z.infer<typeof reachabilitySchema>;

const money = z.number().nonnegative();
export const tierSchema = z.strictObject({
  vcpu: z.number().positive(),
  memoryGb: z.number().positive(),
  concurrency: z.number().int().positive().optional(),
  dpu: z.number().positive().optional(),
});
export type SizeTier = z.infer<typeof tierSchema>;

/** A policy after merging with the defaults: every key present. */
export const policySchema = z.strictObject({
  allowedClasses: z.array(classSchema),
  allowedNetworks: z.array(networkSchema),
  classificationNetworks: z.partialRecord(z.enum(CLASSIFICATIONS), z.array(networkSchema)),
  natEgress: z.boolean(),
  sizes: z.record(z.string(), tierSchema),
  maxSize: z.partialRecord(classSchema, z.string()),
  budget: z.strictObject({ monthlyUsd: money }),
  requiredTags: z.array(z.string()),
  severity: z.record(z.string().regex(/^BC\d{3}$/), z.enum(['off', 'hint', 'info', 'warning', 'error'])),
  prices: z.strictObject({
    serverless: z.strictObject({ perGbSecond: money, perRequest: money }),
    container: z.strictObject({ perVcpuHour: money, perGbHour: money }),
    'managed-etl': z.strictObject({ perDpuHour: money }),
    'dedicated-compute': z.strictObject({ perVcpuHour: money, perGbHour: money }),
    transferPerGb: z.record(networkSchema, money),
  }),
});
export type Policy = z.infer<typeof policySchema>;

const usageSchema = z.strictObject({
  runsPerDay: z.number().nonnegative(),
  durationMinutes: z.number().nonnegative(),
  dataGb: z.number().nonnegative(),
  replicas: z.number().int().positive(),
});
export type DefaultUsage = z.infer<typeof usageSchema>;
export const estimateDefaultsSchema = z.object({
  workloads: z.record(z.string(), usageSchema),
  fallback: usageSchema,
});
export type EstimateDefaults = z.infer<typeof estimateDefaultsSchema>;

/** Bundled data, checked once at load: a broken data file fails every test at once. */
export const MATRIX: Matrix = matrixSchema.parse(matrixJson);
export const REACHABILITY: Reachability = reachabilitySchema.parse(reachabilityJson);
export const DEFAULT_POLICY: Policy = policySchema.parse(defaultPolicyJson);
export const ESTIMATE_DEFAULTS: EstimateDefaults = estimateDefaultsSchema.parse(estimateDefaultsJson);

export const WORKLOADS: readonly string[] = MATRIX.rows.flatMap((r) => r.workloads);

export function matrixRow(phase: string | undefined, workload: string | undefined): MatrixRow | undefined {
  if (!phase || !workload) return undefined;
  return MATRIX.rows.find((r) => r.phase === phase && r.workloads.includes(workload));
}

export function workloadsOfPhase(phase: string): string[] {
  return MATRIX.rows.filter((r) => r.phase === phase).flatMap((r) => r.workloads);
}

export interface ConnectionReach {
  location: string;
  privateLink: boolean;
}

/** Whether `network` reaches a connection (spec §4). */
export function reaches(network: string, conn: ConnectionReach, policy: Policy): boolean {
  const row = REACHABILITY[network as Network];
  const reach = row?.[conn.location as Location];
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

/** Networks the policy allows for a classification (allow list and classification map). */
export function allowedNetworksFor(classification: string | undefined, policy: Policy): Network[] {
  const byClass = classification ? policy.classificationNetworks[classification as Classification] : undefined;
  return policy.allowedNetworks.filter((n) => !byClass || byClass.includes(n));
}

/** Size tier names from smallest to largest (by memory, then vCPU, then declaration order). */
export function orderedTiers(policy: Policy): string[] {
  const names = Object.keys(policy.sizes);
  return names
    .map((name, i) => ({ name, i, t: policy.sizes[name]! }))
    .sort((a, b) => a.t.memoryGb - b.t.memoryGb || a.t.vcpu - b.t.vcpu || a.i - b.i)
    .map((x) => x.name);
}
