/**
 * Escaping for the formats manifest text lands in, one function each. Every manifest- or
 * policy-derived string that goes into Markdown (hover, completion documentation, the Markdown
 * export) passes `md` or `mdCode`; nothing from a manifest is ever rendered as markup.
 * No imports: the client's export uses this file too.
 */

/**
 * The characters that can start markup inside a line: code, emphasis, links and images, HTML and
 * entities, tables, strikethrough, math, mentions, headings and autolinks (`:`). Values never
 * start a line in our output, so list and heading markers at a line start need no escape.
 */
const MARKDOWN_PUNCTUATION = /[\\`*_[\]<>!|~&$@#:]/g;

/** Text for Markdown that renders as the same characters, never as markup; line breaks become spaces. */
export function md(text: string): string {
  return text.replace(/[\r\n\u2028\u2029]+/g, ' ').replace(MARKDOWN_PUNCTUATION, '\\$&');
}

/** An inline code span holding the text as is, whatever backticks it holds (CommonMark §6.1). */
export function mdCode(text: string): string {
  const flat = text.replace(/[\r\n\u2028\u2029]+/g, ' ');
  let longest = 0;
  let run = 0;
  for (let i = 0; i < flat.length; i++) {
    run = flat.charCodeAt(i) === 96 ? run + 1 : 0;
    if (run > longest) longest = run;
  }
  const fence = '`'.repeat(longest + 1);
  const pad = flat.startsWith('`') || flat.endsWith('`') || flat === '' ? ' ' : '';
  return `${fence}${pad}${flat}${pad}${fence}`;
}
