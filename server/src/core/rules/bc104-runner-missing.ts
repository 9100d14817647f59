import { RUNNER_FIELDS } from '../model';
import { isScalar, spanOf } from '../yaml-ast';
import { defineRule } from './rule';
import { recommendedRunnerFixes, runnerHint, stageAnchor, stageLabel, withHint } from './helpers';

export const bc104 = defineRule({
  meta: {
    code: 'BC104',
    slug: 'runner-missing',
    category: 'selection',
    defaultSeverity: 'error',
    summary: 'A stage has no runner class, size or network, even after spec.defaults.runner is applied.',
    messages: {
      missing: 'Stage {stage} declares no runner {field}, and spec.defaults.runner gives none.{hint}',
    },
    perStage: true,
    fixable: true,
    concernsRunner: true,
  },
  check(ctx) {
    for (const v of ctx.verdicts) {
      const stage = v.stage;
      // A runner that is not a mapping at all is BC002's to report; one error per mistake.
      const value = stage.runnerPair?.value;
      if (value && !stage.runnerMap && !(isScalar(value) && (value.value === null || value.value === ''))) continue;
      for (const field of RUNNER_FIELDS) {
        if (stage.runner[field] || stage.badType.includes(field)) continue;
        // Without a recommendation, say what the spec offers: the matrix's class, the preferred network, the smallest tier.
        const row = v.fit.row;
        const plain = field === 'class' ? row?.class : field === 'network' ? row?.networks[0] : v.fit.tiers[0];
        const hint = runnerHint(v, 'BC104') || (plain ? `Add runner.${field}, for example ${plain}.` : `Add runner.${field}.`);
        ctx.report({
          messageId: 'missing',
          data: { stage: stageLabel(stage), field, hint: withHint(hint) },
          span: spanOf(stage.runnerPair?.key) ?? stageAnchor(stage, ctx.text),
          fixes: recommendedRunnerFixes(ctx.text, v),
        });
      }
    }
  },
});
