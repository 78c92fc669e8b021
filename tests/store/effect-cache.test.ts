import 'fake-indexeddb/auto';
import { describe, expect, it } from 'vitest';
import { createExecutor, createMemoryCache, tieredCache } from '../../src/lib/effects';
import { EventStoreDb, createIndexedDbCache } from '../../src/lib/store';
import type { EffectScope, InstanceEvent } from '../../src/lib/engine/types';

function scope(events: InstanceEvent[]): EffectScope {
	return {
		context: {},
		event: { type: 'GO' },
		signal: new AbortController().signal,
		traceId: '0af7651916cd43dd8448eb211c80319c',
		send() {},
		emit() {},
		assign() {},
		report: (e) => events.push(e)
	};
}

describe('effect cache in IndexedDB', () => {
	it('answers an identical call from the workspace database after a "reload" (a new executor)', async () => {
		const db = new EventStoreDb(`cache-${Math.random()}`);
		let calls = 0;
		const handlers = { call_tool: async () => ({ answer: ++calls }) };
		const effect = { type: 'cache', ttlMs: 60_000, effect: { type: 'call_tool', tool: 'x' } };

		const first = createExecutor({ handlers, cache: tieredCache(createMemoryCache(), createIndexedDbCache(db)) });
		expect(await first.run(effect, scope([]))).toEqual({ answer: 1 });
		expect(await db.llmCache.count()).toBe(1);

		// A fresh executor has an empty memory tier: the hit must come from IndexedDB.
		const events: InstanceEvent[] = [];
		const second = createExecutor({ handlers, cache: tieredCache(createMemoryCache(), createIndexedDbCache(db)) });
		expect(await second.run(effect, scope(events))).toEqual({ answer: 1 });
		expect(calls).toBe(1);
		expect(events.some((e) => e.kind === 'effect' && e.phase === 'end' && e.cached)).toBe(true);
		db.close();
	});

	it('turns a failing database into a cache miss and reports it', async () => {
		const db = new EventStoreDb(`cache-${Math.random()}`);
		db.close();
		const errors: string[] = [];
		const backend = createIndexedDbCache(db, (m) => errors.push(m));
		expect(await backend.get('k')).toBeUndefined();
		await backend.set('k', 1, Date.now() + 1000);
		expect(errors.length).toBe(2);
		expect(errors[0]).toMatch(/Could not read the effect cache/);
	});
});
