import { classificationNetworks, reaches, tierOf, type MatrixRow, type Network, type Policy, type RunnerClass, type SizeTier } from './data';

/**
 * The checks of spec §5.1, one predicate each. The rules, hover's "why this runner" trace,
 * completion's ranking and the recommended runner all call these; none of them re-derives a
 * check. A predicate answers for a runner the stage may or may not declare, so the same
 * function judges the declared runner and every candidate.
 */

/** Serverless runs stop after this many minutes, and get at most this much memory (seed). */
export const SERVERLESS_MAX_MINUTES = 15;
export const SERVERLESS_MAX_MEMORY_GB = 10;

/** The codes of the checks that decide which runners may run a stage (spec §5.1). */
export type CheckCode = 'BC205' | 'BC204' | 'BC202' | 'BC301' | 'BC303' | 'BC101' | 'BC102';

/**
 * What a current waiver removes for a stage: a check, or one half of BC205 (the class or the
 * network allow list, by where the waiver sits). BC202 waivers drop connections instead, and a
 * BC304 waiver only hides the cheaper runner.
 */
export type WaiverKey = Exclude<CheckCode, 'BC205' | 'BC202'> | 'BC205/class' | 'BC205/network' | 'BC304';

export interface FitConnection {
  name?: string;
  location: string;
  privateLink: boolean;
}

/** What the checks need to know of a stage, as plain values (from the model or from text). */
export interface StageFit {
  policy: Policy;
  /** The policy's size tiers from smallest to largest (orderedTiers), computed once per analysis. */
  tiers: readonly string[];
  classification?: string;
  /** Connections that declare a valid location (others are BC002's to report). */
  connections: readonly FitConnection[];
  workload?: string;
  /** The matrix row of the stage's phase and workload. */
  row?: MatrixRow;
  /** `runner.justification` is set: the matrix is a guideline the stage departs from on purpose. */
  justified: boolean;
  /** Declared `estimate.durationMinutes`; a default never counts against capacity. */
  durationMinutes?: number;
  /** Checks waived for the stage: they do not narrow the recommended runner. */
  waived: ReadonlySet<WaiverKey>;
  /** Positions in the stage's `connections` whose reachability is waived (left out of `connections`). */
  waivedConnections: ReadonlySet<number>;
}

/** Check 1 (BC205): the class is on the policy's allow list. */
export function classAllowed(fit: StageFit, cls: RunnerClass): boolean {
  return fit.policy.allowedClasses.includes(cls);
}

/** Check 1 (BC205): the network is on the policy's allow list. */
export function networkAllowed(fit: StageFit, network: Network): boolean {
  return fit.policy.allowedNetworks.includes(network);
}

/** Check 2 (BC204): the network may carry data of the pipeline's classification. */
export function networkCarriesClassification(fit: StageFit, network: Network): boolean {
  const allowed = classificationNetworks(fit.classification, fit.policy);
  return !allowed || allowed.includes(network);
}

/** Locations privatelink reaches only where the endpoint offers PrivateLink (section 4). */
export const PRIVATELINK_ONLY: ReadonlySet<string> = new Set(['public-internet', 'partner-network']);

/** Check 3 (BC202), for one connection: the network reaches its location (section 4). */
export function reachable(fit: StageFit, network: Network, connection: { location: string; privateLink: boolean }): boolean {
  return reaches(network, connection, fit.policy);
}

/** Check 3 (BC202): the network reaches every connection of the stage. */
export function reachesAll(fit: StageFit, network: Network): boolean {
  return fit.connections.every((c) => reachable(fit, network, c));
}

/** The policy's largest size for a class, when it names one the policy defines. */
export function maxSizeOf(fit: StageFit, cls: RunnerClass): string | undefined {
  const max = fit.policy.maxSize[cls];
  return tierOf(fit.policy, max) ? max : undefined;
}

/** Check 4 (BC301): the size is not above the policy's maxSize for the class. */
export function sizeWithinMax(fit: StageFit, cls: RunnerClass, size: string): boolean {
  const max = maxSizeOf(fit, cls);
  if (!max) return true;
  return fit.tiers.indexOf(size) <= fit.tiers.indexOf(max);
}

export interface CapacityProblem {
  /** The declared duration is longer than a serverless run may last. */
  duration: boolean;
  /** The size tier has more memory than a serverless runner gets. */
  memory: boolean;
}

/** Check 5 (BC303): what the class cannot give the stage at this size (if known), if anything. */
export function capacityProblem(fit: StageFit, cls: RunnerClass, tier: SizeTier | undefined): CapacityProblem | undefined {
  if (cls !== 'serverless') return undefined;
  const duration = fit.durationMinutes !== undefined && fit.durationMinutes > SERVERLESS_MAX_MINUTES;
  const memory = tier !== undefined && tier.memoryGb > SERVERLESS_MAX_MEMORY_GB;
  return duration || memory ? { duration, memory } : undefined;
}

/** Whether check 6 applies at all: a matrix row, and no justification. */
export function matrixApplies(fit: StageFit): fit is StageFit & { row: MatrixRow } {
  return fit.row !== undefined && !fit.justified;
}

/** Check 6, class half (BC101): the matrix's recommended class, where the matrix applies. */
export function matrixClass(fit: StageFit, cls: RunnerClass): boolean {
  return !matrixApplies(fit) || fit.row.class === cls;
}

/** Check 6, network half (BC102): one of the matrix's typical networks, where the matrix applies. */
export function typicalNetwork(fit: StageFit, network: Network): boolean {
  return !matrixApplies(fit) || fit.row.networks.includes(network);
}

/** Whether a check narrows the candidates: a current waiver removes it. */
function counts(fit: StageFit, key: WaiverKey): boolean {
  return !fit.waived.has(key);
}

/** Class-only checks (1 and the class half of 6), waivers applied. */
export function classPasses(fit: StageFit, cls: RunnerClass): boolean {
  return (!counts(fit, 'BC205/class') || classAllowed(fit, cls)) && (!counts(fit, 'BC101') || matrixClass(fit, cls));
}

/** Network-only checks (1, 2, 3 and the network half of 6), waivers applied; waived connections are not in the fit. */
export function networkPasses(fit: StageFit, network: Network): boolean {
  return (
    (!counts(fit, 'BC205/network') || networkAllowed(fit, network)) &&
    (!counts(fit, 'BC204') || networkCarriesClassification(fit, network)) &&
    reachesAll(fit, network) &&
    (!counts(fit, 'BC102') || typicalNetwork(fit, network))
  );
}

/** Class-and-size checks (4 and 5), waivers applied. */
export function sizePasses(fit: StageFit, cls: RunnerClass, size: string): boolean {
  const tier = tierOf(fit.policy, size);
  if (!tier) return false;
  return (!counts(fit, 'BC301') || sizeWithinMax(fit, cls, size)) && (!counts(fit, 'BC303') || !capacityProblem(fit, cls, tier));
}
