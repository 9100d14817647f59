import { networkCarriesClassification } from '../checks';
import { classificationNetworks } from '../data';
import { defineRule } from './rule';
import { inheritedNote, inheritedRelated, recommendedRunnerFixes, runnerFieldSpan, networkHint, stageLabel, withHint } from './helpers';

export const bc204 = defineRule({
  meta: {
    code: 'BC204',
    slug: 'classification-network',
    category: 'security',
    defaultSeverity: 'error',
    summary: 'The network profile is not allowed by the policy for the pipeline’s data classification.',
    messages: {
      notAllowed: 'Network {network}{inherited} of stage {stage} may not carry {classification} data under the policy, which allows {allowed}.{hint}',
    },
    perStage: true,
    fixable: true,
    concernsRunner: true,
  },
  check(ctx) {
    for (const v of ctx.verdicts) {
      const net = v.declared.network;
      if (!net || networkCarriesClassification(v.fit, net)) continue;
      const allowed = classificationNetworks(v.fit.classification, ctx.policy) ?? [];
      ctx.report({
        messageId: 'notAllowed',
        data: {
          network: net,
          inherited: inheritedNote(v.stage, 'network'),
          stage: stageLabel(v.stage),
          classification: v.fit.classification!,
          allowed: allowed.length ? allowed.join(', ') : 'no network',
          hint: withHint(networkHint(v, 'BC204')),
        },
        span: runnerFieldSpan(v.stage, 'network', ctx.text),
        fixes: recommendedRunnerFixes(ctx.text, v),
        related: inheritedRelated(v.stage, 'network'),
      });
    }
  },
});
