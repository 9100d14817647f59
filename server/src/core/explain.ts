import { CLASSES, allowedNetworksFor, orderedTiers, reaches, type Classification, type MatrixRow, type Policy, type RunnerClass } from './data';
import { computeCost, sizeAllowed, stageUsage, transferCost, withinCapacity, type RunnerChoice, type StageCost } from './cost';
import type { PipelineModel, StageModel } from './model';
import { compliantNetworks, rowOf } from './rules/helpers';

/**
 * Why a stage runs where it runs: the matrix row, each policy and reachability check with its
 * outcome, and the cheapest runner that passes them all. Hover, the recommendations preview and
 * the cost panel all read this, so they tell the same story.
 */

export interface Check {
  /** Rule code the check belongs to. */
  code: string;
  label: string;
  pass: boolean;
  detail: string;
}

export interface StageExplanation {
  stageIndex: number;
  name: string;
  phase?: string;
  workload?: string;
  declared: { class?: string; size?: string; network?: string; sources: Record<string, 'stage' | 'defaults'> };
  row?: MatrixRow;
  justification?: string;
  checks: Check[];
  cheapestCompliant?: RunnerChoice;
  /** Compliant runners sorted by monthly cost, at most a few, for panels. */
  alternatives: Array<RunnerChoice & { savingUsd: number }>;
}

/** Every compliant runner for the stage, cheapest first. */
export function compliantRunners(stage: StageModel, pipeline: PipelineModel, policy: Policy): RunnerChoice[] {
  const usage = stageUsage(stage);
  const networks = allowedNetworksFor(pipeline.classification?.value, policy);
  const out: RunnerChoice[] = [];
  for (const cls of policy.allowedClasses) {
    for (const size of orderedTiers(policy)) {
      const tier = policy.sizes[size]!;
      if (!sizeAllowed(cls, size, policy) || !withinCapacity(cls, tier, usage.durationMinutes.value)) continue;
      const compute = computeCost(cls, tier, usage, policy).usd;
      for (const network of networks) {
        if (!stage.connections.every((c) => !c.location || reaches(network, { location: c.location.value, privateLink: c.privateLink }, policy))) continue;
        const transfer = transferCost(network, usage, policy).usd;
        out.push({ class: cls, size, network, computeUsd: compute, transferUsd: transfer, monthlyUsd: compute + transfer });
      }
    }
  }
  return out.sort((a, b) => a.monthlyUsd - b.monthlyUsd || CLASSES.indexOf(a.class) - CLASSES.indexOf(b.class));
}

/**
 * What "apply the recommendation" sets: the matrix's class, and the stage's network if it is
 * typical, else the first typical network that passes the policy and reaches the connections.
 */
export function suggestedRunner(stage: StageModel, pipeline: PipelineModel, policy: Policy): { class: string; network?: string } | undefined {
  const row = rowOf(stage);
  if (!row) return undefined;
  const declared = stage.runner.network?.value;
  const network = declared && row.networks.includes(declared as never) ? declared : (compliantNetworks(stage, pipeline, policy, row.networks)[0] ?? declared);
  return { class: row.class, ...(network ? { network } : {}) };
}

/** `withRunners`: also search every compliant runner for the cheapest (hover does; lists need not). */
export function explainStage(stage: StageModel, pipeline: PipelineModel, policy: Policy, cost: StageCost | undefined, withRunners = true): StageExplanation {
  const row = rowOf(stage);
  const cls = stage.runner.class?.value;
  const size = stage.runner.size?.value;
  const network = stage.runner.network?.value;
  const sources: Record<string, 'stage' | 'defaults'> = {};
  for (const f of ['class', 'size', 'network'] as const) if (stage.runner[f]) sources[f] = stage.runner[f]!.source;
  const checks: Check[] = [];
  if (row) {
    checks.push({
      code: 'BC101',
      label: 'class matches the selection matrix',
      pass: cls === row.class || !!stage.justification,
      detail:
        cls === row.class
          ? `${row.class} is recommended for ${row.phase} / ${stage.workload?.value}`
          : stage.justification
            ? `justified: ${stage.justification}`
            : `the matrix recommends ${row.class}`,
    });
    if (network)
      checks.push({
        code: 'BC102',
        label: 'network is typical',
        pass: row.networks.includes(network as never) || !!stage.justification,
        detail: `typical: ${row.networks.join(', ')}`,
      });
  } else {
    checks.push({
      code: 'BC103',
      label: 'phase and workload are in the selection matrix',
      pass: false,
      detail: stage.phase && stage.workload ? `${stage.phase} / ${stage.workload.value} has no recommendation` : 'phase or workload missing',
    });
  }
  if (cls)
    checks.push({
      code: 'BC205',
      label: 'class allowed by the policy',
      pass: policy.allowedClasses.includes(cls as never),
      detail: `allowed: ${policy.allowedClasses.join(', ')}`,
    });
  if (network) {
    checks.push({
      code: 'BC205',
      label: 'network allowed by the policy',
      pass: policy.allowedNetworks.includes(network as never),
      detail: `allowed: ${policy.allowedNetworks.join(', ')}`,
    });
    const classification = pipeline.classification?.value as Classification | undefined;
    const byClass = classification ? policy.classificationNetworks[classification] : undefined;
    checks.push({
      code: 'BC204',
      label: `network allowed for ${classification ?? 'the'} data`,
      pass: !byClass || byClass.includes(network as never),
      detail: byClass ? `allowed: ${byClass.join(', ')}` : 'every network is allowed for this classification',
    });
    for (const c of stage.connections) {
      if (!c.location) continue;
      const ok = reaches(network, { location: c.location.value, privateLink: c.privateLink }, policy);
      checks.push({
        code: 'BC202',
        label: `reaches ${c.name?.value ?? 'connection'} (${c.location.value})`,
        pass: ok,
        detail: `${network} ${ok ? 'reaches' : 'cannot reach'} ${c.location.value}${c.privateLink ? ' (PrivateLink endpoint)' : ''}`,
      });
    }
  }
  for (const c of stage.connections) {
    if (!c.location) continue;
    const ok = pipeline.boundaries.includes(c.location.value);
    checks.push({
      code: 'BC203',
      label: `${c.location.value} is a declared boundary`,
      pass: ok,
      detail: ok ? 'listed in metadata.boundaries' : 'missing from metadata.boundaries',
    });
  }
  if (cls && size && policy.sizes[size]) {
    checks.push({
      code: 'BC301',
      label: 'size within the policy',
      pass: sizeAllowed(cls as RunnerClass, size, policy),
      detail: `largest ${cls} size: ${policy.maxSize[cls as RunnerClass] ?? 'any'}`,
    });
    const usage = stageUsage(stage);
    checks.push({
      code: 'BC303',
      label: 'class can run the stage',
      pass: withinCapacity(cls as RunnerClass, policy.sizes[size]!, stage.estimate.durationMinutes?.value),
      detail: cls === 'serverless' ? `${policy.sizes[size]!.memoryGb} GB, ${usage.durationMinutes.value} min (limits 10 GiB, 15 min)` : 'no platform limit',
    });
  }
  const runners = withRunners ? compliantRunners(stage, pipeline, policy) : [];
  const current = cost?.monthlyUsd;
  return {
    stageIndex: stage.index,
    name: stage.name?.value ?? `stage ${stage.index + 1}`,
    ...(stage.phase ? { phase: stage.phase.value } : {}),
    ...(stage.workload ? { workload: stage.workload.value } : {}),
    declared: { ...(cls ? { class: cls } : {}), ...(size ? { size } : {}), ...(network ? { network } : {}), sources },
    ...(row ? { row } : {}),
    ...(stage.justification ? { justification: stage.justification } : {}),
    checks,
    ...(runners[0] ? { cheapestCompliant: runners[0] } : {}),
    alternatives: runners
      .filter((r) => !(r.class === cls && r.size === size && r.network === network))
      .slice(0, 6)
      .map((r) => ({ ...r, savingUsd: current === undefined ? 0 : current - r.monthlyUsd })),
  };
}
