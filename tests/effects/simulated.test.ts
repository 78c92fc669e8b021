import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createExecutor, effectKinds } from '../../src/lib/effects';
import { exampleFromSchema, isOutsideEffect, outsideKinds, runModeLog, runModeOf, simulatedHandlers } from '../../src/lib/effects/simulated';
import { makeScope, manualClock } from './helpers';

let server: Server;
let base = '';
let requests = 0;

beforeAll(async () => {
	server = createServer((_req, res) => {
		requests++;
		res.writeHead(200, { 'content-type': 'application/json' });
		res.end('{"real":true}');
	});
	await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
	base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise<void>((r) => server.close(() => r())));

function simulated(extra: string[] = []) {
	return createExecutor({ clock: manualClock(), handlers: simulatedHandlers(extra) });
}

describe('simulated runs', () => {
	it('every io and ai kind is an outside kind; data, time, composition and resilience kinds are not', () => {
		expect(outsideKinds().sort()).toEqual(['call_llm', 'call_tool', 'coordinate_agents', 'embed_text', 'http', 'rag', 'vector_search']);
		for (const [type, kind] of Object.entries(effectKinds)) {
			expect(isOutsideEffect(type)).toBe(kind.category === 'io' || kind.category === 'ai');
		}
		expect(isOutsideEffect('mcp_weather', ['mcp_weather'])).toBe(true);
		expect(isOutsideEffect('mcp_weather')).toBe(false);
	});

	it('answers http without a request reaching the server (also inside retry and timeout), and applies resultPath', async () => {
		const before = requests;
		const ex = simulated();
		const { scope } = makeScope({ id: 7 });
		const plain = await ex.run({ type: 'http', method: 'DELETE', url: `${base}/items/{{ context.id }}` }, scope);
		expect(plain).toEqual({ simulated: true, method: 'DELETE', url: `${base}/items/7` });
		const wrapped = await ex.run(
			{ type: 'retry', maxAttempts: 3, effect: { type: 'timeout', ms: 1000, effect: { type: 'http', method: 'POST', url: `${base}/x`, resultPath: 'body.method', body: { a: 1 } } } },
			scope
		);
		expect(wrapped).toBe('POST');
		expect(requests).toBe(before);
		// The same effect run live does reach it: the server above is real.
		const live = await createExecutor({ clock: manualClock() }).run({ type: 'http', url: `${base}/x` }, makeScope().scope);
		expect(live).toEqual({ real: true });
		expect(requests).toBe(before + 1);
	});

	it('call_llm gives clearly simulated text, streamed as text progress, the same every time', async () => {
		const ex = simulated();
		const a = makeScope();
		const text = await ex.run({ type: 'call_llm', prompt: 'Classify this ticket please' }, a.scope);
		expect(text).toBe('Simulated answer (no model was called) to: “Classify this ticket please”');
		expect(await ex.run({ type: 'call_llm', prompt: 'Classify this ticket please' }, makeScope().scope)).toBe(text);
		const deltas = a.events.flatMap((e) => (e.kind === 'effect' && e.phase === 'progress' ? [(e.data as { delta: string }).delta] : []));
		expect(deltas.length).toBeGreaterThan(1);
		expect(deltas.join('')).toBe(text);
	});

	it('call_llm with a JSON schema answers a value matching it; json without a schema answers an object', async () => {
		const ex = simulated();
		const schema = {
			type: 'object',
			properties: {
				category: { type: 'string', enum: ['billing', 'technical'] },
				urgency: { type: 'integer', minimum: 1 },
				tags: { type: 'array', items: { type: 'string' } },
				vip: { type: 'boolean' },
				due: { type: 'string', format: 'date' }
			},
			required: ['category']
		};
		expect(await ex.run({ type: 'call_llm', prompt: 'x', json: true, schema } as never, makeScope().scope)).toEqual({
			category: 'billing',
			urgency: 1,
			tags: ['simulated'],
			vip: false,
			due: '2000-01-01'
		});
		expect(await ex.run({ type: 'call_llm', prompt: 'x', json: true }, makeScope().scope)).toEqual({ simulated: true });
	});

	it('exampleFromSchema prefers const, default, examples and enum, and follows oneOf/allOf', () => {
		expect(exampleFromSchema({ const: 3 })).toBe(3);
		expect(exampleFromSchema({ type: 'string', default: 'd' })).toBe('d');
		expect(exampleFromSchema({ type: 'number', examples: [4.5] })).toBe(4.5);
		expect(exampleFromSchema({ oneOf: [{ type: 'null' }, { type: 'string' }] })).toBeNull();
		expect(exampleFromSchema({ allOf: [{ properties: { a: { type: 'number' } } }, { properties: { b: { type: 'boolean' } } }] })).toEqual({ a: 0, b: false });
		expect(exampleFromSchema({ type: ['null', 'integer'], exclusiveMinimum: 2 })).toBe(3);
		expect(exampleFromSchema({ type: 'array', minItems: 2, items: { type: 'number' } })).toEqual([0, 0]);
	});

	it('embed_text gives the same unit vector for the same text and different ones for different texts', async () => {
		const ex = simulated();
		const one = (await ex.run({ type: 'embed_text', text: 'hello' }, makeScope().scope)) as number[];
		const again = (await ex.run({ type: 'embed_text', text: 'hello' }, makeScope().scope)) as number[];
		const other = (await ex.run({ type: 'embed_text', text: 'world' }, makeScope().scope)) as number[];
		expect(one).toHaveLength(8);
		expect(again).toEqual(one);
		expect(other).not.toEqual(one);
		expect(Math.hypot(...one)).toBeCloseTo(1, 4);
		const many = (await ex.run({ type: 'embed_text', text: ['hello', 'world'] }, makeScope().scope)) as number[][];
		expect(many).toEqual([one, other]);
	});

	it('retrieval, agents and tools answer placeholders that say they are simulated; registered plugin types too', async () => {
		const ex = simulated(['weather_lookup']);
		const hits = (await ex.run({ type: 'vector_search', collection: 'docs', query: 'refunds', topK: 2 }, makeScope().scope)) as { text: string }[];
		expect(hits).toHaveLength(2);
		expect(hits[0].text).toContain('Simulated passage 1');
		const rag = (await ex.run({ type: 'rag', collection: 'docs', question: 'How do refunds work?' }, makeScope().scope)) as { answer: string; sources: unknown[] };
		expect(rag.answer).toMatch(/^Simulated answer/);
		expect(rag.sources).toHaveLength(1);
		const agents = (await ex.run({ type: 'coordinate_agents', task: 'Plan', agents: [{ name: 'a' }, { name: 'b' }] }, makeScope().scope)) as { output: string; agents: { name: string }[] };
		expect(agents.agents.map((a) => a.name)).toEqual(['a', 'b']);
		expect(agents.output).toBe('Simulated answer of a (no model was called) to: “Plan”');
		const tool = (await ex.run({ type: 'call_tool', tool: 'search', arguments: {} }, makeScope().scope)) as { content: { text: string }[] };
		expect(tool.content[0].text).toContain('Simulated result of tool “search”');
		expect(await ex.run({ type: 'weather_lookup', city: 'Oslo' }, makeScope().scope)).toEqual({ simulated: true, type: 'weather_lookup' });
	});

	it('a kind may define its own simulated answer', async () => {
		const kind = effectKinds.call_tool as unknown as { simulate?: (p: { tool: string }) => unknown };
		kind.simulate = (p) => ({ own: p.tool });
		try {
			expect(await simulated().run({ type: 'call_tool', tool: 't' }, makeScope().scope)).toEqual({ own: 't' });
		} finally {
			delete kind.simulate;
		}
	});

	it('the run mode log line is found again at the start of a log', () => {
		const log = [runModeLog('simulated', 5), { kind: 'entered', time: 5, state: 'a' }];
		expect(runModeOf(log)).toBe('simulated');
		expect(runModeLog('live', 0).message).toMatch(/^Live run/);
		expect(runModeOf([{ kind: 'input', data: undefined }, runModeLog('live', 1)])).toBeUndefined();
	});
});
