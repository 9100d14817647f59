import { readFileSync, readdirSync } from 'node:fs';
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
export const PIECES = ['\n', ' ', '  ', ':', ': ', '- ', '-', '[', ']', '{', '}', ',', '#', '# barecount-ignore BC101', '"', "'", '&a ', '*a', '!!str ', '|', '>', '\t', 'x', '0', 'null', '~', '---\n', '...\n', '%YAML 1.2\n', 'name: ', 'runner:', 'class: serverless', 'network: vpn', 'AKIAIOSFODNN7EXAMPLE', 'password: hunter22hunter', '${secret:X}', '\u0000', '\ufeff', '\u202e', 'é', '😀'];

export const SECRETS = ['AKIAIOSFODNN7EXAMPLE', 'hunter22hunter'];
