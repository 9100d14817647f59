import type { Rule, RuleMeta } from './rule';
import { bc001 } from './bc001-yaml-syntax';
import { bc002 } from './bc002-schema';
import { bc003 } from './bc003-suppression';
import { bc004 } from './bc004-waiver-expired';
import { bc005 } from './bc005-unused-ignore';
import { bc101 } from './bc101-class-recommendation';
import { bc102 } from './bc102-network-typical';
import { bc103 } from './bc103-workload-phase';
import { bc104 } from './bc104-runner-missing';
import { bc105 } from './bc105-workload-connections';
import { bc201 } from './bc201-secret-literal';
import { bc202 } from './bc202-unreachable';
import { bc203 } from './bc203-boundary';
import { bc204 } from './bc204-classification-network';
import { bc205 } from './bc205-allow-list';
import { bc206 } from './bc206-undeclared-secret';
import { bc207 } from './bc207-facility-bound';
import { bc301 } from './bc301-max-size';
import { bc302 } from './bc302-budget';
import { bc303 } from './bc303-capacity';
import { bc304 } from './bc304-cheaper-runner';
import { bc305 } from './bc305-runs-pile-up';
import { bc401 } from './bc401-required-tag';
import { bc501 } from './bc501-duplicate-stage';
import { bc502 } from './bc502-unknown-dependency';
import { bc503 } from './bc503-dependency-cycle';

/** Every rule, in code order. Docs, fixtures and this list are kept in step by a test. */
export const RULES: readonly Rule[] = [
  bc001,
  bc002,
  bc003,
  bc004,
  bc005,
  bc101,
  bc102,
  bc103,
  bc104,
  bc105,
  bc201,
  bc202,
  bc203,
  bc204,
  bc205,
  bc206,
  bc207,
  bc301,
  bc302,
  bc303,
  bc304,
  bc305,
  bc401,
  bc501,
  bc502,
  bc503,
];

export const RULES_BY_CODE: ReadonlyMap<string, Rule> = new Map(RULES.map((r) => [r.meta.code, r]));
export const KNOWN_CODES: ReadonlySet<string> = new Set(RULES_BY_CODE.keys());

export const DEFAULT_DOCS_BASE = 'https://github.com/barecount/barecount-manifests/blob/main/docs/rules/';

export function ruleMeta(code: string): RuleMeta | undefined {
  return RULES_BY_CODE.get(code)?.meta;
}

export function docsUrl(code: string, base = DEFAULT_DOCS_BASE): string {
  return `${base}${code}.md`;
}
