import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { emptyValue, fieldKind, issuesByPath, toJsonSchema } from '../../src/lib/designer/json-schema';
import { tokenizeJson, tokenLines } from '../../src/lib/designer/json-tokens';
import { checkExpression } from '../../src/lib/designer/expr-check';
import { effectKinds } from '../../src/lib/designer/model-adapter';
import { defaultEffect } from '../../src/lib/designer/library';
import { effectProblems } from '../../src/lib/designer/model-adapter';
import { problemTarget } from '../../src/lib/designer/problem-target';
import { examples } from '../../src/lib/examples';
import type { Workflow } from '../../src/lib/model/types';

const schema = z.object({
	url: z.string().min(1).describe('Where to send it'),
	method: z.enum(['GET', 'POST']).default('GET'),
	retries: z.number().int().min(0).optional(),
	follow: z.boolean().optional(),
	headers: z.record(z.string(), z.string()).optional(),
	tags: z.array(z.string()).optional(),
	body: z.object({ text: z.string() }).optional(),
	anything: z.unknown().optional()
});

describe('effect forms from zod schemas', () => {
	it('maps every field to an editor kind', () => {
		const js = toJsonSchema(schema)!;
		const kinds = Object.fromEntries(Object.entries(js.properties!).map(([k, v]) => [k, fieldKind(v)]));
		expect(kinds).toEqual({ url: 'string', method: 'enum', retries: 'integer', follow: 'boolean', headers: 'record', tags: 'array', body: 'object', anything: 'json' });
		expect(js.required).toEqual(['url', 'method'].filter((k) => js.required!.includes(k)));
		expect(js.properties!.url.description).toBe('Where to send it');
		expect(emptyValue(js.properties!.method)).toBe('GET');
	});

	it('puts validation messages on the field they belong to', () => {
		const issues = issuesByPath(schema, { url: '', retries: 1.5, headers: { a: 1 } });
		expect(issues.get('url')).toMatch(/>=1|at least|too small/i);
		expect(issues.get('retries')).toBeTruthy();
		expect(issues.get('headers.a')).toBeTruthy();
		expect(issuesByPath(schema, { url: 'x' }).size).toBe(0);
	});

	it('says a missing required field is required, not "expected string, received undefined"', () => {
		const issues = issuesByPath(schema, {});
		expect(issues.get('url')).toBe('Required: fill this in.');
		expect(issuesByPath(schema, { url: 3 }).get('url')).toMatch(/^Should be a string/);
	});

	it('every effect kind of the library has a form or falls back to JSON, and a default that can be added', () => {
		expect(effectKinds.length).toBeGreaterThan(3);
		for (const k of effectKinds) {
			const d = defaultEffect(k.type);
			expect(d.type).toBe(k.type);
			if (k.schema) expect(() => toJsonSchema(k.schema)).not.toThrow();
		}
	});
});

describe('code view tokenizer', () => {
	it('tokenizes JSON losslessly and tells keys from strings', () => {
		const src = '{\n  "a": "x \\"q\\"",\n  "b": [1, -2.5e3, true, null],\n  "c": { "d": false }\n}';
		expect(JSON.parse(src).b[1]).toBe(-2500);
		const toks = tokenizeJson(src);
		expect(toks.map((t) => t.text).join('')).toBe(src);
		expect(toks.filter((t) => t.kind === 'key').map((t) => t.text)).toEqual(['"a"', '"b"', '"c"', '"d"']);
		expect(toks.filter((t) => t.kind === 'string').map((t) => t.text)).toEqual(['"x \\"q\\""']);
		expect(toks.filter((t) => t.kind === 'number').map((t) => t.text)).toEqual(['1', '-2.5e3']);
		expect(tokenLines(src).length).toBe(src.split('\n').length);
	});
});

describe('guard syntax check', () => {
	it('accepts JSONata and reports syntax errors with a position', () => {
		expect(checkExpression('context.count < 3 and event.ok')).toBeNull();
		expect(checkExpression('')).toBeNull();
		expect(checkExpression('context.count <')).toMatch(/character|Expected|end/i);
		expect(checkExpression('(((')).not.toBeNull();
	});
});

describe('form field order', () => {
	it('puts required fields first and description/assignTo last', async () => {
		const { orderedFields } = await import('../../src/lib/designer/json-schema');
		const js = toJsonSchema(z.object({ description: z.string().optional(), model: z.string().optional(), prompt: z.string(), assignTo: z.string().optional(), type: z.literal('x') }))!;
		expect(orderedFields(js).map(([k]) => k)).toEqual(['prompt', 'model', 'description', 'assignTo']);
	});

	it('lists effects with rejected parameters as problems on their state or transition', () => {
		const http = effectKinds.find((k) => k.type === 'http' && k.schema);
		expect(http, 'the http effect kind and its schema').toBeTruthy();
		const wf = {
			format: 'fsm-studio/workflow', version: 1, id: 'x', name: 'x', initial: 'a',
			states: {
				a: { entry: [{ type: 'http' }], on: { GO: { target: 'b', effects: [{ type: 'http', url: 'https://example.com' }, { type: 'http' }] } } },
				b: { type: 'final' }
			}
		} as unknown as Workflow;
		const ps = effectProblems(wf);
		expect(ps.map((p) => [p.rule, p.severity, problemTarget(p)])).toEqual([
			['bad-effect', 'error', { node: 'a' }],
			['bad-effect', 'error', { edge: 'a|on:GO|0' }]
		]);
		expect(ps[0].message).toMatch(/the entry of "a": url — Required/);
	});

	it('the bundled examples have no effect-parameter problems', () => {
		for (const ex of examples) expect(effectProblems(ex.workflow), ex.id).toEqual([]);
	});
});
