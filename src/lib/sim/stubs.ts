import { EffectError, type EffectErrorCode } from '../effects/errors';
import { effectKinds } from '../effects/kinds';
import type { EffectContext, EffectHandler } from '../effects/types';

/** One scripted answer of a stubbed effect. */
export interface StubStep {
	/** Virtual milliseconds before answering (cancellable, on the session's clock). */
	delayMs?: number;
	/** The effect's result. */
	output?: unknown;
	/** Fail instead: an error code (retry/timeout/onError see it as a real failure) and message. */
	error?: { code?: EffectErrorCode; message?: string };
	/** Progress payloads reported while waiting (e.g. streamed tokens). */
	progress?: unknown[];
}

/**
 * Simulated answers for effects that talk to the outside (call_llm, http, call_tool …), so a
 * workflow can be run and debugged without providers or network. Keys are an effect type
 * (`call_llm`) or a type in one state (`call_llm@billing`, which wins). Each call takes the
 * next step of its list; the last step repeats.
 */
export type StubConfig = Record<string, StubStep[]>;

/** Parses and checks a stub configuration written as JSON by the user. */
export function parseStubs(text: string): { ok: true; stubs: StubConfig } | { ok: false; message: string } {
	if (!text.trim()) return { ok: true, stubs: {} };
	let v: unknown;
	try {
		v = JSON.parse(text);
	} catch (err) {
		return { ok: false, message: `The stubs are not valid JSON: ${(err as Error).message}` };
	}
	if (!v || typeof v !== 'object' || Array.isArray(v)) return { ok: false, message: 'Stubs must be an object: { "call_llm": [ { "output": … } ] }.' };
	for (const [key, steps] of Object.entries(v as Record<string, unknown>)) {
		const type = key.split('@')[0];
		if (!(type in effectKinds)) return { ok: false, message: `"${type}" is not an effect type.` };
		if (!Array.isArray(steps) || steps.length === 0) return { ok: false, message: `"${key}" must be a non-empty list of steps.` };
		for (const s of steps) if (!s || typeof s !== 'object' || Array.isArray(s)) return { ok: false, message: `Each step of "${key}" must be an object.` };
	}
	return { ok: true, stubs: v as StubConfig };
}

/**
 * Handlers that answer stubbed effects on top of `base` (the run mode's handlers: simulated
 * answers, or the live providers); `calls` counts per key so scripts advance. Where a type is
 * stubbed only in other states, `base` (else the kind itself) answers.
 */
export function stubHandlers(stubs: StubConfig, base: Record<string, EffectHandler<never>> = {}): Record<string, EffectHandler<never>> {
	const calls = new Map<string, number>();
	const types = new Set(Object.keys(stubs).map((k) => k.split('@')[0]));
	const out: Record<string, EffectHandler<never>> = { ...base };
	for (const type of types) {
		const fallback = (base[type] ?? (effectKinds as Record<string, { run: EffectHandler<never> }>)[type]?.run) as EffectHandler | undefined;
		const handler = (params: Record<string, unknown>, ctx: EffectContext): unknown => {
			const state = ctx.scope.state;
			const key = state && stubs[`${type}@${state}`] ? `${type}@${state}` : stubs[type] ? type : undefined;
			if (!key) {
				if (!fallback) throw new EffectError('unknown_kind', `Unknown effect type "${type}"`);
				return fallback(params, ctx);
			}
			const steps = stubs[key];
			const n = calls.get(key) ?? 0;
			calls.set(key, n + 1);
			const step = steps[Math.min(n, steps.length - 1)];
			const answer = () => {
				if (step.error) throw new EffectError(step.error.code ?? 'failed', step.error.message ?? `Simulated ${type} failure`);
				return step.output;
			};
			if (!step.delayMs) {
				for (const p of step.progress ?? []) ctx.progress(p);
				return answer();
			}
			const progress = step.progress ?? [];
			const slice = step.delayMs / (progress.length + 1);
			let chain: Promise<void> = Promise.resolve();
			for (const p of progress) chain = chain.then(() => ctx.sleep(slice)).then(() => ctx.progress(p));
			return chain.then(() => ctx.sleep(slice)).then(answer);
		};
		out[type] = handler as EffectHandler<never>;
	}
	return out;
}
