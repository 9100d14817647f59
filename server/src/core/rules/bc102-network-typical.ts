import { typicalNetwork } from '../checks';
import { defineRule } from './rule';
import { inheritedNote, inheritedRelated, recommendedRunnerFixes, runnerFieldSpan, runnerHint, stageLabel, withHint } from './helpers';

export const bc102 = defineRule({
  meta: {
    code: 'BC102',
    slug: 'network-typical',
    category: 'selection',
    defaultSeverity: 'info',
    summary: 'The network profile is not a typical one for the stage’s phase and workload.',
    messages: {
      atypical:
        'Stage {stage} uses network {actual}{inherited}; {phase} / {workload} typically uses {typical}. Say why in runner.justification if it must stay.{hint}',
    },
    perStage: true,
    fixable: true,
    concernsRunner: true,
  },
  check(ctx) {
    for (const v of ctx.verdicts) {
      const row = v.fit.row;
      const net = v.declared.network;
      if (!row || v.fit.justified || !net || typicalNetwork(v.fit, net)) continue;
      ctx.report({
        messageId: 'atypical',
        data: {
          stage: stageLabel(v.stage),
          actual: net,
          inherited: inheritedNote(v.stage, 'network'),
          phase: row.phase,
          workload: v.fit.workload!,
          typical: row.networks.join(' or '),
          hint: withHint(runnerHint(v, 'BC102')),
        },
        span: runnerFieldSpan(v.stage, 'network', ctx.text),
        fixes: recommendedRunnerFixes(ctx.text, v),
        related: inheritedRelated(v.stage, 'network'),
      });
    }
  },
});
