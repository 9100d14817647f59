/**
 * The custom protocol between the BareCount language server and its clients, in one file that
 * both sides import: each request is declared once as a typed `RequestType` (method name,
 * params and result), so client and server cannot disagree. No engine, no editor API here.
 *
 * Positions are LSP positions (zero-based line and UTF-16 character). All money is USD a month.
 */
import { NotificationType, RequestType } from 'vscode-jsonrpc';
import type { InputBasis } from './core/estimate-labels';

export interface Position {
  line: number;
  character: number;
}
export interface Range {
  start: Position;
  end: Position;
}
export interface TextEdit {
  range: Range;
  newText: string;
}

export type InputName = 'runsPerDay' | 'durationMinutes' | 'dataGb' | 'replicas';
export type InputSource = 'declared' | 'schedule' | 'default';
export type RunnerFieldName = 'class' | 'size' | 'network';

/** A runner and the stage's monthly cost on it. */
export interface RunnerEstimate {
  class: string;
  size: string;
  network: string;
  computeUsd: number;
  transferUsd: number;
  monthlyUsd: number;
}
/** A runner that passes every check for the stage (spec §5.1), against the declared one. */
export interface RunnerOption extends RunnerEstimate {
  /** Monthly saving against the declared runner; negative when dearer. */
  savingUsd: number;
}
/** The stage's recommended runner (spec §5.1): the same answer hover, lenses and the CLI give. */
export interface RecommendedRunner extends RunnerOption {
  /** Fields it changes; empty when the stage already runs on it. */
  changes: RunnerFieldName[];
}
export interface RecommendationPart {
  /** null: no runner passes every check, or the stage's phase, workload or runner has a schema error. */
  recommended: RecommendedRunner | null;
  /** When no runner passes: which checks leave none, in sentences a person can act on. */
  noRecommendation?: string[];
}

/** `barecount/costEstimate`: the cost of every pipeline and stage of a document. */
export interface CostEstimateParams {
  uri: string;
}
export interface StageEstimate extends RunnerEstimate, RecommendationPart {
  index: number;
  name: string;
  /** `basis` of a defaulted input: the workload's default, or the generic fallback and why. */
  inputs: Record<InputName, { value: number; source: InputSource; basis?: InputBasis; note?: string }>;
  /** Inputs the figure depends on that the manifest does not declare. */
  defaulted: InputName[];
  lineItems: Array<{ label: string; formula: string; usd: number }>;
  /** Runners that pass every check, other than the declared one, cheapest first. */
  alternatives: RunnerOption[];
  /** Findings in the stage that waivers silenced. */
  waived: number;
  range: Range;
  /** With `barecount.baseline`: the stage's cost at the revision; null where it was not there. */
  baselineMonthlyUsd?: number | null;
}
export interface UncostedStage extends RecommendationPart {
  index: number;
  name: string;
  reason: string;
  range: Range;
}
export interface PipelineEstimate {
  documentIndex: number;
  name: string;
  monthlyUsd: number;
  budgetUsd: number;
  budgetSource: 'manifest' | 'policy';
  overBudget: boolean;
  stages: StageEstimate[];
  uncosted: UncostedStage[];
  /** Findings waivers silenced in the pipeline, and how many waivers it has (comments and policy entries). */
  waived: number;
  waivers: number;
  range: Range;
  /** With `barecount.baseline`: the pipeline's total at the revision; null where it was not there. */
  baselineMonthlyUsd?: number | null;
}
export interface CostEstimateResult {
  uri: string;
  version: number;
  /** Where the policy came from: a file path, the setting, or "built-in". */
  policySource: string;
  policyFallback: boolean;
  totalUsd: number;
  pipelines: PipelineEstimate[];
  /** With `barecount.baseline` (and git's answer): the revision, and the file's total there. */
  baseline?: { ref: string; totalUsd: number | null };
  /** Syntax errors stop the estimate: say so rather than show stale figures. */
  error?: string;
}
export const COST_ESTIMATE = new RequestType<CostEstimateParams, CostEstimateResult | null, void>('barecount/costEstimate');

/** `barecount/recommendations`: per stage, the declared and the recommended runner, and why. */
export interface RecommendationsParams {
  uri: string;
}
export interface Deviation {
  code: string;
  severity: 'error' | 'warning' | 'info' | 'hint';
  message: string;
  docs: string;
  fixable: boolean;
}
export interface WaivedFinding {
  code: string;
  severity: 'error' | 'warning' | 'info' | 'hint';
  message: string;
  docs: string;
  waiver: { source: 'inline' | 'policy'; codes: string[]; reason: string; until?: string; owner?: string };
  /** One line: what, who, until when, why. */
  summary: string;
}
export interface CheckOutcome {
  code: string;
  label: string;
  status: 'pass' | 'fail' | 'waived';
  detail: string;
}
export interface StageRecommendation extends RecommendationPart {
  documentIndex: number;
  index: number;
  name: string;
  phase?: string;
  workload?: string;
  declared: { class?: string; size?: string; network?: string; sources: Record<string, 'stage' | 'defaults'> };
  /** The selection matrix row of the stage's phase and workload. */
  matrix?: { class: string; networks: string[]; guide: string };
  justification?: string;
  /** Findings about the stage's runner. */
  deviations: Deviation[];
  /** Findings in the stage that waivers silenced, with who waived them, why and until when. */
  waived: WaivedFinding[];
  /** Each check of the declared runner, from the same predicates the rules use. */
  checks: CheckOutcome[];
  range: Range;
}
export interface MatrixRowInfo {
  phase: string;
  workloads: string[];
  class: string;
  networks: string[];
  guide: string;
}
export interface RecommendationsResult {
  uri: string;
  version: number;
  stages: StageRecommendation[];
  matrix: MatrixRowInfo[];
  error?: string;
}
export const RECOMMENDATIONS = new RequestType<RecommendationsParams, RecommendationsResult | null, void>('barecount/recommendations');

/** `barecount/runnerEdit`: the edits that set a stage's runner fields (the same edits as the fixes). */
export interface RunnerEditParams {
  uri: string;
  /** The document version the panel showed: no edits for a text that moved on. */
  version?: number;
  documentIndex: number;
  stageIndex: number;
  class?: string;
  size?: string;
  network?: string;
}

/** `barecount/estimateEdit`: the edits that write usage assumptions back to a stage's `estimate`. */
export interface EstimateEditParams {
  uri: string;
  version?: number;
  documentIndex: number;
  stageIndex: number;
  estimate: Partial<Record<InputName, number>>;
}

/** Result of both edit requests: apply `edits` to `uri` as one undo step. */
export interface EditResult {
  uri: string;
  version: number;
  edits: TextEdit[];
}
export const RUNNER_EDIT = new RequestType<RunnerEditParams, EditResult | null, void>('barecount/runnerEdit');
export const ESTIMATE_EDIT = new RequestType<EstimateEditParams, EditResult | null, void>('barecount/estimateEdit');

/** Commands the server executes (workspace/executeCommand). */
export const COMMAND_APPLY_FIX = 'barecount.applyFix';
export const COMMAND_SHOW_RULE_DOCS = 'barecount.showRuleDocs';

/** initializationOptions a client may pass. */
export interface InitializationOptions {
  /** A client command that reopens completion after a key is inserted (VS Code: editor.action.triggerSuggest). */
  retriggerCommand?: string;
  /** The editor has its own snippets for manifests (VS Code's contributes.snippets): offer none. */
  snippets?: boolean;
  /**
   * False in a workspace the user has not trusted (VS Code's Restricted Mode): the server then
   * ignores `barecount.policyPath` (spec §1). Left out, the workspace is trusted.
   */
  workspaceTrusted?: boolean;
}

/** `barecount/didChangeWorkspaceTrust`: the client's workspace trust changed (VS Code: trust was granted). */
export interface WorkspaceTrustParams {
  trusted: boolean;
}
export const DID_CHANGE_WORKSPACE_TRUST = new NotificationType<WorkspaceTrustParams>('barecount/didChangeWorkspaceTrust');
