// Types of validators.js, which scripts/gen-validators.mjs writes with ajv's standalone code
// generator at every build (the .js is not committed).
import type { ValidateFunction } from 'ajv';

export declare const pipeline: ValidateFunction;
export declare const policy: ValidateFunction;
/** The pipeline schema without the items of spec.stages. */
export declare const header: ValidateFunction;
/** One item of spec.stages. */
export declare const stage: ValidateFunction;
