import type { Field, StageModel } from '../model';
import { spanOf } from '../yaml-ast';
import { defineRule } from './rule';

export const bc503 = defineRule({
  meta: {
    code: 'BC503',
    slug: 'dependency-cycle',
    category: 'structure',
    defaultSeverity: 'error',
    summary: 'Stages depend on each other in a cycle, so none of them can start.',
    messages: {
      cycle: 'Stage "{stage}" depends on "{dep}", which closes a cycle: {path}. No stage in a cycle can ever start; remove one of these dependencies.',
    },
    fixable: false,
  },
  check(ctx) {
    const stages = ctx.pipeline?.stages ?? [];
    const byName = new Map<string, StageModel>();
    for (const s of stages) if (s.name && !byName.has(s.name.value)) byName.set(s.name.value, s);
    for (const component of stronglyConnected(byName)) {
      const members = new Set(component);
      const single = component.length === 1;
      const path = cyclePath(component, byName);
      for (const name of component) {
        const stage = byName.get(name)!;
        const edges: Field<string>[] = stage.dependsOn.filter((d) => members.has(d.value) && (!single || d.value === name));
        for (const dep of edges) {
          ctx.report({
            messageId: 'cycle',
            data: { stage: name, dep: dep.value, path },
            span: spanOf(dep.node)!,
            related: component.filter((n) => n !== name).map((n) => ({ span: spanOf(byName.get(n)!.name!.node)!, message: `"${n}" is part of the cycle` })),
          });
        }
      }
    }
  },
});

/** Tarjan's algorithm, iterative; returns components that form cycles (size > 1 or a self-loop). */
function stronglyConnected(byName: Map<string, StageModel>): string[][] {
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const onStack = new Set<string>();
  const stack: string[] = [];
  const out: string[][] = [];
  let counter = 0;
  const deps = (n: string) =>
    byName
      .get(n)!
      .dependsOn.map((d) => d.value)
      .filter((d) => byName.has(d));
  for (const root of byName.keys()) {
    if (index.has(root)) continue;
    const work: Array<{ node: string; i: number }> = [{ node: root, i: 0 }];
    index.set(root, counter);
    low.set(root, counter++);
    stack.push(root);
    onStack.add(root);
    while (work.length) {
      const frame = work[work.length - 1]!;
      const next = deps(frame.node);
      if (frame.i < next.length) {
        const w = next[frame.i++]!;
        if (!index.has(w)) {
          index.set(w, counter);
          low.set(w, counter++);
          stack.push(w);
          onStack.add(w);
          work.push({ node: w, i: 0 });
        } else if (onStack.has(w)) low.set(frame.node, Math.min(low.get(frame.node)!, index.get(w)!));
        continue;
      }
      work.pop();
      if (work.length) {
        const parent = work[work.length - 1]!.node;
        low.set(parent, Math.min(low.get(parent)!, low.get(frame.node)!));
      }
      if (low.get(frame.node) === index.get(frame.node)) {
        const comp: string[] = [];
        let w: string;
        do {
          w = stack.pop()!;
          onStack.delete(w);
          comp.push(w);
        } while (w !== frame.node);
        if (comp.length > 1 || deps(frame.node).includes(frame.node)) out.push(comp.reverse());
      }
    }
  }
  return out;
}

/** A readable walk around the cycle: a → b → c → a. */
function cyclePath(component: string[], byName: Map<string, StageModel>): string {
  const members = new Set(component);
  const start = component[0]!;
  const walk = [start];
  let cur = start;
  for (let i = 0; i < component.length; i++) {
    const next = byName
      .get(cur)!
      .dependsOn.map((d) => d.value)
      .find((d) => members.has(d) && (!walk.includes(d) || d === start));
    if (!next) break;
    walk.push(next);
    if (next === start) break;
    cur = next;
  }
  if (walk[walk.length - 1] !== start) walk.push('…');
  return walk.join(' → ');
}
