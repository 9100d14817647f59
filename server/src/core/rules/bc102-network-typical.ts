import { defineRule } from './rule';
import { isKnownNetwork, compliantNetworks, inheritedNote, inheritedRelated, rowOf, runnerFieldSpan, setRunnerFieldFix, stageLabel } from './helpers';

export const bc102 = defineRule({
  meta: {
    code: 'BC102',
    slug: 'network-typical',
    category: 'selection',
    defaultSeverity: 'info',
    summary: 'The network profile is not a typical one for the stage’s phase and workload.',
    messages: {
      atypical: 'Stage {stage} uses network {actual}{inherited}; {phase} / {workload} typically uses {typical}. Switch, or say why in runner.justification.',
    },
    fixable: true,
  },
  check(ctx) {
    const pipeline = ctx.pipeline;
    if (!pipeline) return;
    for (const stage of pipeline.stages) {
      const row = rowOf(stage);
      const net = stage.runner.network;
      if (!row || !net || !isKnownNetwork(net.value) || row.networks.includes(net.value as never) || stage.justification) continue;
      const options = compliantNetworks(stage, pipeline, ctx.policy, row.networks);
      ctx.report({
        messageId: 'atypical',
        data: {
          stage: stageLabel(stage),
          actual: net.value,
          inherited: inheritedNote(stage, 'network'),
          phase: row.phase,
          workload: stage.workload!.value,
          typical: row.networks.join(' or '),
        },
        span: runnerFieldSpan(stage, 'network', ctx.text),
        fixes: options.map((n) => setRunnerFieldFix(ctx.text, stage, 'network', n, `Use the typical network "${n}"`, options.length === 1)),
        related: inheritedRelated(stage, 'network'),
      });
    }
  },
});
