/** Bounds that keep every analysis fast on hostile input; adapters may raise or lower them. */
export interface Limits {
  /** Documents larger than this (UTF-16 code units) get one BC001 finding instead of analysis. */
  maxDocumentSize: number;
  /** Alias expansions allowed when a document is turned into data (defeats "billion laughs"). */
  maxAliasCount: number;
  /** Deepest collection nesting analysed. */
  maxDepth: number;
}

export const DEFAULT_LIMITS: Limits = {
  maxDocumentSize: 5 * 1024 * 1024,
  maxAliasCount: 100,
  maxDepth: 64,
};
