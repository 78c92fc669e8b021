/**
 * The chat service: one model call as the rest of the app wants it — a fallback chain of
 * provider/model targets, `Retry-After` honoured within a cap, streamed text, tokens and
 * cost per attempt (recorded in the usage table), a run budget checked before each call,
 * and cancellation that closes the HTTP stream. `call_llm`, retrieval, agents and the
 * assistant all call models through `chat()`.
 */
import { createProvider } from '../providers/create';
import { ProviderError } from '../errors';
import { providerConfig, getWorkspaceDefault, getPriceOverrides, listProviders, type ProviderInfo } from '../settings/providers';
import { costOf, estimateMessagesTokens, estimateTokens, pricesOf, type Cost, type PriceOverride } from '../usage/prices';
import { BudgetExceededError, type RunBudget } from '../usage/budget';
import type { ChatRequest, FinishReason, ProviderConfig, ToolCall, Usage } from '../types';
import type { AttemptProgress, UsageProgress } from '../../effects/progress';
import { aiDb, type UsageRecord } from '../../store/ai-db';

/** One link of a fallback chain: a provider (id or name from Settings → Providers) and a model. */
export interface ChatTarget {
	provider: string;
	model?: string;
}

/** Where a call happens, for the usage records (Usage page, Run panel totals). */
export interface UsageContext {
	workflowId?: string;
	workflowName?: string;
	instanceId?: string;
	state?: string;
	effect?: string;
	/** Who calls when it is not a workflow effect: `assistant`, `rag`, an agent's name. */
	caller?: string;
}

export interface ChatCall {
	/** The request; `model` may be left out when every target names one (or its provider has a default). */
	request: Omit<ChatRequest, 'model'> & { model?: string };
	/** Fallback chain, tried in order (default: the workspace's default provider and model). */
	targets?: ChatTarget[];
	workspaceId?: string;
	signal?: AbortSignal;
	/** Each streamed text delta of the current attempt (a new attempt starts from nothing). */
	onText?: (delta: string) => void;
	/** Attempt and usage progress, in the shapes the Run panel shows. */
	onProgress?: (p: AttemptProgress | UsageProgress) => void;
	/** The run's budget: checked before every attempt, charged after it. */
	budget?: RunBudget;
	/** Record usage under this context (default: recorded with no context). `false`: do not record. */
	usage?: UsageContext | false;
	/** Longest `Retry-After` worth waiting for before retrying the same target (default 10 s). */
	retryAfterCapMs?: number;
	/** An attempt that receives nothing for this long is a timeout (default 60 s). */
	idleTimeoutMs?: number;
	/** Agent name, for `agent` in progress payloads. */
	agent?: string;
}

/** Tokens and cost of one call, with where the figures came from. */
export interface CallUsage extends Usage {
	costUsd: number;
	costSource: Cost['source'];
	pricesVersion?: string;
	estimated: boolean;
}

export interface AttemptRecord {
	index: number;
	provider: string;
	model: string;
	outcome: 'ok' | 'error';
	error?: string;
	waitMs?: number;
	usage?: CallUsage;
}

export interface ChatResult {
	text: string;
	toolCalls: ToolCall[];
	finishReason: FinishReason;
	/** The provider (name) and model that answered. */
	provider: string;
	providerId: string;
	model: string;
	/** Usage of the answering attempt. */
	usage: CallUsage;
	/** Usage of every attempt, failed ones included (they may have been billed). */
	totalUsage: CallUsage;
	attempts: AttemptRecord[];
}

export interface ChatServiceDeps {
	resolve?: (idOrName: string) => Promise<{ config: ProviderConfig; info: ProviderInfo }>;
	defaultTarget?: (workspaceId: string) => Promise<ChatTarget | undefined>;
	priceOverrides?: () => Promise<Record<string, PriceOverride>>;
	recordUsage?: (r: UsageRecord) => unknown;
	sleep?: (ms: number, signal?: AbortSignal) => Promise<void>;
	now?: () => number;
}

export interface ChatService {
	/** Runs one model call along its fallback chain. Throws a ProviderError (the chain failed), BudgetExceededError, or the signal's reason. */
	chat(call: ChatCall): Promise<ChatResult>;
}

function abortableSleep(ms: number, signal?: AbortSignal): Promise<void> {
	return new Promise((resolve, reject) => {
		if (signal?.aborted) return reject(signal.reason);
		const t = setTimeout(() => {
			signal?.removeEventListener('abort', onAbort);
			resolve();
		}, ms);
		const onAbort = () => {
			clearTimeout(t);
			reject(signal!.reason);
		};
		signal?.addEventListener('abort', onAbort, { once: true });
	});
}

function localDay(t: number): string {
	const d = new Date(t);
	return `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, '0')}-${String(d.getDate()).padStart(2, '0')}`;
}

/** Finds a provider by id, else by name (people type names in effects). */
async function resolveDefault(idOrName: string) {
	try {
		return await providerConfig(idOrName);
	} catch (e) {
		const byName = (await listProviders()).find((p) => p.name.toLowerCase() === idOrName.toLowerCase());
		if (byName) return providerConfig(byName.id);
		throw e;
	}
}

async function defaultTargetOf(workspaceId: string): Promise<ChatTarget | undefined> {
	const d = await getWorkspaceDefault(workspaceId);
	if (d) return { provider: d.providerId, ...(d.model ? { model: d.model } : {}) };
	const all = await listProviders();
	return all.length === 1 ? { provider: all[0].id } : undefined;
}

export class NoProviderError extends Error {
	constructor(message: string) {
		super(message);
		this.name = 'NoProviderError';
	}
}

/** A chat service over the given dependencies (tests inject them; the app uses `chat`). */
export function createChatService(deps: ChatServiceDeps = {}): ChatService {
	const resolve = deps.resolve ?? resolveDefault;
	const defaultTarget = deps.defaultTarget ?? defaultTargetOf;
	const overrides = deps.priceOverrides ?? (() => getPriceOverrides().catch(() => ({})));
	const record = deps.recordUsage ?? ((r: UsageRecord) => aiDb().usage.add(r).catch(() => undefined));
	const sleep = deps.sleep ?? abortableSleep;
	const now = deps.now ?? Date.now;

	async function chat(call: ChatCall): Promise<ChatResult> {
		const workspaceId = call.workspaceId ?? 'default';
		let targets = call.targets?.filter((t) => t.provider) ?? [];
		if (!targets.length) {
			const d = await defaultTarget(workspaceId);
			if (!d) throw new NoProviderError('No provider configured — add one in Settings → Providers (and choose it as the default), or name a provider on the effect.');
			targets = [d];
		}
		const cap = call.retryAfterCapMs ?? 10_000;
		const prices = await overrides();
		const attempts: AttemptRecord[] = [];
		const failures: string[] = [];
		const total: CallUsage = { inputTokens: 0, outputTokens: 0, costUsd: 0, costSource: 'local', estimated: false };
		let lastError: ProviderError | undefined;
		const agent = call.agent !== undefined ? { agent: call.agent } : {};
		for (let t = 0; t < targets.length; t++) {
			let retried = false;
			for (;;) {
				const target = targets[t];
				const index = attempts.length;
				let resolved: Awaited<ReturnType<typeof resolve>>;
				try {
					resolved = await resolve(target.provider);
				} catch (e) {
					const msg = (e as Error).message;
					call.onProgress?.({ kind: 'attempt', index, provider: target.provider, model: target.model ?? '', outcome: 'error', error: msg, ...agent });
					attempts.push({ index, provider: target.provider, model: target.model ?? '', outcome: 'error', error: msg });
					failures.push(`${target.provider}: ${msg}`);
					lastError = new ProviderError('not_found', msg);
					break;
				}
				const { config, info } = resolved;
				const model = target.model || call.request.model || info.defaultModel;
				if (!model) throw new NoProviderError(`Choose a model for ${info.name}: name one on the effect, or set the provider's default model in Settings → Providers.`);
				const request: ChatRequest = { ...call.request, model };
				const priceQuery = { providerKind: config.kind, baseUrl: config.baseUrl, model, overrides: prices };
				if (call.budget) {
					const p = call.budget.limits.maxCostUsd !== undefined ? await pricesOf(priceQuery).catch(() => undefined) : undefined;
					call.budget.check({ model, inputTokens: estimateMessagesTokens(request.messages), maxOutputTokens: request.maxTokens ?? 4096, ...(p ? { inputPerMTok: p.inputPerMTok, outputPerMTok: p.outputPerMTok } : {}) });
				}
				call.onProgress?.({ kind: 'attempt', index, provider: info.name, model, outcome: 'started', ...agent });
				const usageProgress = (usage: Omit<CallUsage, 'costSource'>): UsageProgress => ({
					kind: 'usage',
					provider: info.name,
					model,
					inputTokens: usage.inputTokens,
					outputTokens: usage.outputTokens,
					...(usage.cachedInputTokens ? { cachedInputTokens: usage.cachedInputTokens } : {}),
					...(usage.reasoningTokens ? { reasoningTokens: usage.reasoningTokens } : {}),
					costUsd: usage.costUsd,
					...(usage.estimated ? { estimated: true } : {}),
					...agent
				});
				let reportedOnCancel = false;
				const outcome = await attempt(config, request, call, priceQuery, (u) => {
					reportedOnCancel = true;
					call.onProgress?.(usageProgress(u));
				});
				const usage = outcome.usage;
				call.budget?.charge(usage);
				total.inputTokens += usage.inputTokens;
				total.outputTokens += usage.outputTokens;
				total.costUsd += usage.costUsd;
				total.estimated ||= usage.estimated;
				total.costSource = usage.costSource;
				if (usage.pricesVersion) total.pricesVersion = usage.pricesVersion;
				if (!(outcome.kind === 'aborted' && reportedOnCancel)) call.onProgress?.(usageProgress(usage));
				if (call.usage !== false) {
					const time = now();
					const ctx = call.usage ?? {};
					void record({
						time,
						day: localDay(time),
						workspaceId,
						...ctx,
						providerId: info.id,
						providerKind: config.kind,
						model,
						inputTokens: usage.inputTokens,
						outputTokens: usage.outputTokens,
						cachedInputTokens: usage.cachedInputTokens ?? 0,
						reasoningTokens: usage.reasoningTokens ?? 0,
						costUsd: usage.costUsd,
						costSource: usage.costSource,
						estimated: usage.estimated,
						...(usage.pricesVersion ? { pricesVersion: usage.pricesVersion } : {}),
						outcome: outcome.kind === 'ok' ? 'ok' : outcome.kind === 'aborted' ? 'cancelled' : 'error'
					});
				}
				if (outcome.kind === 'aborted') throw outcome.reason;
				if (outcome.kind === 'ok') {
					call.onProgress?.({ kind: 'attempt', index, provider: info.name, model, outcome: 'ok', ...agent });
					attempts.push({ index, provider: info.name, model, outcome: 'ok', usage });
					return { ...outcome.completion, provider: info.name, providerId: info.id, model, usage, totalUsage: total, attempts };
				}
				const err = outcome.error;
				lastError = err;
				const canRetrySame = !retried && err.transient && err.retryAfterMs !== undefined && err.retryAfterMs <= cap;
				const waitMs = canRetrySame ? err.retryAfterMs! : undefined;
				call.onProgress?.({ kind: 'attempt', index, provider: info.name, model, outcome: 'error', error: err.message, ...(waitMs !== undefined ? { waitMs } : {}), ...agent });
				attempts.push({ index, provider: info.name, model, outcome: 'error', error: err.message, ...(waitMs !== undefined ? { waitMs } : {}), usage });
				failures.push(`${info.name} ${model}: ${err.message}`);
				if (!err.transient) throw withChain(err, failures, attempts.length);
				if (canRetrySame) {
					retried = true;
					await sleep(waitMs!, call.signal);
					continue;
				}
				break;
			}
		}
		throw withChain(lastError ?? new ProviderError('network', 'No model answered'), failures, attempts.length);
	}

	type Outcome =
		| { kind: 'ok'; completion: { text: string; toolCalls: ToolCall[]; finishReason: FinishReason }; usage: CallUsage }
		| { kind: 'error'; error: ProviderError; usage: CallUsage }
		| { kind: 'aborted'; reason: unknown; usage: CallUsage };

	async function attempt(
		config: ProviderConfig,
		request: ChatRequest,
		call: ChatCall,
		priceQuery: Parameters<typeof costOf>[0],
		onCancelUsage: (u: Omit<CallUsage, 'costSource'>) => void
	): Promise<Outcome> {
		const ctl = new AbortController();
		let text = '';
		const toolCalls: ToolCall[] = [];
		let usage: Usage | undefined;
		// Prices at hand for the moment of a cancel (the estimate below must be synchronous).
		let price: PriceOverride | undefined;
		void pricesOf(priceQuery).then(
			(p) => (price = p),
			() => undefined
		);
		// A cancelled effect's telemetry closes as soon as the abort has been dispatched, long
		// before the stream unwinds: report what this attempt consumed so far right now —
		// the provider's own count if it already sent one, an estimate otherwise.
		const onOuter = () => {
			try {
				const est = !usage;
				const u: Usage = usage ?? { inputTokens: estimateMessagesTokens(request.messages), outputTokens: estimateTokens(text + (toolCalls.length ? JSON.stringify(toolCalls) : '')) };
				const cached = u.cachedInputTokens ?? 0;
				const costUsd =
					u.costUsd !== undefined && Number.isFinite(u.costUsd) ? u.costUsd : price ? ((u.inputTokens - cached) * price.inputPerMTok + cached * (price.cachedInputPerMTok ?? price.inputPerMTok) + u.outputTokens * price.outputPerMTok) / 1e6 : 0;
				onCancelUsage({ ...u, costUsd, estimated: est });
			} finally {
				ctl.abort(call.signal!.reason);
			}
		};
		if (call.signal?.aborted) ctl.abort(call.signal.reason);
		call.signal?.addEventListener('abort', onOuter, { once: true });
		const idle = call.idleTimeoutMs ?? 60_000;
		let timer: ReturnType<typeof setTimeout> | undefined;
		let timedOut = false;
		const arm = () => {
			if (timer !== undefined) clearTimeout(timer);
			timer = setTimeout(() => {
				timedOut = true;
				ctl.abort(new ProviderError('timeout', `No answer for ${Math.round(idle / 1000)} s`));
			}, idle);
		};
		let finishReason: FinishReason = 'other';
		let error: ProviderError | undefined;
		let aborted: unknown;
		try {
			arm();
			for await (const p of createProvider(config).stream(request, ctl.signal)) {
				arm();
				if (p.type === 'text-delta') {
					text += p.text;
					call.onText?.(p.text);
				} else if (p.type === 'tool-call') toolCalls.push({ id: p.id, name: p.name, arguments: p.arguments });
				else if (p.type === 'usage') {
					const { type: _t, ...u } = p;
					void _t;
					usage = u;
				} else if (p.type === 'finish') finishReason = p.reason;
				else if (p.type === 'error') error = p.error;
			}
		} catch (e) {
			if (timedOut) error = new ProviderError('timeout', `${request.model} sent nothing for ${Math.round(idle / 1000)} s; giving up on this attempt`);
			else if (call.signal?.aborted) aborted = call.signal.reason ?? e;
			else error = e instanceof ProviderError ? e : new ProviderError('network', (e as Error)?.message ?? String(e));
		} finally {
			if (timer !== undefined) clearTimeout(timer);
			call.signal?.removeEventListener('abort', onOuter);
		}
		const estimated = !usage;
		const u: Usage = usage ?? {
			inputTokens: text || error === undefined ? estimateMessagesTokens(request.messages) : 0,
			outputTokens: estimateTokens(text + (toolCalls.length ? JSON.stringify(toolCalls) : ''))
		};
		// An attempt that failed before anything was generated was not billed.
		if (estimated && !text && !toolCalls.length && aborted === undefined) u.inputTokens = error ? 0 : u.inputTokens;
		const cost = await costOf(priceQuery, u).catch((): Cost => ({ costUsd: 0, source: 'unknown' }));
		const callUsage: CallUsage = { ...u, costUsd: cost.costUsd, costSource: cost.source, estimated: estimated && u.inputTokens + u.outputTokens > 0, ...(cost.pricesVersion ? { pricesVersion: cost.pricesVersion } : {}) };
		if (aborted !== undefined) return { kind: 'aborted', reason: aborted, usage: callUsage };
		if (error) return { kind: 'error', error, usage: callUsage };
		return { kind: 'ok', completion: { text, toolCalls, finishReason }, usage: callUsage };
	}

	return { chat };
}

function withChain(err: ProviderError, failures: string[], n: number): ProviderError {
	if (failures.length <= 1) return err;
	return new ProviderError(err.kind, `All ${n} attempts failed — ${failures.join(' · ')}`, {
		...(err.status !== undefined ? { status: err.status } : {}),
		...(err.code !== undefined ? { code: err.code } : {}),
		cause: err
	});
}

let service: ChatService | undefined;

/**
 * One model call through the user's providers: fallback chain, `Retry-After`, usage and cost
 * (recorded), budget, cancellation. This is the entry point for every model call of the app.
 *
 * @example
 * const r = await chat({ request: { messages: [{ role: 'user', content: 'Hi' }] }, targets: [{ provider: 'openai', model: 'gpt-4o-mini' }], signal, onText: (d) => show(d) });
 */
export function chat(call: ChatCall): Promise<ChatResult> {
	return (service ??= createChatService()).chat(call);
}

export { BudgetExceededError };
