import { lazyProperty } from './lazy';

/** Severity of a finding, in increasing order of weight; `off` drops the finding. */
export type Severity = 'hint' | 'info' | 'warning' | 'error';
export type SeveritySetting = Severity | 'off';
export const SEVERITY_SETTINGS: readonly SeveritySetting[] = ['off', 'hint', 'info', 'warning', 'error'];

/** A half-open span of UTF-16 offsets into the document text. Line/column is for adapters. */
export interface Span {
  start: number;
  end: number;
}

/** A text replacement: offsets refer to the text before any edit of the same fix is applied. */
export interface TextEdit extends Span {
  newText: string;
}

/**
 * How far a fix may be applied without a person looking (spec §5.2). `safe`: it corrects a typo
 * to the one close valid name, or removes an ignore comment that silences nothing; fix-all,
 * fix-on-save and `barecount-lint --fix` apply these. `suggestion`: it changes a decision someone
 * made or must make, or inserts a placeholder; offered in the editor, applied by
 * `--fix --unsafe-fixes` only as spec §5.2 allows.
 */
export type FixSafety = 'safe' | 'suggestion';

export interface Fix {
  title: string;
  edits: TextEdit[];
  safety: FixSafety;
  /**
   * What a suggestion decides, where `--unsafe-fixes` treats it specially: the stage's
   * recommended runner (applied), another runner (BC304 at the same size: not applied), or what
   * something is (a phase, a workload, the data's classification: never applied).
   */
  decides?: 'recommended-runner' | 'other-runner' | 'classification';
  /** The fix is clearly right (one obvious choice): editors mark it preferred. */
  isPreferred?: boolean;
}

/** A fix's `edits`, built when first read (lazy.ts). */
const lazyEdits = lazyProperty<TextEdit[]>('edits');

/**
 * A fix whose edits are built when first read (a code action, fix-all, SARIF), not for every
 * finding of every analysis: building edits can cost far more than the finding.
 */
export function lazyFix(fix: Omit<Fix, 'edits'>, edits: () => TextEdit[]): Fix {
  const out = { ...fix } as Fix;
  lazyEdits(out, edits);
  return out;
}

export interface RelatedInfo {
  span: Span;
  message: string;
}

export interface Finding {
  code: string;
  severity: Severity;
  message: string;
  span: Span;
  /** Stable id of the message template, and the data it was filled with; tests assert these. */
  messageId: string;
  data: Record<string, string | number>;
  readonly fixes: readonly Fix[];
  readonly related: readonly RelatedInfo[];
  /** Index of the YAML document in the file the finding belongs to. */
  documentIndex: number;
}
