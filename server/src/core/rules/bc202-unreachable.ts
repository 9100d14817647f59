import { PRIVATELINK_ONLY, reachable } from '../checks';
import { isLocation } from '../data';
import { spanOf } from '../yaml-ast';
import { defineRule } from './rule';
import { inheritedNote, recommendedRunnerFixes, runnerFieldSpan, networkHint, stageLabel, withHint } from './helpers';

export const bc202 = defineRule({
  meta: {
    code: 'BC202',
    slug: 'unreachable-connection',
    category: 'security',
    defaultSeverity: 'error',
    summary: 'A connection’s location cannot be reached through the stage’s network profile.',
    messages: {
      unreachable: 'Connection {connection} is at {location}, which network {network}{inherited} of stage {stage} cannot reach{why}.{hint}',
    },
    perStage: true,
    fixable: true,
    concernsRunner: true,
  },
  check(ctx) {
    for (const v of ctx.verdicts) {
      const net = v.declared.network;
      if (!net) continue;
      const stage = v.stage;
      for (const conn of stage.connections) {
        if (!conn.location || !isLocation(conn.location.value)) continue;
        const location = conn.location.value;
        if (reachable(v.fit, net, { location, privateLink: conn.privateLink })) continue;
        let why = '';
        let privateLinkHint = '';
        if (net === 'private-vpc' && location === 'public-internet') why = ' (the policy turns NAT egress off)';
        else if (net === 'privatelink' && PRIVATELINK_ONLY.has(location)) {
          why = ' unless the endpoint offers PrivateLink';
          privateLinkHint = 'If it does, set privateLink: true on the connection.';
        }
        const verdictHint = networkHint(v, 'BC202');
        const hint = verdictHint.includes('privateLink: true') ? verdictHint : [privateLinkHint, verdictHint].filter(Boolean).join(' ');
        ctx.report({
          messageId: 'unreachable',
          data: {
            connection: JSON.stringify(conn.name?.value ?? 'unnamed'),
            location,
            network: net,
            inherited: inheritedNote(stage, 'network'),
            stage: stageLabel(stage),
            why,
            hint: withHint(hint),
          },
          span: spanOf(conn.location.node)!,
          fixes: recommendedRunnerFixes(ctx.text, v),
          related: [{ span: spanOf(stage.runner.network?.node) ?? runnerFieldSpan(stage, 'network', ctx.text), message: `network "${net}" is declared here` }],
        });
      }
    }
  },
});
