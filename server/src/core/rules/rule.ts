import type { Policy } from '../data';
import type { StageGraph } from '../graph';
import type { IgnoreComment } from '../ignore';
import type { PipelineModel } from '../model';
import type { ParsedDocument, ParsedFile } from '../parse';
import type { PipelineCost } from '../cost';
import type { Fix, RelatedInfo, Severity, Span } from '../types';
import type { StageVerdict } from '../verdict';
import type { Work } from '../work';
import { printable, type LiteralSecret } from '../secrets';

export type RuleCategory = 'syntax' | 'schema' | 'suppression' | 'selection' | 'security' | 'cost' | 'governance' | 'structure';

export interface RuleMeta {
  code: string;
  /** Short kebab-case name, used in docs and SARIF. */
  slug: string;
  category: RuleCategory;
  defaultSeverity: Severity;
  /** One sentence: what the rule finds. */
  summary: string;
  /** Message templates by id; `{name}` is filled from the report's data. */
  messages: Record<string, string>;
  /** The templates cut at their placeholders, once, by `defineRule` (formatMessage). */
  readonly cut?: Readonly<Record<string, readonly string[]>>;
  fixable: boolean;
  /** A finding of this rule is a deviation of the stage's runner (recommendations preview). */
  concernsRunner?: boolean;
  /**
   * The rule reads one stage at a time (its verdict, its model, the header and the policy) and
   * reports inside that stage, or in the header: the analysis runs it per stage and reuses a
   * stage's findings while neither the stage nor its context changed (analysis.ts).
   */
  perStage?: boolean;
}

export interface Report {
  messageId: string;
  data?: Record<string, string | number>;
  span: Span;
  fixes?: Fix[];
  related?: RelatedInfo[];
}

/** What a rule sees of one document, and the only way it can speak. */
export interface RuleContext {
  text: string;
  file: ParsedFile;
  document: ParsedDocument;
  /** The pipeline view of the document (undefined for a document that is not a mapping). */
  pipeline: PipelineModel | undefined;
  policy: Policy;
  cost: PipelineCost | undefined;
  /** One verdict per stage of the pipeline, in stage order. */
  verdicts: readonly StageVerdict[];
  graph: StageGraph | undefined;
  ignores: readonly IgnoreComment[];
  /** Every rule code the linter knows. */
  knownCodes: ReadonlySet<string>;
  /** The document's literal secrets (secrets.ts), walked once for BC201 and the redaction layer. */
  literalSecrets: readonly LiteralSecret[];
  /**
   * "Did you mean" among the pipeline's stage names: closestAll over them, answered from what an
   * editor's earlier analyses asked when it can (similar.ts ClosestMemo). Absent: ask closestAll.
   */
  closestStage?: (value: string, exclude: string | undefined) => string[];
  /** Today's date where the analysis runs (YYYY-MM-DD): waivers end against it. */
  today: string;
  /** The document's waivers that silenced a finding (set for BC005, which runs after every other rule). */
  usedWaivers?: ReadonlySet<IgnoreComment>;
  /**
   * The document has a finding that stops other rules from running (a schema error, an unknown
   * dependency…), for BC005: the rules a comment names may not have run, so none is judged unused.
   */
  waiversBlocked?: boolean;
  /** The analysis' work counter: a rule that walks something large counts its steps (Limits.maxWork). */
  work: Work;
  report(r: Report): void;
}

export interface Rule {
  meta: RuleMeta;
  /** The whole document; for a `perStage` rule, one stage (ctx.pipeline holds only it). */
  check(ctx: RuleContext): void;
  /**
   * A document rule's part that reads one stage and reports inside it: run per stage like a
   * `perStage` rule, its findings kept while the stage and its context stay the same. `check`
   * then leaves the stages that have a model to it.
   */
  checkStage?(ctx: RuleContext): void;
}

/** A rule, its message templates cut at their placeholders once, here, rather than per finding. */
export function defineRule(rule: Rule): Rule {
  const cut: Record<string, readonly string[]> = {};
  for (const [id, template] of Object.entries(rule.meta.messages)) cut[id] = Object.freeze(cutTemplate(template));
  return { ...rule, meta: { ...rule.meta, cut: Object.freeze(cut) } };
}

const PLACEHOLDER = /\{(\w+)\}/;

/** A template cut at its placeholders: text at even indexes, placeholder names at odd ones. */
function cutTemplate(template: string): string[] {
  return template.split(PLACEHOLDER);
}

/**
 * A rule's message: its template with the data filled in, control characters in the data replaced
 * (they come from the file). `template` is the text, or the template already cut (RuleMeta.cut):
 * thousands of findings are formatted on open, and cutting each one's template was a third of it.
 */
export function formatMessage(template: string | readonly string[], data: Record<string, string | number> = {}): string {
  // Filled in and joined into one string: a replace calling back per placeholder cost several times
  // this, and concatenating kept each message as a tree of pieces.
  const parts = typeof template === 'string' ? cutTemplate(template) : template.slice();
  for (let i = 1; i < parts.length; i += 2) {
    const k = parts[i]!;
    parts[i] = k in data ? printable(String(data[k])) : `{${k}}`;
  }
  return parts.join('');
}
