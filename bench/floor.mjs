// The floor the CLI is measured against (npm run bench): read every manifest of a folder, parse it
// with the yaml library and validate it with ajv against the manifest schema, nothing else.
// Run as a process of its own, like barecount-lint, so both pay node's start-up.
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { parseAllDocuments } from 'yaml';
import Ajv from 'ajv';

const schema = JSON.parse(readFileSync(new URL('../schemas/barecount-pipeline.schema.json', import.meta.url), 'utf8'));
const ajv = new Ajv({ allErrors: true, strict: false });
const validate = ajv.compile(schema);
let errors = 0;
const dir = process.argv[2];
for (const name of readdirSync(dir)) {
  if (!name.endsWith('.barecount.yaml')) continue;
  for (const doc of parseAllDocuments(readFileSync(join(dir, name), 'utf8'))) {
    if (!validate(doc.toJS({ maxAliasCount: -1 }))) errors += validate.errors.length;
  }
}
console.log(`${errors} schema errors`);
