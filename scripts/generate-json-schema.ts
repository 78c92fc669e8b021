/**
 * Writes `static/schema/workflow-v1.json`, the JSON Schema of format v1, from the zod schema
 * in `src/lib/model/schema.ts`, so editors (VS Code's `$schema`) can validate files.
 * Run with `npm run schema`; `tests/model/json-schema.test.ts` fails when the committed file is stale.
 */
import { writeFileSync, mkdirSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildJsonSchemaText } from '../src/lib/model/json-schema';

const out = resolve(dirname(fileURLToPath(import.meta.url)), '../static/schema/workflow-v1.json');
mkdirSync(dirname(out), { recursive: true });
writeFileSync(out, buildJsonSchemaText());
console.log(`wrote ${out}`);
