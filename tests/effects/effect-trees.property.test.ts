import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { createExecutor, createSharedResilience } from '../../src/lib/effects';
import type { EffectSpec } from '../../src/lib/model/types';
import { makeScope, manualClock, registerWork } from './helpers';

const leaf: fc.Arbitrary<EffectSpec> = fc.oneof(
	fc.record({
		type: fc.constant('work'),
		name: fc.constantFrom('a', 'b', 'c'),
		ms: fc.constantFrom(0, 0, 5, 20, 80),
		fail: fc.integer({ min: 0, max: 3 }).map((n) => n === 0)
	}),
	fc.record({ type: fc.constant('assign'), set: fc.constant({ n: 'context.n + 1' }) }),
	fc.record({ type: fc.constant('delay'), ms: fc.constantFrom(0, 10, 40) }),
	fc.constant({ type: 'call_llm', prompt: 'no provider here' })
);

function tree(depth: number): fc.Arbitrary<EffectSpec> {
	if (depth === 0) return leaf;
	const sub = tree(depth - 1);
	const list = fc.array(sub, { minLength: 1, maxLength: 3 });
	return fc.oneof(
		{ weight: 3, arbitrary: leaf },
		{ weight: 1, arbitrary: fc.record({ type: fc.constant('sequence'), effects: list }) },
		{
			weight: 1,
			arbitrary: fc.record({
				type: fc.constant('parallel'),
				effects: list,
				mode: fc.constantFrom('all', 'allSettled'),
				concurrency: fc.constantFrom(1, 2, 10)
			})
		},
		{ weight: 1, arbitrary: fc.record({ type: fc.constant('race'), effects: list, mode: fc.constantFrom('first_settled', 'first_success') }) },
		{
			weight: 1,
			arbitrary: fc.record({
				type: fc.constant('retry'),
				times: fc.integer({ min: 0, max: 2 }),
				retryOn: fc.constant(['*']),
				backoff: fc.constant({ initialMs: 5, jitter: 'full' }),
				effect: sub
			})
		},
		{ weight: 1, arbitrary: fc.record({ type: fc.constant('timeout'), ms: fc.constantFrom(1, 15, 50), effect: sub }) },
		{
			weight: 1,
			arbitrary: fc.record({
				type: fc.constant('with_compensation'),
				steps: fc.array(fc.record({ effect: sub, compensate: leaf }), { minLength: 1, maxLength: 3 })
			})
		},
		{
			weight: 1,
			arbitrary: fc.record({
				type: fc.constant('saga'),
				steps: fc.array(fc.record({ name: fc.constantFrom('s1', 's2', 's3'), effect: sub, compensate: leaf }), { minLength: 1, maxLength: 3 })
			})
		},
		{ weight: 1, arbitrary: fc.record({ type: fc.constant('circuit_breaker'), key: fc.constant('cb'), failureThreshold: fc.constant(2), resetMs: fc.constant(30), effect: sub }) },
		{ weight: 1, arbitrary: fc.record({ type: fc.constant('bulkhead'), key: fc.constant('bh'), maxConcurrent: fc.constant(1), queueSize: fc.constantFrom(0, 2), effect: sub }) },
		{ weight: 1, arbitrary: fc.record({ type: fc.constant('rate_limit'), key: fc.constant('rl'), limit: fc.constant(2), intervalMs: fc.constant(20), effect: sub }) },
		{ weight: 1, arbitrary: fc.record({ type: fc.constant('cache'), ttlMs: fc.constant(100), effect: sub }) }
	);
}

describe('random effect trees', () => {
	it('always end (done, failed or cancelled) with every started effect ended exactly once', async () => {
		await fc.assert(
			fc.asyncProperty(tree(4), fc.option(fc.integer({ min: 0, max: 200 }), { nil: undefined }), fc.integer(), async (spec, cancelAt, seed) => {
				const clock = manualClock();
				const ex = createExecutor({ clock, seed, shared: createSharedResilience() });
				registerWork(ex, []);
				const { scope, controller, effects } = makeScope({ n: 0 });
				let outcome: 'done' | 'failed' | undefined;
				ex.run(spec, scope).then(
					() => (outcome = 'done'),
					() => (outcome = 'failed')
				);
				if (cancelAt !== undefined) clock.setTimeout(() => controller.abort(), cancelAt);
				for (let i = 0; i < 400 && outcome === undefined; i++) await clock.advance(25);
				expect(outcome, JSON.stringify(spec)).toBeDefined();

				const started = new Map<string, number>();
				const ended = new Map<string, number>();
				for (const e of effects()) {
					if (e.phase === 'start') started.set(e.spanId, (started.get(e.spanId) ?? 0) + 1);
					if (e.phase === 'end' || e.phase === 'error' || e.phase === 'cancel') {
						expect(started.has(e.spanId), `ended before start: ${e.effect}`).toBe(true);
						ended.set(e.spanId, (ended.get(e.spanId) ?? 0) + 1);
					}
				}
				for (const [span, n] of started) {
					expect(n).toBe(1);
					expect(ended.get(span), `span ${span} ended ${ended.get(span) ?? 0} times`).toBe(1);
				}
				expect(ended.size).toBe(started.size);
				// The root span ends last, and nothing is left waiting on the clock but the test's own abort timer.
				const last = effects().at(-1);
				if (last) expect(last.parentSpanId).toBeUndefined();
				if (cancelAt === undefined || controller.signal.aborted) expect(clock.pending()).toBe(0);
			}),
			{ numRuns: Number(process.env.FC_RUNS ?? 300) }
		);
	}, 60_000);
});
