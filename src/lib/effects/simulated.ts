/**
 * Run modes and the default answers of a simulated run.
 *
 * In a *simulated* run every effect that talks to the outside world (HTTP, models, embeddings,
 * retrieval, agents, tools — any kind of category `io` or `ai`, and any type a provider
 * registers that is not a built-in kind) is answered here, deterministically and without a
 * single network call, unless the user configured a stub for it. In a *live* run the real
 * handlers run. See docs/effects.md, "Simulated runs".
 */
import { templateText } from './expr';
import { hashString } from './hash';
import { effectKinds } from './kinds';
import type { EffectContext, EffectHandler, EffectKind } from './types';
import { exampleFromSchema } from './schema-example';

export { exampleFromSchema };

/** How a run treats effects that reach the outside world. */
export type RunMode = 'simulated' | 'live';

export const RUN_MODES: readonly RunMode[] = ['simulated', 'live'];

/** Whether a value names a run mode. */
export function isRunMode(v: unknown): v is RunMode {
	return v === 'simulated' || v === 'live';
}

/** The log line each run starts with, so its log says which mode it used. */
export function runModeLog(mode: RunMode, time: number): { kind: 'log'; time: number; message: string; data: { runMode: RunMode } } {
	return {
		kind: 'log',
		time,
		message:
			mode === 'simulated'
				? 'Simulated run: HTTP, model, retrieval and tool effects are answered from stubs or simulated defaults; nothing is sent over the network.'
				: 'Live run: HTTP, model, retrieval and tool effects call the real services.',
		data: { runMode: mode }
	};
}

/** The run mode recorded at the start of a log (undefined for logs written before run modes existed). */
export function runModeOf(log: Iterable<{ kind: string; data?: unknown }>): RunMode | undefined {
	for (const e of log) {
		if (e.kind === 'input') return undefined;
		if (e.kind === 'log') {
			const m = (e.data as { runMode?: unknown } | undefined)?.runMode;
			if (isRunMode(m)) return m;
		}
	}
	return undefined;
}

/** Whether an effect type reaches the outside world (answered from stubs in a simulated run). */
export function isOutsideEffect(type: string, registered?: ReadonlySet<string> | readonly string[]): boolean {
	const kind = (effectKinds as Record<string, EffectKind | undefined>)[type];
	if (kind) return kind.category === 'io' || kind.category === 'ai';
	if (!registered) return false;
	return Array.isArray(registered) ? registered.includes(type) : (registered as ReadonlySet<string>).has(type);
}

/** Built-in kinds that reach the outside world. */
export function outsideKinds(): string[] {
	return Object.entries(effectKinds as Record<string, EffectKind>)
		.filter(([, k]) => k.category === 'io' || k.category === 'ai')
		.map(([type]) => type);
}

const SIMULATED = 'Simulated';

function short(text: unknown, max = 80): string {
	const s = typeof text === 'string' ? text : JSON.stringify(text) ?? '';
	const one = s.replace(/\s+/g, ' ').trim();
	return one.length > max ? one.slice(0, max - 1) + '…' : one;
}

/** A JSON schema given with a model call, under any of the names providers use. */
function schemaOf(p: Record<string, unknown>): unknown {
	const rf = p.responseFormat as { json_schema?: { schema?: unknown }; schema?: unknown } | undefined;
	return p.schema ?? p.jsonSchema ?? p.responseSchema ?? p.outputSchema ?? rf?.json_schema?.schema ?? rf?.schema;
}

/** A deterministic unit vector for a text (same text, same vector). */
function vectorFor(text: string, dims: number): number[] {
	const v: number[] = [];
	let seed = hashString(text);
	for (let i = 0; v.length < dims; i++) {
		if (i * 4 + 4 > seed.length) {
			seed = hashString(seed);
			i = -1;
			continue;
		}
		v.push(parseInt(seed.slice(i * 4, i * 4 + 4), 16) / 0xffff - 0.5);
	}
	const norm = Math.hypot(...v) || 1;
	return v.map((x) => Math.round((x / norm) * 1e6) / 1e6);
}

type Answer = (p: Record<string, unknown>, ctx: EffectContext) => unknown;

/** Default answers per built-in outside kind (documented in docs/effects.md). */
const answers: Record<string, Answer> = {
	http(p, ctx) {
		const method = String(p.method ?? 'GET');
		const url = typeof p.url === 'string' ? templateText(p.url, ctx.data()) : String(p.url);
		const body = { simulated: true, method, url };
		if (typeof p.resultPath !== 'string') return body;
		return ctx.evaluate(p.resultPath, { status: 200, headers: { 'content-type': 'application/json' }, body });
	},
	call_llm(p, ctx) {
		// The kind's own schema may not list the field yet: read the effect as written too.
		const schema = schemaOf(p) ?? schemaOf(ctx.spec as Record<string, unknown>);
		if (schema !== undefined) return exampleFromSchema(schema);
		if (p.json === true || p.output === 'json') return { simulated: true };
		const text = `${SIMULATED} answer (no model was called) to: “${short(p.prompt)}”`;
		if (p.stream !== false) {
			// Streamed like a model would, so the Run panel's live text can be tried out.
			const words = text.split(' ');
			for (let i = 0; i < words.length; i += 4) ctx.progress({ kind: 'text', delta: words.slice(i, i + 4).join(' ') + (i + 4 < words.length ? ' ' : '') });
		}
		return text;
	},
	embed_text(p) {
		const dims = typeof p.dimensions === 'number' && p.dimensions > 0 ? Math.min(4096, Math.floor(p.dimensions)) : 8;
		return Array.isArray(p.text) ? p.text.map((t) => vectorFor(String(t), dims)) : vectorFor(String(p.text ?? ''), dims);
	},
	vector_search(p) {
		const k = Math.min(typeof p.topK === 'number' ? p.topK : 5, 3);
		return Array.from({ length: k }, (_, i) => ({
			id: `simulated-${i + 1}`,
			text: `${SIMULATED} passage ${i + 1} for “${short(p.query, 60)}”`,
			score: Math.round((1 - i * 0.1) * 100) / 100,
			source: `simulated:${String(p.collection ?? '')}`
		}));
	},
	rag(p) {
		return {
			answer: `${SIMULATED} answer (no model or knowledge base was used) to: “${short(p.question)}”`,
			sources: p.citations === false ? [] : [{ id: 'simulated-1', text: `${SIMULATED} passage for “${short(p.question, 60)}”`, score: 1 }]
		};
	},
	coordinate_agents(p) {
		const agents = Array.isArray(p.agents) ? (p.agents as { name?: unknown }[]).map((a) => String(a?.name ?? 'agent')) : [];
		return {
			output: `${SIMULATED} result of ${agents.length} agent${agents.length === 1 ? '' : 's'} (${String(p.strategy ?? 'supervisor')}) for: “${short(p.task)}”`,
			agents,
			rounds: 1
		};
	},
	call_tool(p) {
		return { content: [{ type: 'text', text: `${SIMULATED} result of tool “${String(p.tool)}” (no server was called)` }], isError: false };
	}
};

/**
 * The simulated answer of one outside effect: the kind's own `simulate` when it has one,
 * else the default above, else `{ simulated: true, type }`.
 */
export function simulatedAnswer(type: string, params: Record<string, unknown>, ctx: EffectContext): unknown {
	const kind = (effectKinds as Record<string, EffectKind | undefined>)[type];
	if (kind?.simulate) return kind.simulate(params as never, ctx);
	const answer = answers[type];
	return answer ? answer(params, ctx) : { simulated: true, type };
}

/**
 * Handlers that answer every outside kind (and each `extra` type, e.g. the types providers
 * register) with its simulated answer. Give them to an executor for a simulated run.
 */
export function simulatedHandlers(extra: Iterable<string> = []): Record<string, EffectHandler<never>> {
	const out: Record<string, EffectHandler<never>> = {};
	for (const type of new Set([...outsideKinds(), ...extra])) {
		out[type] = ((params: Record<string, unknown>, ctx: EffectContext) => simulatedAnswer(type, params, ctx)) as EffectHandler<never>;
	}
	return out;
}
