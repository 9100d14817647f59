import { defineRule } from './rule';

export const bc001 = defineRule({
  meta: {
    code: 'BC001',
    slug: 'yaml-syntax',
    category: 'syntax',
    defaultSeverity: 'error',
    summary: 'The file is not valid YAML, or cannot be analysed safely (too large, binary, too deep, alias bomb).',
    messages: {
      syntax: 'YAML syntax error: {detail}',
      'too-large': '{detail}',
      binary: '{detail}',
      'too-deep': '{detail}',
      aliases: '{detail}',
    },
    fixable: false,
  },
  check(ctx) {
    for (const p of ctx.file.problems) {
      if (p.documentIndex === ctx.document.index) ctx.report({ messageId: p.kind, data: { detail: p.message }, span: p.span });
    }
  },
});
