import type { Policy } from './data';
import { usd, type PipelineCost } from './cost';
import { explainStage } from './explain';
import { locate } from './locate';
import type { PipelineModel } from './model';
import { docsUrl, ruleMeta } from './rules/registry';
import { secretLiteral } from './secrets';
import { PIPELINE_SCHEMA, POLICY_SCHEMA, schemaAtPath, type JsonSchema } from './schema';
import type { Span } from './types';
import type { Document } from 'yaml';
import { isScalar } from 'yaml';

/** Hover text (Markdown) for a position, from the analysed document. */
export interface HoverResult {
  markdown: string;
  span: Span;
}

export interface HoverInput {
  text: string;
  offset: number;
  kind: 'manifest' | 'policy';
  doc?: Document;
  pipeline?: PipelineModel;
  cost?: PipelineCost;
  policy: Policy;
  docsBase?: string;
}

export function hover(input: HoverInput): HoverResult | undefined {
  const { text, offset } = input;
  const directive = ignoreCodeAt(text, offset);
  if (directive) {
    const meta = ruleMeta(directive.code);
    const body = meta
      ? `**${meta.code}** ${meta.slug} (${meta.defaultSeverity})\n\n${meta.summary}\n\n[Documentation](${docsUrl(meta.code, input.docsBase)})`
      : `**${directive.code}** is not a BareCount rule code.`;
    return { markdown: body, span: directive };
  }
  if (!input.doc) return undefined;
  const at = locate(input.doc, offset);
  if (!at || !at.node.range) return undefined;
  const root = input.kind === 'policy' ? POLICY_SCHEMA : PIPELINE_SCHEMA;
  const span = { start: at.node.range[0], end: at.node.range[1] };
  const schema = schemaAtPath(root, at.path);

  if (input.kind === 'manifest' && input.pipeline && at.target === 'value' && isStageName(at.path)) {
    const stage = input.pipeline.stages.find((s) => s.index === at.path[2]);
    if (stage) return { markdown: stageTrace(input, stage.index), span };
  }
  if (at.target === 'value' && isScalar(at.node)) {
    const raw = String(at.node.value);
    const key = [...at.path].reverse().find((p): p is string => typeof p === 'string');
    // Hover never shows a secret: a literal one is named by its kind, as BC201 does.
    const secret = secretLiteral(key, raw);
    if (secret) return { markdown: `A secret written as a literal (${secret}); its value is not shown. Move it to \`secrets\` (BC201).`, span };
  }
  if (at.target === 'value' && isScalar(at.node) && schema) {
    const value = String(at.node.value);
    const described = enumDescription(schema, value);
    const lines = [`**${schema.title ?? String(at.path[at.path.length - 1])}**: \`${value}\``];
    if (described) lines.push(described);
    else if (schema.description) lines.push(schema.description);
    if (input.kind === 'manifest' && at.path[0] === 'spec' && at.path[1] === 'stages' && at.path[at.path.length - 1] === 'size') {
      const tier = input.policy.sizes[value];
      if (tier)
        lines.push(
          `${tier.vcpu} vCPU · ${tier.memoryGb} GB memory${tier.concurrency ? ` · concurrency ${tier.concurrency}` : ''}${tier.dpu ? ` · ${tier.dpu} DPU` : ''}`,
        );
    }
    if (input.kind === 'manifest' && at.path[0] === 'spec' && at.path[1] === 'stages' && at.path[3] === 'dependsOn') {
      const target = input.pipeline?.stages.find((s) => s.name?.value === value);
      if (target) lines.push(`Stage \`${value}\`: ${target.phase?.value ?? '?'} / ${target.workload?.value ?? '?'} on ${target.runner.class?.value ?? '?'}`);
    }
    return { markdown: lines.join('\n\n'), span };
  }
  if (schema) return { markdown: describeKey(schema, at.path), span };
  return undefined;
}

function isStageName(path: Array<string | number>): boolean {
  return path.length === 4 && path[0] === 'spec' && path[1] === 'stages' && typeof path[2] === 'number' && path[3] === 'name';
}

function enumDescription(schema: JsonSchema, value: string): string | undefined {
  const i = (schema.enum as unknown[] | undefined)?.indexOf(value) ?? -1;
  const descs = schema.enumDescriptions as string[] | undefined;
  return i !== -1 ? descs?.[i] : undefined;
}

function describeKey(schema: JsonSchema, path: Array<string | number>): string {
  const lines = [`**${schema.title ?? String(path[path.length - 1])}**`];
  if (schema.description) lines.push(schema.description);
  if (schema.enum) lines.push(`One of: ${(schema.enum as unknown[]).map((v) => `\`${String(v)}\``).join(', ')}`);
  const ex = schema.examples?.[0];
  if (ex !== undefined && typeof ex !== 'object') lines.push(`Example: \`${String(ex)}\``);
  return lines.join('\n\n');
}

/** The "why this runner" trace and the monthly cost breakdown of a stage. */
export function stageTrace(input: Pick<HoverInput, 'pipeline' | 'cost' | 'policy' | 'docsBase'>, stageIndex: number): string {
  const pipeline = input.pipeline!;
  const stage = pipeline.stages.find((s) => s.index === stageIndex)!;
  const cost = input.cost?.stages.find((c) => c.stageIndex === stageIndex);
  const ex = explainStage(stage, pipeline, input.policy, cost);
  const d = ex.declared;
  const runner = `${d.class ?? '?'} · ${d.size ?? '?'} · ${d.network ?? '?'}`;
  const lines: string[] = [`### Stage \`${ex.name}\`: ${runner}`];
  lines.push(
    ex.row
      ? `Selection matrix: **${ex.row.phase} / ${ex.workload}** (${ex.row.guide.toLowerCase()}) → **${ex.row.class}**, networks ${ex.row.networks.join(', ')}`
      : `Selection matrix: no row for ${ex.phase ?? '?'} / ${ex.workload ?? '?'}`,
  );
  if (ex.justification) lines.push(`Justification: ${ex.justification}`);
  lines.push(ex.checks.map((c) => `- ${c.pass ? '✓' : '✗'} ${c.label}: ${c.detail} ([${c.code}](${docsUrl(c.code, input.docsBase)}))`).join('\n'));
  if (cost) {
    const assumed = cost.defaulted.map((i) => `${i} ${round(cost.inputs[i].value)} (${cost.inputs[i].source === 'schedule' ? 'cron' : 'default'})`);
    lines.push(
      `**${usd(cost.monthlyUsd)} a month**: compute ${usd(cost.computeUsd)} + transfer ${usd(cost.transferUsd)}\n\n` +
        cost.lineItems.map((l) => `- ${l.label}: ${usd(l.usd)} = ${l.formula}`).join('\n') +
        (assumed.length ? `\n\nAssumed: ${assumed.join(', ')}` : ''),
    );
  }
  const best = ex.cheapestCompliant;
  if (best && (best.class !== d.class || best.size !== d.size || best.network !== d.network)) {
    lines.push(
      `Cheapest compliant runner: **${best.class} · ${best.size} · ${best.network}** at ${usd(best.monthlyUsd)} a month${cost ? ` (${cost.monthlyUsd >= best.monthlyUsd ? 'saves' : 'costs'} ${usd(Math.abs(cost.monthlyUsd - best.monthlyUsd))})` : ''}`,
    );
  } else if (best) lines.push('This is the cheapest compliant runner.');
  else lines.push('No runner passes every check for this stage: split its connections across stages, or ask for a policy exception.');
  return lines.join('\n\n');
}

function round(n: number): string {
  return String(Math.round(n * 100) / 100);
}

function ignoreCodeAt(text: string, offset: number): (Span & { code: string }) | undefined {
  const lineStart = text.lastIndexOf('\n', offset - 1) + 1;
  const lineEnd = text.indexOf('\n', offset);
  const line = text.slice(lineStart, lineEnd === -1 ? text.length : lineEnd);
  if (!/#\s*barecount-ignore\b/.test(line)) return undefined;
  for (const m of line.matchAll(/BC\d{3}/gi)) {
    const start = lineStart + m.index!;
    if (offset >= start && offset <= start + m[0].length) return { code: m[0].toUpperCase(), start, end: start + m[0].length };
  }
  return undefined;
}
