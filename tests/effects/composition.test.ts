import { describe, expect, it } from 'vitest';
import { createExecutor } from '../../src/lib/effects';
import { backoffDelay } from '../../src/lib/effects/kinds/retry';
import { makeScope, manualClock, outcome, registerFlaky, registerWork } from './helpers';

function setup(context: Record<string, unknown> = {}) {
	const clock = manualClock();
	const ex = createExecutor({ clock, seed: 42 });
	const log: string[] = [];
	registerWork(ex, log);
	return { clock, ex, log, ...makeScope(context) };
}

describe('sequence', () => {
	it('runs in order and stops at the first failure', async () => {
		const { ex, scope, log, clock } = setup();
		const p = outcome(
			ex.run(
				{ type: 'sequence', effects: [{ type: 'work', name: 'a', ms: 10 }, { type: 'work', name: 'b', fail: true }, { type: 'work', name: 'c' }] },
				scope
			)
		);
		await clock.advance(10);
		const r = await p;
		expect(r.ok).toBe(false);
		expect(log).toEqual(['run a', 'done a', 'run b', 'fail b']);
	});
});

describe('parallel', () => {
	it('all: returns outputs in order', async () => {
		const { ex, scope, clock } = setup();
		const p = ex.run({ type: 'parallel', effects: [{ type: 'work', name: 'a', ms: 30 }, { type: 'work', name: 'b', ms: 10 }] }, scope);
		await clock.advance(30);
		expect(await p).toEqual(['a', 'b']);
	});

	it('all: the first failure cancels the other branches', async () => {
		const { ex, scope, clock, log, trace } = setup();
		const p = outcome(
			ex.run({ type: 'parallel', effects: [{ type: 'work', name: 'slow', ms: 100 }, { type: 'work', name: 'bad', ms: 10, fail: true }] }, scope)
		);
		await clock.advance(10);
		const r = await p;
		expect(!r.ok && r.error.message).toBe('bad failed');
		expect(log).toContain('abort slow');
		expect(trace()).toContain('cancel parallel/0:work');
		expect(trace().at(-1)).toBe('error parallel');
		expect(clock.pending()).toBe(0);
	});

	it('a branch that already finished does not see its signal abort when a sibling fails', async () => {
		const { ex, scope, clock } = setup();
		const signals: AbortSignal[] = [];
		ex.register('keep', (_p, ctx) => {
			signals.push(ctx.signal);
			return ctx.sleep(5).then(() => 'kept');
		});
		const p = outcome(
			ex.run({ type: 'parallel', effects: [{ type: 'keep' }, { type: 'work', name: 'bad', ms: 10, fail: true }, { type: 'keep' }, { type: 'work', name: 'slow', ms: 100 }] }, scope)
		);
		await clock.advance(10);
		expect((await p).ok).toBe(false);
		expect(signals.map((s) => s.aborted)).toEqual([false, false]);
	});

	it('allSettled: reports each outcome', async () => {
		const { ex, scope, clock } = setup();
		const p = ex.run(
			{ type: 'parallel', mode: 'allSettled', effects: [{ type: 'work', name: 'a', ms: 5 }, { type: 'work', name: 'b', fail: true }] },
			scope
		);
		await clock.advance(5);
		expect(await p).toEqual([
			{ status: 'fulfilled', value: 'a' },
			{ status: 'rejected', error: 'b failed', code: 'failed' }
		]);
	});

	it('respects the concurrency limit', async () => {
		const { ex, scope, clock, log } = setup();
		const effects = ['a', 'b', 'c', 'd', 'e'].map((name) => ({ type: 'work', name, ms: 10 }));
		const p = ex.run({ type: 'parallel', concurrency: 2, effects }, scope);
		await clock.advance(0);
		expect(log.filter((l) => l.startsWith('run'))).toEqual(['run a', 'run b']);
		await clock.advance(10);
		expect(log.filter((l) => l.startsWith('run'))).toEqual(['run a', 'run b', 'run c', 'run d']);
		await clock.advance(20);
		expect(await p).toEqual(['a', 'b', 'c', 'd', 'e']);
		expect(clock.time() - 1_000_000).toBe(30);
	});

	it('synchronous branches run without going async', () => {
		const { ex, scope, context } = setup({ n: 0 });
		const effects = Array.from({ length: 100 }, () => ({ type: 'assign', set: { n: 'context.n + 1' } }));
		const r = ex.execute({ type: 'parallel', effects }, scope);
		expect(Array.isArray(r)).toBe(true);
		expect(context.n).toBe(100);
	});
});

describe('race', () => {
	it('the first to finish wins and the losers are cancelled', async () => {
		const { ex, scope, clock, log, trace } = setup();
		const p = ex.run(
			{ type: 'race', effects: [{ type: 'work', name: 'slow', ms: 100 }, { type: 'work', name: 'fast', ms: 10 }, { type: 'work', name: 'mid', ms: 50 }] },
			scope
		);
		await clock.advance(10);
		expect(await p).toBe('fast');
		expect(log).toEqual(['run slow', 'run fast', 'run mid', 'done fast', 'abort slow', 'abort mid']);
		expect(trace().filter((t) => t.startsWith('cancel'))).toEqual(['cancel race/0:work', 'cancel race/2:work']);
		expect(clock.pending()).toBe(0);
	});

	it('first_settled: a fast failure wins; first_success: waits for a success', async () => {
		const { ex, scope, clock } = setup();
		const effects = [{ type: 'work', name: 'bad', ms: 5, fail: true }, { type: 'work', name: 'good', ms: 20 }];
		const a = outcome(ex.run({ type: 'race', effects }, scope));
		const b = ex.run({ type: 'race', mode: 'first_success', effects }, scope);
		await clock.advance(20);
		expect((await a).ok).toBe(false);
		expect(await b).toBe('good');
	});
});

describe('retry', () => {
	it('stops at the limit and waits exactly the backoff it reports', async () => {
		const { ex, scope, clock, effects } = setup();
		const calls = registerFlaky(ex, 10);
		const spec = { type: 'retry', maxAttempts: 4, backoff: { initialMs: 100, factor: 2, jitter: 'none' }, effect: { type: 'flaky' } };
		const p = outcome(ex.run(spec, scope));
		await clock.advance(0);
		expect(calls()).toBe(1);
		const retries = () => effects().filter((e) => e.phase === 'retry');
		expect(retries().map((e) => (e.data as { delayMs: number }).delayMs)).toEqual([100]);
		await clock.advance(99);
		expect(calls()).toBe(1);
		await clock.advance(1);
		expect(calls()).toBe(2);
		await clock.advance(199);
		expect(calls()).toBe(2);
		await clock.advance(1);
		expect(calls()).toBe(3);
		await clock.advance(400);
		expect(calls()).toBe(4);
		const r = await p;
		expect(calls()).toBe(4);
		expect(retries().map((e) => (e.data as { delayMs: number }).delayMs)).toEqual([100, 200, 400]);
		expect(!r.ok && r.error.message).toBe('flaky failure 4 (gave up after 4 attempts)');
		expect(!r.ok && r.error.code).toBe('network');
	});

	it('with jitter waits the (seeded) delay it reports', async () => {
		const { ex, scope, clock, effects } = setup();
		const calls = registerFlaky(ex, 1);
		const p = ex.run({ type: 'retry', times: 2, backoff: { initialMs: 1000 }, effect: { type: 'flaky' } }, scope);
		await clock.advance(0);
		const delay = (effects().find((e) => e.phase === 'retry')!.data as { delayMs: number }).delayMs;
		// full jitter: a seeded draw in (0, 1000], waited exactly
		expect(delay).toBeGreaterThan(0);
		expect(delay).toBeLessThanOrEqual(1000);
		await clock.advance(delay - 1);
		expect(calls()).toBe(1);
		await clock.advance(1);
		expect(await p).toBe(2);
	});

	it('succeeds when an attempt succeeds', async () => {
		const { ex, scope, clock } = setup();
		registerFlaky(ex, 2);
		const p = ex.run({ type: 'retry', times: 5, backoff: { initialMs: 10, jitter: 'none' }, effect: { type: 'flaky' } }, scope);
		await clock.advance(30);
		expect(await p).toBe(3);
	});

	it('does not retry errors outside retryOn', async () => {
		const { ex, scope, clock } = setup();
		const calls = registerFlaky(ex, 5, 'http_status');
		const p = outcome(ex.run({ type: 'retry', times: 5, retryOn: ['timeout'], effect: { type: 'flaky' } }, scope));
		await clock.advance(10_000);
		expect((await p).ok).toBe(false);
		expect(calls()).toBe(1);
	});

	it('backoff grows exponentially up to maxMs; equal jitter stays in [d/2, d]', () => {
		const b = { initialMs: 100, factor: 3, maxMs: 1000, jitter: 'none' as const };
		expect([1, 2, 3, 4].map((n) => backoffDelay(b, n, Math.random))).toEqual([100, 300, 900, 1000]);
		for (let i = 0; i < 50; i++) {
			const d = backoffDelay({ ...b, jitter: 'equal' }, 2, Math.random);
			expect(d).toBeGreaterThanOrEqual(150);
			expect(d).toBeLessThanOrEqual(300);
		}
	});
});

describe('timeout', () => {
	it('cancels the inner effect and fails with a timeout', async () => {
		const { ex, scope, clock, log, trace } = setup();
		const p = outcome(ex.run({ type: 'timeout', ms: 50, effect: { type: 'work', name: 'slow', ms: 1000 } }, scope));
		await clock.advance(50);
		const r = await p;
		expect(!r.ok && r.error.code).toBe('timeout');
		expect(log).toEqual(['run slow', 'abort slow']);
		expect(trace()).toEqual(['start timeout', 'start timeout/effect:work', 'cancel timeout/effect:work', 'error timeout']);
		expect(clock.pending()).toBe(0);
	});

	it('passes the result through when the inner effect is in time, clearing its timer', async () => {
		const { ex, scope, clock } = setup();
		const p = ex.run({ type: 'timeout', ms: 50, effect: { type: 'work', name: 'quick', ms: 20 } }, scope);
		await clock.advance(20);
		expect(await p).toBe('quick');
		expect(clock.pending()).toBe(0);
	});

	it('retry around timeout retries timed-out attempts', async () => {
		const { ex, scope, clock, effects } = setup();
		const p = outcome(
			ex.run(
				{ type: 'retry', maxAttempts: 3, backoff: { initialMs: 10, jitter: 'none' }, effect: { type: 'timeout', ms: 50, effect: { type: 'work', name: 'w', ms: 100 } } },
				scope
			)
		);
		await clock.advance(50 + 10 + 50 + 20 + 50);
		const r = await p;
		expect(!r.ok && r.error.code).toBe('timeout');
		expect(effects().filter((e) => e.phase === 'retry')).toHaveLength(2);
		expect(effects().filter((e) => e.phase === 'cancel' && e.effectType === 'work')).toHaveLength(3);
	});
});

describe('with_compensation', () => {
	it('compensates exactly the completed steps, in reverse order', async () => {
		const { ex, scope, clock, log } = setup();
		const step = (name: string, fail = false) => ({ effect: { type: 'work', name, ms: 5, fail }, compensate: { type: 'work', name: `undo ${name}` } });
		const p = outcome(ex.run({ type: 'with_compensation', steps: [step('a'), step('b'), step('c', true), step('d')] }, scope));
		await clock.advance(15);
		const r = await p;
		expect(!r.ok && r.error.message).toBe('c failed (compensated 2 steps)');
		expect(log.filter((l) => l.startsWith('run'))).toEqual(['run a', 'run b', 'run c', 'run undo b', 'run undo a']);
	});

	it('compensates nothing when every step succeeds', async () => {
		const { ex, scope, clock, log } = setup();
		const p = ex.run(
			{ type: 'with_compensation', steps: [{ effect: { type: 'work', name: 'a' }, compensate: { type: 'work', name: 'undo a' } }] },
			scope
		);
		await clock.advance(0);
		expect(await p).toEqual(['a']);
		expect(log).toEqual(['run a', 'done a']);
	});
});
