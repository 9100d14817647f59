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
      'too-many-lines': '{detail}',
      'too-much-work':
        'The analysis stopped early: this document needs more work than the limit of {limit} steps allows (maxWork), so findings after that point are missing. Split the file, or raise the limit.',
    },
    fixable: false,
  },
  check(ctx) {
    // Problems come in document order: the document's own are found by binary search, so a file
    // of thousands of broken documents is not read once per document.
    const problems = ctx.file.problems;
    let lo = 0;
    let hi = problems.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (problems[mid]!.documentIndex < ctx.document.index) lo = mid + 1;
      else hi = mid;
    }
    for (let i = lo; i < problems.length && problems[i]!.documentIndex === ctx.document.index; i++) {
      const p = problems[i]!;
      ctx.report({ messageId: p.kind, data: { detail: p.message }, span: p.span });
    }
  },
});
