// Compiles the two JSON Schemas with ajv (strict mode) at build time into standalone validation
// code, so the bundled server and CLI neither load ajv's compiler nor compile at start-up.
// Output: server/src/core/generated/validators.js (ignored; rebuilt by every build, test and
// bench run), imported statically by the engine; validators.d.ts beside it is committed.
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
const Ajv = require('ajv').default;
const standaloneCode = require('ajv/dist/standalone').default;

const pipeline = JSON.parse(readFileSync(new URL('../schemas/barecount-pipeline.schema.json', import.meta.url), 'utf8'));
const policy = JSON.parse(readFileSync(new URL('../schemas/barecount-policy.schema.json', import.meta.url), 'utf8'));
// The same options as server/src/core/schema.ts uses when it compiles at run time.
const ajv = new Ajv({ allErrors: true, strict: true, verbose: true, code: { source: true } });
ajv.addVocabulary(['enumDescriptions', 'markdownDescription']);
ajv.addSchema(pipeline);
ajv.addSchema(policy);
// An editor validates a pipeline in parts, so that an edit costs the stage it touched: the header
// (everything but the items of spec.stages) and each stage item on its own (analysis.ts). Together
// they report what the whole schema does, at the same paths.
const header = JSON.parse(JSON.stringify(pipeline));
header.$id = pipeline.$id.replace(/\.json$/, '.header.json');
header.properties.spec.properties.stages.items = true;
ajv.addSchema(header);
const code = standaloneCode(ajv, { pipeline: pipeline.$id, policy: policy.$id, header: header.$id, stage: `${pipeline.$id}#/definitions/stage` });
mkdirSync(new URL('../server/src/core/generated/', import.meta.url), { recursive: true });
// ajv appends a referenced schema's errors with `vErrors.concat(…)`, which copies every error so
// far for each item that fails: quadratic in the items with errors (a list of 100k wrong stages
// took a minute). Appending in place reports the very same errors in the same order.
const linear = code.replace(
  /vErrors = vErrors === null \? (validate\d+)\.errors : vErrors\.concat\(\1\.errors\)/g,
  (_, v) => `if (vErrors === null) vErrors = ${v}.errors.slice(); else for (const e of ${v}.errors) vErrors.push(e)`,
);
if (linear.includes('.concat(')) throw new Error('gen-validators: ajv generated a concat this script does not rewrite; see the comment above.');
writeFileSync(new URL('../server/src/core/generated/validators.js', import.meta.url), linear);
