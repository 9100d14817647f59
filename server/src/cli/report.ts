import type { Analysis, AppliedFix, Baseline, BaselineCosts, Finding, FindingsDelta, LineIndex, Redactor } from '../core';

/** What the linter learned about one file, ready for any output format. */
export interface FileReport {
  display: string;
  abs: string;
  kind: 'manifest' | 'policy';
  text: string;
  lines: LineIndex;
  findings: readonly Finding[];
  /** The engine's analysis of a manifest (policies have none). */
  analysis?: Analysis;
  fixed: AppliedFix[];
  /** False when the file is not valid UTF-8 text, holds a NUL or is binary: none of its lines is printed. */
  showSource: boolean;
  /** With --baseline: the manifest at REF, which of `findings` are new (parallel), which are gone, and its figures. */
  baseline?: Baseline & FindingsDelta & { costs: BaselineCosts };
}

export interface RunReport {
  files: FileReport[];
  withCost: boolean;
  notices: string[];
  /** With --baseline: the revision compared with. */
  baselineRef?: string;
  /** Masks every secret of every file of the run; every format passes its output through it. */
  redactor: Redactor;
}

export function counts(report: RunReport): { errors: number; warnings: number; infos: number; hints: number } {
  const c = { errors: 0, warnings: 0, infos: 0, hints: 0 };
  for (const f of report.files)
    for (const d of f.findings) {
      if (d.severity === 'error') c.errors++;
      else if (d.severity === 'warning') c.warnings++;
      else if (d.severity === 'info') c.infos++;
      else c.hints++;
    }
  return c;
}

/** Rounds money for machine output: cents are not enough for per-request prices. */
export function money(n: number): number {
  return Math.round(n * 10000) / 10000;
}
