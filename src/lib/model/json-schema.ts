/** The JSON Schema of format v1, generated from the zod schema (used by `npm run schema`). */
import { z } from 'zod';
import { WorkflowSchema } from './schema';

/** Where the app serves the schema; files may point their `$schema` at it. */
export const JSON_SCHEMA_PATH = '/schema/workflow-v1.json';

/** The schema as an object (draft 2020-12). */
export function buildJsonSchema(): Record<string, unknown> {
	const schema = z.toJSONSchema(WorkflowSchema, { target: 'draft-2020-12', unrepresentable: 'any' }) as Record<string, unknown>;
	const { $schema, ...rest } = schema;
	// `$schema` in a document is how editors find this file, so the schema must allow it.
	const properties = { $schema: { type: 'string', description: 'URL of this JSON Schema, for editors.' }, ...(rest.properties as object) };
	// `initial` is required unless the workflow is parallel (zod checks that in parse, not in its shape).
	const conditional = {
		anyOf: [{ required: ['initial'] }, { properties: { type: { const: 'parallel' } }, required: ['type'] }]
	};
	return { $schema, ...rest, properties, ...conditional };
}

/** The schema as the text committed in `static/schema/workflow-v1.json`. */
export function buildJsonSchemaText(): string {
	return JSON.stringify(buildJsonSchema(), null, 2) + '\n';
}
