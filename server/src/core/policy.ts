import type { Node } from 'yaml';
import { DEFAULT_POLICY, orderedTiers, type Policy } from './data';
import { toFinding } from './findings';
import { DEFAULT_LIMITS, type Limits } from './limits';
import { parseYaml } from './parse';
import { bc001 } from './rules/bc001-yaml-syntax';
import { bc002 } from './rules/bc002-schema';
import type { Report } from './rules/rule';
import { POLICY_SCHEMA, validateAgainst, validators } from './schema';
import { quote } from './secrets';
import { closest } from './similar';
import type { Finding } from './types';
import { nodeAtPath, spanOf } from './yaml-ast';
import { replaceScalar } from './yaml-edit';

export const POLICY_FILE_NAME = 'barecount.policy.yaml';

/** zod is loaded with the first policy file, not at start-up (see data/schemas.ts). */
function policySchemas(): typeof import('./data/schemas') {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  return require('./data/schemas') as typeof import('./data/schemas');
}

export interface PolicyResult {
  /** The merged policy, or the built-in one when the file has errors. */
  policy: Policy;
  findings: Finding[];
  /** False when the file had errors and the built-in policy is used instead. */
  usable: boolean;
}

type Plain = Record<string, unknown>;

function isPlain(v: unknown): v is Plain {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** Maps merge key by key into the defaults (recursively); lists and scalars replace. */
export function mergePolicy(base: Policy, override: Plain): unknown {
  const merge = (a: unknown, b: unknown): unknown => {
    if (isPlain(a) && isPlain(b)) {
      const out: Plain = { ...a };
      for (const [k, v] of Object.entries(b)) out[k] = k in a ? merge(a[k], v) : v;
      return out;
    }
    return b;
  };
  const { apiVersion: _a, kind: _k, ...rest } = override;
  return merge(structuredClone(base), rest);
}

/** Reads, validates and merges a policy file. Never throws. */
export function loadPolicy(text: string, limits: Limits = DEFAULT_LIMITS): PolicyResult {
  const file = parseYaml(text, limits);
  const findings: Finding[] = [];
  const report = (meta: typeof bc001.meta, index: number) => (r: Report) => findings.push(toFinding(meta, r, meta.defaultSeverity, index));
  for (const p of file.problems) report(bc001.meta, p.documentIndex)({ messageId: p.kind, data: { detail: p.message }, span: p.span });
  const docs = file.documents.filter((d) => d.data !== null && d.data !== undefined);
  if (findings.length > 0 || docs.length === 0) return { policy: DEFAULT_POLICY, findings, usable: findings.length === 0 };
  const first = docs[0]!;
  const emit = report(bc002.meta, first.index);
  for (const extra of docs.slice(1))
    emit({
      messageId: 'invalid',
      data: { where: `document ${extra.index + 1}`, detail: 'a policy file holds one policy; this document is ignored' },
      span: extra.span,
    });
  for (const issue of validateAgainst(validators().policy, POLICY_SCHEMA, first.doc, first.data, text)) emit(issue);
  if (findings.length > 0 || !isPlain(first.data)) return { policy: DEFAULT_POLICY, findings, usable: false };

  const merged = mergePolicy(DEFAULT_POLICY, first.data);
  const parsed = policySchemas().policySchema.safeParse(merged);
  if (!parsed.success) {
    for (const issue of parsed.error.issues) {
      const path = issue.path.map(String);
      const { node, pair } = nodeAtPath(first.doc, path);
      const span =
        spanOf(node) ?? spanOf(pair?.key as Node | undefined) ?? spanOf(nodeAtPath(first.doc, path.slice(0, -1)).pair?.key as Node | undefined) ?? first.span;
      emit({ messageId: 'invalid', data: { where: path.join('.'), detail: issue.message.replace(/^Invalid input: /, '') }, span });
    }
    return { policy: DEFAULT_POLICY, findings, usable: false };
  }
  const policy = parsed.data;
  // maxSize must name a tier that exists once the tiers are merged.
  const tiers = orderedTiers(policy);
  for (const [cls, size] of Object.entries(policy.maxSize)) {
    if (policy.sizes[size]) continue;
    const { node } = nodeAtPath(first.doc, ['maxSize', cls]);
    const best = closest(size, tiers);
    emit({
      messageId: best ? 'badSizeDidYouMean' : 'badSize',
      data: { value: quote(size), choices: tiers.join(', '), ...(best ? { suggestion: best } : {}) },
      span: spanOf(node) ?? first.span,
      fixes: best && node ? [{ title: `Change to "${best}"`, edits: [replaceScalar(node as never, best)], isPreferred: true }] : [],
    });
  }
  if (findings.length > 0) return { policy: DEFAULT_POLICY, findings, usable: false };
  return { policy, findings, usable: true };
}

/**
 * Where to look for a manifest's policy, nearest first: each folder from the manifest's up to the
 * workspace root. Paths use '/' and the caller checks which exist; no file system here.
 */
export function policyCandidates(manifestPath: string, rootPath: string | undefined): string[] {
  const norm = (p: string) => p.replace(/\\/g, '/').replace(/\/+$/, '');
  const file = norm(manifestPath);
  const root = rootPath === undefined ? undefined : norm(rootPath);
  const out: string[] = [];
  let dir = file.slice(0, Math.max(0, file.lastIndexOf('/')));
  for (let guard = 0; guard < 256; guard++) {
    out.push(`${dir}/${POLICY_FILE_NAME}`);
    if (root !== undefined && (dir === root || !`${dir}/`.startsWith(`${root}/`))) break;
    const up = dir.slice(0, Math.max(0, dir.lastIndexOf('/')));
    if (up === dir || dir === '') break;
    dir = up;
  }
  return out;
}
