import { verdictAt, type Analysis, type AnalysisEnv } from '../analysis';
import { fixAll, type FixMode } from '../fix';
import { ignoreCommentEdit } from '../ignore';
import { keepsYamlValid } from '../safe-fix';
import type { Finding, Fix, TextEdit } from '../types';

/** Code actions as plain data: the quick fixes of a finding, "Ignore", and fix-all. */

export interface QuickFix {
  title: string;
  edits: TextEdit[];
  isPreferred: boolean;
}

/** Files up to this size get each offered fix checked to keep the YAML parsing. */
const CHECK_FIXES_UP_TO = 512 * 1024;

/** A finding's fixes, each offered only if it keeps a parsing file parsing, and "Ignore". */
export function quickFixes(a: Analysis, finding: Finding): QuickFix[] {
  const check = a.text.length <= CHECK_FIXES_UP_TO && !a.findings.some((f) => f.code === 'BC001');
  const out: QuickFix[] = finding.fixes
    .filter((x) => !check || keepsYamlValid(a.text, x))
    .map((x: Fix) => ({ title: x.title, edits: x.edits, isPreferred: !!x.isPreferred }));
  const ignore = ignoreAction(a, finding);
  if (ignore) out.push(ignore);
  return out;
}

/** "Ignore BCnnn for this stage" (or line): a comment with a reason for the person to write. */
export function ignoreAction(a: Analysis, finding: Finding): QuickFix | undefined {
  if (finding.code === 'BC001' || finding.code === 'BC003') return undefined;
  const at = verdictAt(a, finding.span.start);
  const anchor = at?.verdict.stage.node.range?.[0] ?? finding.span.start;
  const lineStart = a.text.lastIndexOf('\n', anchor - 1) + 1;
  return { title: `Ignore ${finding.code} for this ${at ? 'stage' : 'line'}`, edits: [ignoreCommentEdit(a.text, lineStart, finding.code)], isPreferred: false };
}

export interface FixAllAction {
  title: string;
  /** One edit per changed run of lines: text between fixes is not rewritten. */
  edits: TextEdit[];
  applied: number;
  partial: boolean;
}

/** The source action `source.fixAll.barecount`: safe fixes only (spec §5.2), as one edit. */
export function fixAllAction(a: Analysis, env: AnalysisEnv, timeMs: number, mode: FixMode = 'safe'): FixAllAction | undefined {
  const fixed = fixAll(a.text, env, mode, { timeMs }, a);
  const edits = fixed.edits;
  if (edits.length === 0) return undefined;
  return {
    title: `Fix all BareCount typos (${fixed.applied.length}${fixed.partial ? '; run again for more' : ''})`,
    edits,
    applied: fixed.applied.length,
    partial: fixed.partial,
  };
}
