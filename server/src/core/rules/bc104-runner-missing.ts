import { orderedTiers } from '../data';
import type { RunnerField } from '../model';
import { RUNNER_FIELDS } from '../model';
import { isScalar, spanOf } from '../yaml-ast';
import type { Fix } from '../types';
import { defineRule } from './rule';
import { compliantNetworks, rowOf, setRunnerFieldFix, stageAnchor, stageLabel } from './helpers';

export const bc104 = defineRule({
  meta: {
    code: 'BC104',
    slug: 'runner-missing',
    category: 'selection',
    defaultSeverity: 'error',
    summary: 'A stage has no runner class, size or network, even after spec.defaults.runner is applied.',
    messages: {
      missing: 'Stage {stage} declares no runner {field}, and spec.defaults.runner gives none. {hint}',
    },
    fixable: true,
  },
  check(ctx) {
    const pipeline = ctx.pipeline;
    if (!pipeline) return;
    const smallest = orderedTiers(ctx.policy)[0];
    for (const stage of pipeline.stages) {
      // A runner that is not a mapping at all is BC002's to report; one error per mistake.
      const v = stage.runnerPair?.value;
      if (v && !stage.runnerMap && !(isScalar(v) && (v.value === null || v.value === ''))) continue;
      const row = rowOf(stage);
      for (const field of RUNNER_FIELDS) {
        if (stage.runner[field]) continue;
        let value: string | undefined;
        let why = '';
        if (field === 'class' && row) [value, why] = [row.class, `the matrix recommends "${row.class}" for ${row.phase} / ${stage.workload?.value}`];
        if (field === 'network' && row) {
          value = compliantNetworks(stage, pipeline, ctx.policy, row.networks)[0] ?? row.networks[0];
          why = `"${value}" is the preferred network for ${row.phase} / ${stage.workload?.value}`;
        }
        if (field === 'size' && smallest) [value, why] = [smallest, `"${smallest}" is the smallest tier`];
        const fixes: Fix[] = value ? [setRunnerFieldFix(ctx.text, stage, field as RunnerField, value, `Add ${field}: ${value}`, true)] : [];
        ctx.report({
          messageId: 'missing',
          data: { stage: stageLabel(stage), field, hint: value ? `Add runner.${field}; ${why}.` : `Add runner.${field}.` },
          span: spanOf(stage.runnerPair?.key as never) ?? stageAnchor(stage, ctx.text),
          fixes,
        });
      }
    }
  },
});
