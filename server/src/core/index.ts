/** The BareCount engine: strings and data in, plain objects out. No LSP, VS Code or file system. */
export * from './types';
export * from './text';
export * from './limits';
export * from './data';
export * from './parse';
export * from './policy';
export * from './lint';
export * from './fix';
export * from './cost';
export * from './cron';
export * from './secrets';
export { RULES, RULES_BY_CODE, KNOWN_CODES, DEFAULT_DOCS_BASE, docsUrl, ruleMeta } from './rules/registry';
export type { RuleMeta } from './rules/rule';
export { applyEdits } from './yaml-edit';
export { PIPELINE_SCHEMA, POLICY_SCHEMA } from './schema';
export * from './detect';
export { ParseCache } from './incremental';
