import type { RunnerClass } from '../data';
import type { StageModel } from '../model';
import { quote } from '../secrets';
import { spanOf } from '../yaml-ast';
import { defineRule } from './rule';
import { runnerFieldSpan, runnerFix, stageLabel } from './helpers';

const FACILITY = 'on-premise-agent';

/** A path in a message: `publish ← aggregate ← extract-plant`, its middle left out past a few steps. */
function pathLabel(path: readonly StageModel[]): string {
  const names = path.map((s) => (s.name ? quote(s.name.value).slice(1, -1) : `#${s.index + 1}`));
  return names.length <= 6 ? names.join(' ← ') : `${names.slice(0, 3).join(' ← ')} ← … ← ${names.slice(-2).join(' ← ')} (${names.length - 1} steps)`;
}

export const bc207 = defineRule({
  meta: {
    code: 'BC207',
    slug: 'facility-bound',
    category: 'security',
    defaultSeverity: 'error',
    summary:
      'A stage depends on a stage that runs on on-premise-agent (its data cannot leave the facility), yet runs on another network or writes outside on-premise.',
    messages: {
      leaves: 'Stage {stage} depends on {upstream}, which runs on on-premise-agent: its data cannot leave the facility ({path}). Stage {stage} {problem}.',
    },
    fixable: true,
    concernsRunner: true,
  },
  check(ctx) {
    const pipeline = ctx.pipeline;
    const graph = ctx.graph;
    if (!pipeline || !graph) return;
    // Nearest facility-bound stage upstream of every stage (itself when it is one): one
    // breadth-first walk from all of them at once, along dependsOn edges reversed.
    const dependents = new Map<StageModel, StageModel[]>();
    for (const [from, edges] of graph.edges)
      for (const { target } of edges) {
        const list = dependents.get(target);
        if (list) list.push(from);
        else dependents.set(target, [from]);
      }
    const via = new Map<StageModel, StageModel | null>();
    const queue: StageModel[] = [];
    // `dependsOn` names a stage by name, which the graph resolves to the first stage of that name
    // (a repeated name is BC501's): a name any of whose stages is facility-bound is, whatever the order.
    const facility = new Map<StageModel, StageModel>();
    for (const s of pipeline.stages) {
      if (s.runner.network?.value !== FACILITY) continue;
      const named = s.name ? graph.byName.get(s.name.value) : undefined;
      const at = named ?? s;
      if (via.has(at)) continue;
      facility.set(at, s);
      via.set(at, null);
      queue.push(at);
    }
    if (queue.length === 0) return;
    for (let i = 0; i < queue.length; i++) {
      ctx.work.add(1);
      const s = queue[i]!;
      for (const d of dependents.get(s) ?? []) {
        if (via.has(d)) continue;
        via.set(d, s);
        queue.push(d);
      }
    }
    for (const stage of pipeline.stages) {
      const network = stage.runner.network?.value;
      const outside = stage.connections.filter((c) => c.direction?.value === 'write' && c.location && c.location.value !== 'on-premise');
      const problems: string[] = [];
      if (network !== undefined && network !== FACILITY) problems.push(`runs on ${network}`);
      if (outside.length)
        problems.push(`writes to ${outside.map((c) => `${c.name ? quote(c.name.value) : 'a connection'} at ${c.location!.value}`).join(', ')}`);
      if (problems.length === 0) continue;
      for (const { entry, target } of graph.edges.get(stage) ?? []) {
        if (!via.has(target)) continue;
        // The path from the stage back to the nearest facility-bound stage through this entry.
        const path: StageModel[] = [stage, target];
        for (let s = via.get(target); s; s = via.get(s)) path.push(s);
        const upstream = facility.get(path[path.length - 1]!) ?? path[path.length - 1]!;
        const upstreamSpan = runnerFieldSpan(upstream, 'network', ctx.text);
        // (A stage with no connections touches nothing outside: it may move too.)
        const allOnPremise = stage.connections.every((c) => c.location?.value === 'on-premise');
        const cls = stage.runner.class?.value;
        const size = stage.runner.size?.value;
        ctx.report({
          messageId: 'leaves',
          data: { stage: stageLabel(stage), upstream: stageLabel(upstream), path: pathLabel(path), problem: problems.join(' and ') },
          span: spanOf(entry.node)!,
          related: upstreamSpan ? [{ span: upstreamSpan, message: `${stageLabel(upstream)} runs on on-premise-agent here` }] : [],
          // Moving the stage into the facility is a decision: offered when everything it touches is on-premise.
          fixes:
            allOnPremise && network !== FACILITY && cls && size
              ? [
                  runnerFix(
                    ctx.text,
                    stage,
                    { class: cls as RunnerClass, size, network: FACILITY },
                    ['network'],
                    'Run this stage on on-premise-agent too',
                    'other-runner',
                  ),
                ]
              : [],
        });
      }
    }
  },
});
