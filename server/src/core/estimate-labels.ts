/**
 * How every output names where an assumed estimate input comes from (spec §7): text, JSON, hover
 * and the cost panel say it the same way. The webview imports this file too, so it imports nothing.
 */

/**
 * For a defaulted input: the workload's own default, the generic fallback (the stage names no
 * workload), or the generic fallback because the workload is unknown (a typo must not change the
 * cost silently).
 */
export type InputBasis = 'workload' | 'fallback' | 'unknown-workload';

export interface AssumedInput {
  source: 'declared' | 'schedule' | 'default';
  basis?: InputBasis;
  note?: string;
}

/** "cron", "workload default" or "generic fallback". */
export function inputBasisLabel(x: AssumedInput): string {
  return x.source === 'schedule' ? 'cron' : x.basis === 'workload' ? 'workload default' : 'generic fallback';
}

/** The note of an estimate that took the fallback because its workload is unknown, if it did. */
export function unknownWorkloadNote<K extends string>(inputs: Readonly<Record<K, AssumedInput>>, defaulted: readonly K[]): string | undefined {
  for (const k of defaulted) if (inputs[k].basis === 'unknown-workload') return inputs[k].note;
  return undefined;
}
