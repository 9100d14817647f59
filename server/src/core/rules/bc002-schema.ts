import { orderedTiers, tierOf } from '../data';
import { cronRunsPerDay } from '../cron';
import { PIPELINE_SCHEMA, validateAgainst, VALIDATORS } from '../schema';
import { quote } from '../secrets';
import { closestAll, typoFixes } from '../similar';
import { spanOf } from '../yaml-ast';
import { replaceScalar } from '../yaml-edit';
import { defineRule, type RuleContext } from './rule';
import type { Field } from '../model';

export const SCHEMA_MESSAGES: Record<string, string> = {
  unknownKey: 'Unknown key {key} in {where}. Valid keys: {valid}.',
  unknownKeyDidYouMean: 'Unknown key {key} in {where}. Did you mean "{suggestion}"?',
  missingKey: '{where} is missing the required key "{key}".',
  badEnum: '{value} is not a valid {title}. Expected one of: {choices}.',
  badEnumDidYouMean: '{value} is not a valid {title}. Did you mean "{suggestion}"? Expected one of: {choices}.',
  badConst: '{title} must be "{expected}", not {value}.',
  badType: '{title} must be {expected}, not {actual}.',
  badPattern: '{value} is not a valid {title}: {rule}.',
  tooFew: '{title} needs at least {limit} entry.',
  empty: '{title} must not be empty.',
  tooSmall: '{title} must be at least {limit}, not {value}.',
  notPositive: '{title} must be greater than {limit}, not {value}.',
  duplicateItem: '{value} is listed more than once in {title}.',
  scheduleShape: 'A schedule ({where}) has exactly one of "cron" or "event".',
  badRuleCode: '{key} is not a rule code: use BC followed by three digits, such as BC101.',
  invalid: '{where}: {detail}.',
  badSize: 'Size tier {value} is not defined by the policy. Expected one of: {choices}.',
  badSizeDidYouMean: 'Size tier {value} is not defined by the policy. Did you mean "{suggestion}"? Expected one of: {choices}.',
  badCron: 'Cron expression {value} is not valid: {reason}.',
  notPipeline: 'This document is a {kind}, not a Pipeline: a manifest holds pipelines; keep policies in barecount.policy.yaml.',
};

export const bc002 = defineRule({
  meta: {
    code: 'BC002',
    slug: 'schema',
    category: 'schema',
    defaultSeverity: 'error',
    summary: 'The manifest does not match its schema: a missing key, a wrong type, an unknown key, or a bad enum value or pattern.',
    messages: SCHEMA_MESSAGES,
    fixable: true,
  },
  check(ctx) {
    const { document, text, pipeline, policy, work } = ctx;
    if (!pipeline) {
      for (const issue of validateAgainst(VALIDATORS.pipeline, PIPELINE_SCHEMA, document.doc, document.data, text, work)) ctx.report(issue);
      return;
    }
    // The header here; each stage with a model in checkStage. Items of spec.stages that are not
    // mappings have no model: they are validated here, as the whole schema would.
    for (const issue of validateAgainst(VALIDATORS.header, PIPELINE_SCHEMA, document.doc, document.data, text, work)) ctx.report(issue);
    const items = stageItems(document.data);
    if (items && items.length !== pipeline.stages.length) {
      const modelled = new Set(pipeline.stages.map((s) => s.index));
      items.forEach((item, i) => {
        if (modelled.has(i)) return;
        for (const issue of validateAgainst(VALIDATORS.stage, PIPELINE_SCHEMA, document.doc, item, text, work, `/spec/stages/${i}`)) ctx.report(issue);
      });
    }
    const f = pipeline.defaults.size;
    if (f && !tierOf(policy, f.value)) reportSize(ctx, f);
  },
  checkStage(ctx) {
    const { document, text, pipeline, policy, work } = ctx;
    const s = pipeline?.stages[0];
    if (!s) return;
    const item = stageItems(document.data)?.[s.index];
    for (const issue of validateAgainst(VALIDATORS.stage, PIPELINE_SCHEMA, document.doc, item, text, work, `/spec/stages/${s.index}`)) ctx.report(issue);
    // Checks the schema cannot express: size tiers come from the policy, cron needs parsing.
    const size = s.runner.size?.source === 'stage' ? s.runner.size : undefined;
    if (size && !tierOf(policy, size.value)) reportSize(ctx, size);
    if (s.cron) {
      const r = s.cronRuns ?? cronRunsPerDay(s.cron.value);
      if (!r.ok) ctx.report({ messageId: 'badCron', data: { value: quote(s.cron.value), reason: r.reason }, span: spanOf(s.cron.node)! });
    }
  },
});

/** The items of spec.stages in a document's data, when it is a list. */
function stageItems(data: unknown): unknown[] | undefined {
  const stages = (data as { spec?: { stages?: unknown } } | null)?.spec?.stages;
  return Array.isArray(stages) ? stages : undefined;
}

/** A size tier the policy does not define, with the closest tiers as fixes. */
function reportSize(ctx: RuleContext, f: Field<string>): void {
  const tiers = orderedTiers(ctx.policy);
  const matches = closestAll(f.value, tiers);
  const best = matches[0];
  ctx.report({
    messageId: best ? 'badSizeDidYouMean' : 'badSize',
    data: { value: quote(f.value), choices: tiers.join(', '), ...(best ? { suggestion: best } : {}) },
    span: spanOf(f.node)!,
    fixes: typoFixes(matches, (name) => ({ title: `Change to "${name}"`, edits: [replaceScalar(f.node, name, ctx.text)] })),
  });
}
