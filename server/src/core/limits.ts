/** Bounds that keep every analysis fast on hostile input; adapters may raise or lower them. */
export interface Limits {
  /** Documents larger than this (UTF-16 code units) get one BC001 finding instead of analysis. */
  maxDocumentSize: number;
  /** Alias expansions allowed when a document is turned into data (defeats "billion laughs"). */
  maxAliasCount: number;
  /** Deepest collection nesting analysed. */
  maxDepth: number;
}

/** Limits with the document size given in KiB (the unit of the setting and the CLI flag). */
export function limitsWithSize(kib: number | undefined): Limits {
  return kib !== undefined && Number.isFinite(kib) && kib > 0 ? { ...DEFAULT_LIMITS, maxDocumentSize: Math.round(kib * 1024) } : DEFAULT_LIMITS;
}

/**
 * At these defaults no request takes more than a second (`npm run bench:limits` measures it): a
 * 1 MiB manifest is about 1600 stages.
 */
export const DEFAULT_LIMITS: Limits = {
  maxDocumentSize: 1024 * 1024,
  maxAliasCount: 100,
  maxDepth: 64,
};
