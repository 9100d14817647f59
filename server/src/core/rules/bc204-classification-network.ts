import type { Classification } from '../data';
import { defineRule } from './rule';
import { isKnownNetwork, compliantNetworks, inheritedNote, inheritedRelated, runnerFieldSpan, setRunnerFieldFix, stageLabel } from './helpers';

export const bc204 = defineRule({
  meta: {
    code: 'BC204',
    slug: 'classification-network',
    category: 'security',
    defaultSeverity: 'error',
    summary: 'The network profile is not allowed by the policy for the pipeline’s data classification.',
    messages: {
      notAllowed: 'Network {network}{inherited} of stage {stage} may not carry {classification} data under the policy, which allows {allowed}. {hint}',
    },
    fixable: true,
  },
  check(ctx) {
    const pipeline = ctx.pipeline;
    const classification = pipeline?.classification?.value as Classification | undefined;
    if (!pipeline || !classification) return;
    const allowed = ctx.policy.classificationNetworks[classification];
    if (!allowed) return;
    for (const stage of pipeline.stages) {
      const net = stage.runner.network;
      if (!net || !isKnownNetwork(net.value) || allowed.includes(net.value as never)) continue;
      const options = compliantNetworks(stage, pipeline, ctx.policy);
      ctx.report({
        messageId: 'notAllowed',
        data: {
          network: net.value,
          inherited: inheritedNote(stage, 'network'),
          stage: stageLabel(stage),
          classification,
          allowed: allowed.length ? allowed.join(', ') : 'no network',
          hint: options.length ? `Allowed networks that reach its connections: ${options.join(', ')}.` : 'No allowed network reaches all its connections.',
        },
        span: runnerFieldSpan(stage, 'network', ctx.text),
        fixes: options.map((n) => setRunnerFieldFix(ctx.text, stage, 'network', n, `Use network "${n}"`, options.length === 1)),
        related: inheritedRelated(stage, 'network'),
      });
    }
  },
});
