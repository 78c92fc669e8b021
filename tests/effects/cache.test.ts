import { describe, expect, it } from 'vitest';
import { createExecutor, createMemoryCache, tieredCache, type EffectCacheBackend } from '../../src/lib/effects';
import { makeScope, manualClock } from './helpers';

function setup(cache?: EffectCacheBackend) {
	const clock = manualClock();
	const ex = createExecutor({ clock, cache });
	let calls = 0;
	ex.register('call_llm', (p: { prompt: string }) => {
		calls++;
		return Promise.resolve(`answer to ${p.prompt}`);
	});
	return { clock, ex, calls: () => calls };
}

const spec = { type: 'cache', ttlMs: 1000, effect: { type: 'call_llm', prompt: 'Summarise {{ context.doc }}', assignTo: 'summary' } };

describe('cache', () => {
	it('answers an identical call from the cache and marks the hit', async () => {
		const { ex, calls } = setup();
		const a = makeScope({ doc: 'A' });
		expect(await ex.run(spec, a.scope)).toBe('answer to Summarise A');
		const b = makeScope({ doc: 'A' });
		expect(await ex.run(spec, b.scope)).toBe('answer to Summarise A');
		expect(calls()).toBe(1);
		expect(b.context.summary).toBe('answer to Summarise A');
		expect(b.trace()).toEqual(['start cache', 'end cache']);
		expect(b.effects().at(-1)!.cached).toBe(true);
		expect(a.effects().at(-1)!.cached).toBeUndefined();
	});

	it('keys on resolved inputs: a different input misses', async () => {
		const { ex, calls } = setup();
		await ex.run(spec, makeScope({ doc: 'A' }).scope);
		await ex.run(spec, makeScope({ doc: 'B' }).scope);
		expect(calls()).toBe(2);
	});

	it('expires after ttlMs', async () => {
		const { ex, calls, clock } = setup();
		await ex.run(spec, makeScope({ doc: 'A' }).scope);
		await clock.advance(999);
		await ex.run(spec, makeScope({ doc: 'A' }).scope);
		expect(calls()).toBe(1);
		await clock.advance(1);
		await ex.run(spec, makeScope({ doc: 'A' }).scope);
		expect(calls()).toBe(2);
	});

	it('uses a pluggable (async) persistent backend behind memory', async () => {
		const store = new Map<string, { value: unknown; expiresAt: number }>();
		const persistent: EffectCacheBackend = {
			get: async (k) => store.get(k),
			set: async (k, value, expiresAt) => void store.set(k, { value, expiresAt })
		};
		const first = setup(tieredCache(createMemoryCache(), persistent));
		await first.ex.run(spec, makeScope({ doc: 'A' }).scope);
		expect(store.size).toBe(1);
		// A new executor (say, after a reload) with an empty memory finds it in the backend.
		const second = setup(tieredCache(createMemoryCache(), persistent));
		const s = makeScope({ doc: 'A' });
		expect(await second.ex.run(spec, s.scope)).toBe('answer to Summarise A');
		expect(second.calls()).toBe(0);
		expect(s.effects().at(-1)!.cached).toBe(true);
	});

	it('does not cache failures', async () => {
		const clock = manualClock();
		const ex = createExecutor({ clock });
		let calls = 0;
		ex.register('call_llm', () => (++calls === 1 ? Promise.reject(new Error('down')) : Promise.resolve('ok')));
		const s = { type: 'cache', effect: { type: 'call_llm', prompt: 'x' } };
		await ex.run(s, makeScope().scope).catch(() => {});
		expect(await ex.run(s, makeScope().scope)).toBe('ok');
		expect(calls).toBe(2);
	});

	it('an identical call made while the first is in flight shares its answer', async () => {
		const clock = manualClock();
		const ex = createExecutor({ clock });
		let calls = 0;
		ex.register('call_llm', (p: { prompt: string }, ctx) => {
			calls++;
			return ctx.sleep(100).then(() => `answer to ${p.prompt}`);
		});
		const a = makeScope({ doc: 'A' });
		const b = makeScope({ doc: 'A' });
		const pa = ex.run(spec, a.scope);
		const pb = ex.run(spec, b.scope);
		await clock.advance(100);
		expect(await pa).toBe('answer to Summarise A');
		expect(await pb).toBe('answer to Summarise A');
		expect(calls).toBe(1);
		expect(b.effects().at(-1)!.cached).toBe(true);
		expect(b.context.summary).toBe('answer to Summarise A');
	});

	it('if the first caller is cancelled, a waiting identical call runs its own', async () => {
		const clock = manualClock();
		const ex = createExecutor({ clock });
		let calls = 0;
		ex.register('call_llm', (_p, ctx) => {
			calls++;
			return ctx.sleep(100).then(() => 'ok');
		});
		const a = makeScope({ doc: 'A' });
		const b = makeScope({ doc: 'A' });
		const pa = ex.run(spec, a.scope).catch((e) => e.code);
		const pb = ex.run(spec, b.scope);
		await clock.advance(50);
		a.controller.abort();
		await clock.advance(100);
		expect(await pa).toBe('cancelled');
		expect(await pb).toBe('ok');
		expect(calls).toBe(2);
	});
});
