import { defineRule } from './rule';
import {
  compliantNetworks,
  inheritedNote,
  inheritedRelated,
  isKnownClass,
  isKnownNetwork,
  rowOf,
  runnerFieldSpan,
  setRunnerFieldFix,
  stageLabel,
} from './helpers';

export const bc205 = defineRule({
  meta: {
    code: 'BC205',
    slug: 'policy-allow-list',
    category: 'governance',
    defaultSeverity: 'error',
    summary: 'The runner class or network profile is outside the policy’s allow lists.',
    messages: {
      classNotAllowed: 'Runner class {value}{inherited} of stage {stage} is not allowed by the policy. Allowed classes: {allowed}.',
      networkNotAllowed: 'Network {value}{inherited} of stage {stage} is not allowed by the policy. Allowed networks: {allowed}.',
    },
    fixable: true,
  },
  check(ctx) {
    const pipeline = ctx.pipeline;
    if (!pipeline) return;
    const { allowedClasses, allowedNetworks } = ctx.policy;
    for (const stage of pipeline.stages) {
      const cls = stage.runner.class;
      if (cls && isKnownClass(cls.value) && !allowedClasses.includes(cls.value as never)) {
        const recommended = rowOf(stage)?.class;
        const options = [...allowedClasses].sort((a, b) => Number(b === recommended) - Number(a === recommended));
        ctx.report({
          messageId: 'classNotAllowed',
          data: { value: cls.value, inherited: inheritedNote(stage, 'class'), stage: stageLabel(stage), allowed: allowedClasses.join(', ') || 'none' },
          span: runnerFieldSpan(stage, 'class', ctx.text),
          fixes: options.map((c) => setRunnerFieldFix(ctx.text, stage, 'class', c, `Use class "${c}"`, options.length === 1 || c === recommended)),
          related: inheritedRelated(stage, 'class'),
        });
      }
      const net = stage.runner.network;
      if (net && isKnownNetwork(net.value) && !allowedNetworks.includes(net.value as never)) {
        const options = compliantNetworks(stage, pipeline, ctx.policy);
        ctx.report({
          messageId: 'networkNotAllowed',
          data: { value: net.value, inherited: inheritedNote(stage, 'network'), stage: stageLabel(stage), allowed: allowedNetworks.join(', ') || 'none' },
          span: runnerFieldSpan(stage, 'network', ctx.text),
          fixes: options.map((n) => setRunnerFieldFix(ctx.text, stage, 'network', n, `Use network "${n}"`, options.length === 1)),
          related: inheritedRelated(stage, 'network'),
        });
      }
    }
  },
});
