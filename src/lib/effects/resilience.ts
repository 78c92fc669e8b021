/**
 * Resilience state shared by every instance of a workspace: one `SharedResilience` is
 * passed to every executor of the workspace, and patterns find their state by key.
 * Time is passed in (`now`) so the state machines stay pure and testable.
 */
import { EffectError, cancelledError } from './errors';
import type { Cancellation } from './cancellation';

export type CircuitState = 'closed' | 'open' | 'half-open';

export interface CircuitBreakerOptions {
	failureThreshold: number;
	resetMs: number;
	/** Trial calls let through while half-open (default 1). */
	halfOpenMax?: number;
}

export interface CircuitSnapshot {
	key: string;
	state: CircuitState;
	failures: number;
	openedAt?: number;
}

export type ResilienceChange =
	| { kind: 'circuit'; key: string; from: CircuitState; to: CircuitState; time: number }
	| { kind: 'bulkhead'; key: string; active: number; queued: number }
	| { kind: 'saga'; key: string; log: SagaLogEntry[] };

export interface SagaLogEntry {
	step: string;
	action: 'do' | 'undo';
	status: 'done' | 'failed' | 'cancelled';
	time: number;
	error?: string;
}

/** Closed → (N consecutive failures) → open → (resetMs) → half-open → success: closed / failure: open. */
export class CircuitBreaker {
	state: CircuitState = 'closed';
	failures = 0;
	openedAt = 0;
	private probes = 0;
	constructor(
		readonly key: string,
		public options: CircuitBreakerOptions,
		private notify: (c: ResilienceChange) => void
	) {}

	private move(to: CircuitState, now: number) {
		const from = this.state;
		if (from === to) return;
		this.state = to;
		this.notify({ kind: 'circuit', key: this.key, from, to, time: now });
	}

	/** Current state, moving open → half-open when the reset time has passed. */
	current(now: number): CircuitState {
		if (this.state === 'open' && now - this.openedAt >= this.options.resetMs) {
			this.probes = 0;
			this.move('half-open', now);
		}
		return this.state;
	}

	/** Lets a call through or throws `circuit_open` at once. */
	acquire(now: number): void {
		const s = this.current(now);
		if (s === 'open') {
			const wait = Math.max(0, Math.ceil(this.openedAt + this.options.resetMs - now));
			throw new EffectError('circuit_open', `Circuit "${this.key}" is open after ${this.failures} failures; next try in ${wait} ms`, { data: { key: this.key, retryInMs: wait } });
		}
		if (s === 'half-open') {
			if (this.probes >= (this.options.halfOpenMax ?? 1))
				throw new EffectError('circuit_open', `Circuit "${this.key}" is half-open and already trying a call`, { data: { key: this.key } });
			this.probes++;
		}
	}

	success(now: number): void {
		this.failures = 0;
		if (this.state === 'half-open') {
			this.probes = 0;
			this.move('closed', now);
		}
	}

	failure(now: number): void {
		this.failures++;
		if (this.state === 'half-open') {
			this.probes = 0;
			this.openedAt = now;
			this.move('open', now);
		} else if (this.state === 'closed' && this.failures >= this.options.failureThreshold) {
			this.openedAt = now;
			this.move('open', now);
		}
	}

	/** A call that was cancelled counts neither way. */
	release(): void {
		if (this.state === 'half-open' && this.probes > 0) this.probes--;
	}

	snapshot(): CircuitSnapshot {
		return { key: this.key, state: this.state, failures: this.failures, ...(this.state !== 'closed' ? { openedAt: this.openedAt } : {}) };
	}
}

export interface Reservation {
	/** How long to wait before the call may go (0 = now). */
	waitMs: number;
	/** Gives the slot back (the waiting call was cancelled). */
	cancel(): void;
}

export interface RateLimiter {
	/** Reserves a slot: returns how long to wait for it, or undefined if `reject` and none is free now. */
	reserve(now: number, mode: 'wait' | 'reject'): Reservation | undefined;
}

/** Token bucket: `burst` tokens, refilled at `limit` per `intervalMs`. Waiting calls reserve tokens ahead. */
export class TokenBucket implements RateLimiter {
	private tokens: number;
	private last: number | undefined;
	constructor(
		private limit: number,
		private intervalMs: number,
		private burst: number
	) {
		this.tokens = burst;
	}
	configure(limit: number, intervalMs: number, burst: number) {
		this.limit = limit;
		this.intervalMs = intervalMs;
		this.burst = burst;
	}
	private refill(now: number) {
		if (this.last === undefined) this.last = now;
		const elapsed = now - this.last;
		if (elapsed > 0) {
			this.tokens = Math.min(this.burst, this.tokens + (elapsed * this.limit) / this.intervalMs);
			this.last = now;
		}
	}
	reserve(now: number, mode: 'wait' | 'reject'): Reservation | undefined {
		this.refill(now);
		// A tiny epsilon absorbs float error in refills (5 × 0.2 must make 1 token).
		if (this.tokens >= 1 - 1e-9) {
			this.tokens -= 1;
			return { waitMs: 0, cancel: () => {} };
		}
		if (mode === 'reject') return undefined;
		this.tokens -= 1;
		const waitMs = Math.ceil(((-this.tokens) * this.intervalMs) / this.limit - 1e-9);
		let cancelled = false;
		return {
			waitMs,
			cancel: () => {
				if (!cancelled) this.tokens += 1;
				cancelled = true;
			}
		};
	}
}

/** Sliding window log: at most `limit` calls in any `windowMs` window. */
export class SlidingWindow implements RateLimiter {
	private times: number[] = [];
	constructor(
		private limit: number,
		private windowMs: number
	) {}
	configure(limit: number, windowMs: number) {
		this.limit = limit;
		this.windowMs = windowMs;
	}
	reserve(now: number, mode: 'wait' | 'reject'): Reservation | undefined {
		const t = this.times;
		let drop = 0;
		while (drop < t.length && t[drop] <= now - this.windowMs) drop++;
		if (drop) t.splice(0, drop);
		let at = now;
		if (t.length >= this.limit) {
			if (mode === 'reject') return undefined;
			at = t[t.length - this.limit] + this.windowMs;
		}
		let i = t.length;
		while (i > 0 && t[i - 1] > at) i--;
		t.splice(i, 0, at);
		return {
			waitMs: at - now,
			cancel: () => {
				const j = this.times.indexOf(at);
				if (j >= 0) this.times.splice(j, 1);
			}
		};
	}
}

/** Limits concurrent calls; extra calls wait in a bounded queue, beyond it they are rejected. */
export class Bulkhead {
	active = 0;
	private queue: { resolve: () => void; reject: (e: unknown) => void; off: () => void }[] = [];
	constructor(
		readonly key: string,
		public maxConcurrent: number,
		public queueSize: number,
		private notify: (c: ResilienceChange) => void
	) {}
	get queued() {
		return this.queue.length;
	}
	/** Takes a slot at once (true), or tells the caller to `wait`. */
	tryAcquire(): boolean {
		if (this.active < this.maxConcurrent) {
			this.active++;
			this.changed();
			return true;
		}
		return false;
	}
	/** Queues for a slot; rejects with `bulkhead_full` when the queue is full, as cancelled on abort. */
	wait(c: Cancellation): Promise<void> {
		if (this.queue.length >= this.queueSize)
			return Promise.reject(
				new EffectError('bulkhead_full', `Bulkhead "${this.key}" is full (${this.active} running, ${this.queue.length} queued)`, { data: { key: this.key } })
			);
		return new Promise<void>((resolve, reject) => {
			const entry = {
				resolve,
				reject,
				off: () => {}
			};
			entry.off = c.onAbort((r) => {
				const i = this.queue.indexOf(entry);
				if (i >= 0) this.queue.splice(i, 1);
				this.changed();
				reject(cancelledError(r));
			});
			this.queue.push(entry);
			this.changed();
		});
	}
	release(): void {
		this.active--;
		while (this.active < this.maxConcurrent && this.queue.length) {
			const next = this.queue.shift()!;
			next.off();
			this.active++;
			next.resolve();
		}
		this.changed();
	}
	private changed() {
		this.notify({ kind: 'bulkhead', key: this.key, active: this.active, queued: this.queue.length });
	}
}

/** The per-workspace registry of breakers, limiters, bulkheads and saga logs. */
export class SharedResilience {
	private breakers = new Map<string, CircuitBreaker>();
	private buckets = new Map<string, TokenBucket>();
	private windows = new Map<string, SlidingWindow>();
	private bulkheads = new Map<string, Bulkhead>();
	private sagas = new Map<string, SagaLogEntry[]>();
	private listeners = new Set<(c: ResilienceChange) => void>();
	private readonly notify = (c: ResilienceChange) => {
		for (const l of this.listeners) l(c);
	};

	breaker(key: string, options: CircuitBreakerOptions): CircuitBreaker {
		let b = this.breakers.get(key);
		if (!b) this.breakers.set(key, (b = new CircuitBreaker(key, options, this.notify)));
		else b.options = options;
		return b;
	}
	tokenBucket(key: string, limit: number, intervalMs: number, burst: number): TokenBucket {
		let b = this.buckets.get(key);
		if (!b) this.buckets.set(key, (b = new TokenBucket(limit, intervalMs, burst)));
		else b.configure(limit, intervalMs, burst);
		return b;
	}
	slidingWindow(key: string, limit: number, windowMs: number): SlidingWindow {
		let w = this.windows.get(key);
		if (!w) this.windows.set(key, (w = new SlidingWindow(limit, windowMs)));
		else w.configure(limit, windowMs);
		return w;
	}
	bulkhead(key: string, maxConcurrent: number, queueSize: number): Bulkhead {
		let b = this.bulkheads.get(key);
		if (!b) this.bulkheads.set(key, (b = new Bulkhead(key, maxConcurrent, queueSize, this.notify)));
		else {
			b.maxConcurrent = maxConcurrent;
			b.queueSize = queueSize;
		}
		return b;
	}
	recordSaga(key: string, log: SagaLogEntry[]): void {
		this.sagas.set(key, log);
		this.notify({ kind: 'saga', key, log });
	}
	/** The log of the last run of the saga with this key. */
	sagaLog(key: string): SagaLogEntry[] | undefined {
		return this.sagas.get(key);
	}
	/** Circuit state by key (moving open → half-open when due, given `now`). */
	circuit(key: string, now?: number): CircuitSnapshot | undefined {
		const b = this.breakers.get(key);
		if (!b) return undefined;
		if (now !== undefined) b.current(now);
		return b.snapshot();
	}
	/** Everything, for a dashboard. */
	snapshot() {
		return {
			circuits: [...this.breakers.values()].map((b) => b.snapshot()),
			bulkheads: [...this.bulkheads.values()].map((b) => ({ key: b.key, active: b.active, queued: b.queued, maxConcurrent: b.maxConcurrent })),
			sagas: Object.fromEntries(this.sagas)
		};
	}
	/** Observes state changes (circuit transitions, bulkhead occupancy, saga logs). */
	subscribe(listener: (c: ResilienceChange) => void): () => void {
		this.listeners.add(listener);
		return () => this.listeners.delete(listener);
	}
}

export function createSharedResilience(): SharedResilience {
	return new SharedResilience();
}
