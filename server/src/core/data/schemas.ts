import { z } from 'zod';
import { CLASSES, CLASSIFICATIONS, LOCATIONS, NETWORKS, PHASES } from './constants';

/**
 * zod schemas of the bundled data and of a merged policy. Loaded only when a policy file is
 * read (policy.ts) and by the tests that check the bundled data, so a server that never meets a
 * policy file does not pay for zod.
 */
export const classSchema = z.enum(CLASSES);
export const networkSchema = z.enum(NETWORKS);
export const locationSchema = z.enum(LOCATIONS);

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

/** How a network reaches a location: always, never, through NAT (policy), or PrivateLink endpoints only. */
export const reachSchema = z.enum(['yes', 'no', 'nat', 'privatelink']);
export const reachabilitySchema = z.record(networkSchema, z.record(locationSchema, reachSchema));

export const money = z.number().nonnegative();
export const tierSchema = z.strictObject({
  vcpu: z.number().positive(),
  memoryGb: z.number().positive(),
  concurrency: z.number().int().positive().optional(),
  dpu: z.number().positive().optional(),
});

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
  waivers: z.array(
    z.strictObject({
      rule: z.string().regex(/^BC\d{3}$/),
      pipeline: z.string(),
      stage: z.string().optional(),
      owner: z.string(),
      reason: z.string(),
      until: z.string(),
    }),
  ),
  prices: z.strictObject({
    serverless: z.strictObject({ perGbSecond: money, perRequest: money }),
    container: z.strictObject({ perVcpuHour: money, perGbHour: money }),
    'managed-etl': z.strictObject({ perDpuHour: money }),
    'dedicated-compute': z.strictObject({ perVcpuHour: money, perGbHour: money }),
    transferPerGb: z.record(networkSchema, money),
  }),
});

export const usageSchema = z.strictObject({
  runsPerDay: z.number().nonnegative(),
  durationMinutes: z.number().nonnegative(),
  dataGb: z.number().nonnegative(),
  replicas: z.number().int().positive(),
});
export const estimateDefaultsSchema = z.strictObject({
  $comment: z.string().optional(),
  workloads: z.record(z.string(), usageSchema),
  fallback: usageSchema,
});
