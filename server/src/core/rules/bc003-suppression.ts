import { REASON_PLACEHOLDER } from '../ignore';
import { defineRule } from './rule';

export const bc003 = defineRule({
  meta: {
    code: 'BC003',
    slug: 'suppression-comment',
    category: 'suppression',
    defaultSeverity: 'warning',
    summary:
      'A `# barecount-ignore` comment gives no reason, names no code, or names a code that does not exist; or a policy waiver names an unknown code or a pipeline that looks like a typo.',
    messages: {
      missingReason: 'Say why {codes} is ignored here: "# barecount-ignore {codes}: <reason>". Reviewers and auditors read the reason.',
      unknownCode: '{code} is not a BareCount rule code; this comment silences nothing. Codes run from BC001 to BC503.',
      noCode: 'Name the rule to ignore: "# barecount-ignore BCnnn: <reason>".',
      badUntil: 'Write the last day of the waiver as a date: "until 2027-03-31"; this comment silences nothing until then.',
      waiverUnknownCode: '{code} is not a BareCount rule code; this waiver waives nothing.{suggestion}',
      waiverUnknownPipeline: 'No pipeline linted with this policy is named {pipeline}; did you mean "{suggestion}"? This waiver waives nothing for {pipeline}.',
    },
    fixable: false,
  },
  check(ctx) {
    for (const s of ctx.ignores) {
      if (s.badUntil) ctx.report({ messageId: 'badUntil', span: s.badUntil });
      if (s.codeSpans.length === 0) {
        ctx.report({ messageId: 'noCode', span: s.comment });
        continue;
      }
      for (const c of s.codeSpans) {
        if (!ctx.knownCodes.has(c.code.toUpperCase())) ctx.report({ messageId: 'unknownCode', data: { code: JSON.stringify(c.code.slice(0, 20)) }, span: c });
      }
      // The editor's "Ignore" action writes <reason> as a placeholder; until replaced it is no reason.
      if (s.reason === '' || s.reason === REASON_PLACEHOLDER) ctx.report({ messageId: 'missingReason', data: { codes: s.codes.join(', ') }, span: s.comment });
    }
  },
});
