import { describe, expect, it } from 'vitest';
import { createExecutor, createSharedResilience, type ResilienceChange } from '../../src/lib/effects';
import { SlidingWindow, TokenBucket } from '../../src/lib/effects/resilience';
import { makeScope, manualClock, outcome, registerWork } from './helpers';

function setup() {
	const clock = manualClock();
	const shared = createSharedResilience();
	const ex = createExecutor({ clock, shared });
	const log: string[] = [];
	registerWork(ex, log);
	return { clock, shared, ex, log, ...makeScope() };
}

describe('circuit_breaker', () => {
	const breaker = (fail: boolean) => ({
		type: 'circuit_breaker',
		key: 'payments',
		failureThreshold: 3,
		resetMs: 1000,
		effect: { type: 'work', name: 'call', fail }
	});

	it('opens after N failures, rejects fast while open, half-opens after the reset time and closes on success', async () => {
		const { ex, scope, clock, shared, log } = setup();
		const changes: ResilienceChange[] = [];
		shared.subscribe((c) => changes.push(c));
		for (let i = 0; i < 2; i++) await outcome(ex.run(breaker(true), scope));
		expect(shared.circuit('payments')?.state).toBe('closed');
		await outcome(ex.run(breaker(true), scope));
		expect(shared.circuit('payments')?.state).toBe('open');
		expect(log.filter((l) => l === 'run call')).toHaveLength(3);

		// Open: rejected without calling the effect.
		const fast = await outcome(ex.run(breaker(false), scope));
		expect(!fast.ok && fast.error.code).toBe('circuit_open');
		expect(log.filter((l) => l === 'run call')).toHaveLength(3);

		await clock.advance(999);
		expect((await outcome(ex.run(breaker(false), scope))).ok).toBe(false);
		await clock.advance(1);
		expect(shared.circuit('payments', clock.now())?.state).toBe('half-open');
		expect(await ex.run(breaker(false), scope)).toBe('call');
		expect(shared.circuit('payments')?.state).toBe('closed');
		expect(changes.filter((c) => c.kind === 'circuit').map((c) => (c as { to: string }).to)).toEqual(['open', 'half-open', 'closed']);
	});

	it('a failed trial call opens it again; only one trial runs while half-open', async () => {
		const { ex, scope, clock, shared } = setup();
		for (let i = 0; i < 3; i++) await outcome(ex.run(breaker(true), scope));
		await clock.advance(1000);
		const slowTrial = ex.run({ ...breaker(false), effect: { type: 'work', name: 'trial', ms: 100 } }, scope);
		const second = await outcome(ex.run(breaker(false), scope));
		expect(!second.ok && second.error.code).toBe('circuit_open');
		await clock.advance(100);
		await slowTrial;
		expect(shared.circuit('payments')?.state).toBe('closed');

		for (let i = 0; i < 3; i++) await outcome(ex.run(breaker(true), scope));
		await clock.advance(1000);
		await outcome(ex.run(breaker(true), scope));
		expect(shared.circuit('payments')?.state).toBe('open');
	});

	it('without a key, breakers of different inner effects are independent', async () => {
		const { ex, scope } = setup();
		const cb = (name: string, fail: boolean) => ({ type: 'circuit_breaker', failureThreshold: 1, effect: { type: 'work', name, fail } });
		await outcome(ex.run(cb('a', true), scope));
		const again = await outcome(ex.run(cb('a', true), scope));
		expect(!again.ok && again.error.code).toBe('circuit_open');
		expect(await ex.run(cb('b', false), scope)).toBe('b');
	});

	it('is shared across executors of the workspace by key', async () => {
		const { clock, shared } = setup();
		const a = createExecutor({ clock, shared });
		const b = createExecutor({ clock, shared });
		registerWork(a, []);
		const bLog: string[] = [];
		registerWork(b, bLog);
		for (let i = 0; i < 3; i++) await outcome(a.run(breaker(true), makeScope().scope));
		const r = await outcome(b.run(breaker(false), makeScope().scope));
		expect(!r.ok && r.error.code).toBe('circuit_open');
		expect(bLog).toEqual([]);
	});

	it('records state changes as progress on its span', async () => {
		const { ex, scope, effects } = setup();
		for (let i = 0; i < 3; i++) await outcome(ex.run(breaker(true), scope));
		expect(effects().filter((e) => e.phase === 'progress').map((e) => e.data)).toEqual([{ circuit: 'payments', from: 'closed', to: 'open' }]);
	});
});

describe('rate_limit', () => {
	it('token bucket admits exactly burst now, then limit per interval', () => {
		const b = new TokenBucket(5, 1000, 5);
		const t0 = 1000;
		const admitted = (t: number) => {
			let n = 0;
			while (b.reserve(t, 'reject')) n++;
			return n;
		};
		expect(admitted(t0)).toBe(5);
		expect(admitted(t0 + 199)).toBe(0);
		expect(admitted(t0 + 200)).toBe(1);
		expect(admitted(t0 + 1200)).toBe(5);
		expect(admitted(t0 + 11_200)).toBe(5); // capped at burst
	});

	it('token bucket in wait mode spaces calls at the configured rate', async () => {
		const { ex, scope, clock, log } = setup();
		const spec = (name: string) => ({ type: 'rate_limit', key: 'llm', limit: 2, intervalMs: 1000, effect: { type: 'work', name } });
		const all = ['a', 'b', 'c', 'd', 'e'].map((n) => ex.run(spec(n), scope));
		await clock.advance(0);
		expect(log.filter((l) => l.startsWith('run'))).toEqual(['run a', 'run b']);
		await clock.advance(499);
		expect(log.filter((l) => l.startsWith('run'))).toHaveLength(2);
		await clock.advance(1);
		expect(log.filter((l) => l.startsWith('run'))).toHaveLength(3);
		await clock.advance(500);
		expect(log.filter((l) => l.startsWith('run'))).toHaveLength(4);
		await clock.advance(500);
		expect(await Promise.all(all)).toEqual(['a', 'b', 'c', 'd', 'e']);
	});

	it('sliding window admits exactly limit per window', () => {
		const w = new SlidingWindow(3, 1000);
		const admitted = (t: number) => {
			let n = 0;
			while (w.reserve(t, 'reject')) n++;
			return n;
		};
		expect(admitted(0)).toBe(3);
		expect(admitted(500)).toBe(0);
		expect(admitted(999)).toBe(0);
		expect(admitted(1000)).toBe(3);
		expect(admitted(1500)).toBe(0);
	});

	it('sliding window in reject mode fails with rate_limited beyond the limit, per key', async () => {
		const { ex, scope, clock } = setup();
		const spec = (key: string) => ({ type: 'rate_limit', algorithm: 'sliding_window', key, limit: 2, intervalMs: 1000, onLimit: 'reject', effect: { type: 'work', name: 'x' } });
		const results = [];
		for (let i = 0; i < 3; i++) results.push(await outcome(ex.run(spec('tenant-a'), scope)));
		expect(results.map((r) => r.ok)).toEqual([true, true, false]);
		expect(!results[2].ok && results[2].error.code).toBe('rate_limited');
		expect((await outcome(ex.run(spec('tenant-b'), scope))).ok).toBe(true);
		await clock.advance(1000);
		expect((await outcome(ex.run(spec('tenant-a'), scope))).ok).toBe(true);
	});

	it('key templates resolve per tenant', async () => {
		const { ex, clock } = setup();
		const spec = { type: 'rate_limit', key: 'tenant-{{ context.tenant }}', limit: 1, onLimit: 'reject', effect: { type: 'work', name: 'x' } };
		expect((await outcome(ex.run(spec, makeScope({ tenant: 'a' }).scope))).ok).toBe(true);
		expect((await outcome(ex.run(spec, makeScope({ tenant: 'a' }).scope))).ok).toBe(false);
		expect((await outcome(ex.run(spec, makeScope({ tenant: 'b' }).scope))).ok).toBe(true);
		void clock;
	});

	it('maxWaitMs fails instead of waiting too long', async () => {
		const { ex, scope } = setup();
		const spec = { type: 'rate_limit', key: 'w', limit: 1, intervalMs: 1000, maxWaitMs: 500, effect: { type: 'work', name: 'x' } };
		expect(await ex.run(spec, scope)).toBe('x');
		const r = await outcome(ex.run(spec, scope));
		expect(!r.ok && r.error.code).toBe('rate_limited');
	});

	it('a waiting call that is cancelled gives its slot back', async () => {
		const { ex, clock, log } = setup();
		const spec = (name: string) => ({ type: 'rate_limit', key: 'k', limit: 1, intervalMs: 1000, effect: { type: 'work', name } });
		await ex.run(spec('a'), makeScope().scope);
		const waiting = makeScope();
		const b = outcome(ex.run(spec('b'), waiting.scope));
		await clock.advance(100);
		waiting.controller.abort();
		expect((await b).ok).toBe(false);
		expect(waiting.trace().at(-1)).toBe('cancel rate_limit');
		expect(clock.pending()).toBe(0);
		const c = ex.run(spec('c'), makeScope().scope);
		await clock.advance(900);
		expect(await c).toBe('c');
		expect(log.filter((l) => l.startsWith('run'))).toEqual(['run a', 'run c']);
	});
});

describe('bulkhead', () => {
	const spec = (name: string, ms = 100) => ({ type: 'bulkhead', key: 'db', maxConcurrent: 2, queueSize: 1, effect: { type: 'work', name, ms } });

	it('runs maxConcurrent at once, queues queueSize, rejects beyond capacity', async () => {
		const { ex, scope, clock, log, shared } = setup();
		const runs = ['a', 'b', 'c'].map((n) => ex.run(spec(n), scope));
		const d = await outcome(ex.run(spec('d'), scope));
		expect(!d.ok && d.error.code).toBe('bulkhead_full');
		expect(log.filter((l) => l.startsWith('run'))).toEqual(['run a', 'run b']);
		expect(shared.snapshot().bulkheads).toEqual([{ key: 'db', active: 2, queued: 1, maxConcurrent: 2 }]);
		await clock.advance(100);
		expect(log.filter((l) => l.startsWith('run'))).toEqual(['run a', 'run b', 'run c']);
		await clock.advance(100);
		expect(await Promise.all(runs)).toEqual(['a', 'b', 'c']);
		expect(shared.snapshot().bulkheads[0]).toMatchObject({ active: 0, queued: 0 });
	});

	it('queued work is dropped when its effect is cancelled', async () => {
		const { ex, scope, clock, log, shared } = setup();
		const running = [ex.run(spec('a'), scope), ex.run(spec('b'), scope)];
		const q = makeScope();
		const queued = outcome(ex.run(spec('c'), q.scope));
		await clock.advance(10);
		q.controller.abort();
		const r = await queued;
		expect(!r.ok && r.error.code).toBe('cancelled');
		expect(shared.snapshot().bulkheads[0]).toMatchObject({ active: 2, queued: 0 });
		await clock.advance(100);
		await Promise.all(running);
		expect(log.filter((l) => l.startsWith('run'))).toEqual(['run a', 'run b']);
	});
});

describe('bulkhead regression: nested same key', () => {
	// Found by the effect-tree property test: an inner bulkhead with the key its ancestor
	// holds waited forever for the slot the ancestor would only release after it.
	it('a nested bulkhead with the same key runs in the slot its ancestor holds', async () => {
		const { ex, scope, clock } = setup();
		const p = ex.run(
			{ type: 'bulkhead', key: 'bh', maxConcurrent: 1, effect: { type: 'bulkhead', key: 'bh', maxConcurrent: 1, queueSize: 2, effect: { type: 'work', name: 'x', ms: 5 } } },
			scope
		);
		await clock.advance(5);
		expect(await p).toBe('x');
	});
});

describe('saga', () => {
	it('undoes exactly the done steps in reverse order and keeps a readable log', async () => {
		const { ex, scope, clock, log, shared } = setup();
		const step = (name: string, fail = false) => ({ name, effect: { type: 'work', name, ms: 10, fail }, compensate: { type: 'work', name: `undo ${name}` } });
		const p = outcome(ex.run({ type: 'saga', key: 'trip', steps: [step('flight'), step('hotel'), step('car', true), step('insurance')] }, scope));
		await clock.advance(30);
		const r = await p;
		expect(!r.ok && r.error.message).toBe('Saga "trip" failed at step "car": car failed');
		expect(log.filter((l) => l.startsWith('run'))).toEqual(['run flight', 'run hotel', 'run car', 'run undo hotel', 'run undo flight']);
		expect(shared.sagaLog('trip')?.map((e) => `${e.action} ${e.step} ${e.status}`)).toEqual([
			'do flight done',
			'do hotel done',
			'do car failed',
			'undo hotel done',
			'undo flight done'
		]);
	});

	it('returns results by step name and the log when all steps succeed', async () => {
		const { ex, scope, clock } = setup();
		const p = ex.run({ type: 'saga', steps: [{ name: 'one', effect: { type: 'work', name: 'a', value: 1 } }, { name: 'two', effect: { type: 'transform', expr: 'results.one + 1' } }] }, scope);
		await clock.advance(0);
		const out = (await p) as { results: Record<string, unknown>; log: unknown[] };
		expect(out.results).toEqual({ one: 1, two: 2 });
		expect(out.log).toHaveLength(2);
	});
});
