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
  const index = new Map<StageModel, number>();
  const low = new Map<StageModel, number>();
  const onStack = new Set<StageModel>();
  const stack: StageModel[] = [];
  const out: StageModel[][] = [];
  let counter = 0;
  const next = (s: StageModel) => graph.edges.get(s) ?? [];
  for (const root of nodes) {
    if (index.has(root)) continue;
    const frames: Array<{ node: StageModel; i: number }> = [{ node: root, i: 0 }];
    index.set(root, counter);
    low.set(root, counter++);
    stack.push(root);
    onStack.add(root);
    while (frames.length) {
      const frame = frames[frames.length - 1]!;
      const deps = next(frame.node);
      work?.add(1);
      if (frame.i < deps.length) {
        const w = deps[frame.i++]!.target;
        if (!index.has(w)) {
          index.set(w, counter);
          low.set(w, counter++);
          stack.push(w);
          onStack.add(w);
          frames.push({ node: w, i: 0 });
        } else if (onStack.has(w)) low.set(frame.node, Math.min(low.get(frame.node)!, index.get(w)!));
        continue;
      }
      frames.pop();
      if (frames.length) {
        const parent = frames[frames.length - 1]!.node;
        low.set(parent, Math.min(low.get(parent)!, low.get(frame.node)!));
      }
      if (low.get(frame.node) === index.get(frame.node)) {
        const comp: StageModel[] = [];
        let w: StageModel;
        do {
          w = stack.pop()!;
          onStack.delete(w);
          comp.push(w);
        } while (w !== frame.node);
        work?.add(comp.length + deps.length);
        if (comp.length > 1 || deps.some((d) => d.target === frame.node)) out.push(comp.reverse());
      }
    }
  }
  return out;
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
