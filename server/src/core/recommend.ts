import {
  PRIVATELINK_ONLY,
  SERVERLESS_MAX_MINUTES,
  classAllowed,
  classPasses,
  matrixApplies,
  networkAllowed,
  networkCarriesClassification,
  networkPasses,
  reachesAll,
  sizePasses,
  typicalNetwork,
  type CheckCode,
  type FitConnection,
  type StageFit,
  type WaiverKey,
} from './checks';
import { computeCost, transferCost, type Usage } from './cost';
import { CLASSES, NETWORKS, classificationNetworks, reaches, type Network, type RunnerClass } from './data';
import type { RunnerField } from './model';
import { quote } from './secrets';

/**
 * The recommended runner of spec §5.1: among the runners that pass every check for a stage,
 * the one that keeps most of what the stage declares. Computed here only; every surface reads it.
 */

export interface Runner {
  class: RunnerClass;
  size: string;
  network: Network;
}

/** A runner and what the stage would cost on it a month. */
export interface PricedRunner extends Runner {
  computeUsd: number;
  transferUsd: number;
  monthlyUsd: number;
}

export interface Recommendation extends PricedRunner {
  /** Fields that differ from the declared runner (a missing field counts as changed). */
  changes: RunnerField[];
}

/** The runner as declared after `spec.defaults.runner` applies; values may be missing. */
export interface DeclaredRunner {
  class?: RunnerClass;
  size?: string;
  network?: Network;
}

/** Why no runner passes: which checks leave none, and what a person can do about it. */
export interface NoRunner {
  codes: CheckCode[];
  /** Which check leaves no runner, in one sentence. */
  summary: string;
  /** What a person can do about it. */
  advice: string;
  /** All of it, in order: the summary, the details, the advice. */
  reasons: string[];
}

/** Every runner that passes every check for the stage, unpriced, in a fixed order. */
export function candidates(fit: StageFit): Runner[] {
  const out: Runner[] = [];
  // Indexed loops: every stage asks on open, on unoptimised code, where iterators cost more than the checks.
  const networks: Network[] = [];
  for (let i = 0; i < NETWORKS.length; i++) if (networkPasses(fit, NETWORKS[i]!)) networks.push(NETWORKS[i]!);
  if (networks.length === 0) return out;
  const tiers = fit.tiers;
  for (let c = 0; c < CLASSES.length; c++) {
    const cls = CLASSES[c]!;
    if (!classPasses(fit, cls)) continue;
    for (let t = 0; t < tiers.length; t++) {
      const size = tiers[t]!;
      if (!sizePasses(fit, cls, size)) continue;
      for (let n = 0; n < networks.length; n++) out.push({ class: cls, size, network: networks[n]! });
    }
  }
  return out;
}

/**
 * Candidates already found in one analysis, by what candidates() reads of a fit besides the
 * policy and its tiers (one memo per policy and tier order): most stages of a pipeline agree on
 * those with some other stage (the same row of the matrix, durations under the serverless limit,
 * the same locations), and ask for the same list. The lists are shared: read only.
 */
export type CandidateMemo = Map<string, readonly Runner[]>;

export function candidatesFor(fit: StageFit, memo: CandidateMemo | undefined): readonly Runner[] {
  if (!memo) return candidates(fit);
  // Exactly what the checks read: the row where the matrix applies (its class and networks), the
  // classification, whether the duration is over the serverless limit, the waivers (added by
  // stageFit in a fixed order) and each connection's location and PrivateLink.
  let key = `${matrixApplies(fit) ? `${fit.row.class}:${fit.row.networks.join('/')}` : '-'}|${fit.classification ?? '-'}|${
    fit.durationMinutes !== undefined && fit.durationMinutes > SERVERLESS_MAX_MINUTES ? 1 : 0
  }|`;
  for (const w of fit.waived) key += `${w},`;
  key += '|';
  for (let i = 0; i < fit.connections.length; i++) key += `${fit.connections[i]!.location}${fit.connections[i]!.privateLink ? '+' : ''},`;
  let found = memo.get(key);
  if (!found) memo.set(key, (found = candidates(fit)));
  return found;
}

/**
 * Prices runners for one stage: compute depends on class and size, transfer on the network, so
 * each is priced once, not per runner.
 */
function pricer(fit: StageFit, usage: Usage): (r: Runner) => PricedRunner {
  const compute = new Map<string, number>();
  const transfer = new Map<string, number>();
  return (r) => {
    const key = `${r.class}/${r.size}`;
    let computeUsd = compute.get(key);
    if (computeUsd === undefined) compute.set(key, (computeUsd = computeCost(r.class, fit.policy.sizes[r.size]!, usage, fit.policy).usd));
    let transferUsd = transfer.get(r.network);
    if (transferUsd === undefined) transfer.set(r.network, (transferUsd = transferCost(r.network, usage, fit.policy).usd));
    return { class: r.class, size: r.size, network: r.network, computeUsd, transferUsd, monthlyUsd: computeUsd + transferUsd };
  };
}

/** Cheaper first; among equal estimates, a fixed order, so the answer never depends on iteration. */
function byCost(a: PricedRunner, b: PricedRunner): number {
  return a.monthlyUsd - b.monthlyUsd || order(a) - order(b);
}

/** Every runner that passes every check for the stage, cheapest first. */
export function passingRunners(fit: StageFit, usage: Usage, among: readonly Runner[] = candidates(fit)): PricedRunner[] {
  return among.map(pricer(fit, usage)).sort(byCost);
}

/** The first of passingRunners (the cheapest), found without pricing into a sorted list: a verdict asks per stage. */
export function cheapestRunner(fit: StageFit, usage: Usage, among: readonly Runner[]): PricedRunner | undefined {
  const price = pricer(fit, usage);
  let best: PricedRunner | undefined;
  for (let i = 0; i < among.length; i++) {
    const p = price(among[i]!);
    if (!best || byCost(p, best) < 0) best = p;
  }
  return best;
}

/** A fixed order of runners: the last tie-break, so the answer never depends on iteration. */
function order(r: Runner): number {
  return (CLASSES.indexOf(r.class) * 16 + NETWORKS.indexOf(r.network)) * 1024;
}

function changesOf(r: Runner, declared: DeclaredRunner): RunnerField[] {
  const out: RunnerField[] = [];
  if (r.class !== declared.class) out.push('class');
  if (r.size !== declared.size) out.push('size');
  if (r.network !== declared.network) out.push('network');
  return out;
}

/**
 * The recommended runner, or undefined when no runner passes. Keeps as many declared fields as it
 * can; ties go to the matrix's class, then the earlier typical network, then the larger size not
 * above the declared one, then the lower monthly estimate. `among`: the candidates, when known.
 */
export function recommend(fit: StageFit, declared: DeclaredRunner, usage: Usage, among: readonly Runner[] = candidates(fit)): Recommendation | undefined {
  if (among.length === 0) return undefined;
  const tiers = fit.tiers;
  const declaredTier = declared.size !== undefined ? tiers.indexOf(declared.size) : -1;
  const typical = fit.row?.networks ?? [];
  // The criteria before cost, most significant first, as one number (each part below its base):
  // fields changed (0–3), the matrix's class or not, the typical network's rank, the size's distance.
  const rank = (r: Runner): number => {
    const t = tiers.indexOf(r.size);
    const changed = (r.class !== declared.class ? 1 : 0) + (r.size !== declared.size ? 1 : 0) + (r.network !== declared.network ? 1 : 0);
    const matrixClass = fit.row && r.class === fit.row.class ? 0 : 1;
    const network = typical.includes(r.network) ? typical.indexOf(r.network) : typical.length;
    const size = declaredTier === -1 ? 0 : t <= declaredTier ? declaredTier - t : tiers.length + t;
    return ((changed * 2 + matrixClass) * (typical.length + 1) + network) * (2 * tiers.length + 1) + size;
  };
  // The best by the criteria before cost; only runners tied on all of them are priced.
  let tied: Runner[] = [];
  let bestRank = Infinity;
  for (const c of among) {
    const k = rank(c);
    if (k < bestRank) {
      tied = [c];
      bestRank = k;
    } else if (k === bestRank) tied.push(c);
  }
  const best = cheapestRunner(fit, usage, tied)!;
  return {
    class: best.class,
    size: best.size,
    network: best.network,
    computeUsd: best.computeUsd,
    transferUsd: best.transferUsd,
    monthlyUsd: best.monthlyUsd,
    changes: changesOf(best, declared),
  };
}

const conn = (c: FitConnection) => `${c.name ? quote(c.name) : 'a connection'} at ${c.location}`;
const joined = (xs: readonly string[], word: string) => (xs.length <= 1 ? (xs[0] ?? '') : `${xs.slice(0, -1).join(', ')} ${word} ${xs[xs.length - 1]}`);
const list = (xs: readonly string[]) => joined(xs, 'and');
const either = (xs: readonly string[]) => joined(xs, 'or');

/** Why no runner passes every check: the first check that leaves no network or no class. */
export function explainNoRunner(fit: StageFit): NoRunner {
  const waived = (key: WaiverKey) => fit.waived.has(key);
  const classification = fit.classification;
  const restricted = classificationNetworks(classification, fit.policy) !== undefined && !waived('BC204');
  const justify = (what: string) => `Say why in runner.justification to use ${what}, or waive the check for this stage.`;

  // The network side: each check in turn narrows the networks.
  const allowed: Network[] = NETWORKS.filter((n) => waived('BC205/network') || networkAllowed(fit, n));
  if (allowed.length === 0) return done(['BC205'], 'The policy allows no network profile.', [], 'Ask the platform team to allow one.');
  const carryingNets = allowed.filter((n) => waived('BC204') || networkCarriesClassification(fit, n));
  if (carryingNets.length === 0) {
    return done(
      ['BC204'],
      `The policy allows none of its networks (${allowed.join(', ')}) for ${classification} data.`,
      [],
      'Ask the platform team for a policy exception (a waiver of BC204).',
    );
  }
  const reaching = carryingNets.filter((n) => reachesAll(fit, n));
  if (reaching.length === 0) return unreachable(fit, carryingNets, restricted ? `network allowed for ${classification} data` : 'network the policy allows');
  const typical = reaching.filter((n) => waived('BC102') || typicalNetwork(fit, n));
  if (typical.length === 0 && matrixApplies(fit)) {
    return done(
      ['BC102'],
      `None of the typical networks for ${fit.row.phase} / ${fit.workload} (${fit.row.networks.join(', ')}) is allowed${restricted ? ` for ${classification} data` : ''} and reaches every connection; ${list(reaching)} would.`,
      [],
      justify(either(reaching)),
    );
  }

  // The class side: allowed classes, the matrix's class, and a size each can run.
  const tiers = fit.tiers;
  const classes = CLASSES.filter((c) => waived('BC205/class') || classAllowed(fit, c));
  if (classes.length === 0) return done(['BC205'], 'The policy allows no runner class.', [], 'Ask the platform team to allow one.');
  if (!classes.some((c) => classPasses(fit, c))) {
    const row = fit.row!;
    return done(
      ['BC101'],
      `The selection matrix recommends ${row.class} for ${row.phase} / ${fit.workload}, which the policy does not allow.`,
      [],
      justify(either(classes)),
    );
  }
  const passing = CLASSES.filter((c) => classPasses(fit, c));
  if (!passing.some((c) => tiers.some((t) => sizePasses(fit, c, t)))) {
    // Every class left has no size that passes: serverless by the matrix (or the policy), and too long.
    const tooLong = fit.durationMinutes !== undefined && fit.durationMinutes > SERVERLESS_MAX_MINUTES;
    if (passing.includes('serverless') && tooLong) {
      const because = matrixApplies(fit) && fit.row.class === 'serverless' ? 'The selection matrix recommends serverless' : 'The policy allows only serverless';
      const others = (['container', 'managed-etl'] as const).filter((c) => classAllowed(fit, c));
      return done(
        ['BC303'],
        `${because}, but the stage runs ${fit.durationMinutes} minutes and serverless runs stop after ${SERVERLESS_MAX_MINUTES}.`,
        [],
        matrixApplies(fit) && fit.row.class === 'serverless' && others.length
          ? justify(either(others))
          : 'Ask the platform team to allow container or managed-etl, or shorten the runs.',
      );
    }
    return done(['BC301'], `No size tier of the policy fits ${either(passing)} for this stage.`, [], 'Ask the platform team to allow a size for it.');
  }
  return done([], 'No runner passes every check.', [], 'Waive the check that fails, or split the stage.');
}

function done(codes: CheckCode[], summary: string, details: string[], advice: string): NoRunner {
  return { codes, summary, advice, reasons: [summary, ...details, advice] };
}

/** Why no allowed network reaches all the connections: which reaches what, and what would help. */
function unreachable(fit: StageFit, networks: readonly Network[], carrying: string): NoRunner {
  const groups = dedupe(fit.connections);
  const names = groups.map(conn);
  const summary =
    groups.length === 1
      ? `No ${carrying} (${networks.join(', ')}) reaches ${names[0]}.`
      : `No ${carrying} (${networks.join(', ')}) reaches ${groups.length === 2 ? 'both' : 'all of'} ${list(names)}.`;
  const details: string[] = [];
  if (groups.length > 1) {
    const parts = networks.map((n) => {
      const reached = groups.filter((c) => reaches(n, c, fit.policy)).map((c) => (c.name ? quote(c.name) : c.location));
      return `${n} reaches ${reached.length === 0 ? (groups.length === 2 ? 'neither' : 'none of them') : `only ${list(reached)}`}`;
    });
    details.push(`${parts.join('; ')}.`);
  }
  // Networks the policy keeps out that would reach everything: say so, the policy is the obstacle.
  const blocked = NETWORKS.filter((n) => !networks.includes(n) && groups.every((c) => reaches(n, c, fit.policy)));
  if (blocked.length)
    details.push(
      `${either(blocked)} would reach ${groups.length === 1 ? 'it' : 'them all'}, but the policy does not allow ${blocked.length === 1 ? 'it' : 'them'} here.`,
    );
  const advice: string[] = [];
  const needLink = dedupe(fit.connections.filter((c) => PRIVATELINK_ONLY.has(c.location) && !c.privateLink));
  const withPrivateLink = fit.connections.map((c) => (PRIVATELINK_ONLY.has(c.location) ? { ...c, privateLink: true } : c));
  if (networks.includes('privatelink') && needLink.length > 0 && withPrivateLink.every((c) => reaches('privatelink', c, fit.policy))) {
    const who = needLink.map((c) => (c.name ? quote(c.name) : `the connection at ${c.location}`));
    advice.push(
      `set privateLink: true on ${list(who)} if ${needLink.length === 1 ? 'its endpoint offers' : 'their endpoints offer'} PrivateLink (privatelink then reaches ${groups.length === 1 ? 'it' : 'them all'})`,
    );
  }
  // Splitting helps as soon as some connections share an allowed network: that part can comply.
  if (groups.length > 1 && groups.some((c) => networks.some((n) => reaches(n, c, fit.policy))))
    advice.push('split the stage so that one allowed network reaches each part’s connections');
  if (blocked.length) advice.push('ask the platform team for a policy exception');
  advice.push('waive the check for this stage');
  const sentence = advice.length === 1 ? advice[0]! : `${advice.slice(0, -1).join(', ')}, or ${advice[advice.length - 1]}`;
  return done(['BC202'], summary, details, `${sentence[0]!.toUpperCase()}${sentence.slice(1)}.`);
}

/** One connection per location and PrivateLink setting: what reachability depends on. */
function dedupe(connections: readonly FitConnection[]): FitConnection[] {
  const seen = new Set<string>();
  return connections.filter((c) => {
    const k = `${c.location}/${c.privateLink}`;
    if (seen.has(k)) return false;
    seen.add(k);
    return true;
  });
}

/** Networks that pass checks 1 to 3 (for messages about stages that get no recommendation). */
export function compliantNetworks(fit: StageFit): Network[] {
  return NETWORKS.filter((n) => networkAllowed(fit, n) && networkCarriesClassification(fit, n) && reachesAll(fit, n));
}

export function runnerLabel(r: Runner): string {
  return `${r.class} · ${r.size} · ${r.network}`;
}

/** "changes class and size": what applying a recommendation decides. */
export function changesLabel(changes: readonly RunnerField[]): string {
  return changes.length === 0 ? 'no change' : `changes ${list([...changes])}`;
}
