import type { Document } from 'yaml';
import { isScalar } from 'yaml';
import type { DocumentAnalysis } from '../analysis';
import { usd } from '../cost';
import { inputBasisLabel, unknownWorkloadNote } from '../estimate-labels';
import { tierOf, type Policy } from '../data';
import { explainChecks } from '../explain';
import { describeWaiver, ignoreCodeAt, waiverInfo } from '../ignore';
import { changesLabel, runnerLabel } from '../recommend';
import { docsUrl, ruleMeta } from '../rules/registry';
import { PIPELINE_SCHEMA, POLICY_SCHEMA, schemaAtPath, type JsonSchema } from '../schema';
import { secretLiteral } from '../secrets';
import type { Span } from '../types';
import { NOT_ELIGIBLE, type StageVerdict } from '../verdict';
import { md, mdCode } from '../markup';
import { locate } from './locate';
import { stageWaivers } from './waivers';
import { changeLabel, costThen, type BaselineCosts } from '../baseline';

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
  /** The analysis of the document under the cursor (manifests). */
  document?: DocumentAnalysis;
  policy: Policy;
  docsBase?: string;
  /** Today's date of the analysis: how long a stage's waivers still hold. */
  today?: string;
  /** The baseline's figures (`barecount.baseline`): a stage's cost at the revision. */
  baseline?: BaselineCosts | undefined;
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

  if (input.kind === 'manifest' && input.document && at.target === 'value' && isStageName(at.path)) {
    const v = input.document.verdicts.find((x) => x.stage.index === at.path[2]);
    if (v) return { markdown: stageTrace(v, input.document, input.docsBase, input.today, input.baseline), span };
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
    const lines = [`**${md(schema.title ?? String(at.path[at.path.length - 1]))}**: ${mdCode(value)}`];
    if (described) lines.push(described);
    else if (schema.description) lines.push(schema.description);
    if (input.kind === 'manifest' && at.path[0] === 'spec' && at.path[1] === 'stages' && at.path[at.path.length - 1] === 'size') {
      const tier = tierOf(input.policy, value);
      if (tier)
        lines.push(
          `${tier.vcpu} vCPU · ${tier.memoryGb} GB memory${tier.concurrency ? ` · concurrency ${tier.concurrency}` : ''}${tier.dpu ? ` · ${tier.dpu} DPU` : ''}`,
        );
    }
    if (input.kind === 'manifest' && at.path[0] === 'spec' && at.path[1] === 'stages' && at.path[3] === 'dependsOn') {
      const target = input.document?.pipeline?.stages.find((s) => s.name?.value === value);
      if (target)
        lines.push(
          `Stage ${mdCode(value)}: ${md(target.phase?.value ?? '?')} / ${md(target.workload?.value ?? '?')} on ${md(target.runner.class?.value ?? '?')}`,
        );
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
  const lines = [`**${md(schema.title ?? String(path[path.length - 1]))}**`];
  if (schema.description) lines.push(schema.description);
  if (schema.enum) lines.push(`One of: ${(schema.enum as unknown[]).map((v) => `\`${String(v)}\``).join(', ')}`);
  const ex = schema.examples?.[0];
  if (ex !== undefined && typeof ex !== 'object') lines.push(`Example: \`${String(ex)}\``);
  return lines.join('\n\n');
}

const MARK = { pass: '✓', fail: '✗', waived: '~' } as const;

/** The "why this runner" trace, the monthly cost breakdown and the recommended runner of a stage. */
export function stageTrace(v: StageVerdict, document: DocumentAnalysis, docsBase?: string, today?: string, baseline?: BaselineCosts): string {
  const stage = v.stage;
  const row = v.fit.row;
  const name = stage.name?.value ?? `stage ${stage.index + 1}`;
  const runner = [stage.runner.class, stage.runner.size, stage.runner.network].map((f) => md(f?.value ?? '?')).join(' · ');
  const lines: string[] = [`### Stage ${mdCode(name)}: ${runner}`];
  lines.push(
    row
      ? `Selection matrix: **${row.phase} / ${md(v.fit.workload ?? '?')}** (${row.guide.toLowerCase()}) → **${row.class}**, networks ${row.networks.join(', ')}`
      : `Selection matrix: no row for ${md(stage.phase?.value ?? '?')} / ${md(stage.workload?.value ?? '?')}`,
  );
  if (stage.justification) lines.push(`Justification: ${md(stage.justification)}`);
  if (document.pipeline) {
    lines.push(
      explainChecks(v, document.pipeline)
        .map((c) => `- ${MARK[c.status]} ${c.label}: ${md(c.detail)}${c.status === 'waived' ? ' (waived)' : ''} ([${c.code}](${docsUrl(c.code, docsBase)}))`)
        .join('\n'),
    );
  }
  const cost = v.cost;
  if (cost) {
    const assumed = cost.defaulted.map((i) => `${i} ${round(cost.inputs[i].value)} (${inputBasisLabel(cost.inputs[i])})`);
    const unknown = unknownWorkloadNote(cost.inputs, cost.defaulted);
    lines.push(
      `**${usd(cost.monthlyUsd)} a month**: compute ${usd(cost.computeUsd)} + transfer ${usd(cost.transferUsd)}\n\n` +
        cost.lineItems.map((l) => `- ${md(l.label)}: ${usd(l.usd)} = ${md(l.formula)}`).join('\n') +
        (assumed.length ? `\n\nAssumed: ${assumed.join(', ')}` : '') +
        (unknown ? `\n\n⚠ The estimate uses the ${md(unknown)}.` : ''),
    );
    if (baseline && document.cost) {
      const then = costThen(baseline, document.cost.name, cost.name);
      lines.push(
        then === null
          ? `At ${md(baseline.ref)}: not there (a new stage, or not estimated then).`
          : `At ${md(baseline.ref)}: ${usd(then)} a month (${md(changeLabel(cost.monthlyUsd, then, baseline.ref))}).`,
      );
    }
  }
  const waivers = today ? stageWaivers(document, stage) : [];
  if (waivers.length) lines.push(`**Waivers**\n\n${waivers.map((w) => `- ${md(describeWaiver(waiverInfo(w), today!))}`).join('\n')}`);
  const r = v.recommended;
  if (r && r.changes.length) {
    const delta = cost
      ? ` (${cost.monthlyUsd >= r.monthlyUsd ? 'saves' : 'costs'} ${usd(Math.abs(cost.monthlyUsd - r.monthlyUsd))}${cost.monthlyUsd >= r.monthlyUsd ? '' : ' more'})`
      : '';
    lines.push(`Recommended runner: **${md(runnerLabel(r))}** (${md(changesLabel(r.changes))}) at ${usd(r.monthlyUsd)} a month${delta}`);
  } else if (r) lines.push(`Recommended runner: **${md(runnerLabel(r))}**, as declared.`);
  else if (r === null) lines.push(`No runner passes every check for this stage. ${md((v.noRunner?.reasons ?? []).join(' '))}`);
  else lines.push(NOT_ELIGIBLE);
  if (v.cheaper && !v.cheaper.isRecommended && !v.fit.waived.has('BC304')) {
    lines.push(`Cheaper at the same size: ${md(runnerLabel(v.cheaper.runner))} at ${usd(v.cheaper.runner.monthlyUsd)} a month (BC304).`);
  }
  return lines.join('\n\n');
}

function round(n: number): string {
  return String(Math.round(n * 100) / 100);
}
