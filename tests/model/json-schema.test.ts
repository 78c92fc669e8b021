import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { buildJsonSchema, buildJsonSchemaText } from '../../src/lib/model/json-schema';
import { examples } from '../../src/lib/examples';

const committed = readFileSync(new URL('../../static/schema/workflow-v1.json', import.meta.url), 'utf8');

describe('JSON Schema of format v1', () => {
	it('committed static/schema/workflow-v1.json is what `npm run schema` generates now', () => {
		expect(committed).toBe(buildJsonSchemaText());
	});

	it('is draft 2020-12, names its recursive parts and requires the core fields', () => {
		const s = buildJsonSchema() as { $schema: string; required: string[]; $defs: Record<string, unknown>; properties: Record<string, unknown> };
		expect(s.$schema).toBe('https://json-schema.org/draft/2020-12/schema');
		expect(s.required).toEqual(expect.arrayContaining(['format', 'version', 'id', 'name', 'initial', 'states']));
		expect(Object.keys(s.$defs)).toEqual(expect.arrayContaining(['StateNode', 'TransitionConfig', 'Effect']));
		expect(s.properties).toHaveProperty('$schema');
	});

	it('describes every field the examples use at the top level', () => {
		const s = buildJsonSchema() as { properties: Record<string, unknown> };
		for (const ex of examples) for (const k of Object.keys(ex.workflow)) expect(Object.keys(s.properties)).toContain(k);
	});
});
