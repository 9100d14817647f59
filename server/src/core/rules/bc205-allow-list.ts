import { classAllowed, networkAllowed } from '../checks';
import { defineRule } from './rule';
import { inheritedNote, inheritedRelated, recommendedRunnerFixes, runnerFieldSpan, runnerHint, stageLabel, withHint } from './helpers';

export const bc205 = defineRule({
  meta: {
    code: 'BC205',
    slug: 'policy-allow-list',
    category: 'governance',
    defaultSeverity: 'error',
    summary: 'The runner class or network profile is outside the policy’s allow lists.',
    messages: {
      classNotAllowed: 'Runner class {value}{inherited} of stage {stage} is not allowed by the policy. Allowed classes: {allowed}.{hint}',
      networkNotAllowed: 'Network {value}{inherited} of stage {stage} is not allowed by the policy. Allowed networks: {allowed}.{hint}',
    },
    perStage: true,
    fixable: true,
    concernsRunner: true,
  },
  check(ctx) {
    const { allowedClasses, allowedNetworks } = ctx.policy;
    for (const v of ctx.verdicts) {
      const { class: cls, network: net } = v.declared;
      const hint = withHint(runnerHint(v, 'BC205'));
      if (cls && !classAllowed(v.fit, cls)) {
        ctx.report({
          messageId: 'classNotAllowed',
          data: { value: cls, inherited: inheritedNote(v.stage, 'class'), stage: stageLabel(v.stage), allowed: allowedClasses.join(', ') || 'none', hint },
          span: runnerFieldSpan(v.stage, 'class', ctx.text),
          fixes: recommendedRunnerFixes(ctx.text, v),
          related: inheritedRelated(v.stage, 'class'),
        });
      }
      if (net && !networkAllowed(v.fit, net)) {
        ctx.report({
          messageId: 'networkNotAllowed',
          data: { value: net, inherited: inheritedNote(v.stage, 'network'), stage: stageLabel(v.stage), allowed: allowedNetworks.join(', ') || 'none', hint },
          span: runnerFieldSpan(v.stage, 'network', ctx.text),
          fixes: recommendedRunnerFixes(ctx.text, v),
          related: inheritedRelated(v.stage, 'network'),
        });
      }
    }
  },
});
