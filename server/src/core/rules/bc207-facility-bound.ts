import type { RunnerClass } from '../data';
import type { StageModel } from '../model';
import { quote } from '../secrets';
import { spanOf } from '../yaml-ast';
import { defineRule } from './rule';
import { runnerFieldSpan, runnerFix, stageLabel } from './helpers';

const FACILITY = 'on-premise-agent';

/** Stages of a path shown in full; a longer one keeps its first three and last two. */
const SHOWN = 6;

const nameOf = (s: StageModel) => (s.name ? quote(s.name.value).slice(1, -1) : `#${s.index + 1}`);

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
    // Per stage reached: the next stage towards the facility, how many steps away it is, and the
    // stage just before it (so a long path is named without walking it).
    const via = new Map<StageModel, StageModel | null>();
    const depth = new Map<StageModel, number>();
    const beforeRoot = new Map<StageModel, StageModel>();
    const rootOf = new Map<StageModel, StageModel>();
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
      depth.set(at, 0);
      rootOf.set(at, at);
      queue.push(at);
    }
    if (queue.length === 0) return;
    for (let i = 0; i < queue.length; i++) {
      ctx.work.add(1);
      const s = queue[i]!;
      for (const d of dependents.get(s) ?? []) {
        if (via.has(d)) continue;
        via.set(d, s);
        depth.set(d, depth.get(s)! + 1);
        beforeRoot.set(d, depth.get(s) === 0 ? d : beforeRoot.get(s)!);
        rootOf.set(d, rootOf.get(s)!);
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
        // The path from the stage back to the nearest facility-bound stage through this entry:
        // walked at most SHOWN steps, so a long chain of stages costs each report a constant.
        const steps = depth.get(target)! + 1;
        const head: StageModel[] = [stage];
        for (let s: StageModel | null | undefined = target; s && head.length < (steps < SHOWN ? SHOWN : 3); s = via.get(s)) head.push(s);
        ctx.work.add(head.length);
        const root = rootOf.get(target)!;
        const path =
          steps < SHOWN
            ? head.map(nameOf).join(' ← ')
            : `${head.map(nameOf).join(' ← ')} ← … ← ${nameOf(beforeRoot.get(target)!)} ← ${nameOf(root)} (${steps} steps)`;
        const upstream = facility.get(root) ?? root;
        const upstreamSpan = runnerFieldSpan(upstream, 'network', ctx.text);
        // (A stage with no connections touches nothing outside: it may move too.)
        const allOnPremise = stage.connections.every((c) => c.location?.value === 'on-premise');
        const cls = stage.runner.class?.value;
        const size = stage.runner.size?.value;
        ctx.report({
          messageId: 'leaves',
          data: { stage: stageLabel(stage), upstream: stageLabel(upstream), path, problem: problems.join(' and ') },
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
