import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { toFields, fromFields, parseSchemaText, type SchemaFieldRow } from '$lib/ai/ui/schema-form';

describe('JSON Schema form (call_llm property panel)', () => {
	it('reads a simple object schema into rows and writes it back', () => {
		const schema = { type: 'object', properties: { category: { type: 'string', enum: ['billing', 'technical'], description: 'Kind of ticket' }, urgent: { type: 'boolean' }, score: { type: 'number' } }, required: ['category'], additionalProperties: false };
		const r = toFields(schema);
		expect(r).toEqual({
			ok: true,
			closed: true,
			fields: [
				{ name: 'category', type: 'enum', values: ['billing', 'technical'], description: 'Kind of ticket', required: true },
				{ name: 'urgent', type: 'boolean', values: [], description: '', required: false },
				{ name: 'score', type: 'number', values: [], description: '', required: false }
			]
		});
		if (r.ok) expect(fromFields(r.fields, r.closed)).toEqual(schema);
	});
	it('sends richer schemas to the JSON editor, saying why', () => {
		expect(toFields({ type: 'array', items: {} })).toEqual({ ok: false, reason: 'Only an object answer can be edited as a form.' });
		expect(toFields({ type: 'object', properties: { tags: { type: 'array', items: { type: 'string' } } } })).toMatchObject({ ok: false, reason: expect.stringMatching(/"tags.items" needs the JSON editor/) });
		expect(toFields({ type: 'object', oneOf: [] })).toMatchObject({ ok: false });
	});
	it('round-trips any form (property)', () => {
		const row = fc.record({
			name: fc.stringMatching(/^[a-z][a-z0-9_]{0,8}$/),
			type: fc.constantFrom('string', 'number', 'integer', 'boolean', 'enum') as fc.Arbitrary<SchemaFieldRow['type']>,
			values: fc.uniqueArray(fc.stringMatching(/^[a-z]{1,6}$/), { minLength: 1, maxLength: 4 }),
			description: fc.stringMatching(/^[A-Za-z ]{0,12}$/).map((s) => s.trim()),
			required: fc.boolean()
		});
		fc.assert(
			fc.property(fc.uniqueArray(row, { selector: (r) => r.name, maxLength: 6 }), fc.boolean(), (rows, closed) => {
				const norm = rows.map((r) => ({ ...r, values: r.type === 'enum' ? r.values : [] }));
				const back = toFields(fromFields(norm, closed));
				expect(back).toEqual({ ok: true, fields: norm, closed });
			})
		);
	});
	it('parses raw text with errors in words', () => {
		expect(parseSchemaText('')).toEqual({ ok: true, schema: undefined });
		expect(parseSchemaText('[1]')).toMatchObject({ ok: false, message: expect.stringMatching(/is an object/) });
		expect(parseSchemaText('{"type": ')).toMatchObject({ ok: false, message: expect.stringMatching(/^Not valid JSON/) });
	});
});
