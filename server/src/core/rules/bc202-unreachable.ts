import { reaches } from '../data';
import { spanOf } from '../yaml-ast';
import { defineRule } from './rule';
import { isKnownNetwork, compliantNetworks, inheritedNote, rowOf, runnerFieldSpan, setRunnerFieldFix, stageLabel } from './helpers';

export const bc202 = defineRule({
  meta: {
    code: 'BC202',
    slug: 'unreachable-connection',
    category: 'security',
    defaultSeverity: 'error',
    summary: 'A connection’s location cannot be reached through the stage’s network profile.',
    messages: {
      unreachable: 'Connection {connection} is at {location}, which network {network}{inherited} of stage {stage} cannot reach{why}. {hint}',
    },
    fixable: true,
  },
  check(ctx) {
    const pipeline = ctx.pipeline;
    if (!pipeline) return;
    for (const stage of pipeline.stages) {
      const net = stage.runner.network;
      if (!net || !isKnownNetwork(net.value)) continue;
      let options: string[] | undefined;
      for (const conn of stage.connections) {
        if (!conn.location) continue;
        const location = conn.location.value;
        if (reaches(net.value, { location, privateLink: conn.privateLink }, ctx.policy)) continue;
        if (!options) {
          const typical = rowOf(stage)?.networks ?? [];
          options = compliantNetworks(stage, pipeline, ctx.policy).sort((a, b) => rank(typical, a) - rank(typical, b));
        }
        let why = '';
        if (net.value === 'private-vpc' && location === 'public-internet') why = ' (the policy turns NAT egress off)';
        else if (net.value === 'privatelink' && (location === 'public-internet' || location === 'partner-network'))
          why = ' (the endpoint does not offer PrivateLink)';
        const netSpan = runnerFieldSpan(stage, 'network', ctx.text);
        ctx.report({
          messageId: 'unreachable',
          data: {
            connection: JSON.stringify(conn.name?.value ?? 'unnamed'),
            location,
            network: net.value,
            inherited: inheritedNote(stage, 'network'),
            stage: stageLabel(stage),
            why,
            hint: options.length
              ? `Networks that reach all its connections and are allowed: ${options.join(', ')}.`
              : 'No allowed network reaches all of this stage’s connections: split the stage, or ask for a policy exception.',
          },
          span: spanOf(conn.location.node)!,
          fixes: options.map((n) => setRunnerFieldFix(ctx.text, stage, 'network', n, `Use network "${n}"`, options!.length === 1)),
          related: [{ span: spanOf(net.node) ?? netSpan, message: `network "${net.value}" is declared here` }],
        });
      }
    }
  },
});

function rank(typical: readonly string[], n: string): number {
  const i = typical.indexOf(n);
  return i === -1 ? typical.length : i;
}
