import type { ErrorObject, ValidateFunction } from 'ajv';
import { header, pipeline, policy, stage } from './generated/validators';
import type { Document, Node, Pair, YAMLMap } from 'yaml';
import pipelineSchemaJson from '../../../schemas/barecount-pipeline.schema.json';
import policySchemaJson from '../../../schemas/barecount-policy.schema.json';
import { quote } from './secrets';
import { closestAll, typoFixes } from './similar';
import type { Fix, Span } from './types';
import { asMap, deref, isMap, nodeAtPath, spanOf } from './yaml-ast';
import type { Work } from './work';
import { insertPair, renameKey, replaceScalar } from './yaml-edit';
import { isScalar, type Scalar } from 'yaml';

/** JSON Schema validation of a document, with each ajv error mapped to the exact key or value. */

export type JsonSchema = {
  title?: string;
  description?: string;
  type?: string | string[];
  enum?: unknown[];
  const?: unknown;
  properties?: Record<string, JsonSchema>;
  additionalProperties?: boolean | JsonSchema;
  items?: JsonSchema;
  required?: string[];
  examples?: unknown[];
  pattern?: string;
  $ref?: string;
  definitions?: Record<string, JsonSchema>;
  [k: string]: unknown;
};

export const PIPELINE_SCHEMA = pipelineSchemaJson as JsonSchema;
export const POLICY_SCHEMA = policySchemaJson as JsonSchema;

/**
 * The validators, compiled by ajv at build time (scripts/gen-validators.mjs, run by every build,
 * test and benchmark): no compiler to load and nothing to compile at start-up. `header` (the
 * pipeline schema but the items of spec.stages) and `stage` (one item) validate a pipeline in
 * parts, so that an unchanged stage keeps its findings (BC002).
 */
export const VALIDATORS: {
  readonly pipeline: ValidateFunction;
  readonly policy: ValidateFunction;
  readonly header: ValidateFunction;
  readonly stage: ValidateFunction;
} = { pipeline, policy, header, stage };

export interface SchemaIssue {
  messageId: string;
  data: Record<string, string | number>;
  span: Span;
  fixes: Fix[];
}

export function resolveRef(schema: JsonSchema | undefined, root: JsonSchema): JsonSchema | undefined {
  let s = schema;
  for (let i = 0; s?.$ref && i < 8; i++) {
    const m = /^#\/definitions\/(.+)$/.exec(s.$ref);
    s = m ? root.definitions?.[m[1]!] : undefined;
  }
  return s;
}

/** The schema that describes the value at a path (keys and indices), following $refs. */
export function schemaAtPath(root: JsonSchema, path: readonly (string | number)[]): JsonSchema | undefined {
  let s: JsonSchema | undefined = resolveRef(root, root);
  for (const seg of path) {
    if (!s) return undefined;
    if (typeof seg === 'number' || /^\d+$/.test(String(seg))) {
      if (s.items) {
        s = resolveRef(s.items, root);
        continue;
      }
    }
    const prop: JsonSchema | undefined = s.properties?.[String(seg)] ?? (typeof s.additionalProperties === 'object' ? s.additionalProperties : undefined);
    s = resolveRef(prop, root);
  }
  return s;
}

function pathOf(instancePath: string): string[] {
  return instancePath === ''
    ? []
    : instancePath
        .slice(1)
        .split('/')
        .map((p) => p.replace(/~1/g, '/').replace(/~0/g, '~'));
}

export function humanPath(path: readonly (string | number)[]): string {
  if (path.length === 0) return 'the document';
  let out = '';
  for (const seg of path) out += /^\d+$/.test(String(seg)) ? `[${seg}]` : out ? `.${seg}` : String(seg);
  return out;
}

/** Paths stay as written (`spec.stages[0]`); only the words for the root open a sentence. */
function atSentenceStart(where: string): string {
  return where === 'the document' ? 'The document' : where;
}

function titleOf(schema: JsonSchema | undefined, path: readonly string[]): string {
  if (schema?.title) return schema.title;
  const last = [...path].reverse().find((p) => !/^\d+$/.test(p));
  return last ? `"${last}"` : 'the document';
}

/** From `start` to the end of its line, or to `stop` (the node's end) if sooner: flow items sharing a long line do not each read all of it. */
function lineSpan(text: string, start: number, stop: number): Span {
  let end = start;
  const max = Math.min(stop, text.length);
  while (end < max && text.charCodeAt(end) !== 10) end++;
  return { start, end };
}

/** Where a node at a path is best pointed at: its value, else its key, else its parent's first line. */
function spanAt(doc: KeyedDoc, text: string, path: readonly string[]): Span {
  const { node, pair, parent } = doc.at(path);
  const value = spanOf(node);
  if (value && value.end > value.start) return value;
  const key = spanOf(pair?.key as Node | undefined);
  if (key) return key;
  const p = parent?.range ?? deref(doc.doc.contents, doc.doc)?.range;
  return p ? lineSpan(text, p[0], p[2]) : { start: 0, end: 0 };
}

/** The span for a problem about a whole mapping (a missing key): its key, else its first line. */
function containerSpan(doc: KeyedDoc, text: string, path: readonly string[]): Span {
  const { node, pair } = doc.at(path);
  const key = spanOf(pair?.key as Node | undefined);
  if (key) return key;
  const own = node?.range;
  if (own) return lineSpan(text, own[0], own[2]);
  return { start: 0, end: 0 };
}

const PATTERN_RULES: Record<string, string> = {
  '^[a-z][a-z0-9-]{0,62}$': 'use lower-case letters, digits and hyphens, starting with a letter, at most 63 characters',
  '^secret://': 'a secret reference starts with "secret://"',
  '^BC[0-9]{3}$': 'a rule code is BC followed by three digits',
};

function typeName(value: unknown): string {
  if (value === null) return 'empty';
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'object') return 'a mapping';
  if (typeof value === 'number') return Number.isInteger(value) ? 'a whole number' : 'a number';
  if (typeof value === 'boolean') return 'true/false';
  return 'text';
}

function expectedType(t: string): string {
  return (
    (
      { object: 'a mapping of keys', array: 'a list', string: 'text', number: 'a number', integer: 'a whole number', boolean: 'true or false' } as Record<
        string,
        string
      >
    )[t] ?? t
  );
}

function choices(values: readonly unknown[]): string {
  const shown = values.slice(0, 8).map((v) => String(v));
  return shown.join(', ') + (values.length > 8 ? `, … (${values.length} in all)` : '');
}

function valueFix(node: Node | null, values: readonly string[], actual: unknown, text: string): Fix[] {
  if (!isScalar(node) || typeof actual !== 'string' || !node.range) return [];
  return typoFixes(closestAll(actual, values), (name) => ({ title: `Change to "${name}"`, edits: [replaceScalar(node as Scalar, name, text)] }));
}

/** Whether a path is one whose type failed, or under one: its ancestors are looked up, not every failure (quadratic). */
function underFailedType(failed: ReadonlySet<string>, path: string): boolean {
  if (failed.size === 0) return false;
  if (failed.has(path)) return true;
  for (let i = path.lastIndexOf('/'); i >= 0; i = path.lastIndexOf('/', i - 1)) {
    if (failed.has(path.slice(0, i))) return true;
    if (i === 0) break;
  }
  return false;
}

/**
 * The document, with the keys of each mapping indexed the first time an error looks in it: many
 * errors in one large mapping (thousands of unknown keys) cost a lookup each, not a scan each.
 * Lives for one validation.
 */
class KeyedDoc {
  private readonly index = new Map<YAMLMap, Map<string, Pair<Node, Node | null>>>();

  constructor(readonly doc: Document) {}

  /** The first pair of a key, as `pairOf` finds it. */
  pair(map: unknown, key: string): Pair<Node, Node | null> | undefined {
    return isMap(map) ? this.keysOf(map).get(key) : undefined;
  }

  /** The keys a mapping has. */
  keys(map: YAMLMap | undefined): { has(key: string): boolean } {
    return map ? this.keysOf(map) : new Set<string>();
  }

  /** `nodeAtPath` with indexed lookups. */
  at(path: readonly (string | number)[]): { node: Node | null; pair?: Pair<Node, Node | null>; parent?: Node } {
    return nodeAtPath(this.doc, path, (map, key) => this.pair(map, key));
  }

  private keysOf(map: YAMLMap): Map<string, Pair<Node, Node | null>> {
    let keys = this.index.get(map);
    if (!keys) {
      keys = new Map();
      for (const item of map.items) {
        const k = item.key;
        if (isScalar(k) && !keys.has(String(k.value))) keys.set(String(k.value), item as Pair<Node, Node | null>);
      }
      this.index.set(map, keys);
    }
    return keys;
  }
}

/**
 * Validates one document's data against a schema; returns issues with spans and fixes. `at`: the
 * JSON pointer of `data` in the document when it is a part of it (a stage item, `/spec/stages/3`).
 */
export function validateAgainst(validate: ValidateFunction, root: JsonSchema, doc: Document, data: unknown, text: string, work?: Work, at = ''): SchemaIssue[] {
  if (validate(data)) return [];
  const issues: SchemaIssue[] = [];
  const seen = new Set<string>();
  const typeFailed = new Set<string>();
  const keyed = new KeyedDoc(doc);
  for (const raw of validate.errors ?? []) {
    const err = at ? { ...raw, instancePath: at + raw.instancePath } : raw;
    work?.add(1 + err.instancePath.length);
    // After a wrong type, the other keywords of the same or deeper nodes only repeat it.
    // propertyNames reports its inner failure too; the outer error carries the name.
    if ((err as { propertyName?: string }).propertyName !== undefined) continue;
    if (underFailedType(typeFailed, err.instancePath)) continue;
    if (err.keyword === 'type') typeFailed.add(err.instancePath);
    const issue = mapError(err, root, keyed, data, text);
    if (!issue) continue;
    const key = `${issue.messageId}:${issue.span.start}:${issue.span.end}:${JSON.stringify(issue.data)}`;
    if (seen.has(key)) continue;
    seen.add(key);
    issues.push(issue);
  }
  return issues;
}

function mapError(err: ErrorObject, root: JsonSchema, doc: KeyedDoc, _data: unknown, text: string): SchemaIssue | undefined {
  const path = pathOf(err.instancePath);
  const parentSchema = err.parentSchema as JsonSchema | undefined;
  const title = titleOf(parentSchema, path);
  const where = humanPath(path);
  switch (err.keyword) {
    case 'additionalProperties': {
      const key = String((err.params as { additionalProperty: string }).additionalProperty);
      const map = asMap(doc.at(path).node);
      const pair = doc.pair(map, key);
      const span = spanOf(pair?.key as Node | undefined) ?? spanAt(doc, text, path);
      const present = doc.keys(map);
      const known = Object.keys(parentSchema?.properties ?? {}).filter((k) => !present.has(k));
      const matches = closestAll(key, known);
      const best = matches[0];
      const keyNode = isScalar(pair?.key) ? (pair!.key as Scalar) : undefined;
      const fixes: Fix[] = keyNode ? typoFixes(matches, (name) => ({ title: `Rename to "${name}"`, edits: [renameKey(keyNode, name, text)] })) : [];
      return {
        messageId: best ? 'unknownKeyDidYouMean' : 'unknownKey',
        data: { key: quote(key), where, ...(best ? { suggestion: best } : {}), valid: choices(Object.keys(parentSchema?.properties ?? {})) },
        span,
        fixes,
      };
    }
    case 'required': {
      const key = String((err.params as { missingProperty: string }).missingProperty);
      const propSchema = resolveRef(parentSchema?.properties?.[key], root);
      const example = propSchema?.examples?.[0] ?? (propSchema?.const as unknown);
      const map = asMap(doc.at(path).node);
      // The inserted value is a placeholder taken from the schema's example: a suggestion.
      const fixes: Fix[] =
        map && example !== undefined
          ? [
              {
                title: `Add "${key}: ${typeof example === 'object' ? JSON.stringify(example) : String(example)}" (a placeholder to replace)`,
                edits: [insertPair(text, map as YAMLMap, key, example)],
                safety: 'suggestion',
                // What a stage is (phase, workload) or how sensitive its data is: its author's call (spec section 5.2).
                ...(key === 'phase' || key === 'workload' || key === 'dataClassification' ? { decides: 'classification' as const } : {}),
              },
            ]
          : [];
      return { messageId: 'missingKey', data: { key, where: atSentenceStart(where) }, span: containerSpan(doc, text, path), fixes };
    }
    case 'enum': {
      const values = (err.params as { allowedValues: unknown[] }).allowedValues;
      const { node } = doc.at(path);
      const best = typeof err.data === 'string' ? closestAll(err.data, values.map(String))[0] : undefined;
      return {
        messageId: best ? 'badEnumDidYouMean' : 'badEnum',
        data: { value: quote(err.data), title, choices: choices(values), ...(best ? { suggestion: best } : {}) },
        span: spanAt(doc, text, path),
        fixes: valueFix(node, values.map(String), err.data, text),
      };
    }
    case 'const': {
      const expected = String((err.params as { allowedValue: unknown }).allowedValue);
      const { node } = doc.at(path);
      // apiVersion and kind have one valid value: a close misspelling of it is a typo.
      const close = typeof err.data === 'string' && closestAll(err.data, [expected]).length === 1;
      const fixes: Fix[] =
        isScalar(node) && node.range
          ? [
              {
                title: `Change to "${expected}"`,
                edits: [replaceScalar(node, expected, text)],
                safety: close ? 'safe' : 'suggestion',
                ...(close ? { isPreferred: true } : {}),
              },
            ]
          : [];
      return { messageId: 'badConst', data: { value: quote(err.data), title, expected }, span: spanAt(doc, text, path), fixes };
    }
    case 'type': {
      const expected = String((err.params as { type: string }).type).split(',')[0]!;
      const { node } = doc.at(path);
      const fixes: Fix[] =
        expected === 'string' && isScalar(node) && node.range && (typeof node.value === 'number' || typeof node.value === 'boolean')
          ? [
              {
                title: 'Quote the value',
                edits: [{ start: node.range[0], end: node.range[1], newText: JSON.stringify(text.slice(node.range[0], node.range[1])) }],
                safety: 'suggestion',
                isPreferred: true,
              },
            ]
          : [];
      return {
        messageId: 'badType',
        data: { title, where, expected: expectedType(expected), actual: typeName(err.data) },
        span: spanAt(doc, text, path),
        fixes,
      };
    }
    case 'pattern': {
      const pattern = String((err.params as { pattern: string }).pattern);
      return {
        messageId: 'badPattern',
        data: { value: quote(err.data), title, rule: PATTERN_RULES[pattern] ?? `it must match ${pattern}` },
        span: spanAt(doc, text, path),
        fixes: [],
      };
    }
    case 'minItems':
      return { messageId: 'tooFew', data: { title, limit: Number((err.params as { limit: number }).limit) }, span: spanAt(doc, text, path), fixes: [] };
    case 'minLength':
      return { messageId: 'empty', data: { title }, span: spanAt(doc, text, path), fixes: [] };
    case 'minimum':
    case 'exclusiveMinimum':
      return {
        messageId: err.keyword === 'minimum' ? 'tooSmall' : 'notPositive',
        data: { title, value: quote(err.data), limit: Number((err.params as { limit: number }).limit) },
        span: spanAt(doc, text, path),
        fixes: [],
      };
    case 'uniqueItems': {
      const i = Number((err.params as { i: number }).i);
      const item = (err.data as unknown[])[i];
      return { messageId: 'duplicateItem', data: { value: quote(item), title }, span: spanAt(doc, text, [...path, String(i)]), fixes: [] };
    }
    case 'minProperties':
    case 'maxProperties':
      return { messageId: 'scheduleShape', data: { where }, span: containerSpan(doc, text, path), fixes: [] };
    case 'propertyNames': {
      const name = String((err.params as { propertyName: string }).propertyName);
      const pair = doc.pair(doc.at(path).node, name);
      return { messageId: 'badRuleCode', data: { key: quote(name) }, span: spanOf(pair?.key as Node | undefined) ?? spanAt(doc, text, path), fixes: [] };
    }
    case 'if':
    case 'not':
      return undefined;
    default:
      return {
        messageId: 'invalid',
        data: { where: atSentenceStart(where), detail: err.message ?? 'invalid value' },
        span: spanAt(doc, text, path),
        fixes: [],
      };
  }
}
