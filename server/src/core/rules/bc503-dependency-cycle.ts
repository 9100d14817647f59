import { cyclePath, dependencyCycles, shortName } from '../graph';
import type { StageModel } from '../model';
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
    const graph = ctx.graph;
    if (!graph) return;
    for (const component of dependencyCycles(graph, ctx.work)) {
      const members = new Set(component);
      const single = component.length === 1;
      const path = cyclePath(component, graph, ctx.work);
      // A large cycle names a few of its other stages, not all of them on every entry.
      const others = component.length <= 8 ? component : component.slice(0, 8);
      for (const stage of component) {
        const name = shortName(stage.name!.value);
        const edges = graph.edges.get(stage) ?? [];
        ctx.work.add(1 + edges.length);
        // One finding per dependency: an entry repeated 20,000 times is one cycle (and BC002's duplicate).
        const reported = new Set<StageModel>();
        for (const { entry, target } of edges) {
          if (!members.has(target) || (single && target !== stage) || reported.has(target)) continue;
          reported.add(target);
          ctx.report({
            messageId: 'cycle',
            data: { stage: name, dep: shortName(entry.value), path },
            span: spanOf(entry.node)!,
            related: others
              .filter((n) => n !== stage)
              .map((n) => ({ span: spanOf(n.name!.node)!, message: `"${shortName(n.name!.value)}" is part of the cycle` })),
          });
        }
      }
    }
  },
});
