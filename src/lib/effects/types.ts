import type { z } from 'zod';
import type { EffectSpec } from '../model/types';
import type { Clock, EffectScope, InstanceEvent } from './run-types';
import type { ExprData } from './expr';
import type { SharedResilience } from './resilience';
import type { EffectCacheBackend } from './cache';

export type EffectCategory = 'data' | 'time' | 'io' | 'ai' | 'composition' | 'resilience';

/** What a kind's `run` (or a registered handler) returns: a value, or a promise of one. */
export type MaybePromise<T> = T | Promise<T>;

/**
 * What an effect sees while it runs. Kinds and plugin handlers use only this, so new
 * kinds need no change to the executor.
 */
export interface EffectContext {
	/** The effect as written (params are the validated, defaulted copy passed to `run`). */
	readonly spec: EffectSpec;
	/** Aborted when the effect is cancelled (state left, race lost, timeout). */
	readonly signal: AbortSignal;
	/** Whether this effect has been cancelled (cheaper than `signal.aborted`). */
	readonly aborted: boolean;
	readonly reason: unknown;
	/** Calls `fn` once when this effect is cancelled; returns an unsubscribe. */
	onAbort(fn: (reason: unknown) => void): () => void;
	/** Context as this effect sees it (includes patches made earlier in the same composition). */
	readonly context: Readonly<Record<string, unknown>>;
	readonly event: EffectScope['event'];
	/** Outputs of the earlier steps of the enclosing sequence/saga, keyed by step id (or name, or index). */
	readonly results: Readonly<Record<string, unknown>>;
	readonly clock: Clock;
	readonly shared: SharedResilience;
	readonly scope: EffectScope;
	readonly spanId: string;
	/** Composition path of this effect, e.g. `retry/effect:timeout/effect:http`. */
	readonly path: string;
	/** Data that expressions and templates are evaluated against. */
	data(extra?: Record<string, unknown>): ExprData;
	/** Evaluates a JSONata expression against `data()`. */
	evaluate(expr: string, extra?: Record<string, unknown>): unknown;
	/** Resolves `{{ }}` templates deeply in a value. */
	resolve(value: unknown, extra?: Record<string, unknown>): unknown;
	/** Applies a context patch (through the engine's queue, and to this run's view). */
	assign(patch: Record<string, unknown>): void;
	send: EffectScope['send'];
	emit: EffectScope['emit'];
	/** Records a `progress` telemetry event (streamed tokens, circuit state, saga steps). */
	progress(data: unknown): void;
	/** Records another phase on this effect's span (used by retry). */
	record(phase: 'retry' | 'progress', data?: unknown, error?: string): void;
	/** Reports an arbitrary instance event (log lines). */
	report(e: InstanceEvent): void;
	/** Waits on the clock; rejects as cancelled if this effect is aborted. */
	sleep(ms: number): Promise<void>;
	/**
	 * Runs a child effect as a nested span. `key` names it in the path; `options.cancel`
	 * lets race/timeout/parallel abort it separately from its siblings.
	 */
	child(spec: EffectSpec, key: string | number, options?: ChildOptions): MaybePromise<unknown>;
	/** A cancellation scope below this effect (abort it to cancel the children given it). */
	fork(): ForkedCancellation;
	/** Settles with `p` or rejects as cancelled when this effect is aborted. */
	guard<T>(p: PromiseLike<T>): Promise<T>;
	/** Marks this effect as holding a named slot (bulkhead), visible to its descendants. */
	hold(key: string): void;
	/** Whether this effect or an ancestor holds the slot (nested same-key bulkheads must not deadlock). */
	holds(key: string): boolean;
	/** Marks this effect's end as answered from the cache (`cached: true`). */
	markCached(): void;
	/** The executor's cache backend (used by the `cache` kind). */
	readonly cache: EffectCacheBackend;
	/** Random number in [0, 1): seedable, for jitter. */
	random(): number;
}

export interface ForkedCancellation {
	readonly aborted: boolean;
	readonly reason: unknown;
	abort(reason?: unknown): void;
	dispose(): void;
	/** A cancellation below this one. */
	fork(): ForkedCancellation;
	readonly signal: AbortSignal;
}

export interface ChildOptions {
	cancel?: ForkedCancellation;
	results?: Readonly<Record<string, unknown>>;
}

/** A handler for an effect kind: the kind's `run`, or one registered by a plugin/provider. */
export type EffectHandler<P = Record<string, unknown>> = (params: P, ctx: EffectContext) => MaybePromise<unknown>;

export interface EffectKind<S extends z.ZodType = z.ZodType> {
	schema: S;
	category: EffectCategory;
	label: string;
	description: string;
	/**
	 * Whether the executor resolves `{{ }}` templates in all params before calling a
	 * registered handler (true for io/ai kinds, whose handlers get plain values).
	 */
	resolveParams?: boolean;
	/** Child effects (for the designer's tree and for telemetry paths). */
	children?: (params: z.output<S>) => EffectSpec[];
	run: EffectHandler<z.output<S>>;
	/**
	 * The deterministic answer of this kind in a simulated run, when the default of
	 * `simulated.ts` does not fit (only for kinds that reach the outside: `io`, `ai`).
	 */
	simulate?: (params: z.output<S>, ctx: EffectContext) => unknown;
}
