/**
 * What every strategy shares: the agents of one `coordinate_agents` run, one model call per
 * agent step (through the chat service's fallback chain, streamed into the agent's lane, a
 * span of its own on the effect timeline), the failure policy, cancellation, the run's budget,
 * tools, memory and the accounting of calls, tokens and cost.
 */
import { Validator } from '@cfworker/json-schema';
import { EffectError } from '../../effects/errors';
import { hashString } from '../../effects/hash';
import { otelTraceIds, spanIdGenerator } from '../../effects/random';
import type { AgentProgress, CoordinationProgress, DecisionProgress, TextProgress } from '../../effects/progress';
import type { EffectContext } from '../../effects/types';
import type { EffectSpec } from '../../model/types';
import { ProviderError } from '../errors';
import { NoProviderError, type ChatResult, type ChatService, type ChatTarget } from '../llm/chat';
import { parseJsonAnswer, textCoalescer } from '../llm/call-llm';
import type { RunInfo } from '../run-info';
import type { ChatMessage, ToolCall, ToolSpec } from '../types';
import { BudgetExceededError, RunBudget } from '../usage/budget';
import { FINAL_JSON, STEP_LIMIT_NOTE, rememberedPrompt, repairPrompt, summaryPrompt, systemPrompt } from './prompts';
import { isMcpToolRef, type McpAgentTool } from './mcp-tools';
import type { MemoryStore } from './store';
import type { AgentOutcome, CoordinateAgentsParams, CoordinationResult, ResolvedAgent } from './types';

/** What a coordination needs from the host (the AI handlers give the app's; tests their own). */
export interface CoordinationEnv {
	workspaceId: string;
	service: ChatService;
	run?: RunInfo;
	budget?: RunBudget;
	memory?: MemoryStore;
	/** Turns texts into vectors, for decision "cluster" with an embedding model. */
	embed?: (target: ChatTarget, texts: string[], signal: AbortSignal) => Promise<ArrayLike<number>[]>;
	/** How often streamed text is reported (ms). */
	flushMs?: number;
	/** The MCP tools of the agents' `mcp:` entries (resolved before the run, see mcp-tools.ts). */
	mcpTools?: Map<string, McpAgentTool[]>;
}

/** One step of an agent: what it is doing, for its lane and its span. */
export interface StepInfo {
	phase: NonNullable<AgentProgress['phase']>;
	round?: number;
	from?: string;
	task?: string;
	/** A JSON answer is wanted (validated against this schema, one repair request). */
	schema?: Record<string, unknown>;
	/** Tools the model may call in this step, and what runs them. Return `null` to stop offering tools (a limit was reached). */
	tools?: { specs: ToolSpec[]; run: (call: ToolCall) => Promise<string | null>; limitNote?: string };
}

export interface StepResult {
	text: string;
	/** The parsed JSON for a JSON step, else the text. */
	value: unknown;
	/** The conversation including the answer (for agents that keep talking, e.g. debate rounds). */
	messages: ChatMessage[];
}

/** Failures that end the coordination at once, whatever the failure policy says. */
export class FatalCoordinationError extends Error {
	constructor(readonly cause: unknown) {
		super((cause as Error)?.message ?? String(cause));
	}
}

function validator(schema: Record<string, unknown>) {
	const v = new Validator(schema as never, '2020-12', false);
	return (value: unknown): string[] => {
		const r = v.validate(value);
		if (r.valid) return [];
		const errs = r.errors.filter((e) => !/^(properties|items|allOf|\$ref)$/.test(e.keyword));
		return (errs.length ? errs : r.errors).slice(0, 8).map((e) => `${e.instanceLocation.replace(/^#/, '') || '(answer)'}: ${e.error}`);
	};
}

/** An EffectError for what ended a coordination. */
export function toEffectError(e: unknown): unknown {
	const cause = e instanceof FatalCoordinationError ? e.cause : e;
	if (cause instanceof EffectError) return cause;
	if (cause instanceof NoProviderError) return new EffectError('no_provider', cause.message);
	if (cause instanceof BudgetExceededError) return new EffectError('failed', cause.message, { data: { reason: 'budget' } });
	if (cause instanceof ProviderError) {
		const code = cause.kind === 'rate_limited' ? 'rate_limited' : cause.kind === 'timeout' ? 'timeout' : cause.kind === 'network' ? 'network' : cause.status !== undefined ? 'http_status' : 'failed';
		return new EffectError(code, cause.message, { ...(cause.status !== undefined ? { status: cause.status } : {}), data: { kind: cause.kind } });
	}
	return cause;
}

/** A counting semaphore (the `concurrency` limit). */
function limiter(max: number | undefined) {
	let active = 0;
	const queue: (() => void)[] = [];
	return async <T>(fn: () => Promise<T>): Promise<T> => {
		if (max !== undefined && active >= max) await new Promise<void>((r) => queue.push(r));
		active++;
		try {
			return await fn();
		} finally {
			active--;
			queue.shift()?.();
		}
	};
}

export class Coordination {
	readonly task: string;
	readonly agents: ResolvedAgent[];
	readonly byName: Map<string, ResolvedAgent>;
	readonly outcomes = new Map<string, AgentOutcome>();
	readonly controller = new AbortController();
	/** The runtime's run id (memory is kept per run). */
	readonly runId: string;
	private readonly limit: <T>(fn: () => Promise<T>) => Promise<T>;
	private readonly spanId = spanIdGenerator();
	private readonly traceId: string;
	private readonly offAbort: () => void;
	/** Memory loaded per agent key. */
	private readonly memories = new Map<string, { messages: ChatMessage[]; summary?: string }>();
	/** Last answer of each agent, for its memory. */
	readonly finalAnswers = new Map<string, { task: string; answer: unknown }>();
	calls = 0;
	/** Delegations and tool calls so far (limited by `maxSteps`). */
	stepsUsed = 0;
	/** Whether a tool call was refused because `maxSteps` was reached. */
	stepLimitHit = false;

	constructor(
		readonly ctx: EffectContext,
		readonly params: CoordinateAgentsParams,
		agents: ResolvedAgent[],
		readonly env: CoordinationEnv
	) {
		this.task = String(params.task ?? '');
		this.agents = agents;
		this.byName = new Map(agents.map((a) => [a.name, a]));
		for (const a of agents) this.outcomes.set(a.name, { name: a.name, ok: false, calls: 0, inputTokens: 0, outputTokens: 0, costUsd: 0 });
		this.limit = limiter(params.concurrency);
		this.traceId = otelTraceIds(hashString)(ctx.scope.traceId);
		this.runId = env.run?.instanceId ?? ctx.scope.traceId;
		this.offAbort = ctx.onAbort((r) => this.controller.abort(r));
		if (ctx.aborted) this.controller.abort(ctx.reason);
	}

	get signal(): AbortSignal {
		return this.controller.signal;
	}

	/** Whether the effect itself was cancelled (the state was left). */
	get cancelled(): boolean {
		return this.ctx.aborted;
	}

	dispose() {
		this.offAbort();
	}

	agent(name: string): ResolvedAgent {
		const a = this.byName.get(name);
		if (!a) throw new EffectError('invalid_params', `There is no agent called “${name}”; the agents are ${[...this.byName.keys()].join(', ')}.`);
		return a;
	}

	// ------------------------------------------------------------------ progress

	progress(p: AgentProgress | CoordinationProgress | DecisionProgress | TextProgress) {
		this.ctx.progress(p);
	}

	status(agent: string, status: AgentProgress['status'], extra: Omit<AgentProgress, 'kind' | 'agent' | 'status'> = {}) {
		this.progress({ kind: 'agent', agent, status, ...extra });
	}

	announce(lead?: string, rounds?: number) {
		this.progress({
			kind: 'coordination',
			strategy: this.params.strategy,
			agents: this.agents.map((a) => ({ name: a.name, ...(a.role ? { role: a.role } : {}), ...(a.targets[0]?.model ? { model: a.targets[0].model } : {}) })),
			...(rounds !== undefined ? { rounds } : {}),
			...(lead ? { lead } : {})
		});
	}

	/** A span of its own on the effect timeline for one agent step (child of the coordination's span). */
	private span(agent: string, step: StepInfo) {
		const id = this.spanId();
		const started = this.ctx.clock.now();
		const suffix = step.round !== undefined ? `/round:${step.round}` : '';
		const effect = `${this.ctx.path}/agent:${agent}${step.phase !== 'answer' ? `:${step.phase}` : ''}${suffix}`;
		const scope = this.ctx.scope;
		const report = (phase: 'start' | 'progress' | 'end' | 'error' | 'cancel', extra: { data?: unknown; error?: string; durationMs?: number } = {}) =>
			scope.report({ kind: 'effect', time: this.ctx.clock.now(), phase, effect, effectType: `agent:${agent}`, spanId: id, parentSpanId: this.ctx.spanId, traceId: this.traceId, state: scope.state, ...extra });
		report('start');
		let open = true;
		return {
			progress: (data: unknown) => open && report('progress', { data }),
			end: (phase: 'end' | 'error' | 'cancel', error?: string) => {
				if (!open) return;
				open = false;
				report(phase, { durationMs: this.ctx.clock.now() - started, ...(error ? { error } : {}) });
			}
		};
	}

	// ------------------------------------------------------------------ one agent step

	/** The messages an agent starts a conversation with: its system prompt, what it remembers, then `user`. */
	async opening(agent: ResolvedAgent, user: string, extraSystem?: string): Promise<ChatMessage[]> {
		const mem = await this.memoryOf(agent);
		const sys = systemPrompt(agent, [extraSystem, mem.summary ? rememberedPrompt(mem.summary) : undefined].filter(Boolean).join('\n\n') || undefined);
		return [{ role: 'system', content: sys }, ...mem.messages, { role: 'user', content: user }];
	}

	/**
	 * One agent step: a model call through the agent's fallback chain (tools looped, JSON
	 * validated with one repair), streamed to its lane, recorded as a span. Throws what the
	 * chain threw; a budget, a missing provider or cancellation throw FatalCoordinationError.
	 */
	async step(agent: ResolvedAgent, messages: ChatMessage[], step: StepInfo): Promise<StepResult> {
		return this.limit(() => this.stepNow(agent, messages, step));
	}

	private async stepNow(agent: ResolvedAgent, input: ChatMessage[], step: StepInfo): Promise<StepResult> {
		if (this.signal.aborted) throw new FatalCoordinationError(this.signal.reason);
		const info = { ...(step.round !== undefined ? { round: step.round } : {}), phase: step.phase, ...(step.from ? { from: step.from } : {}), ...(step.task ? { task: step.task } : {}) };
		this.status(agent.name, 'thinking', info);
		const span = this.span(agent.name, step);
		const outcome = this.outcomes.get(agent.name)!;
		const used = { inputTokens: 0, outputTokens: 0, costUsd: 0, estimated: false };
		const text = this.params.stream
			? textCoalescer((delta) => this.progress({ kind: 'text', delta, agent: agent.name }), this.env.flushMs)
			: undefined;
		const messages = [...input];
		const tools = step.tools ?? this.ownTools(agent);
		let toolsOn = !!tools?.specs.length;
		const ask = async (msgs: ChatMessage[], withTools: boolean, schema: Record<string, unknown> | undefined): Promise<ChatResult> => {
			this.calls++;
			outcome.calls++;
			try {
				return await this.env.service.chat({
					request: {
						...(agent.targets.length === 0 && agent.model ? { model: agent.model } : {}),
						messages: msgs,
						temperature: agent.temperature,
						maxTokens: agent.maxTokens,
						...(schema && !withTools ? { responseSchema: schema } : {}),
						...(withTools ? { tools: tools!.specs } : {})
					},
					targets: agent.targets,
					workspaceId: this.env.workspaceId,
					signal: this.signal,
					onText: text ? (d) => text.push(d) : undefined,
					onProgress: (p) => {
						if (p.kind === 'attempt' && p.outcome === 'started') {
							text?.flush();
							// A retry or fallback starts the answer again.
							if (p.index > 0) this.status(agent.name, 'thinking', { ...info, error: `retrying on ${p.provider} ${p.model}` });
						}
						if (p.kind === 'usage') {
							used.inputTokens += p.inputTokens;
							used.outputTokens += p.outputTokens;
							used.costUsd += p.costUsd ?? 0;
							used.estimated ||= !!p.estimated;
						}
						span.progress(p);
					},
					...(this.env.budget ? { budget: this.reserving(this.env.budget) } : {}),
					agent: agent.name,
					usage: {
						...(this.env.run?.workflowId ? { workflowId: this.env.run.workflowId } : {}),
						...(this.env.run?.workflowName ? { workflowName: this.env.run.workflowName } : {}),
						instanceId: this.runId,
						...(this.ctx.scope.state ? { state: this.ctx.scope.state } : {}),
						effect: this.ctx.path,
						caller: agent.name
					},
					...(this.params.timeoutMs ? { idleTimeoutMs: this.params.timeoutMs } : {})
				});
			} finally {
				text?.flush();
			}
		};
		const charge = () => {
			outcome.inputTokens += used.inputTokens;
			outcome.outputTokens += used.outputTokens;
			outcome.costUsd += used.costUsd;
		};
		try {
			let lastWithTools = toolsOn;
			let answer = await ask(messages, toolsOn, step.schema);
			let toolTurns = 0;
			while (answer.toolCalls.length && toolsOn) {
				// Each turn consumes steps of the caller's budget; the caller's `run` returns null when it is spent.
				if (++toolTurns > 100) throw new EffectError('failed', `${agent.name} kept calling tools for 100 turns.`);
				messages.push({ role: 'assistant', content: answer.text, toolCalls: answer.toolCalls });
				for (const call of answer.toolCalls) {
					const out = await tools!.run(call);
					if (out === null) {
						toolsOn = false;
						messages.push({ role: 'tool', toolCallId: call.id, content: JSON.stringify({ error: 'Not run: the step limit was reached.' }) });
					} else messages.push({ role: 'tool', toolCallId: call.id, content: out });
				}
				if (!toolsOn && tools!.limitNote) messages.push({ role: 'user', content: tools!.limitNote });
				lastWithTools = toolsOn;
				answer = await ask(messages, toolsOn, step.schema);
			}
			if (step.schema && lastWithTools && toolTurns > 0) {
				messages.push({ role: 'assistant', content: answer.text });
				messages.push({ role: 'user', content: FINAL_JSON });
				answer = await ask(messages, false, step.schema);
			}
			let value: unknown = answer.text;
			if (step.schema) {
				const check = validator(step.schema);
				const problems = (t: string): { value?: unknown; errors: string[] } => {
					const r = parseJsonAnswer(t);
					if (!r.ok) return { errors: [r.message] };
					return { value: r.value, errors: check(r.value) };
				};
				let r = problems(answer.text);
				if (r.errors.length) {
					this.status(agent.name, 'thinking', { ...info, error: 'repairing its JSON answer' });
					answer = await ask([...messages, { role: 'assistant', content: answer.text }, { role: 'user', content: repairPrompt(r.errors) }], false, step.schema);
					r = problems(answer.text);
					if (r.errors.length) throw new EffectError('failed', `${agent.name}'s JSON answer does not match the schema, even after one repair request: ${r.errors.join('; ')}`, { data: { reason: 'schema' } });
				}
				value = r.value;
			} else if (!answer.text.trim() && !answer.toolCalls.length) {
				throw new EffectError('failed', `${agent.name} gave an empty answer.`);
			}
			messages.push({ role: 'assistant', content: answer.text });
			charge();
			span.end('end');
			this.status(agent.name, 'done', { ...info, output: value, usage: used });
			return { text: answer.text, value, messages };
		} catch (e) {
			charge();
			if (this.cancelled) {
				span.end('cancel', 'cancelled');
				throw new FatalCoordinationError(this.ctx.reason ?? e);
			}
			const fatal = e instanceof FatalCoordinationError || e instanceof BudgetExceededError || e instanceof NoProviderError;
			if (this.signal.aborted && !fatal) {
				// Stopped by the coordination itself (the failure policy can no longer be met, or another agent hit a fatal error).
				span.end('cancel', 'stopped');
				this.status(agent.name, 'failed', { ...info, error: 'stopped: the coordination ended', usage: used });
				throw e;
			}
			const message = (e as Error)?.message ?? String(e);
			span.end('error', message);
			this.status(agent.name, 'failed', { ...info, error: message, usage: used });
			if (fatal) throw e instanceof FatalCoordinationError ? e : new FatalCoordinationError(e);
			throw e;
		}
	}

	/** Worst cases of the calls in flight, not charged yet. */
	private reserved = { tokens: 0, costUsd: 0 };

	/**
	 * The run's budget as one call sees it: agents call at the same time, so each call's check
	 * counts the worst case of the calls still in flight (reserved at their check, released when
	 * they are charged) — side by side they cannot overspend what one at a time could not.
	 */
	private reserving(budget: RunBudget): RunBudget {
		const pool = this.reserved;
		let mine = { tokens: 0, costUsd: 0 };
		const release = () => {
			pool.tokens -= mine.tokens;
			pool.costUsd -= mine.costUsd;
			mine = { tokens: 0, costUsd: 0 };
		};
		const check = (call: Parameters<RunBudget['check']>[0]) => {
			release();
			const view = new RunBudget(budget.limits);
			view.tokens = budget.tokens + pool.tokens;
			view.costUsd = budget.costUsd + pool.costUsd;
			try {
				view.check(call);
			} catch (e) {
				if (e instanceof BudgetExceededError && (pool.tokens || pool.costUsd)) throw new BudgetExceededError(`${e.message} (Counting the agents still answering at their worst case.)`);
				throw e;
			}
			const priced = call.inputPerMTok !== undefined && call.outputPerMTok !== undefined;
			mine = { tokens: call.inputTokens + call.maxOutputTokens, costUsd: priced ? (call.inputTokens * call.inputPerMTok! + call.maxOutputTokens * call.outputPerMTok!) / 1e6 : 0 };
			pool.tokens += mine.tokens;
			pool.costUsd += mine.costUsd;
		};
		const charge = (usage: Parameters<RunBudget['charge']>[0]) => {
			release();
			budget.charge(usage);
		};
		return Object.create(RunBudget.prototype, {
			limits: { value: budget.limits },
			tokens: { get: () => budget.tokens },
			costUsd: { get: () => budget.costUsd },
			check: { value: check },
			charge: { value: charge }
		}) as RunBudget;
	}

	// ------------------------------------------------------------------ failure policy

	/** Runs agent tasks side by side; fatal failures stop all of them and are thrown; others are returned as failures. */
	async settle<T>(tasks: (() => Promise<T>)[]): Promise<({ ok: true; value: T } | { ok: false; error: unknown })[]> {
		let fatal: FatalCoordinationError | undefined;
		const results = await Promise.all(
			tasks.map(async (t) => {
				try {
					return { ok: true as const, value: await t() };
				} catch (e) {
					if (e instanceof FatalCoordinationError && !fatal) {
						fatal = e;
						this.controller.abort(e.cause);
					}
					return { ok: false as const, error: e };
				}
			})
		);
		if (fatal) throw fatal;
		return results;
	}

	/** Marks an agent's outcome. */
	succeeded(name: string, output: unknown) {
		const o = this.outcomes.get(name)!;
		o.ok = true;
		o.output = output;
		delete o.error;
	}

	failed(name: string, error: unknown) {
		const o = this.outcomes.get(name)!;
		o.ok = false;
		o.error = (error as Error)?.message ?? String(error);
	}

	/** Throws when fewer than `min` of `names` succeeded (the failure policy). */
	require(min: number, names: string[], what = 'agents') {
		const ok = names.filter((n) => this.outcomes.get(n)?.ok);
		if (ok.length >= min) return;
		const failed = names.filter((n) => !this.outcomes.get(n)?.ok).map((n) => `${n}: ${this.outcomes.get(n)?.error ?? 'no answer'}`);
		throw new EffectError(
			'failed',
			`Only ${ok.length} of ${names.length} ${what} answered (${min} needed). ${failed.join(' · ')}. Lower minSuccess, add fallback models to the agents, or fix what failed.`,
			{ data: { reason: 'agents', succeeded: ok, failed: names.filter((n) => !ok.includes(n)) } }
		);
	}

	/** Aborts the calls still running when the policy can no longer be met. */
	stopOthers(reason: string) {
		if (!this.signal.aborted) this.controller.abort(new EffectError('failed', reason));
	}

	// ------------------------------------------------------------------ tools

	/** The tools an agent may call, with what runs them: effects of the workflow (as call_llm's tools) and MCP tools. */
	toolsFor(agent: ResolvedAgent): { specs: ToolSpec[]; byName: Map<string, { effect: EffectSpec }> } {
		const all = this.params.tools;
		const raw = ((this.ctx.spec as { tools?: { effect?: EffectSpec }[] }).tools ?? []) as { effect?: EffectSpec }[];
		const specs: ToolSpec[] = [];
		const byName = new Map<string, { effect: EffectSpec }>();
		for (const name of agent.tools) {
			if (isMcpToolRef(name)) {
				const mcp = this.env.mcpTools?.get(name);
				if (!mcp) throw new EffectError('invalid_params', `${agent.name} may call the MCP tools “${name}”, which could not be found. Check the server in Settings → MCP servers.`);
				for (const t of mcp) {
					if (byName.has(t.spec.name)) continue;
					specs.push(t.spec);
					byName.set(t.spec.name, { effect: t.effect });
				}
				continue;
			}
			const i = all.findIndex((t) => t.name === name);
			if (i < 0) throw new EffectError('invalid_params', `${agent.name} may call the tool “${name}”, but this effect has no tool of that name. Add it under tools, or remove it from the agent.`);
			const t = all[i];
			specs.push({ name: t.name, ...(t.description ? { description: t.description } : {}), parameters: t.parameters });
			byName.set(t.name, { effect: raw[i]?.effect ?? t.effect });
		}
		return { specs, byName };
	}

	/** Takes one of the coordination's `maxSteps` delegations and tool calls; false when they are spent. */
	takeStep(): boolean {
		if (this.stepsUsed >= this.params.maxSteps) {
			this.stepLimitHit = true;
			return false;
		}
		this.stepsUsed++;
		return true;
	}

	/** The agent's own tools for a step, when it has any (the step limit applies). */
	private ownTools(agent: ResolvedAgent): StepInfo['tools'] {
		if (!agent.tools.length) return undefined;
		const own = this.toolsFor(agent);
		return {
			specs: own.specs,
			run: async (call) => (this.takeStep() ? this.runTool(agent, call, own.byName.get(call.name), this.stepsUsed) : null),
			limitNote: STEP_LIMIT_NOTE(this.params.maxSteps)
		};
	}

	/** Runs one workflow tool for an agent; a failure goes back to the model as `{ error }`. */
	async runTool(agent: ResolvedAgent, call: ToolCall, tool: { effect: EffectSpec } | undefined, step: number): Promise<string> {
		if (!tool) return JSON.stringify({ error: `There is no tool "${call.name}" for ${agent.name}.` });
		try {
			const output = await this.ctx.child(tool.effect, `tool:${call.name}`, { results: { ...this.ctx.results, args: call.arguments } });
			this.ctx.progress({ kind: 'tool', step, name: call.name, arguments: call.arguments, output, agent: agent.name });
			return typeof output === 'string' ? output : JSON.stringify(output ?? null);
		} catch (e) {
			if (this.ctx.aborted) throw e;
			const error = (e as Error)?.message ?? String(e);
			this.ctx.progress({ kind: 'tool', step, name: call.name, arguments: call.arguments, error, agent: agent.name });
			return JSON.stringify({ error });
		}
	}

	// ------------------------------------------------------------------ memory

	async memoryOf(agent: ResolvedAgent): Promise<{ messages: ChatMessage[]; summary?: string }> {
		let m = this.memories.get(agent.key);
		if (m) return m;
		m = { messages: [] };
		if (agent.memory.type !== 'none' && this.env.memory) {
			const rec = await this.env.memory.get(agent.key, this.runId);
			if (rec) {
				if (agent.memory.type === 'window') m.messages = rec.messages.slice(-agent.memory.messages);
				else if (rec.summary) m.summary = rec.summary;
			}
		}
		this.memories.set(agent.key, m);
		return m;
	}

	/** Remembers the agent's last answer of this coordination (window), or updates its running summary (one more call). */
	async remember() {
		if (!this.env.memory) return;
		for (const agent of this.agents) {
			if (agent.memory.type === 'none') continue;
			const last = this.finalAnswers.get(agent.name);
			if (!last) continue;
			const prev = await this.env.memory.get(agent.key, this.runId);
			if (agent.memory.type === 'window') {
				const messages = [...(prev?.messages ?? []), { role: 'user' as const, content: last.task }, { role: 'assistant' as const, content: typeof last.answer === 'string' ? last.answer : JSON.stringify(last.answer) }].slice(-agent.memory.messages);
				await this.env.memory.put({ agentKey: agent.key, runId: this.runId, messages, updatedAt: Date.now() });
			} else {
				try {
					const r = await this.step({ ...agent, maxTokens: agent.memory.maxTokens }, [{ role: 'user', content: summaryPrompt(prev?.summary, last, agent.memory.maxTokens) }], { phase: 'memory' });
					await this.env.memory.put({ agentKey: agent.key, runId: this.runId, messages: [], summary: r.text.trim(), updatedAt: Date.now() });
				} catch (e) {
					if (e instanceof FatalCoordinationError) throw e;
					// A memory that could not be updated keeps the old one; the answer stands.
				}
			}
		}
	}

	// ------------------------------------------------------------------ result

	result(output: unknown, extra: Partial<CoordinationResult> = {}): CoordinationResult {
		const agents = [...this.outcomes.values()].map((a) => (a.calls === 0 && !a.ok && a.error === undefined ? { ...a, idle: true } : a));
		return {
			output,
			strategy: this.params.strategy,
			agents,
			...extra,
			usage: {
				calls: this.calls,
				inputTokens: agents.reduce((s, a) => s + a.inputTokens, 0),
				outputTokens: agents.reduce((s, a) => s + a.outputTokens, 0),
				costUsd: agents.reduce((s, a) => s + a.costUsd, 0)
			}
		};
	}
}
