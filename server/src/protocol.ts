/**
 * The custom protocol between the BareCount language server and its clients, in one file that
 * both sides import (types and method names only: no engine, no editor API).
 *
 * Positions are LSP positions (zero-based line and UTF-16 character). All money is USD a month.
 */

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

/** `barecount/costEstimate`: the cost of every pipeline and stage of a document. */
export const COST_ESTIMATE = 'barecount/costEstimate';
export interface CostEstimateParams {
  uri: string;
}
/** A runner and the stage's monthly cost on it. */
export interface RunnerEstimate {
  class: string;
  size: string;
  network: string;
  computeUsd: number;
  transferUsd: number;
  monthlyUsd: number;
}
/** A runner that passes the policy for the stage (the only kind listed). */
export interface AlternativeEstimate extends RunnerEstimate {
  /** Against the declared runner; negative when dearer. */
  savingUsd: number;
}
export interface StageEstimate extends RunnerEstimate {
  index: number;
  name: string;
  inputs: Record<InputName, { value: number; source: InputSource; note?: string }>;
  /** Inputs the figure depends on that the manifest does not declare. */
  defaulted: InputName[];
  lineItems: Array<{ label: string; formula: string; usd: number }>;
  /** Runners that pass the policy, cheapest first. */
  alternatives: AlternativeEstimate[];
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
  uncosted: Array<{ index: number; name: string; reason: string }>;
  range: Range;
}
export interface CostEstimateResult {
  uri: string;
  version: number;
  /** Where the policy came from: a file path, the setting, or "built-in". */
  policySource: string;
  policyFallback: boolean;
  totalUsd: number;
  pipelines: PipelineEstimate[];
  /** Syntax errors stop the estimate: say so rather than show stale figures. */
  error?: string;
}

/** `barecount/recommendations`: per stage, the declared and the recommended runner, and why. */
export const RECOMMENDATIONS = 'barecount/recommendations';
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
export interface StageRecommendation {
  documentIndex: number;
  index: number;
  name: string;
  phase?: string;
  workload?: string;
  declared: { class?: string; size?: string; network?: string; sources: Record<string, 'stage' | 'defaults'> };
  recommended?: { class: string; networks: string[]; guide: string };
  /** What "Apply" sets: the recommended class and the first typical network that passes the policy. */
  suggested?: { class: string; network?: string };
  deviations: Deviation[];
  checks: Array<{ code: string; label: string; pass: boolean; detail: string }>;
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

/** `barecount/runnerEdit`: the edits that set a stage's runner fields (the same edits as the fixes). */
export const RUNNER_EDIT = 'barecount/runnerEdit';
export interface RunnerEditParams {
  uri: string;
  documentIndex: number;
  stageIndex: number;
  class?: string;
  size?: string;
  network?: string;
}

/** `barecount/estimateEdit`: the edits that write usage assumptions back to a stage's `estimate`. */
export const ESTIMATE_EDIT = 'barecount/estimateEdit';
export interface EstimateEditParams {
  uri: string;
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

/** Commands the server executes (workspace/executeCommand). */
export const COMMAND_APPLY_FIX = 'barecount.applyFix';
export const COMMAND_SHOW_RULE_DOCS = 'barecount.showRuleDocs';

/** initializationOptions a client may pass. */
export interface InitializationOptions {
  /** A client command that reopens completion after a key is inserted (VS Code: editor.action.triggerSuggest). */
  retriggerCommand?: string;
  /** The editor has its own snippets for manifests (VS Code's contributes.snippets): offer none. */
  snippets?: boolean;
}
