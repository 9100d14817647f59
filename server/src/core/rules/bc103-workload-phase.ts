import { lazyFix } from '../types';
import { WORKLOADS, workloadsOfPhase } from '../data';
import { spanOf } from '../yaml-ast';
import { replaceScalar } from '../yaml-edit';
import { defineRule } from './rule';
import { stageLabel } from './helpers';

export const bc103 = defineRule({
  meta: {
    code: 'BC103',
    slug: 'workload-phase',
    category: 'selection',
    defaultSeverity: 'warning',
    summary: 'The workload is not one the selection matrix lists for the stage’s phase, so the matrix recommends no class or network for it.',
    messages: {
      notInPhase:
        'Workload "{workload}" is not listed for phase {phase}, so the selection matrix has no recommendation for stage {stage}. Workloads of phase {phase}: {choices}.',
    },
    perStage: true,
    fixable: true,
    concernsRunner: true,
  },
  check(ctx) {
    for (const stage of ctx.pipeline?.stages ?? []) {
      const phase = stage.phase?.value;
      const workload = stage.workload;
      if (!phase || !workload || !WORKLOADS.includes(workload.value)) continue;
      const valid = workloadsOfPhase(phase);
      if (valid.length === 0 || valid.includes(workload.value)) continue;
      ctx.report({
        messageId: 'notInPhase',
        data: { stage: stageLabel(stage), workload: workload.value, phase, choices: valid.join(', ') },
        span: spanOf(workload.node)!,
        // Which workload a stage is, is the author's call: suggestions only, never fix-all. Their
        // edits are made when a code action reads them (most findings are never acted on).
        fixes: valid.map((w) =>
          lazyFix({ title: `Set workload to "${w}"`, safety: 'suggestion', decides: 'classification' }, () => [replaceScalar(workload.node, w, ctx.text)]),
        ),
      });
    }
  },
});
