/**
 * Cost of a model call: the provider's own figure when it sends one (OpenRouter), a user
 * override per model, zero for models on this machine (web-llm, localhost servers), else
 * `@pydantic/genai-prices`' offline table (loaded on first use; its version is recorded).
 */
import { estimateTokenCount } from 'tokenx';
import type { ChatMessage, ProviderKind, Usage } from '../types';

/** Version of @pydantic/genai-prices bundled (kept equal to package.json by a test). */
export const GENAI_PRICES_VERSION = '0.1.8';

/** A user's own prices for a model, in US dollars per million tokens. */
export interface PriceOverride {
	inputPerMTok: number;
	outputPerMTok: number;
	cachedInputPerMTok?: number;
}

export interface Cost {
	costUsd: number;
	source: 'provider' | 'prices' | 'override' | 'local' | 'unknown';
	pricesVersion?: string;
}

export interface PriceQuery {
	providerKind: ProviderKind;
	baseUrl?: string;
	model: string;
	overrides?: Record<string, PriceOverride>;
}

type GenaiPrices = typeof import('@pydantic/genai-prices');
let lib: Promise<GenaiPrices> | undefined;
/** Loads the price table (about 800 kB) once. */
export function loadPrices(): Promise<GenaiPrices> {
	return (lib ??= import('@pydantic/genai-prices'));
}

/** Whether a base URL points at this machine or the local network (Ollama, LM Studio, llama.cpp). */
export function isLocalUrl(baseUrl: string | undefined): boolean {
	if (!baseUrl) return false;
	try {
		const h = new URL(baseUrl).hostname.replace(/^\[|\]$/g, '');
		return h === 'localhost' || h.endsWith('.localhost') || h === '::1' || /^127\./.test(h) || /^10\./.test(h) || /^192\.168\./.test(h) || /^172\.(1[6-9]|2\d|3[01])\./.test(h) || h.endsWith('.local');
	} catch {
		return false;
	}
}

/** Models that run on this machine or network cost nothing: web-llm, and OpenAI-compatible servers on local addresses (a named cloud provider at a local address is a proxy and is priced). */
export function isLocalModel(q: Pick<PriceQuery, 'providerKind' | 'baseUrl'>): boolean {
	return q.providerKind === 'webllm' || (q.providerKind === 'openai-compatible' && isLocalUrl(q.baseUrl));
}

function providerIdOf(kind: ProviderKind, baseUrl: string | undefined): { providerId?: string; providerApiUrl?: string } {
	if (kind === 'openai') return { providerId: 'openai' };
	if (kind === 'anthropic') return { providerId: 'anthropic' };
	if (kind === 'google') return { providerId: 'google' };
	if (baseUrl && /openrouter\.ai/.test(baseUrl)) return { providerId: 'openrouter' };
	return baseUrl ? { providerApiUrl: baseUrl } : {};
}

/** Prices per million tokens for a model (for budgets and the model picker), or undefined when unknown. */
export async function pricesOf(q: PriceQuery): Promise<PriceOverride | undefined> {
	const o = q.overrides?.[q.model];
	if (o) return o;
	if (isLocalModel(q)) return { inputPerMTok: 0, outputPerMTok: 0 };
	const { calcPrice } = await loadPrices();
	const r = safeCalc(calcPrice, { input_tokens: 1_000_000, output_tokens: 0 }, q) ;
	const w = safeCalc(calcPrice, { input_tokens: 0, output_tokens: 1_000_000 }, q);
	if (!r || !w) return undefined;
	return { inputPerMTok: r.total_price, outputPerMTok: w.total_price };
}

function safeCalc(calcPrice: GenaiPrices['calcPrice'], usage: Record<string, number>, q: PriceQuery) {
	const where = providerIdOf(q.providerKind, q.baseUrl);
	const model = q.model.replace(/@.*$/, '');
	try {
		return calcPrice(usage, model, where) ?? (where.providerApiUrl || where.providerId === 'openrouter' ? calcPrice(usage, model.replace(/^[^/]+\//, '')) : null);
	} catch {
		return null;
	}
}

/** The cost of one call. */
export async function costOf(q: PriceQuery, usage: Usage): Promise<Cost> {
	if (usage.costUsd !== undefined && Number.isFinite(usage.costUsd)) return { costUsd: usage.costUsd, source: 'provider' };
	const o = q.overrides?.[q.model];
	if (o) {
		const cached = usage.cachedInputTokens ?? 0;
		const cost = ((usage.inputTokens - cached) * o.inputPerMTok + cached * (o.cachedInputPerMTok ?? o.inputPerMTok) + usage.outputTokens * o.outputPerMTok) / 1e6;
		return { costUsd: cost, source: 'override' };
	}
	if (isLocalModel(q)) return { costUsd: 0, source: 'local' };
	const { calcPrice } = await loadPrices();
	const r = safeCalc(calcPrice, { input_tokens: usage.inputTokens, output_tokens: usage.outputTokens, ...(usage.cachedInputTokens ? { cache_read_tokens: usage.cachedInputTokens } : {}) }, q);
	if (!r) return { costUsd: 0, source: 'unknown', pricesVersion: GENAI_PRICES_VERSION };
	return { costUsd: r.total_price, source: 'prices', pricesVersion: GENAI_PRICES_VERSION };
}

/** Token estimate of a text (tokenx heuristics) for budgets and for streams that reported no usage. */
export function estimateTokens(text: string): number {
	return text ? estimateTokenCount(text) : 0;
}

/** Token estimate of a request's messages (a few tokens of overhead per message). */
export function estimateMessagesTokens(messages: ChatMessage[]): number {
	let n = 0;
	for (const m of messages) n += 4 + estimateTokens(m.content) + (m.toolCalls ? estimateTokens(JSON.stringify(m.toolCalls)) : 0);
	return n;
}
