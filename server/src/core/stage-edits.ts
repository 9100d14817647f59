import type { YAMLMap } from 'yaml';
import type { InputName } from './cost';
import { RUNNER_FIELDS, type RunnerField, type StageModel } from './model';
import type { TextEdit } from './types';
import { fillEmptyPair, insertPair, insertPairs, replaceScalar, setInMap } from './yaml-edit';

/**
 * Edits that set several fields of one stage at once (the cost panel's Apply and its usage
 * inputs). Insertions at one point are merged into one edit so they keep their order.
 */

function merge(edits: TextEdit[]): TextEdit[] {
  const out: TextEdit[] = [];
  for (const e of edits) {
    const last = out[out.length - 1];
    if (last && last.start === e.start && last.end === e.start && e.end === e.start) last.newText += e.newText;
    else out.push({ ...e });
  }
  return out;
}

/**
 * The edits that give a stage a runner: fields it declares are replaced, fields it inherits or
 * lacks are added to its own runner (never to the shared defaults); equal values are left alone.
 */
export function runnerEdits(text: string, stage: StageModel, fields: Partial<Record<RunnerField, string>>): TextEdit[] {
  const edits: TextEdit[] = [];
  const missing: Partial<Record<RunnerField, string>> = {};
  for (const f of RUNNER_FIELDS) {
    const v = fields[f];
    const own = stage.runner[f];
    if (v === undefined || own?.value === v) continue;
    if (own?.source === 'stage') edits.push(replaceScalar(own.node, v, text));
    else missing[f] = v;
  }
  if (Object.keys(missing).length) {
    if (stage.runnerMap) edits.push(...insertPairs(text, stage.runnerMap, missing));
    else if (stage.runnerPair) edits.push(fillEmptyPair(text, stage.runnerPair, missing));
    else edits.push(insertPair(text, stage.node as YAMLMap, 'runner', missing));
  }
  return merge(edits.sort((a, b) => a.start - b.start));
}

export function estimateEdits(text: string, stage: StageModel, values: Partial<Record<InputName, number>>): TextEdit[] {
  const entries = (Object.entries(values) as Array<[InputName, number | undefined]>).filter(
    (e): e is [InputName, number] => typeof e[1] === 'number' && Number.isFinite(e[1]) && e[1] >= 0,
  );
  if (entries.length === 0) return [];
  if (!stage.estimateMap) return [insertPair(text, stage.node as YAMLMap, 'estimate', Object.fromEntries(entries))];
  const map = stage.estimateMap;
  const edits = entries.map(([k, v]) => setInMap(text, map, k, v));
  return merge(edits.sort((a, b) => a.start - b.start));
}
