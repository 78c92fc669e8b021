import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import Ajv2020 from 'ajv/dist/2020';
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
		expect(s.required).toEqual(expect.arrayContaining(['format', 'version', 'id', 'name', 'states']));
		expect(s).toMatchObject({ anyOf: [{ required: ['initial'] }, { properties: { type: { const: 'parallel' } }, required: ['type'] }] });
		expect(Object.keys(s.$defs)).toEqual(expect.arrayContaining(['StateNode', 'TransitionConfig', 'Effect']));
		expect(s.properties).toHaveProperty('$schema');
	});

	it('describes every field the examples use at the top level', () => {
		const s = buildJsonSchema() as { properties: Record<string, unknown> };
		for (const ex of examples) for (const k of Object.keys(ex.workflow)) expect(Object.keys(s.properties)).toContain(k);
	});

	it('as a JSON Schema (read back with z.fromJSONSchema) accepts the examples and rejects broken shapes', () => {
		const schema = z.fromJSONSchema(JSON.parse(committed));
		for (const ex of examples) expect(schema.safeParse({ $schema: '/schema/workflow-v1.json', ...ex.workflow }).success, ex.id).toBe(true);
		const door = examples[0].workflow;
		const broken: unknown[] = [
			{ ...door, format: 'other' },
			{ ...door, version: 2 },
			{ ...door, states: { 'a.b': {} } },
			{ ...door, states: { a: { after: { soon: 'a' } } } },
			{ ...door, states: { a: { states: { b: { type: 'terminal' } } } } },
			{ ...door, states: { a: { on: { GO: 5 } } } },
			{ ...door, states: { a: { entry: [{ message: 'no type' }] } } },
			{ ...door, layout: { a: { x: 'left', y: 0 } } },
			{ ...door, type: 'final' }
		];
		for (const b of broken) expect(schema.safeParse(b).success, JSON.stringify(b).slice(0, 80)).toBe(false);
		// Event keys may list descriptors.
		expect(schema.safeParse({ ...door, states: { a: { on: { 'error.* CANCEL': 'a', '*': 'a' } } } }).success).toBe(true);
		expect(schema.safeParse({ ...door, states: { a: { on: { '  ': 'a' } } } }).success).toBe(false);
	});

	it('as a JSON Schema read by Ajv (draft 2020-12) requires `initial` unless the workflow is parallel', () => {
		const validate = new Ajv2020({ strict: false }).compile(JSON.parse(committed));
		const door = examples[0].workflow;
		const { initial, ...noInitial } = door;
		expect(initial).toBeTruthy();
		for (const ex of examples) expect(validate(ex.workflow), ex.id).toBe(true);
		expect(validate(noInitial)).toBe(false);
		expect(validate({ ...noInitial, type: 'parallel' })).toBe(true);
		expect(validate({ ...door, type: 'compound' })).toBe(true);
		expect(validate({ ...noInitial, type: 'compound' })).toBe(false);
		expect(validate({ ...door, states: { a: { on: { '\t': 'a' } } } })).toBe(false);
	});
});
