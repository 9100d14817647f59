import {
  type WaiverKey,
  capacityProblem,
  classAllowed,
  matrixClass,
  maxSizeOf,
  networkAllowed,
  networkCarriesClassification,
  reachable,
  sizeWithinMax,
  typicalNetwork,
  SERVERLESS_MAX_MEMORY_GB,
  SERVERLESS_MAX_MINUTES,
} from './checks';
import { classificationNetworks, isLocation } from './data';
import type { PipelineModel } from './model';
import type { StageVerdict } from './verdict';

/**
 * Why a stage runs where it runs: each check of spec §5.1 applied to the declared runner, with
 * its outcome, from the same predicates the rules and the recommendation use. Hover and the
 * recommendations preview show this list.
 */
export interface CheckLine {
  /** The rule that reports the check when it fails. */
  code: string;
  label: string;
  /** `waived`: it fails, and an ignore comment or policy waiver covers it. */
  status: 'pass' | 'fail' | 'waived';
  detail: string;
}

export function explainChecks(v: StageVerdict, pipeline: PipelineModel): CheckLine[] {
  const { fit, declared, stage } = v;
  const policy = fit.policy;
  const out: CheckLine[] = [];
  const line = (code: string, label: string, pass: boolean, detail: string, waived: boolean) =>
    out.push({ code, label, status: pass ? 'pass' : waived ? 'waived' : 'fail', detail });
  const check = (key: WaiverKey, label: string, pass: boolean, detail: string) => line(key.slice(0, 5), label, pass, detail, fit.waived.has(key));
  const { class: cls, size, network } = declared;
  if (cls) check('BC205/class', 'class allowed by the policy', classAllowed(fit, cls), `allowed: ${policy.allowedClasses.join(', ') || 'none'}`);
  if (network) {
    check('BC205/network', 'network allowed by the policy', networkAllowed(fit, network), `allowed: ${policy.allowedNetworks.join(', ') || 'none'}`);
    const byClass = classificationNetworks(fit.classification, policy);
    check(
      'BC204',
      `network may carry ${fit.classification ?? 'the pipeline’s'} data`,
      networkCarriesClassification(fit, network),
      byClass ? `allowed: ${byClass.join(', ') || 'none'}` : 'every network is allowed for this classification',
    );
    stage.connections.forEach((c, i) => {
      if (!c.location || !isLocation(c.location.value)) return;
      const ok = reachable(fit, network, { location: c.location.value, privateLink: c.privateLink });
      line(
        'BC202',
        `reaches ${c.name?.value ?? 'a connection'} (${c.location.value})`,
        ok,
        `${network} ${ok ? 'reaches' : 'cannot reach'} ${c.location.value}${c.privateLink ? ' (PrivateLink endpoint)' : ''}`,
        fit.waivedConnections.has(i),
      );
    });
  }
  if (cls && size) {
    check('BC301', 'size within the policy', sizeWithinMax(fit, cls, size), `largest ${cls} size: ${maxSizeOf(fit, cls) ?? 'any'}`);
    const problem = capacityProblem(fit, cls, policy.sizes[size]);
    check(
      'BC303',
      'class can run the stage',
      !problem,
      cls === 'serverless'
        ? `${policy.sizes[size]!.memoryGb} GiB${fit.durationMinutes !== undefined ? `, ${fit.durationMinutes} min` : ''} (serverless: at most ${SERVERLESS_MAX_MEMORY_GB} GiB, ${SERVERLESS_MAX_MINUTES} min)`
        : 'no platform limit',
    );
  }
  const row = fit.row;
  if (row) {
    const why = fit.justified ? `justified: ${stage.justification}` : undefined;
    if (cls) check('BC101', 'class matches the selection matrix', matrixClass(fit, cls), why ?? `the matrix recommends ${row.class}`);
    if (network) check('BC102', 'network is typical', typicalNetwork(fit, network), why ?? `typical: ${row.networks.join(', ')}`);
  } else {
    out.push({
      code: 'BC103',
      label: 'phase and workload are in the selection matrix',
      status: 'fail',
      detail: stage.phase && stage.workload ? `${stage.phase.value} / ${stage.workload.value} has no recommendation` : 'phase or workload missing',
    });
  }
  // Boundaries never change which runner fits (spec §5.1), but belong to the same picture.
  for (const c of stage.connections) {
    if (!c.location) continue;
    const ok = pipeline.boundaries.includes(c.location.value);
    out.push({
      code: 'BC203',
      label: `${c.location.value} is a declared boundary`,
      status: ok ? 'pass' : 'fail',
      detail: ok ? 'listed in metadata.boundaries' : 'missing from metadata.boundaries',
    });
  }
  return out;
}
