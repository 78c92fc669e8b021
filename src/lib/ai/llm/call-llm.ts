/**
 * `call_llm` for real: templated messages, a fallback chain through the chat service,
 * streamed text reported as coalesced `text` progress, JSON output validated against its
 * schema with one repair request, tool calls that run other effects of the workflow, response
 * checks with a quality score, and the run's budget.
 */
import { Validator } from '@cfworker/json-schema';
import { EffectError } from '../../effects/errors';
import type { EffectContext } from '../../effects/types';
import type { QualityProgress, ToolProgress } from '../../effects/progress';
import type { EffectSpec } from '../../model/types';
import { ProviderError } from '../errors';
import type { ChatMessage, ToolCall, ToolSpec } from '../types';
import { BudgetExceededError, RunBudget } from '../usage/budget';
import { NoProviderError, type ChatService, type ChatTarget } from './chat';
import type { RunInfo } from '../run-info';

export interface CallLlmParams {
	provider?: string;
	model?: string;
	fallback: { provider: string; model?: string }[];
	system?: string;
	prompt: string;
	temperature: number;
	maxTokens: number;
	stop: string[];
	output: 'text' | 'json';
	json: boolean;
	schema?: Record<string, unknown>;
	tools: { name: string; description?: string; parameters: Record<string, unknown>; effect: EffectSpec }[];
	maxSteps: number;
	checks: ({ type: 'schema'; schema: Record<string, unknown> } | { type: 'regex'; pattern: string; flags?: string } | { type: 'minLength'; value: number } | { type: 'expr'; expr: string })[];
	minScore: number;
	timeoutMs?: number;
	stream: boolean;
	id?: string;
}

export interface CallLlmEnv {
	workspaceId: string;
	service: ChatService;
	run: RunInfo | undefined;
	/** The run's budget tracker (shared by every call of the instance). */
	budget: RunBudget | undefined;
	/** How often streamed text is reported (ms). */
	flushMs?: number;
}

/** Text deltas gathered and reported at most every `ms` (and at the end), so the event store is not flooded. */
export function textCoalescer(report: (delta: string) => void, ms = 50, maxChars = 2048) {
	let buf = '';
	let last = 0;
	let timer: ReturnType<typeof setTimeout> | undefined;
	const flush = () => {
		if (timer !== undefined) {
			clearTimeout(timer);
			timer = undefined;
		}
		if (!buf) return;
		const d = buf;
		buf = '';
		last = Date.now();
		report(d);
	};
	return {
		push(delta: string) {
			buf += delta;
			if (buf.length >= maxChars || Date.now() - last >= ms) flush();
			else if (timer === undefined) timer = setTimeout(flush, ms);
		},
		flush
	};
}

function toEffectError(e: unknown): unknown {
	if (e instanceof EffectError) return e;
	if (e instanceof NoProviderError) return new EffectError('no_provider', e.message);
	if (e instanceof BudgetExceededError) return new EffectError('failed', e.message, { data: { reason: 'budget' } });
	if (e instanceof ProviderError) {
		const code = e.kind === 'rate_limited' ? 'rate_limited' : e.kind === 'timeout' ? 'timeout' : e.kind === 'network' ? 'network' : e.status !== undefined ? 'http_status' : 'failed';
		return new EffectError(code, e.message, { ...(e.status !== undefined ? { status: e.status } : {}), data: { kind: e.kind, ...(e.code ? { providerCode: e.code } : {}) } });
	}
	return e;
}

function validator(schema: Record<string, unknown>) {
	const v = new Validator(schema as never, '2020-12', false);
	return (value: unknown): string[] => {
		const r = v.validate(value);
		if (r.valid) return [];
		// The deepest errors say the most; the summary ones ("did not match all subschemas") little.
		const errs = r.errors.filter((e) => !/^(properties|items|allOf|\$ref)$/.test(e.keyword));
		return (errs.length ? errs : r.errors).slice(0, 8).map((e) => `${e.instanceLocation.replace(/^#/, '') || '(answer)'}: ${e.error}`);
	};
}

/** Parses a JSON answer, tolerating a Markdown fence around it. */
export function parseJsonAnswer(text: string): { ok: true; value: unknown } | { ok: false; message: string } {
	const t = text.trim().replace(/^```(?:json)?\s*\n?([\s\S]*?)\n?```$/i, '$1').trim();
	try {
		return { ok: true, value: JSON.parse(t) };
	} catch (e) {
		return { ok: false, message: `The answer is not JSON (${(e as Error).message}): ${text.slice(0, 120)}` };
	}
}

export async function runCallLlm(p: CallLlmParams, ctx: EffectContext, env: CallLlmEnv): Promise<unknown> {
	// Templates were resolved by the executor (once: text that came from the context is never
	// evaluated again). Tools run later with their arguments, so their effects come unresolved
	// from the spec as written.
	const str = (v: unknown) => (v === undefined || v === null ? undefined : String(v));
	const rawTools = ((ctx.spec as { tools?: { effect?: EffectSpec }[] }).tools ?? []) as { effect?: EffectSpec }[];
	const system = str(p.system);
	const prompt = str(p.prompt) ?? '';
	const jsonOut = p.output === 'json' || p.json;
	const targets: ChatTarget[] = [];
	const primary = str(p.provider);
	if (primary) targets.push({ provider: primary, ...(p.model ? { model: str(p.model) } : {}) });
	for (const f of p.fallback) targets.push({ provider: str(f.provider)!, ...(f.model ? { model: str(f.model) } : {}) });
	const model = !primary && p.model ? str(p.model) : undefined;

	const messages: ChatMessage[] = [];
	if (system) messages.push({ role: 'system', content: system });
	messages.push({ role: 'user', content: prompt });
	const tools: ToolSpec[] = p.tools.map((t) => ({ name: t.name, ...(t.description ? { description: t.description } : {}), parameters: t.parameters }));
	const schema = jsonOut ? (p.schema ?? { type: 'object' }) : undefined;
	const text = p.stream ? textCoalescer((delta) => ctx.progress({ kind: 'text', delta }), env.flushMs) : undefined;
	const run = env.run;
	let step = 0;
	let calls = 0;

	const ask = async (msgs: ChatMessage[], withTools: boolean) => {
		calls++;
		try {
			return await env.service.chat({
				request: {
					...(model ? { model } : {}),
					messages: msgs,
					temperature: p.temperature,
					maxTokens: p.maxTokens,
					...(p.stop.length ? { stop: p.stop } : {}),
					...(schema && !(withTools && tools.length) ? { responseSchema: schema } : {}),
					...(withTools && tools.length ? { tools } : {})
				},
				targets,
				workspaceId: env.workspaceId,
				signal: ctx.signal,
				onText: text ? (d) => text.push(d) : undefined,
				onProgress: (pr) => {
					if (pr.kind === 'attempt' && pr.outcome === 'started') text?.flush();
					ctx.progress(pr);
				},
				budget: env.budget,
				usage: {
					...(run?.workflowId ? { workflowId: run.workflowId } : {}),
					...(run?.workflowName ? { workflowName: run.workflowName } : {}),
					instanceId: run?.instanceId ?? ctx.scope.traceId,
					...(ctx.scope.state ? { state: ctx.scope.state } : {}),
					effect: ctx.path
				},
				...(p.timeoutMs ? { idleTimeoutMs: p.timeoutMs } : {})
			});
		} catch (e) {
			throw toEffectError(e);
		} finally {
			text?.flush();
		}
	};

	// Tool loop: the model may call tools (effects of this workflow) until it answers.
	let answer = await ask(messages, true);
	while (answer.toolCalls.length && tools.length) {
		if (calls >= p.maxSteps)
			throw new EffectError('failed', `The model still asked for tools after ${p.maxSteps} steps (${answer.toolCalls.map((c) => c.name).join(', ')}). Raise maxSteps or make the task simpler.`);
		messages.push({ role: 'assistant', content: answer.text, toolCalls: answer.toolCalls });
		for (const call of answer.toolCalls) messages.push({ role: 'tool', toolCallId: call.id, content: await runTool(call, ++step) });
		answer = await ask(messages, true);
	}
	// A JSON answer was not asked for while tools were offered: ask for it now.
	if (schema && tools.length && step > 0) {
		messages.push({ role: 'assistant', content: answer.text });
		messages.push({ role: 'user', content: 'Now give your final answer as JSON only.' });
		answer = await ask(messages, false);
	}

	let value: unknown = answer.text;
	if (schema) {
		const check = validator(schema);
		const problems = (text: string): { value?: unknown; errors: string[] } => {
			const r = parseJsonAnswer(text);
			if (!r.ok) return { errors: [r.message] };
			return { value: r.value, errors: check(r.value) };
		};
		let r = problems(answer.text);
		if (r.errors.length) {
			ctx.progress({ kind: 'text', delta: '' });
			const repair: ChatMessage[] = [
				...messages,
				{ role: 'assistant', content: answer.text },
				{ role: 'user', content: `Your answer does not match the required JSON Schema:\n- ${r.errors.join('\n- ')}\nReply again with only the corrected JSON.` }
			];
			answer = await ask(repair, false);
			r = problems(answer.text);
			if (r.errors.length)
				throw new EffectError('failed', `The model's JSON answer does not match the schema, even after one repair request: ${r.errors.join('; ')}`, { data: { reason: 'schema', errors: r.errors } });
		}
		value = r.value;
	}

	if (p.checks.length) {
		const results: QualityProgress['checks'] = p.checks.map((c) => runCheck(c, value, answer.text, ctx));
		const score = results.filter((r) => r.ok).length / results.length;
		ctx.progress({ kind: 'quality', score, checks: results } satisfies QualityProgress);
		if (score < p.minScore) {
			const failed = results.filter((r) => !r.ok).map((r) => `${r.name}${r.message ? ` (${r.message})` : ''}`);
			throw new EffectError('failed', `The answer failed its checks (quality ${Math.round(score * 100)}%, needs ${Math.round(p.minScore * 100)}%): ${failed.join('; ')}`, {
				data: { reason: 'checks', score, checks: results, answer: value }
			});
		}
	}
	return value;

	async function runTool(call: ToolCall, n: number): Promise<string> {
		const t = p.tools.find((x) => x.name === call.name);
		const base: ToolProgress = { kind: 'tool', step: n, name: call.name, arguments: call.arguments };
		if (!t) {
			const error = `There is no tool "${call.name}"; the tools are ${p.tools.map((x) => x.name).join(', ')}.`;
			ctx.progress({ ...base, error });
			return JSON.stringify({ error });
		}
		const effect = rawTools[p.tools.indexOf(t)]?.effect ?? t.effect;
		try {
			const output = await ctx.child(effect, `tool:${t.name}`, { results: { ...ctx.results, args: call.arguments } });
			ctx.progress({ ...base, output });
			return typeof output === 'string' ? output : JSON.stringify(output ?? null);
		} catch (e) {
			if (ctx.aborted) throw e;
			const error = (e as Error)?.message ?? String(e);
			ctx.progress({ ...base, error });
			// The model gets the failure and may recover (another tool, or an answer that says so).
			return JSON.stringify({ error });
		}
	}
}

function runCheck(c: CallLlmParams['checks'][number], value: unknown, text: string, ctx: EffectContext): QualityProgress['checks'][number] {
	try {
		if (c.type === 'minLength') {
			const n = text.trim().length;
			return n >= c.value ? { name: `at least ${c.value} characters`, ok: true } : { name: `at least ${c.value} characters`, ok: false, message: `${n} characters` };
		}
		if (c.type === 'regex') {
			const ok = new RegExp(c.pattern, c.flags).test(text);
			return { name: `matches /${c.pattern}/${c.flags ?? ''}`, ok, ...(ok ? {} : { message: 'no match' }) };
		}
		if (c.type === 'schema') {
			const parsed = typeof value === 'string' ? parseJsonAnswer(value) : { ok: true as const, value };
			if (!parsed.ok) return { name: 'matches the JSON Schema', ok: false, message: parsed.message };
			const errors = validator(c.schema)(parsed.value);
			return { name: 'matches the JSON Schema', ok: !errors.length, ...(errors.length ? { message: errors.join('; ') } : {}) };
		}
		const ok = !!ctx.evaluate(c.expr, { answer: value, text });
		return { name: c.expr, ok, ...(ok ? {} : { message: 'false' }) };
	} catch (e) {
		return { name: c.type === 'expr' ? c.expr : c.type, ok: false, message: (e as Error).message };
	}
}
