import type { Field, StageModel } from './model';
import type { Work } from './work';

/**
 * The stages of a pipeline and their `dependsOn` edges, resolved once per analysis. BC502 reads
 * the entries that name no stage, BC503 the cycles; every walk over it is linear in its edges.
 */
export interface StageGraph {
  /** The first stage of each name (a repeated name is BC501's). */
  readonly byName: ReadonlyMap<string, StageModel>;
  /** Per stage: its `dependsOn` entries that name a stage. */
  readonly edges: ReadonlyMap<StageModel, ReadonlyArray<{ entry: Field<string>; target: StageModel }>>;
  /** `dependsOn` entries that name no stage of the pipeline. */
  readonly unknown: ReadonlyArray<{ stage: StageModel; entry: Field<string> }>;
}

export function buildGraph(stages: readonly StageModel[], work?: Work): StageGraph {
  const byName = new Map<string, StageModel>();
  for (const s of stages) if (s.name && !byName.has(s.name.value)) byName.set(s.name.value, s);
  const edges = new Map<StageModel, Array<{ entry: Field<string>; target: StageModel }>>();
  const unknown: Array<{ stage: StageModel; entry: Field<string> }> = [];
  stages.forEach((stage) => {
    work?.add(1 + stage.dependsOn.length);
    const out: Array<{ entry: Field<string>; target: StageModel }> = [];
    for (const entry of stage.dependsOn) {
      const target = byName.get(entry.value);
      if (target) out.push({ entry, target });
      else unknown.push({ stage, entry });
    }
    edges.set(stage, out);
  });
  return { byName, edges, unknown };
}

/**
 * Groups of stages that depend on each other in a cycle (Tarjan's algorithm, iterative): each
 * group has more than one stage, or one that depends on itself. Only the first stage of each
 * name takes part, as `dependsOn` can name no other.
 */
export function dependencyCycles(graph: StageGraph, work?: Work): StageModel[][] {
  const nodes = [...graph.byName.values()];
  // Per stage, by its place in the list (each stage has its own): when it was reached (-1: not
  // yet), the lowest reached from it, whether it is on the stack. Arrays, not maps: a pipeline of
  // thousands of stages is walked again after every edit.
  let size = 0;
  for (const s of nodes) if (s.index >= size) size = s.index + 1;
  const index = new Int32Array(size).fill(-1);
  const low = new Int32Array(size);
  const onStack = new Uint8Array(size);
  const stack: StageModel[] = [];
  const out: StageModel[][] = [];
  let counter = 0;
  // The walk's frames: a stage and how many of its edges it has followed.
  const frameNodes: StageModel[] = [];
  const frameNext: number[] = [];
  const next = (s: StageModel) => graph.edges.get(s) ?? [];
  for (const root of nodes) {
    if (index[root.index] !== -1) continue;
    frameNodes.push(root);
    frameNext.push(0);
    index[root.index] = low[root.index] = counter++;
    stack.push(root);
    onStack[root.index] = 1;
    while (frameNodes.length) {
      const top = frameNodes.length - 1;
      const node = frameNodes[top]!;
      const deps = next(node);
      work?.add(1);
      if (frameNext[top]! < deps.length) {
        const w = deps[frameNext[top]!++]!.target;
        if (index[w.index] === -1) {
          index[w.index] = low[w.index] = counter++;
          stack.push(w);
          onStack[w.index] = 1;
          frameNodes.push(w);
          frameNext.push(0);
        } else if (onStack[w.index]) low[node.index] = Math.min(low[node.index]!, index[w.index]!);
        continue;
      }
      frameNodes.pop();
      frameNext.pop();
      if (frameNodes.length) {
        const parent = frameNodes[frameNodes.length - 1]!;
        low[parent.index] = Math.min(low[parent.index]!, low[node.index]!);
      }
      if (low[node.index] !== index[node.index]) continue;
      if (stack[stack.length - 1] === node) {
        // A stage alone in its group (most are): a cycle only if it depends on itself.
        stack.pop();
        onStack[node.index] = 0;
        work?.add(1 + deps.length);
        if (dependsOnItself(node, deps)) out.push([node]);
        continue;
      }
      const comp: StageModel[] = [];
      let w: StageModel;
      do {
        w = stack.pop()!;
        onStack[w.index] = 0;
        comp.push(w);
      } while (w !== node);
      work?.add(comp.length + deps.length);
      out.push(comp.reverse());
    }
  }
  return out;
}

function dependsOnItself(node: StageModel, deps: ReadonlyArray<{ target: StageModel }>): boolean {
  for (let i = 0; i < deps.length; i++) if (deps[i]!.target === node) return true;
  return false;
}

/** The most stages a cycle's path names: every finding of the cycle repeats it. */
const PATH_STAGES = 12;

/**
 * A readable walk around a cycle: a → b → c → a, at most a dozen stages and each name shortened,
 * as each of the cycle's findings repeats it (a whole path in every finding of a large cycle was
 * quadratic). Linear in the edges of the stages it walks.
 */
export function cyclePath(component: readonly StageModel[], graph: StageGraph, work?: Work): string {
  const members = new Set(component);
  work?.add(component.length);
  const start = component[0]!;
  const walk: StageModel[] = [start];
  const visited = new Set<StageModel>([start]);
  let cur = start;
  for (let i = 0; i < Math.min(component.length, PATH_STAGES); i++) {
    const edges = graph.edges.get(cur) ?? [];
    const at = edges.findIndex((d) => members.has(d.target) && (!visited.has(d.target) || d.target === start));
    work?.add(1 + (at === -1 ? edges.length : at));
    const step = edges[at];
    if (!step) break;
    walk.push(step.target);
    if (step.target === start) break;
    visited.add(step.target);
    cur = step.target;
  }
  const names = walk.map((s) => shortName(s.name!.value));
  if (walk[walk.length - 1] !== start) names.push('…');
  return names.join(' → ');
}

/** A stage name fit to repeat in many messages: at most 60 characters. */
export function shortName(name: string): string {
  return name.length > 60 ? `${name.slice(0, 57)}...` : name;
}
