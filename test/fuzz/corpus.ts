import { readFileSync, readdirSync } from 'node:fs';
import fc from 'fast-check';
import { parseDocument } from 'yaml';
import { join } from 'node:path';
import { FIXTURES, ROOT, listFiles } from '../helpers';

/** Everything the fuzzers start from: examples, rule fixtures and the rule pages' examples. */
export function corpus(): string[] {
  const texts: string[] = [];
  for (const f of readdirSync(join(ROOT, 'examples'))) texts.push(readFileSync(join(ROOT, 'examples', f), 'utf8'));
  for (const f of listFiles(join(FIXTURES, 'rules'), (p) => p.endsWith('.yaml'))) texts.push(readFileSync(f, 'utf8'));
  for (const f of listFiles(join(ROOT, 'docs/rules'), (p) => p.endsWith('.md'))) {
    for (const m of readFileSync(f, 'utf8').matchAll(/```yaml\n([\s\S]*?)```/g)) texts.push(m[1]!);
  }
  return texts;
}

/** Pieces that break and repair YAML, and some that carry secrets. */
export const PIECES = [
  '\n',
  ' ',
  '  ',
  ':',
  ': ',
  '- ',
  '-',
  '[',
  ']',
  '{',
  '}',
  ',',
  '#',
  '# barecount-ignore BC101',
  '"',
  "'",
  '&a ',
  '*a',
  '!!str ',
  '|',
  '>',
  '|-\n   ',
  '>\n  ',
  '\t',
  '\r\n',
  '\r',
  'x',
  '0',
  'null',
  '~',
  '---\n',
  '...\n',
  '%YAML 1.2\n',
  'name: ',
  'runner:',
  'class: serverless',
  'network: vpn',
  'AKIAIOSFODNN7EXAMPLE',
  'password: hunter22hunter',
  '${secret:X}',
  '\u0000',
  '\ufeff',
  '\u202e',
  'é',
  '😀',
];

export const SECRETS = ['AKIAIOSFODNN7EXAMPLE', 'hunter22hunter'];

export type Mutation = {
  base: number;
  style?: Style;
  ops: Array<{ kind: string; at: number; text?: string; len?: number; how?: string }>;
};

/**
 * How a file is written, besides what it says: the ways people and tools write YAML that the
 * fast path must take as the library does (Windows line ends, document markers, tabs by comments).
 */
/** The text's first document as JSON, or the text as it is when it does not read as data. */
function asJson(t: string, indent?: number): string {
  const doc = parseDocument(t);
  if (doc.errors.length) return t;
  try {
    return JSON.stringify(doc.toJS({ maxAliasCount: 100 }), null, indent) ?? t;
  } catch {
    return t;
  }
}

export const STYLES = {
  'as written': (t: string) => t,
  crlf: (t: string) => t.replace(/\r?\n/g, '\r\n'),
  // Saved by a Windows tool: YAML skips a byte order mark at the file's start.
  'byte order mark': (t: string) => `\ufeff${t}`,
  // Written by a program: JSON is YAML (one flow collection), pretty-printed or on one line.
  json: (t: string) => asJson(t, 2),
  'json on one line': (t: string) => asJson(t),
  'document start': (t: string) => `# a pipeline\n\n--- # one document\n${t}`,
  'document end': (t: string) => `${t.endsWith('\n') ? t : `${t}\n`}... # end\n# trailing note\n`,
  'two documents': (t: string) => `${t.endsWith('\n') ? t : `${t}\n`}# the next one\n--- # second\n${t}`,
  'tabs by comments': (t: string) => t.replace(/(\S) +#/g, '$1\t#').replace(/^(\s*[\w-]+: [\w-]+)$/gm, '$1\t'),
  'tab-indented comment lines': (t: string) => t.replace(/^( *)#/gm, '$1\t#'),
  'block strings': blockStrings,
  'wrapped flows': (t: string) => {
    // One-line flow collections over several lines, as the library's writer wraps long ones: the
    // opening on the line below the key, entries a line each, the closing bracket on its own line.
    let k = 0;
    return t.replace(/^( *)((?:- )?[\w-]+: |- )([[{].*[\]}])( +#.*)?$/gm, (line, sp: string, head: string, flow: string, tail = '') => {
      const form = k++ % 4;
      if (form === 3) return line;
      const col = sp.length + (head.startsWith('- ') ? 2 : 0);
      const inner = ' '.repeat(col + 4);
      const body = flow.replace(/, /g, `,\n${inner}`).replace(/^([[{]) ?/, `$1\n${inner}`);
      const closed = form === 2 ? body : body.replace(/ ?([\]}])$/, `\n${' '.repeat(col + 2)}$1`);
      const opening = form === 1 && !head.startsWith('- ') ? `${head.trimEnd()}\n${' '.repeat(col + 2)}` : head;
      return `${sp}${opening}${closed}${tail}`;
    });
  },
  'values below keys': (t: string) => {
    // A scalar, or a flow collection, written on the line below its key.
    let k = 0;
    return t.replace(/^( *)((?:- )?[\w-]+:) ([^\s|>&*!#].*)$/gm, (line, sp: string, key: string, value: string) =>
      k++ % 3 === 0 ? `${sp}${key}\n${' '.repeat(sp.length + (key.startsWith('- ') ? 4 : 2))}${value}` : line,
    );
  },
  'commented-out lines': (t: string) => {
    // A line commented out where it stands (or deeper), often the last of its block: such a comment
    // is deeper than the line after it, and the library stretches a node over it.
    let k = 0;
    return t.replace(/^( *)((?:- )?[\w-]+:.*)$/gm, (line, sp: string, rest: string) =>
      k++ % 3 === 0 ? `${line}\n${sp}${' '.repeat(k % 4 === 0 ? 2 : 0)}# ${rest}` : line,
    );
  },
} as const;

/** Headers and bodies of block scalars, in turn: every style and chomping, blank and `#` lines. */
const BLOCK_HEADERS = ['|', '>-', '|-', '>', '|+', '| # a note', '>+'];
const BLOCK_BODIES = [
  (v: string, ind: string) => `${ind}${v}`,
  (v: string, ind: string) => `${ind}${v}\n${ind}second line: with a colon`,
  (v: string, ind: string) => `${ind}${v}\n\n${ind}after a blank line`,
  (v: string, ind: string) => `${ind}${v}\n${ind}# not a comment\n`,
  (v: string, ind: string) => `${ind}${v}\n${ind}  more indented\n${ind}back`,
  (v: string, ind: string) => `${ind}${v} \n${ind}\n`,
];

/** Every third value written on one line (plain or quoted) written again as a block scalar. */
function blockStrings(t: string): string {
  let k = 0;
  return t.replace(
    /^( *)(- )?([\w-]+):( +)([^\s|>&*![{#'"][^#]*?|'[^'\n]*'|"[^"\\\n]*")( +#.*)?$/gm,
    (line, sp: string, dash = '', key: string, gap: string, value: string) => {
      if (k++ % 3 !== 0) return line;
      const col = sp.length + dash.length;
      const ind = ' '.repeat(col + 1 + (k % 3));
      const header = BLOCK_HEADERS[k % BLOCK_HEADERS.length]!;
      const body = BLOCK_BODIES[Math.floor(k / 3) % BLOCK_BODIES.length]!(value.replace(/^['"]|['"]$/g, ''), ind);
      return `${sp}${dash}${key}:${gap}${header}\n${body}`;
    },
  );
}
export type Style = keyof typeof STYLES;

/** Edits of a corpus text: insertions of YAML pieces, deletions, and line moves. */
export function mutationOf(bases: number) {
  return fc.record({
    base: fc.nat({ max: bases - 1 }),
    style: fc.constantFrom(...(Object.keys(STYLES) as Style[])),
    ops: fc.array(
      fc.oneof(
        fc.record({
          kind: fc.constant('insert' as const),
          at: fc.double({ min: 0, max: 1, noNaN: true }),
          text: fc.oneof(fc.constantFrom(...PIECES), fc.string({ maxLength: 6 })),
        }),
        fc.record({ kind: fc.constant('delete' as const), at: fc.double({ min: 0, max: 1, noNaN: true }), len: fc.nat({ max: 40 }) }),
        fc.record({
          kind: fc.constant('line' as const),
          at: fc.double({ min: 0, max: 1, noNaN: true }),
          how: fc.constantFrom('dup', 'drop', 'indent', 'dedent', 'swap'),
        }),
      ),
      { minLength: 1, maxLength: 6 },
    ),
  });
}

export function mutate(bases: readonly string[], m: Mutation): string {
  let t = STYLES[m.style ?? 'as written'](bases[m.base]!);
  for (const op of m.ops) {
    const at = Math.floor(op.at * t.length);
    if (op.kind === 'insert') t = t.slice(0, at) + op.text + t.slice(at);
    else if (op.kind === 'delete') t = t.slice(0, at) + t.slice(at + op.len!);
    else {
      const lines = t.split('\n');
      const i = Math.min(lines.length - 1, Math.floor(op.at * lines.length));
      if (op.how === 'dup') lines.splice(i, 0, lines[i]!);
      else if (op.how === 'drop') lines.splice(i, 1);
      else if (op.how === 'indent') lines[i] = `  ${lines[i]}`;
      else if (op.how === 'dedent') lines[i] = lines[i]!.replace(/^ {1,2}/, '');
      else if (i + 1 < lines.length) [lines[i], lines[i + 1]] = [lines[i + 1]!, lines[i]!];
      t = lines.join('\n');
    }
  }
  return t;
}
