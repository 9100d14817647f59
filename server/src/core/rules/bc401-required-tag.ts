import { pairOf, spanOf } from '../yaml-ast';
import { insertPair } from '../yaml-edit';
import type { Fix } from '../types';
import { defineRule } from './rule';

export const TAG_PLACEHOLDER = 'TODO';

export const bc401 = defineRule({
  meta: {
    code: 'BC401',
    slug: 'required-tag',
    category: 'governance',
    defaultSeverity: 'warning',
    summary: 'A tag the policy requires is missing from metadata.tags.',
    messages: {
      missing: 'Pipeline "{pipeline}" has no "{tag}" tag, which the policy requires on every pipeline so cost reports and evidence can be attributed.',
      placeholder: 'Tag "{tag}" of pipeline "{pipeline}" has {value}; the policy requires a real value so cost reports and evidence can be attributed.',
    },
    fixable: true,
  },
  check(ctx) {
    const pipeline = ctx.pipeline;
    if (!pipeline?.metadata) return;
    for (const tag of ctx.policy.requiredTags) {
      const value = pipeline.tags.get(tag);
      if (value !== undefined) {
        // The placeholder the fix inserts (or nothing) attributes costs to no one: still missing.
        if (value.trim() !== '' && value.trim().toUpperCase() !== TAG_PLACEHOLDER) continue;
        const pair = pairOf(pipeline.tagsMap, tag);
        ctx.report({
          messageId: 'placeholder',
          data: { pipeline: pipeline.name?.value ?? 'unnamed', tag, value: value.trim() === '' ? 'an empty value' : `the placeholder "${value.trim()}"` },
          span: spanOf(pair?.value) ?? spanOf(pair?.key) ?? { start: 0, end: 0 },
        });
        continue;
      }
      const fixes: Fix[] = [];
      // A placeholder value would pass this check forever: a suggestion for a person to complete.
      const title = `Add tag ${tag} with a placeholder value to replace`;
      const tagsPair = pairOf(pipeline.metadata, 'tags');
      if (pipeline.tagsMap) fixes.push({ title, edits: [insertPair(ctx.text, pipeline.tagsMap, tag, TAG_PLACEHOLDER)], safety: 'suggestion' });
      else if (!tagsPair) fixes.push({ title, edits: [insertPair(ctx.text, pipeline.metadata, 'tags', { [tag]: TAG_PLACEHOLDER })], safety: 'suggestion' });
      const tagsKey = tagsPair?.key;
      ctx.report({
        messageId: 'missing',
        data: { pipeline: pipeline.name?.value ?? 'unnamed', tag },
        span: spanOf(tagsKey) ?? spanOf(pipeline.metadataPair?.key) ?? { start: 0, end: 0 },
        fixes,
      });
    }
  },
});
