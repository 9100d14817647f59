import { isCurrent } from '../ignore';
import { defineRule } from './rule';

export const bc004 = defineRule({
  meta: {
    code: 'BC004',
    slug: 'waiver-expired',
    category: 'suppression',
    defaultSeverity: 'error',
    summary:
      'A waiver (an ignore comment or a policy `waivers` entry) is past its `until` date: it waives nothing, and the finding it waived is reported again.',
    messages: {
      expired:
        'This waiver of {codes} ended on {until} (today is {today}): it waives nothing, and what it waived is reported again. Fix the finding, or renew the waiver with a new date and reason.',
      expiredPolicy:
        'The waiver of {code} for pipeline {pipeline}{stage} (owner {owner}) ended on {until} (today is {today}): its manifests get the finding back. Remove the entry, or renew it with a new date and reason.',
    },
    fixable: false,
  },
  // Policy entries are checked where the policy is read (policy.ts); here, a manifest's comments.
  check(ctx) {
    for (const c of ctx.ignores) {
      if (c.until === undefined || c.badUntil || isCurrent(c, ctx.today)) continue;
      ctx.report({ messageId: 'expired', data: { codes: c.codes.join(', ') || 'nothing', until: c.until, today: ctx.today }, span: c.comment });
    }
  },
});
