import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { createExecutor, effectKinds, EffectError } from '../../src/lib/effects';
import { makeScope, manualClock, outcome } from './helpers';

describe('data kinds', () => {
	it('assign evaluates JSONata over context and event and patches the context', async () => {
		const { scope, context, patches } = makeScope({ count: 2, name: 'x' }, { type: 'GO', by: 3 });
		const ex = createExecutor();
		const out = await ex.run({ type: 'assign', set: { count: 'context.count + event.by', label: '$uppercase(context.name)' } }, scope);
		expect(out).toEqual({ count: 5, label: 'X' });
		expect(patches).toEqual([{ count: 5, label: 'X' }]);
		expect(context.count).toBe(5);
	});

	it('execute is synchronous for a synchronous effect', () => {
		const { scope, context } = makeScope({ n: 1 });
		const r = createExecutor().execute({ type: 'assign', set: { n: 'context.n * 2' } }, scope);
		expect(r).toEqual({ n: 2 });
		expect(context.n).toBe(2);
	});

	it('log records a message with templates and data', async () => {
		const { scope, events } = makeScope({ opens: 3 });
		await createExecutor().run({ type: 'log', message: 'Door opened {{ context.opens }} times', data: 'context.opens * 2' }, scope);
		expect(events.filter((e) => e.kind === 'log')).toEqual([{ kind: 'log', time: expect.any(Number), message: 'Door opened 3 times', data: 6 }]);
	});

	it('raise sends and emit emits an event with resolved templates', async () => {
		const { scope, sent, emitted } = makeScope({ id: 7 });
		const ex = createExecutor();
		await ex.run({ type: 'raise', event: 'NEXT' }, scope);
		await ex.run({ type: 'emit', event: { type: 'SAVED', id: '{{ context.id }}', note: 'id {{ context.id }}' } }, scope);
		expect(sent).toEqual([{ type: 'NEXT' }]);
		expect(emitted).toEqual([{ type: 'SAVED', id: 7, note: 'id 7' }]);
	});

	it('transform computes over results of earlier steps into a context key', async () => {
		const { scope, context } = makeScope({ items: [{ price: 2 }, { price: 5 }] });
		await createExecutor().run(
			{
				type: 'sequence',
				effects: [
					{ type: 'transform', expr: '2' },
					{ type: 'transform', id: 'sum', expr: '$sum(context.items.price)' },
					{ type: 'transform', expr: 'results.sum * 10 + results.`0`', to: 'total' }
				]
			},
			scope
		);
		expect(context.total).toBe(72);
	});

	it('sees the instance results the engine passes on its scope, under the sequence steps', async () => {
		const { scope } = makeScope();
		const withResults = { ...scope, results: { classify: 'billing' } };
		const out = await createExecutor().run(
			{ type: 'sequence', effects: [{ type: 'transform', id: 'x', expr: '"for " & results.classify' }, { type: 'transform', expr: 'results.x & "!"' }] },
			withResults
		);
		expect(out).toEqual(['for billing', 'for billing!']);
	});

	it('a later step of a composition sees the context assigned by an earlier one', async () => {
		const { scope } = makeScope({ n: 1 });
		// This scope applies patches later, like the engine's queue does.
		const deferred = { ...scope, context: { n: 1 }, assign: () => {} };
		const out = await createExecutor().run(
			{ type: 'sequence', effects: [{ type: 'assign', set: { n: 'context.n + 1' } }, { type: 'transform', expr: 'context.n' }] },
			deferred
		);
		expect(out).toEqual([{ n: 2 }, 2]);
	});

	it('delay waits on the clock', async () => {
		const clock = manualClock();
		const { scope } = makeScope();
		let done = false;
		void createExecutor({ clock }).run({ type: 'delay', ms: 500 }, scope).then(() => (done = true));
		await clock.advance(499);
		expect(done).toBe(false);
		await clock.advance(1);
		expect(done).toBe(true);
	});

	it('delay takes its milliseconds from an expression', async () => {
		const clock = manualClock();
		const { scope } = makeScope({ wait: 300 });
		let done = false;
		void createExecutor({ clock }).run({ type: 'delay', ms: 'context.wait * 2' }, scope).then(() => (done = true));
		await clock.advance(599);
		expect(done).toBe(false);
		await clock.advance(1);
		expect(done).toBe(true);
	});

	it('a failing expression fails the effect with code expression', async () => {
		const { scope } = makeScope({ name: 'x' });
		const r = await outcome(createExecutor().run({ type: 'transform', expr: 'context.name + 1' }, scope));
		expect(!r.ok && r.error.code).toBe('expression');
		expect(!r.ok && r.error.message).toMatch(/^Expression "context.name \+ 1" failed/);
	});

	it('invalid params fail with a path and a sentence', async () => {
		const { scope, trace } = makeScope();
		const r = await outcome(createExecutor().run({ type: 'timeout', effect: { type: 'log' } }, scope));
		expect(r.ok).toBe(false);
		if (!r.ok) {
			expect(r.error.code).toBe('invalid_params');
			expect(r.error.message).toMatch(/^Invalid timeout effect: ms: /);
		}
		expect(trace()).toEqual(['start timeout', 'error timeout']);
	});

	it('an unknown kind fails, and a registered plugin kind runs without executor changes', async () => {
		const { scope } = makeScope({ who: 'Ada' });
		const ex = createExecutor();
		expect((await outcome(ex.run({ type: 'greet', name: '{{ context.who }}' }, scope))).ok).toBe(false);
		ex.register('greet', (p: { name: string }) => `hello ${p.name}`);
		expect(await ex.run({ type: 'greet', name: '{{ context.who }}' }, scope)).toBe('hello Ada');
	});
});

describe('AI and tool kinds', () => {
	const minimal: Record<string, Record<string, unknown>> = {
		call_llm: { prompt: 'hi' },
		embed_text: { text: 'hi' },
		vector_search: { collection: 'docs', query: 'hi' },
		rag: { collection: 'docs', question: 'hi' },
		coordinate_agents: { task: 'plan', agents: [{ name: 'a' }] },
		call_tool: { tool: 'search' }
	};
	for (const [kind, params] of Object.entries(minimal)) {
		it(`${kind} fails with "no provider configured" until a handler is registered`, async () => {
			const { scope } = makeScope();
			const ex = createExecutor();
			const r = await outcome(ex.run({ type: kind, ...params }, scope));
			expect(!r.ok && r.error).toBeInstanceOf(EffectError);
			expect(!r.ok && r.error.message).toBe(`No provider configured for ${kind} — add one in Settings → Providers`);
			ex.register(kind, () => 'answer');
			expect(await ex.run({ type: kind, ...params }, scope)).toBe('answer');
		});
	}

	it('call_llm with valid params says which provider is missing', async () => {
		const { scope } = makeScope();
		const r = await outcome(createExecutor().run({ type: 'call_llm', prompt: 'hi' }, scope));
		expect(!r.ok && r.error.message).toBe('No provider configured for call_llm — add one in Settings → Providers');
		expect(!r.ok && r.error.code).toBe('no_provider');
	});

	it('a registered provider gets resolved params, the signal, and its result goes to assignTo', async () => {
		const { scope, context } = makeScope({ topic: 'doors' });
		const ex = createExecutor();
		let seen: unknown;
		ex.register('call_llm', (p: { prompt: string; temperature: number }, ctx) => {
			seen = { prompt: p.prompt, temperature: p.temperature, signal: ctx.signal instanceof AbortSignal };
			ctx.progress({ token: 'Hi' });
			return Promise.resolve('A poem about doors');
		});
		const out = await ex.run({ type: 'call_llm', prompt: 'Write about {{ context.topic }}', assignTo: 'poem' }, scope);
		expect(out).toBe('A poem about doors');
		expect(seen).toEqual({ prompt: 'Write about doors', temperature: 0.7, signal: true });
		expect(context.poem).toBe('A poem about doors');
	});
});

describe('registry', () => {
	it('every kind has a zod schema with described fields, a category and a label', () => {
		const categories = new Set(['data', 'time', 'io', 'ai', 'composition', 'resilience']);
		for (const [type, k] of Object.entries(effectKinds)) {
			expect(categories.has(k.category), type).toBe(true);
			expect(k.label.length, type).toBeGreaterThan(0);
			const json = z.toJSONSchema(k.schema, { io: 'input', unrepresentable: 'any' }) as { properties: Record<string, { description?: string }> };
			for (const [field, prop] of Object.entries(json.properties)) {
				if (field === 'type') continue;
				expect(prop.description, `${type}.${field}`).toBeTruthy();
			}
		}
	});
});

describe('malformed effects', () => {
	it('an effect without a type fails with invalid_params instead of crashing', async () => {
		const { scope, trace } = makeScope();
		for (const bad of [null, {}, { type: 3 }]) {
			const r = await outcome(createExecutor().run(bad as never, scope));
			expect(!r.ok && r.error.code).toBe('invalid_params');
		}
		expect(trace().filter((t) => t.startsWith('error'))).toHaveLength(3);
	});
});
