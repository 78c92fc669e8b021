/**
 * `execute_effect_pipeline`: runs one effect tree (a sequence, a retry around a timeout
 * around an HTTP call, …) outside any workflow, with the same executor the engine uses, and
 * returns its output, the context it produced and a compact trace of its steps.
 */
import { createExecutor } from '../../effects/executor';
import { EffectError, toEffectError } from '../../effects/errors';
import type { EffectHandler } from '../../effects/types';
import type { Clock, EffectScope, EventObject, InstanceEvent } from '../../engine/types';
import type { EffectSpec } from '../../model/types';

export interface PipelineStep {
	/** Composition path, e.g. `retry/effect:timeout/effect:http`. */
	effect: string;
	type: string;
	phase: 'start' | 'retry' | 'end' | 'error' | 'cancel';
	/** Milliseconds since the pipeline started. */
	at: number;
	durationMs?: number;
	error?: string;
}

export interface PipelineResult {
	ok: boolean;
	output?: unknown;
	error?: { code: string; message: string };
	/** The context after every `assign` the pipeline made. */
	context: Record<string, unknown>;
	/** Events the pipeline sent (`raise`/`send`) or emitted (`emit`). */
	sent: EventObject[];
	emitted: EventObject[];
	logs: { message: string; data?: unknown }[];
	steps: PipelineStep[];
	/** Steps left out because the trace was longer than `maxSteps`. */
	stepsOmitted: number;
	durationMs: number;
}

export interface PipelineOptions {
	context?: Record<string, unknown>;
	event?: EventObject;
	/** Handlers for provider-backed kinds (call_llm, call_tool, …). */
	handlers?: Record<string, EffectHandler<never>>;
	/** The whole pipeline is cancelled after this long (default 60 s). */
	timeoutMs?: number;
	/** Cancels the pipeline from outside (a client's cancellation). */
	signal?: AbortSignal;
	clock?: Clock;
	/** Longest trace returned (default 500 steps). */
	maxSteps?: number;
}

const realClock: Clock = {
	now: () => Date.now(),
	setTimeout: (fn, ms) => setTimeout(fn, ms),
	clearTimeout: (h) => clearTimeout(h as ReturnType<typeof setTimeout>)
};

/** Checks the outer shape before anything runs, so a typo is a clear message rather than a stack. */
export function checkEffectTree(effect: unknown, path = 'effect'): string | null {
	if (!effect || typeof effect !== 'object' || Array.isArray(effect)) return `${path} must be an object with a "type" (for example {"type": "log", "message": "hi"})`;
	const t = (effect as { type?: unknown }).type;
	if (typeof t !== 'string' || !t) return `${path}.type must be the name of an effect kind (for example "sequence", "retry", "http")`;
	return null;
}

/** Runs an effect tree and reports what happened; never throws for a failing effect. */
export async function runEffectPipeline(effect: EffectSpec, options: PipelineOptions = {}): Promise<PipelineResult> {
	const clock = options.clock ?? realClock;
	const maxSteps = options.maxSteps ?? 500;
	const started = clock.now();
	const context: Record<string, unknown> = { ...(options.context ?? {}) };
	const sent: EventObject[] = [];
	const emitted: EventObject[] = [];
	const logs: { message: string; data?: unknown }[] = [];
	const steps: PipelineStep[] = [];
	let stepsOmitted = 0;
	const controller = new AbortController();
	const timeoutMs = options.timeoutMs ?? 60_000;
	const timer = clock.setTimeout(() => controller.abort(new EffectError('timeout', `The pipeline did not finish within ${timeoutMs} ms`)), timeoutMs);
	const onOuterAbort = () => controller.abort(new EffectError('cancelled', 'The pipeline was cancelled'));
	options.signal?.addEventListener('abort', onOuterAbort, { once: true });

	const report = (e: InstanceEvent) => {
		if (e.kind === 'log') logs.push(e.data === undefined ? { message: e.message } : { message: e.message, data: e.data });
		if (e.kind !== 'effect' || e.phase === 'progress') return;
		if (steps.length >= maxSteps) {
			stepsOmitted++;
			return;
		}
		const step: PipelineStep = { effect: e.effect, type: e.effectType, phase: e.phase, at: e.time - started };
		if (e.durationMs !== undefined) step.durationMs = e.durationMs;
		if (e.error !== undefined) step.error = e.error;
		steps.push(step);
	};
	const scope: EffectScope = {
		context,
		event: options.event ?? { type: 'mcp.execute_effect_pipeline' },
		signal: controller.signal,
		traceId: randomTraceId(),
		send: (e) => sent.push(e),
		emit: (e) => emitted.push(e),
		assign: (patch) => Object.assign(context, patch),
		report
	};
	const executor = createExecutor({ clock, handlers: options.handlers });
	const finish = (r: Pick<PipelineResult, 'ok' | 'output' | 'error'>): PipelineResult => {
		clock.clearTimeout(timer);
		options.signal?.removeEventListener('abort', onOuterAbort);
		return { ...r, context, sent, emitted, logs, steps, stepsOmitted, durationMs: clock.now() - started };
	};
	try {
		const output = await executor.run(effect, scope);
		return finish(output === undefined ? { ok: true } : { ok: true, output });
	} catch (e) {
		const err = controller.signal.aborted && controller.signal.reason instanceof EffectError ? controller.signal.reason : toEffectError(e);
		return finish({ ok: false, error: { code: err.code, message: err.message } });
	}
}

function randomTraceId(): string {
	const a = new Uint8Array(16);
	crypto.getRandomValues(a);
	return [...a].map((b) => b.toString(16).padStart(2, '0')).join('');
}
