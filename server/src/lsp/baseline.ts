import { URI } from 'vscode-uri';
import {
  analyze,
  baselineCosts,
  compareFindings,
  costReport,
  indexFindings,
  type AnalysisEnv,
  type Baseline,
  type BaselineCosts,
  type CostReport,
  type FindingIndex,
  type FindingsDelta,
} from '../core';
import { BaselineError, BaselineReader, type BaselineText } from '../git';
import type { DocState } from './documents';
import { heap } from './heap';

/**
 * `barecount.baseline` in the editor: each open manifest as it was at the revision (default HEAD),
 * read with git without blocking (git.ts), analysed with the document's own policy and date, and
 * compared with the document by the core (baseline.ts). Every surface asks `of(state)`; none runs
 * git or compares by itself.
 *
 * git is run only for a file on disk, in a trusted workspace (the session clears the setting in
 * Restricted Mode), and again at most every REFRESH_MS or after a save, so a commit or a checkout
 * shows up without a restart.
 */

const REFRESH_MS = 30_000;

interface Entry {
  ref: string;
  at: number;
  /** undefined while git runs the first time. */
  read?: BaselineText | BaselineError;
  running: boolean;
  /**
   * The analysis of `read` under one environment (policy, date, severities, limits: the settings
   * objects live until the configuration changes), its findings indexed and its figures, built
   * once; and the comparison with the latest document state.
   */
  analysed?: { env: AnalysisEnv; baseline: Baseline; index: FindingIndex; costs: BaselineCosts };
  compared?: { state: DocState; delta: Baseline & FindingsDelta; report?: CostReport };
}

export class BaselineStore {
  private readonly entries = new Map<string, Entry>();

  constructor(
    /** Called when git's answer for a document arrives (or changes): publish again, refresh lenses. */
    private readonly changed: (uri: string) => void,
    private readonly log: (message: string) => void,
    private readonly now: () => number = Date.now,
  ) {}

  /**
   * The document's baseline and which findings are new, when the setting names a revision and
   * git answered; undefined otherwise (off, pending, not in a repository: nothing is compared).
   * Asks git when due unless `ask` is false (diagnostics ask after they are published).
   */
  of(state: DocState, ref: string, ask = true): (Baseline & FindingsDelta) | undefined {
    if (!ref || !state.analysis) return undefined;
    const uri = URI.parse(state.uri);
    if (uri.scheme !== 'file') return undefined;
    let e = this.entries.get(state.uri);
    if (!e || e.ref !== ref) {
      e = { ref, at: 0, running: false };
      this.entries.set(state.uri, e);
    }
    if (ask && !e.running && this.now() - e.at > REFRESH_MS) this.start(state.uri, uri.fsPath, e);
    const read = e.read;
    if (!read || read instanceof BaselineError) return undefined;
    const env = state.env;
    const was = e.analysed?.env;
    if (!was || was.policy !== env.policy || was.today !== env.today || was.severityOverrides !== env.severityOverrides || was.limits !== env.limits) {
      if (read.kind !== 'absent') heap.forManifest(read.text.length, true);
      const analysis = read.kind === 'absent' ? null : analyze(read.text, env);
      const baseline = { ref, analysis };
      e.analysed = { env, baseline, index: indexFindings(analysis), costs: baselineCosts(baseline) };
      e.compared = undefined;
    }
    const { baseline, index } = e.analysed!;
    if (e.compared?.state !== state) e.compared = { state, delta: { ...baseline, ...compareFindings(state.analysis, baseline.analysis, index) } };
    return e.compared.delta;
  }

  /** The baseline's figures per pipeline and stage, for the lenses and the hover; undefined like `of`. */
  costs(state: DocState, ref: string): BaselineCosts | undefined {
    return this.of(state, ref) ? this.entries.get(state.uri)!.analysed!.costs : undefined;
  }

  /** The document's cost report, with the baseline's figures beside it when there is one: one per state. */
  report(state: DocState, ref: string): CostReport | undefined {
    if (!state.analysis) return undefined;
    const delta = this.of(state, ref);
    if (!delta) return costReport(state.analysis);
    const e = this.entries.get(state.uri)!;
    if (!e.compared!.report) e.compared!.report = costReport(state.analysis, e.analysed!.costs);
    return e.compared!.report;
  }

  /** Reads again at the next request: after a save, or when the setting changed. */
  invalidate(uri?: string): void {
    for (const [k, e] of this.entries) if (!uri || k === uri) e.at = 0;
  }

  forget(uri: string): void {
    this.entries.delete(uri);
  }

  private start(uri: string, path: string, e: Entry): void {
    e.running = true;
    e.at = this.now();
    const reader = new BaselineReader(e.ref);
    reader.read(path).then(
      (read) => this.settle(uri, e, read),
      (err: unknown) => {
        if (!(err instanceof BaselineError)) this.log(`barecount.baseline: ${(err as Error).message}`);
        this.settle(uri, e, err instanceof BaselineError ? err : new BaselineError(String((err as Error).message)));
      },
    );
  }

  private settle(uri: string, e: Entry, read: BaselineText | BaselineError): void {
    e.running = false;
    if (this.entries.get(uri) !== e) return;
    const before = e.read;
    const same =
      before !== undefined &&
      (before instanceof BaselineError
        ? read instanceof BaselineError && read.message === before.message
        : !(read instanceof BaselineError) && read.kind === before.kind && (read.kind === 'absent' || (before.kind === 'text' && read.text === before.text)));
    if (read instanceof BaselineError && !(before instanceof BaselineError && before.message === read.message))
      this.log(`barecount.baseline ${e.ref}: no comparison for ${uri}: ${read.message}`);
    if (same) return;
    e.read = read;
    e.analysed = undefined;
    e.compared = undefined;
    // No comparison before and none now (not a repository, say): nothing any surface shows changed.
    const shown = (r: BaselineText | BaselineError | undefined) => r !== undefined && !(r instanceof BaselineError);
    if (shown(before) || shown(read)) this.changed(uri);
  }
}
