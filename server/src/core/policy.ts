import { isScalar, type Document } from 'yaml';
import { DEFAULT_POLICY, type Policy } from './data';
import { toFinding } from './findings';
import { DEFAULT_LIMITS, type Limits } from './limits';
import { isCurrent } from './ignore';
import { parseYaml } from './parse';
import { bc001 } from './rules/bc001-yaml-syntax';
import { bc002 } from './rules/bc002-schema';
import { bc003 } from './rules/bc003-suppression';
import { bc004 } from './rules/bc004-waiver-expired';
import { KNOWN_CODES } from './rules/registry';
import type { Report, RuleMeta } from './rules/rule';
import { POLICY_SCHEMA, validateAgainst, VALIDATORS } from './schema';
import { quote } from './secrets';
import { closestAll, typoFixes } from './similar';
import type { Finding } from './types';
import { nodeAtPath, spanOf } from './yaml-ast';
import { replaceScalar } from './yaml-edit';

export const POLICY_FILE_NAME = 'barecount.policy.yaml';

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

/** What the policy's waivers are checked against (spec §5.3), where the caller knows it. */
export interface PolicyCheck {
  /** Today's date (YYYY-MM-DD): a waiver past its `until` is BC004. */
  today?: string;
  /** The pipelines (`metadata.name`) linted with this policy: a waiver naming a near miss is BC003. */
  knownPipelines?: readonly string[];
}

/** Reads, validates and merges a policy file. Never throws. */
export function loadPolicy(text: string, limits: Limits = DEFAULT_LIMITS, check: PolicyCheck = {}): PolicyResult {
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
  for (const issue of validateAgainst(VALIDATORS.policy, POLICY_SCHEMA, first.doc, first.data, text)) emit(issue);
  if (!isPlain(first.data)) return { policy: DEFAULT_POLICY, findings, usable: false };
  // What the schema cannot see, checked even when it found errors, so every error shows at once:
  // a new tier needs its vCPU and memory, and maxSize must name a tier once tiers are merged.
  const data = first.data;
  const ownSizes = isPlain(data.sizes) ? data.sizes : {};
  for (const [name, tier] of Object.entries(ownSizes)) {
    if (Object.hasOwn(DEFAULT_POLICY.sizes, name) || !isPlain(tier)) continue;
    for (const key of ['vcpu', 'memoryGb'] as const) {
      if (key in tier) continue;
      const { node, pair } = nodeAtPath(first.doc, ['sizes', name]);
      emit({ messageId: 'missingKey', data: { key, where: `sizes.${name}` }, span: spanOf(pair?.key) ?? spanOf(node) ?? first.span });
    }
  }
  const tiers = [...new Set([...Object.keys(DEFAULT_POLICY.sizes), ...Object.keys(ownSizes).filter((k) => isPlain(ownSizes[k]))])];
  for (const [cls, size] of Object.entries(isPlain(data.maxSize) ? data.maxSize : {})) {
    if (typeof size !== 'string' || tiers.includes(size)) continue;
    const { node } = nodeAtPath(first.doc, ['maxSize', cls]);
    const matches = closestAll(size, tiers);
    const best = matches[0];
    emit({
      messageId: best ? 'badSizeDidYouMean' : 'badSize',
      data: { value: quote(size), choices: tiers.join(', '), ...(best ? { suggestion: best } : {}) },
      span: spanOf(node) ?? first.span,
      fixes: isScalar(node) ? typoFixes(matches, (name) => ({ title: `Change to "${name}"`, edits: [replaceScalar(node, name, text)] })) : [],
    });
  }
  if (findings.length > 0) return { policy: DEFAULT_POLICY, findings, usable: false };
  // The schema and the checks above leave nothing the merge can get wrong.
  const policy = mergePolicy(DEFAULT_POLICY, data) as Policy;
  // Waivers: a policy whose only findings are these still governs its manifests (spec §5.3).
  checkWaivers(text, first.doc, policy, check, (meta, r) => findings.push(toFinding(meta, r, meta.defaultSeverity, first.index)));
  return { policy, findings, usable: true };
}

function checkWaivers(text: string, doc: Document, policy: Policy, check: PolicyCheck, report: (meta: RuleMeta, r: Report) => void): void {
  const known = [...new Set(check.knownPipelines ?? [])];
  policy.waivers.forEach((w, i) => {
    const at = (key: string) => nodeAtPath(doc, ['waivers', i, key]).node;
    if (!KNOWN_CODES.has(w.rule)) {
      const node = at('rule');
      const matches = closestAll(w.rule, [...KNOWN_CODES]);
      report(bc003.meta, {
        messageId: 'waiverUnknownCode',
        data: { code: quote(w.rule), suggestion: matches[0] ? ` Did you mean ${matches[0]}?` : '' },
        span: spanOf(node) ?? { start: 0, end: 0 },
        fixes: isScalar(node)
          ? matches.slice(0, 3).map((code) => ({ title: `Change to ${code}`, edits: [replaceScalar(node, code, text)], safety: 'suggestion' as const }))
          : [],
      });
    }
    if (known.length > 0 && !known.includes(w.pipeline)) {
      const best = closestAll(w.pipeline, known)[0];
      const node = at('pipeline');
      if (best)
        report(bc003.meta, {
          messageId: 'waiverUnknownPipeline',
          data: { pipeline: quote(w.pipeline), suggestion: best },
          span: spanOf(node) ?? { start: 0, end: 0 },
          fixes: isScalar(node) ? [{ title: `Change to ${quote(best)}`, edits: [replaceScalar(node, best, text)], safety: 'suggestion' }] : [],
        });
    }
    if (check.today !== undefined && !isCurrent(w, check.today)) {
      report(bc004.meta, {
        messageId: 'expiredPolicy',
        data: {
          code: w.rule,
          pipeline: quote(w.pipeline),
          stage: w.stage ? `, stage ${quote(w.stage)}` : '',
          owner: quote(w.owner),
          until: w.until,
          today: check.today,
        },
        span: spanOf(at('until')) ?? { start: 0, end: 0 },
      });
    }
  });
}

/**
 * Where to look for a manifest's policy, nearest first: each folder from the manifest's up to the
 * workspace root, never above it (spec §1). No root, or a manifest outside it: nowhere, and the
 * caller uses the setting or the built-in policy. Paths are absolute; `.` and `..` are resolved
 * first, so no spelling climbs out of the root. Results use '/'. No file system here: the caller
 * checks which exist, that each is a regular file, and that no symbolic link takes its folder
 * outside the root.
 */
export function policyCandidates(manifestPath: string, rootPath: string | undefined): string[] {
  if (rootPath === undefined) return [];
  const norm = (p: string) => {
    const out: string[] = [];
    for (const part of p.replace(/\\/g, '/').split('/')) {
      if (part === '.' || (part === '' && out.length > 0)) continue;
      if (part === '..') {
        if (out.length > 1) out.pop();
      } else out.push(part);
    }
    return out.join('/');
  };
  const file = norm(manifestPath);
  const root = norm(rootPath);
  const dir = file.slice(0, Math.max(0, file.lastIndexOf('/')));
  if (dir !== root && !dir.startsWith(root === '' ? '/' : `${root}/`)) return [];
  const out: string[] = [];
  for (let at = dir; ; at = at.slice(0, at.lastIndexOf('/'))) {
    out.push(`${at}/${POLICY_FILE_NAME}`);
    if (at === root || at.lastIndexOf('/') < 0) break;
  }
  return out;
}
