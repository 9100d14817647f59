/** Bounds that keep every analysis fast on hostile input; adapters may raise or lower them. */
export interface Limits {
  /** Documents larger than this (UTF-16 code units) get one BC001 finding instead of analysis. */
  maxDocumentSize: number;
  /**
   * Alias expansions allowed when a document is turned into data (defeats "billion laughs"), at
   * the least: a document may also expand as many nodes as it has characters / 16 (aliasBudget).
   */
  maxAliasCount: number;
  /** Deepest collection nesting analysed. */
  maxDepth: number;
  /**
   * Steps of work one analysis may take (see work.ts): past it, the analysis stops and reports
   * what it found so far and one BC001 finding, so no document can starve the others.
   */
  maxWork: number;
}

/** Limits with the document size given in KiB (the unit of the setting and the CLI flag). */
export function limitsWithSize(kib: number | undefined): Limits {
  if (kib === undefined || !Number.isFinite(kib) || kib <= 0) return DEFAULT_LIMITS;
  const maxDocumentSize = Math.round(kib * 1024);
  // The work a document needs grows with its size: a larger limit allows proportionally more.
  const maxWork = Math.max(DEFAULT_LIMITS.maxWork, Math.round((DEFAULT_LIMITS.maxWork * maxDocumentSize) / DEFAULT_LIMITS.maxDocumentSize));
  return { ...DEFAULT_LIMITS, maxDocumentSize, maxWork };
}

/**
 * The largest manifest `bench/generate.ts` makes under 1 MiB (1600 stages) takes about 1.6
 * million steps, the same with an error in every stage (3,200 findings) about 4.8 million and
 * half a second: this is twice that and some (test/core/hostile.test.ts checks it). Steps follow
 * time at about a tenth of a microsecond each, so the limit stops a hostile document at about a
 * second of work; `npm run bench:limits` measures the shapes.
 */
const MAX_WORK = 10_000_000;

/**
 * At these defaults no request takes more than a second (`npm run bench:limits` measures it): a
 * 1 MiB manifest is about 1600 stages.
 */
export const DEFAULT_LIMITS: Limits = {
  maxDocumentSize: 1024 * 1024,
  maxAliasCount: 100,
  maxDepth: 64,
  maxWork: MAX_WORK,
};

/**
 * The alias expansions a document of `length` characters may make. The yaml library counts each
 * use of an anchor times what the anchored node itself expands to, so a flat anchor reused in 500
 * stages counts 500 while a "billion laughs" grows by its fan-out at every level. A fixed count
 * refuses honest manifests that reuse an anchor in many stages; one that grows with the text keeps
 * what the data expands to linear in the input, and a bomb still hits it within a few levels.
 */
export function aliasBudget(limits: Limits, length: number): number {
  return Math.max(limits.maxAliasCount, Math.ceil(length / 16));
}
