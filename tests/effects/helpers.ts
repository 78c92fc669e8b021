import { EffectError, type EffectContext, type Executor } from '../../src/lib/effects';
import type { EffectErrorCode } from '../../src/lib/effects/errors';
import type { Clock, EffectScope, EventObject, InstanceEvent } from '../../src/lib/engine/types';

/** Lets every pending promise callback run (a real macrotask turn). */
export const flush = () => new Promise<void>((r) => setImmediate(r));

/** A clock whose time moves only when the test says so; timers fire in due order. */
export function manualClock(start = 1_000_000) {
	let t = start;
	let seq = 0;
	const timers = new Map<number, { at: number; fn: () => void }>();
	const clock: Clock & { advance(ms: number): Promise<void>; pending(): number; time(): number } = {
		now: () => t,
		setTimeout(fn, ms) {
			const id = ++seq;
			timers.set(id, { at: t + Math.max(0, ms), fn });
			return id;
		},
		clearTimeout(id) {
			timers.delete(id as number);
		},
		pending: () => timers.size,
		time: () => t,
		async advance(ms: number) {
			const end = t + ms;
			for (;;) {
				await flush();
				let nextId: number | undefined;
				let next: { at: number; fn: () => void } | undefined;
				for (const [id, tm] of timers) if (tm.at <= end && (!next || tm.at < next.at)) [nextId, next] = [id, tm];
				if (!next) break;
				timers.delete(nextId!);
				t = next.at;
				next.fn();
			}
			t = end;
			await flush();
		}
	};
	return clock;
}

type EffectEvent = Extract<InstanceEvent, { kind: 'effect' }>;

/** An engine-like scope that records what the executor does through it. */
export function makeScope(context: Record<string, unknown> = {}, event: EventObject = { type: 'GO' }) {
	const controller = new AbortController();
	const events: InstanceEvent[] = [];
	const sent: EventObject[] = [];
	const emitted: EventObject[] = [];
	const patches: Record<string, unknown>[] = [];
	const scope: EffectScope = {
		context,
		event,
		signal: controller.signal,
		state: 'working',
		traceId: '0af7651916cd43dd8448eb211c80319c',
		send: (e) => sent.push(e),
		emit: (e) => emitted.push(e),
		assign: (p) => {
			patches.push(p);
			Object.assign(context, p);
		},
		report: (e) => events.push(e)
	};
	const effects = () => events.filter((e): e is EffectEvent => e.kind === 'effect');
	/** `phase path` lines, for readable assertions. */
	const trace = () => effects().map((e) => `${e.phase} ${e.effect}`);
	return { scope, controller, events, sent, emitted, patches, context, effects, trace };
}

/** Asserts nothing about the outcome: returns it as data, so tests can check either side. */
export async function outcome(p: Promise<unknown>): Promise<{ ok: true; value: unknown } | { ok: false; error: Error & { code?: string; status?: number; data?: unknown } }> {
	try {
		return { ok: true, value: await p };
	} catch (e) {
		return { ok: false, error: e as Error & { code?: string } };
	}
}

export interface WorkParams {
	name: string;
	ms?: number;
	fail?: boolean;
	code?: EffectErrorCode;
	value?: unknown;
}

/**
 * Registers `work`: waits `ms` on the executor's clock (cancellable), then returns `value`
 * or fails. `log` gets `run x`, `done x`, `fail x`, `abort x` (the handler saw its signal abort).
 */
export function registerWork(ex: Executor, log: string[]) {
	ex.register('work', ((p: WorkParams, ctx: EffectContext) => {
		log.push(`run ${p.name}`);
		const onAbort = () => log.push(`abort ${p.name}`);
		ctx.signal.addEventListener('abort', onAbort);
		const finish = () => {
			ctx.signal.removeEventListener('abort', onAbort);
			if (p.fail) {
				log.push(`fail ${p.name}`);
				throw new EffectError(p.code ?? 'failed', `${p.name} failed`);
			}
			log.push(`done ${p.name}`);
			return p.value ?? p.name;
		};
		if (!p.ms) return finish();
		return new Promise((resolve, reject) => {
			const h = ex.clock.setTimeout(() => {
				try {
					resolve(finish());
				} catch (e) {
					reject(e);
				}
			}, p.ms!);
			ctx.signal.addEventListener('abort', () => ex.clock.clearTimeout(h));
		});
	}) as never);
}

/** Registers `flaky`: fails (code `network`) the first `failures` calls, then returns the attempt number. */
export function registerFlaky(ex: Executor, failures: number, code: EffectErrorCode = 'network') {
	let calls = 0;
	ex.register('flaky', (() => {
		calls++;
		if (calls <= failures) return Promise.reject(new EffectError(code, `flaky failure ${calls}`));
		return Promise.resolve(calls);
	}) as never);
	return () => calls;
}
