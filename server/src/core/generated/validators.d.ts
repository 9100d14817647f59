// Types of validators.js, which scripts/gen-validators.mjs writes with ajv's standalone code
// generator at every build (the .js is not committed).
import type { ValidateFunction } from 'ajv';

export declare const pipeline: ValidateFunction;
export declare const policy: ValidateFunction;
