import { lazyProperty } from './lazy';
import { usd } from './money';
import { quote } from './secrets';
import { ESTIMATE_DEFAULTS, isNetwork, isRunnerClass, tierOf, type Network, type Policy, type RunnerClass, type SizeTier } from './data';
import { cronRunsPerDay, type CronResult } from './cron';
import type { InputBasis } from './estimate-labels';
import { ESTIMATE_FIELDS, type PipelineModel, type StageModel } from './model';

/** The cost model of spec §7: USD per month of 30 days and 730 hours. */
export const DAYS_PER_MONTH = 30;
export const HOURS_PER_MONTH = 730;
/** BC304 suggests a runner that costs at least this share less a month (spec §5). */
export const CHEAPER_THRESHOLD = 0.4;

export type InputName = 'runsPerDay' | 'durationMinutes' | 'dataGb' | 'replicas';
export type InputSource = 'declared' | 'schedule' | 'default';

export interface CostInput {
  value: number;
  source: InputSource;
  /** For a defaulted input: the workload's own default, or the generic fallback and why (estimate-labels.ts). */
  basis?: InputBasis;
  /** How a derived or defaulted value was found, for people reading the estimate. */
  note?: string;
}

export type Usage = Record<InputName, CostInput>;

export interface LineItem {
  label: string;
  readonly formula: string;
  usd: number;
}

export interface StageCost {
  stageIndex: number;
  name: string;
  class: RunnerClass;
  size: string;
  network: Network;
  computeUsd: number;
  transferUsd: number;
  monthlyUsd: number;
  inputs: Usage;
  /** Inputs the figure depends on that were not declared in `estimate`. */
  defaulted: InputName[];
  lineItems: LineItem[];
}

export interface UncostedStage {
  stageIndex: number;
  name: string;
  reason: string;
}

export interface PipelineCost {
  name: string;
  monthlyUsd: number;
  budgetUsd: number;
  budgetSource: 'manifest' | 'policy';
  stages: StageCost[];
  uncosted: UncostedStage[];
  costliest?: StageCost;
}

const USED_INPUTS: Record<RunnerClass, InputName[]> = {
  serverless: ['runsPerDay', 'durationMinutes', 'dataGb'],
  container: ['replicas', 'runsPerDay', 'dataGb'],
  'managed-etl': ['runsPerDay', 'durationMinutes', 'dataGb'],
  'dedicated-compute': ['runsPerDay', 'dataGb'],
};

/** What usage is known of a stage, as plain values (from the model, or from text being typed). */
export interface UsageSource {
  workload?: string | undefined;
  cron?: string | undefined;
  /** The cron expression's runs a day when already known (a stage model has it). */
  cronRuns?: CronResult | undefined;
  estimate: Partial<Record<InputName, number>>;
}

export function usageOf(src: UsageSource): Usage {
  const known = src.workload !== undefined && Object.hasOwn(ESTIMATE_DEFAULTS.workloads, src.workload) ? ESTIMATE_DEFAULTS.workloads[src.workload] : undefined;
  const defaults = known ?? ESTIMATE_DEFAULTS.fallback;
  const workloadNote = known
    ? `typical of ${src.workload}`
    : src.workload === undefined
      ? 'generic fallback: the stage names no workload'
      : `generic fallback: workload "${src.workload.slice(0, 40)}" is unknown`;
  const pick = (name: InputName): CostInput => {
    const declared = src.estimate[name];
    if (declared !== undefined) return { value: declared, source: 'declared' };
    if (name === 'runsPerDay' && src.cron !== undefined) {
      const r = src.cronRuns ?? cronRunsPerDay(src.cron);
      if (r.ok) return { value: r.runsPerDay, source: 'schedule', note: `from cron "${src.cron}"` };
    }
    return {
      value: defaults[name],
      source: 'default',
      basis: known ? 'workload' : src.workload === undefined ? 'fallback' : 'unknown-workload',
      note: workloadNote,
    };
  };
  return { runsPerDay: pick('runsPerDay'), durationMinutes: pick('durationMinutes'), dataGb: pick('dataGb'), replicas: pick('replicas') };
}

export function stageUsage(stage: StageModel): Usage {
  const estimate: UsageSource['estimate'] = {};
  for (const k of ESTIMATE_FIELDS) if (stage.estimate[k]) estimate[k] = stage.estimate[k]!.value;
  return usageOf({ workload: stage.workload?.value, cron: stage.cron?.value, cronRuns: stage.cronRuns, estimate });
}

export interface ComputeResult {
  usd: number;
  /** How the amount is made up, spelt out when read: runners are priced by the dozen per stage, their formulas rarely shown. */
  readonly formula: string;
}

/** A line item's `formula`, spelt out when first read (lazy.ts). */
const lazyFormula = lazyProperty<string>('formula');

/**
 * An amount, its formula spelt out each time it is read. Candidate runners are priced by the dozen
 * per stage and only their amounts read: an own lazy property (two `defineProperty` calls each,
 * about 20 ms of opening 1000 stages) is kept for the line items, which JSON output writes.
 */
class Priced implements ComputeResult {
  readonly #spell: () => string;

  constructor(
    readonly usd: number,
    spell: () => string,
  ) {
    this.#spell = spell;
  }

  get formula(): string {
    return this.#spell();
  }
}

function result(usd: number, formula: () => string): ComputeResult {
  return new Priced(usd, formula);
}

/** Monthly compute cost of running `usage` on a class at a size tier. */
export function computeCost(cls: RunnerClass, tier: SizeTier, usage: Usage, policy: Policy): ComputeResult {
  const runs = usage.runsPerDay.value * DAYS_PER_MONTH;
  const minutes = usage.durationMinutes.value;
  const p = policy.prices;
  switch (cls) {
    case 'serverless': {
      const { perGbSecond, perRequest } = p.serverless;
      return result(
        runs * (minutes * 60 * tier.memoryGb * perGbSecond + perRequest),
        () => `${fmt(runs)} runs × (${fmt(minutes * 60)} s × ${fmt(tier.memoryGb)} GB × ${price(perGbSecond)} + ${price(perRequest)})`,
      );
    }
    case 'container': {
      const { perVcpuHour, perGbHour } = p.container;
      const replicas = usage.replicas.value;
      return result(
        replicas * HOURS_PER_MONTH * (tier.vcpu * perVcpuHour + tier.memoryGb * perGbHour),
        () =>
          `${fmt(replicas)} replica(s) × ${HOURS_PER_MONTH} h × (${fmt(tier.vcpu)} vCPU × ${price(perVcpuHour)} + ${fmt(tier.memoryGb)} GB × ${price(perGbHour)})`,
      );
    }
    case 'managed-etl': {
      const dpu = tier.dpu ?? tier.vcpu;
      const { perDpuHour } = p['managed-etl'];
      return result(
        (runs * dpu * perDpuHour * Math.max(minutes, 1)) / 60,
        () => `${fmt(runs)} runs × ${fmt(dpu)} DPU × ${price(perDpuHour)} × ${fmt(Math.max(minutes, 1))} min / 60`,
      );
    }
    case 'dedicated-compute': {
      const { perVcpuHour, perGbHour } = p['dedicated-compute'];
      return result(
        HOURS_PER_MONTH * (tier.vcpu * perVcpuHour + tier.memoryGb * perGbHour),
        () => `${HOURS_PER_MONTH} h × (${fmt(tier.vcpu)} vCPU × ${price(perVcpuHour)} + ${fmt(tier.memoryGb)} GB × ${price(perGbHour)})`,
      );
    }
  }
}

export function transferCost(network: Network, usage: Usage, policy: Policy): ComputeResult {
  const rate = policy.prices.transferPerGb[network] ?? 0;
  const runs = usage.runsPerDay.value * DAYS_PER_MONTH;
  return result(runs * usage.dataGb.value * rate, () => `${fmt(runs)} runs × ${fmt(usage.dataGb.value)} GB × ${price(rate)}`);
}

export function costStage(stage: StageModel, policy: Policy): StageCost | UncostedStage {
  const name = stage.name?.value ?? `stage ${stage.index + 1}`;
  const cls = stage.runner.class?.value;
  const size = stage.runner.size?.value;
  const network = stage.runner.network?.value;
  if (!isRunnerClass(cls)) return { stageIndex: stage.index, name, reason: cls ? `unknown class ${quote(cls)}` : 'no runner class' };
  if (!size) return { stageIndex: stage.index, name, reason: 'no size tier' };
  const tier = tierOf(policy, size);
  if (!tier) return { stageIndex: stage.index, name, reason: `unknown size tier ${quote(size)}` };
  if (!isNetwork(network)) return { stageIndex: stage.index, name, reason: network ? `unknown network ${quote(network)}` : 'no network profile' };
  const usage = stageUsage(stage);
  const compute = computeCost(cls, tier, usage, policy);
  const transfer = transferCost(network, usage, policy);
  return {
    stageIndex: stage.index,
    name,
    class: cls,
    size,
    network,
    computeUsd: compute.usd,
    transferUsd: transfer.usd,
    monthlyUsd: compute.usd + transfer.usd,
    inputs: usage,
    defaulted: USED_INPUTS[cls].filter((i) => usage[i].source !== 'declared'),
    lineItems: [lineItem(`compute (${cls}, ${size})`, compute), lineItem(`transfer (${network})`, transfer)],
  };
}

/**
 * A line of a stage's cost, its formula spelt out when read (a cost report or a hover reads it, an
 * analysis does not): every stage is costed on open, and its two formulas were most of the text it
 * kept. An own property all the same (lazy.ts), so that JSON output writes it.
 */
function lineItem(label: string, r: ComputeResult): LineItem {
  // In this order (label, formula, usd), as JSON output writes them.
  const item = { label } as { label: string; formula: string; usd: number };
  lazyFormula(item, () => r.formula);
  item.usd = r.usd;
  return item;
}

export function isCosted(s: StageCost | UncostedStage): s is StageCost {
  return 'monthlyUsd' in s;
}

/**
 * Each stage model's cost under one policy, kept by an editor between versions (analysis.ts): a
 * stage's cost depends only on its model (defaults applied) and the policy, and an unchanged stage
 * keeps its model object.
 */
export type StageCostMemo = WeakMap<StageModel, { policy: Policy; cost: StageCost | UncostedStage }>;

export function costPipeline(pipeline: PipelineModel, policy: Policy, memo?: StageCostMemo): PipelineCost {
  const stages: StageCost[] = [];
  const uncosted: UncostedStage[] = [];
  for (const s of pipeline.stages) {
    const known = memo?.get(s);
    const r = known && known.policy === policy ? known.cost : costStage(s, policy);
    if (memo && r !== known?.cost) memo.set(s, { policy, cost: r });
    if (isCosted(r)) stages.push(r);
    else uncosted.push(r);
  }
  const monthlyUsd = stages.reduce((sum, s) => sum + s.monthlyUsd, 0);
  const costliest = stages.reduce<StageCost | undefined>((best, s) => (!best || s.monthlyUsd > best.monthlyUsd ? s : best), undefined);
  return {
    name: pipeline.name?.value ?? `document ${pipeline.documentIndex + 1}`,
    monthlyUsd,
    budgetUsd: pipeline.budget?.value ?? policy.budget.monthlyUsd,
    budgetSource: pipeline.budget ? 'manifest' : 'policy',
    stages,
    uncosted,
    ...(costliest ? { costliest } : {}),
  };
}

export { usd };

function fmt(n: number): string {
  return Number.isInteger(n) ? String(n) : String(Math.round(n * 1000) / 1000);
}

/**
 * A unit price as a formula shows it: the digits it has, without an exponent (a price per
 * request of 0.0000002 is not written 2e-7).
 */
function price(n: number): string {
  const s = String(n);
  const m = /^(-?)(\d)(?:\.(\d+))?e-(\d+)$/.exec(s);
  // `2e-7` is 0.0000002, `1.5e-10` 0.00000000015: the same digits, the point moved.
  return m ? `${m[1]}0.${'0'.repeat(Number(m[4]) - 1)}${m[2]}${m[3] ?? ''}` : s;
}
