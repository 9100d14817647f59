import { isCurrent } from '../ignore';
import { defineRule } from './rule';

export const bc005 = defineRule({
  meta: {
    code: 'BC005',
    slug: 'unused-ignore',
    category: 'suppression',
    defaultSeverity: 'info',
    summary: 'An ignore comment silences nothing: no finding of the codes it names is there any more.',
    messages: {
      unused: 'This comment silences nothing: no {codes} finding is {where}. Remove it, so that it does not hide a future finding nobody has looked at.',
    },
    fixable: true,
  },
  // Run after every other rule of the document: it reads which comments silenced something.
  check(ctx) {
    const used = ctx.usedWaivers;
    // While the document has a typo to correct (a schema error, an unknown dependency) or a stage
    // that stops rules from running (a workload not of its phase, a missing runner field), the
    // rules a comment names may not have run: comments are judged once they are gone, so
    // fix-on-save never drops a waiver in the same pass as it corrects the typo that hid its finding.
    if (!used || ctx.waiversBlocked) return;
    for (const c of ctx.ignores) {
      // Expired comments are BC004's; comments without a date or a known code, BC003's.
      if (c.badUntil || !isCurrent(c, ctx.today) || used.has(c)) continue;
      if (!c.codes.some((code) => ctx.knownCodes.has(code))) continue;
      // The whole line with its line break (an ignore comment is always a line of its own):
      // removing it changes what no other comment applies to.
      const start = ctx.text.lastIndexOf('\n', c.comment.start - 1) + 1;
      const lineEnd = ctx.text.indexOf('\n', c.comment.end);
      ctx.report({
        messageId: 'unused',
        data: { codes: c.codes.join(' or '), where: c.stage ? 'in the stage below it' : 'on the line below it' },
        span: c.comment,
        fixes: [
          {
            title: 'Remove the ignore comment that silences nothing',
            edits: [{ start, end: lineEnd === -1 ? ctx.text.length : lineEnd + 1, newText: '' }],
            safety: 'safe',
            isPreferred: true,
          },
        ],
      });
    }
  },
});
