/**
 * The effects executor: runs an effect tree against an engine `EffectScope`.
 *
 * Execution is "maybe synchronous": a kind returns a value or a promise, and compositions
 * only go async when a child does. So an `assign`, or a `parallel` of 10,000 of them, runs
 * without a single promise, which is what keeps simple effects at millions per second.
 */
import type { EffectSpec } from '../model/types';
import type { Clock, EffectScope, InstanceEvent, RunEffect } from './run-types';
import { ChildCancellation, SignalCancellation, raceAbort, type Cancellation } from './cancellation';
import { sleep, systemClock } from './clock';
import { EffectError, cancelledError, toEffectError } from './errors';
import { compileExpr, resolveTemplates, type ExprData } from './expr';
import { effectKinds } from './kinds';
import { otelTraceIds, seededRandom, spanIdGenerator } from './random';
import { hashString } from './hash';
import { createMemoryCache, type EffectCacheBackend } from './cache';
import { SharedResilience } from './resilience';
import { isThenable } from './maybe';
import type { ChildOptions, EffectContext, EffectHandler, EffectKind, ForkedCancellation, MaybePromise } from './types';

export interface ExecutorOptions {
	/** Handlers by kind (providers, plugins); they take precedence over the built-in `run`. */
	handlers?: Record<string, EffectHandler<never>>;
	/** Time source for delays, backoff, timeouts, breakers and telemetry. */
	clock?: Clock;
	/** Breakers, limiters, bulkheads and saga logs shared by all executors of a workspace. */
	shared?: SharedResilience;
	/** Backend of the `cache` kind (default: in memory, per executor). */
	cache?: EffectCacheBackend;
	/** Seed for retry jitter (default: Math.random). */
	seed?: number;
}

export interface Executor {
	/** The engine's `runEffect`. */
	run: RunEffect;
	/** Like `run`, but returns the value directly when the whole effect tree is synchronous. */
	execute(effect: EffectSpec, scope: EffectScope): MaybePromise<unknown>;
	/** Registers (or replaces) the handler for a kind; returns a function that removes it. */
	register(kind: string, handler: EffectHandler<never>): () => void;
	readonly shared: SharedResilience;
	readonly clock: Clock;
}

interface Prepared {
	type: string;
	kind: EffectKind | undefined;
	params: Record<string, unknown>;
	/** Cancellation is raced at this level (leaves); compositions settle through their children. */
	leaf: boolean;
	/** Synchronous data kinds (assign, log, raise, emit, transform): spans of 0 ms, one clock read. */
	instant: boolean;
	assignTo: string | undefined;
}

/** Validated params per effect object: schemas are checked once per spec, not per run. */
const preparedSpecs = new WeakMap<EffectSpec, Prepared>();

function prepare(spec: EffectSpec): Prepared {
	let p = preparedSpecs.get(spec);
	if (p) return p;
	if (!spec || typeof spec !== 'object' || typeof spec.type !== 'string')
		throw new EffectError('invalid_params', `An effect must be an object with a "type"; got ${JSON.stringify(spec)}`);
	const kind = (effectKinds as Record<string, EffectKind>)[spec.type];
	let params: Record<string, unknown> = spec;
	if (kind) {
		const r = kind.schema.safeParse(spec);
		if (!r.success) {
			const issues = r.error.issues.map((i) => `${i.path.join('.') || '(effect)'}: ${i.message}`).join('; ');
			throw new EffectError('invalid_params', `Invalid ${spec.type} effect: ${issues}`);
		}
		params = r.data as Record<string, unknown>;
	}
	const category = kind?.category;
	p = {
		type: spec.type,
		kind,
		params,
		leaf: category !== 'composition' && category !== 'resilience',
		instant: category === 'data',
		assignTo: typeof spec.assignTo === 'string' ? spec.assignTo : undefined
	};
	preparedSpecs.set(spec, p);
	return p;
}

/** One top-level run: the scope and this run's view of the context. */
class RunState {
	/** Context including patches applied by earlier effects of this run (compositions only). */
	view: Readonly<Record<string, unknown>> | undefined = undefined;
	constructor(
		readonly scope: EffectScope,
		readonly track: boolean
	) {}
}

interface Internals {
	clock: Clock;
	shared: SharedResilience;
	cache: EffectCacheBackend;
	handlers: Map<string, EffectHandler<never>>;
	nextSpanId: () => string;
	traceId: (scopeTraceId: string) => string;
	random: () => number;
}

/** The context of one running effect (also its span). */
class Ctx implements EffectContext, Cancellation {
	readonly spanId: string;
	readonly startedAt: number;
	readonly type: string;
	cached = false;
	/** Set once end/error/cancel is recorded: late progress from a handler is dropped. */
	ended = false;
	private held: string | undefined = undefined;
	constructor(
		private readonly ix: Internals,
		private readonly rs: RunState,
		readonly spec: EffectSpec,
		readonly cancel: Cancellation,
		readonly parentSpanId: string | undefined,
		readonly path: string,
		readonly results: Readonly<Record<string, unknown>>,
		private readonly parent: Ctx | undefined
	) {
		this.type = typeof spec?.type === 'string' ? spec.type : 'unknown';
		this.spanId = ix.nextSpanId();
		this.startedAt = ix.clock.now();
	}
	get signal() {
		return this.cancel.signal;
	}
	get aborted() {
		return this.cancel.aborted;
	}
	get reason() {
		return this.cancel.reason;
	}
	onAbort(fn: (reason: unknown) => void) {
		return this.cancel.onAbort(fn);
	}
	get context() {
		return this.rs.view ?? this.rs.scope.context;
	}
	get event() {
		return this.rs.scope.event;
	}
	get clock() {
		return this.ix.clock;
	}
	get shared() {
		return this.ix.shared;
	}
	get cache() {
		return this.ix.cache;
	}
	get scope() {
		return this.rs.scope;
	}
	random() {
		return this.ix.random();
	}
	data(extra?: Record<string, unknown>): ExprData {
		const d: ExprData = { context: this.context, event: this.rs.scope.event, results: this.results };
		return extra ? Object.assign(d, extra) : d;
	}
	evaluate(expr: string, extra?: Record<string, unknown>) {
		return compileExpr(expr)(this.data(extra));
	}
	resolve(value: unknown, extra?: Record<string, unknown>) {
		return resolveTemplates(value, this.data(extra));
	}
	assign(patch: Record<string, unknown>) {
		const rs = this.rs;
		if (rs.track) rs.view = { ...(rs.view ?? rs.scope.context), ...patch };
		rs.scope.assign(patch);
	}
	send(e: Parameters<EffectScope['send']>[0]) {
		this.rs.scope.send(e);
	}
	emit(e: Parameters<EffectScope['emit']>[0]) {
		this.rs.scope.emit(e);
	}
	report(e: InstanceEvent) {
		this.rs.scope.report(e);
	}
	progress(data: unknown) {
		if (!this.ended) this.record('progress', data);
	}
	record(
		phase: 'start' | 'progress' | 'retry' | 'end' | 'error' | 'cancel',
		data?: unknown,
		error?: string,
		durationMs?: number,
		time: number = this.ix.clock.now()
	) {
		const scope = this.rs.scope;
		// One object shape for every telemetry event keeps this call monomorphic.
		scope.report({
			kind: 'effect',
			time,
			phase,
			effect: this.path,
			effectType: this.type,
			spanId: this.spanId,
			parentSpanId: this.parentSpanId,
			traceId: this.ix.traceId(scope.traceId),
			state: scope.state,
			durationMs,
			data,
			error,
			cached: this.cached || undefined
		});
	}
	hold(key: string) {
		this.held = key;
	}
	holds(key: string): boolean {
		for (let c: Ctx | undefined = this; c; c = c.parent) if (c.held === key) return true;
		return false;
	}
	markCached() {
		this.cached = true;
	}
	sleep(ms: number) {
		return sleep(this.ix.clock, ms, this.cancel);
	}
	child(spec: EffectSpec, key: string | number, options?: ChildOptions): MaybePromise<unknown> {
		const seg = typeof spec?.id === 'string' ? spec.id : `${key}:${spec?.type}`;
		return exec(
			this.ix,
			this.rs,
			spec,
			(options?.cancel as Cancellation | undefined) ?? this.cancel,
			this.spanId,
			this.path + '/' + seg,
			options?.results ?? this.results,
			this
		);
	}
	fork(): ForkedCancellation {
		return new ChildCancellation(this.cancel);
	}
	guard<T>(p: PromiseLike<T>): Promise<T> {
		return raceAbort(p, this.cancel);
	}
}

function finish(ctx: Ctx, assignTo: string | undefined, value: unknown, instant?: boolean): unknown {
	if (assignTo !== undefined) {
		try {
			ctx.assign({ [assignTo]: value });
		} catch (e) {
			return fail(ctx, e);
		}
	}
	const now = instant ? ctx.startedAt : ctx.clock.now();
	ctx.ended = true;
	ctx.record('end', undefined, undefined, now - ctx.startedAt, now);
	return value;
}

function fail(ctx: Ctx, e: unknown): never {
	const err = ctx.cancel.aborted ? cancelledError(ctx.cancel.reason ?? e) : toEffectError(e);
	ctx.ended = true;
	ctx.record(ctx.cancel.aborted ? 'cancel' : 'error', err.code !== 'failed' ? { code: err.code, ...(err.status !== undefined ? { status: err.status } : {}) } : undefined, err.message, ctx.clock.now() - ctx.startedAt);
	throw err;
}

/** Runs one effect as a span: start, then exactly one of end / error / cancel. */
function exec(
	ix: Internals,
	rs: RunState,
	spec: EffectSpec,
	cancel: Cancellation,
	parentSpanId: string | undefined,
	path: string,
	results: Readonly<Record<string, unknown>>,
	parent: Ctx | undefined
): MaybePromise<unknown> {
	if (cancel.aborted) throw cancelledError(cancel.reason);
	const ctx = new Ctx(ix, rs, spec, cancel, parentSpanId, path, results, parent);
	ctx.record('start', undefined, undefined, undefined, ctx.startedAt);
	let p: Prepared;
	let r: unknown;
	try {
		p = prepare(spec);
		const handler = ix.handlers.get(p.type);
		if (handler) {
			const params = p.kind?.resolveParams === false ? p.params : (resolveTemplates(p.params, ctx.data()) as Record<string, unknown>);
			r = (handler as EffectHandler)(params, ctx);
		} else if (p.kind) {
			r = p.kind.run(p.params, ctx);
		} else {
			throw new EffectError('unknown_kind', `Unknown effect type "${p.type}" — no kind or handler is registered for it`);
		}
	} catch (e) {
		return fail(ctx, e);
	}
	if (isThenable(r)) {
		const assignTo = p.assignTo;
		const settled = p.leaf || ix.handlers.has(p.type) ? raceAbort(r, cancel) : Promise.resolve(r);
		return settled.then(
			(v) => finish(ctx, assignTo, v),
			(e) => fail(ctx, e)
		);
	}
	return finish(ctx, p.assignTo, r, p.instant && !ix.handlers.has(p.type));
}

/** Creates an executor; give every executor of a workspace the same `shared`. */
export function createExecutor(options: ExecutorOptions = {}): Executor {
	const ix: Internals = {
		clock: options.clock ?? systemClock,
		shared: options.shared ?? new SharedResilience(),
		cache: options.cache ?? createMemoryCache(),
		handlers: new Map(Object.entries(options.handlers ?? {})),
		nextSpanId: spanIdGenerator(),
		traceId: otelTraceIds(hashString),
		random: options.seed !== undefined ? seededRandom(options.seed) : Math.random
	};
	const noResults: Readonly<Record<string, unknown>> = Object.freeze({});
	// The engine runs many simple effects in a row with the same scope: reuse what does not
	// change (a run that does not track a context view, the cancellation of one signal).
	let lastScope: EffectScope | undefined;
	let lastPlain: RunState | undefined;
	let lastSignal: AbortSignal | undefined;
	let lastCancel: SignalCancellation | undefined;
	const execute = (effect: EffectSpec, scope: EffectScope): MaybePromise<unknown> => {
		const kind = (effectKinds as Record<string, EffectKind>)[effect?.type];
		const track = !kind || kind.category === 'composition' || kind.category === 'resilience';
		let rs: RunState;
		if (track) rs = new RunState(scope, true);
		else if (scope === lastScope) rs = lastPlain!;
		else {
			lastScope = scope;
			rs = lastPlain = new RunState(scope, false);
		}
		if (scope.signal !== lastSignal) {
			lastSignal = scope.signal;
			lastCancel = new SignalCancellation(scope.signal);
		}
		const root = typeof effect?.id === 'string' ? effect.id : String(effect?.type);
		// Invoke outputs of the instance (`results` in guards), when the engine provides them.
		const results = (scope as { results?: Readonly<Record<string, unknown>> }).results ?? noResults;
		return exec(ix, rs, effect, lastCancel!, undefined, root, results, undefined);
	};
	return {
		execute,
		run(effect, scope) {
			try {
				const r = execute(effect, scope);
				return isThenable(r) ? (r as Promise<unknown>) : Promise.resolve(r);
			} catch (e) {
				return Promise.reject(e);
			}
		},
		register(kind, handler) {
			ix.handlers.set(kind, handler);
			return () => {
				if (ix.handlers.get(kind) === handler) ix.handlers.delete(kind);
			};
		},
		shared: ix.shared,
		clock: ix.clock
	};
}
