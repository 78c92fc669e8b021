import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { emptyValue, fieldKind, fieldLabel, issuesByPath, itemLabel } from '../../src/lib/designer/json-schema';
import { toJsonSchema } from '../../src/lib/designer/zod-json-schema';
import { tokenizeJson, tokenLines } from '../../src/lib/designer/json-tokens';
import { checkExpression, loadExpressionCheck } from '../../src/lib/designer/expr-check';
import { effectCatalogue } from '../../src/lib/designer/effect-catalogue.svelte';
import { defaultEffect } from '../../src/lib/designer/library';
import { effectProblems } from '../../src/lib/designer/lint';
import { problemTarget } from '../../src/lib/designer/problem-target';
import { effectKinds as registry } from '../../src/lib/effects/kinds';
import { examples } from '../../src/lib/examples';
import type { Workflow } from '../../src/lib/model/types';

await effectCatalogue.load();
const effectKinds = effectCatalogue.kinds;

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
		// on the input side a field with a default may be left out: only `url` must be given
		expect(js.required).toEqual(['url']);
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

	it('every effect kind of the effects layer is in the library, with a form and a default that can be added', () => {
		expect(effectKinds.map((k) => k.type).sort()).toEqual(Object.keys(registry).sort());
		for (const k of effectKinds) {
			const d = defaultEffect(k.type);
			expect(d.type).toBe(k.type);
			expect(k.schema, k.type).toBeTruthy();
			expect(k.json?.properties, k.type).toBeTruthy();
			expect(k.label).not.toBe(k.type);
		}
	});

	it('labels every field in words, with the description as help', () => {
		expect(fieldLabel('assignTo')).toBe('Save result in context key');
		expect(fieldLabel('resultPath')).toBe('Result path');
		expect(fieldLabel('retryOn')).toBe('Retry on errors');
		expect(fieldLabel('timeoutMs')).toBe('Timeout (ms)');
		expect(fieldLabel('max_tokens')).toBe('Max tokens');
		expect(fieldLabel('x', { title: 'Given title' })).toBe('Given title');
		expect(itemLabel('Steps', 1)).toBe('Step 2');
		expect(itemLabel('Entries', 0)).toBe('Entry 1');
		// every field of every kind has a label that is not its raw camelCase key, and a description
		for (const k of effectKinds)
			for (const [key, sub] of Object.entries(k.json?.properties ?? {})) {
				if (key === 'type') continue;
				const label = fieldLabel(key, sub);
				expect(label, `${k.type}.${key}`).not.toMatch(/[a-z][A-Z]/);
				expect(sub.description, `${k.type}.${key} has no description`).toBeTruthy();
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
	it('accepts JSONata and reports syntax errors with a position, once JSONata has loaded', async () => {
		await loadExpressionCheck();
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
		expect(ps[0].message).toBe('HTTP request in the entry of "a": URL — Required: fill this in.');
	});

	it('the bundled examples have no effect-parameter problems', () => {
		for (const ex of examples) expect(effectProblems(ex.workflow), ex.id).toEqual([]);
	});
});
