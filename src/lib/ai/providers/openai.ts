/**
 * OpenAI Chat Completions (`POST {base}/chat/completions`, stream), also spoken by
 * OpenRouter, Ollama, LM Studio, llama.cpp's llama-server and other compatible servers.
 *
 * Wire details handled here: unnamed `data:` events ending in `data: [DONE]`; with
 * `stream_options.include_usage` the usage comes in an extra chunk with `choices: []` after
 * the `finish_reason` chunk; tool-call arguments arrive as string fragments under
 * `delta.tool_calls[i]` keyed by `index`; OpenRouter sends comment lines, `usage.cost` and
 * mid-stream errors as a chunk with an `error` field.
 */
import { ProviderError } from '../errors';
import type { ChatMessage, ChatRequest, FinishReason, Part, ProviderConfig, Usage } from '../types';
import { guarded, isStrictCompatible, makeProvider } from './common';
import { getJson, joinUrl, parseArguments, parseJson, postForStream, sseEvents } from './sse';

export const OPENAI_BASE = 'https://api.openai.com/v1';

function label(config: ProviderConfig): string {
	if (config.kind === 'openai') return 'OpenAI';
	try {
		return new URL(config.baseUrl ?? '').host || 'The server';
	} catch {
		return 'The server';
	}
}

function toWire(m: ChatMessage): Record<string, unknown> {
	if (m.role === 'tool') return { role: 'tool', tool_call_id: m.toolCallId, content: m.content };
	if (m.role === 'assistant' && m.toolCalls?.length)
		return {
			role: 'assistant',
			content: m.content || null,
			tool_calls: m.toolCalls.map((c) => ({ id: c.id, type: 'function', function: { name: c.name, arguments: JSON.stringify(c.arguments) } }))
		};
	return { role: m.role, content: m.content };
}

/** The request body (exported for tests and for the cache key's shape). */
export function openAiBody(config: ProviderConfig, r: ChatRequest): Record<string, unknown> {
	const body: Record<string, unknown> = {
		model: r.model,
		messages: r.messages.map(toWire),
		stream: true,
		stream_options: { include_usage: true }
	};
	if (r.temperature !== undefined) body.temperature = r.temperature;
	// OpenAI's newer models refuse `max_tokens`; compatible servers mostly know only it.
	if (r.maxTokens !== undefined) body[config.kind === 'openai' ? 'max_completion_tokens' : 'max_tokens'] = r.maxTokens;
	if (r.stop?.length) body.stop = r.stop;
	if (r.responseSchema)
		body.response_format = {
			type: 'json_schema',
			json_schema: { name: 'response', schema: r.responseSchema, strict: isStrictCompatible(r.responseSchema) }
		};
	if (r.tools?.length)
		body.tools = r.tools.map((t) => ({ type: 'function', function: { name: t.name, description: t.description ?? '', parameters: t.parameters } }));
	return body;
}

function finishReason(r: string | null | undefined): FinishReason {
	if (r === 'stop') return 'stop';
	if (r === 'length') return 'length';
	if (r === 'tool_calls' || r === 'function_call') return 'tool-calls';
	if (r === 'content_filter') return 'content-filter';
	if (r === 'error') return 'error';
	return 'other';
}

function readUsage(u: Record<string, unknown>): Usage {
	const num = (v: unknown) => (typeof v === 'number' && Number.isFinite(v) ? v : undefined);
	const pd = (u.prompt_tokens_details ?? {}) as Record<string, unknown>;
	const cd = (u.completion_tokens_details ?? {}) as Record<string, unknown>;
	const usage: Usage = { inputTokens: num(u.prompt_tokens) ?? 0, outputTokens: num(u.completion_tokens) ?? 0 };
	const cached = num(pd.cached_tokens);
	if (cached) usage.cachedInputTokens = cached;
	const reasoning = num(cd.reasoning_tokens);
	if (reasoning) usage.reasoningTokens = reasoning;
	const cost = num(u.cost);
	if (cost !== undefined) usage.costUsd = cost;
	return usage;
}

async function* run(config: ProviderConfig, r: ChatRequest, signal?: AbortSignal): AsyncGenerator<Part> {
	const name = label(config);
	const base = config.baseUrl ?? OPENAI_BASE;
	const res = await postForStream({
		provider: name,
		url: joinUrl(base, 'chat/completions'),
		headers: { ...(config.apiKey ? { authorization: `Bearer ${config.apiKey}` } : {}), ...config.headers },
		body: openAiBody(config, r),
		secrets: [config.apiKey],
		signal
	});
	const calls = new Map<number, { id: string; name: string; args: string }>();
	let finish: FinishReason | undefined;
	let usage: Usage | undefined;
	for await (const ev of sseEvents(res.body!, signal)) {
		if (ev.data === '[DONE]') break;
		const chunk = parseJson(name, ev.data);
		if (chunk.error) {
			const e = chunk.error as { message?: string; code?: string | number; type?: string };
			const code = e.code !== undefined ? String(e.code) : e.type;
			throw new ProviderError('stream', `${name} reported an error mid-stream: ${e.message ?? 'unknown error'}`, { code });
		}
		const choices = Array.isArray(chunk.choices) ? (chunk.choices as Record<string, unknown>[]) : [];
		for (const choice of choices) {
			if (typeof choice.index === 'number' && choice.index !== 0) continue;
			const delta = (choice.delta ?? {}) as Record<string, unknown>;
			if (typeof delta.content === 'string' && delta.content) yield { type: 'text-delta', text: delta.content };
			if (Array.isArray(delta.tool_calls))
				for (const tc of delta.tool_calls as Record<string, unknown>[]) {
					const i = typeof tc.index === 'number' ? tc.index : 0;
					const fn = (tc.function ?? {}) as Record<string, unknown>;
					let c = calls.get(i);
					if (!c) calls.set(i, (c = { id: '', name: '', args: '' }));
					if (typeof tc.id === 'string' && tc.id) c.id = tc.id;
					if (typeof fn.name === 'string' && fn.name) c.name = fn.name;
					if (typeof fn.arguments === 'string') c.args += fn.arguments;
				}
			if (choice.finish_reason) finish = finishReason(choice.finish_reason as string);
		}
		// The usage chunk comes after the finish_reason chunk: keep reading until [DONE] / the end.
		if (chunk.usage && typeof chunk.usage === 'object') usage = readUsage(chunk.usage as Record<string, unknown>);
	}
	for (const [i, c] of [...calls.entries()].sort((a, b) => a[0] - b[0]))
		yield { type: 'tool-call', id: c.id || `call_${i}`, name: c.name, arguments: parseArguments(name, c.name, c.args) };
	if (usage) yield { type: 'usage', ...usage };
	if (finish === 'error') throw new ProviderError('stream', `${name} ended the answer with an error`);
	yield { type: 'finish', reason: finish ?? (calls.size ? 'tool-calls' : 'other') };
}

/** OpenAI and OpenAI-compatible servers. */
export function openAiProvider(config: ProviderConfig) {
	const name = label(config);
	return makeProvider(
		config.kind,
		(r, signal) => guarded(name, [config.apiKey], run(config, r, signal), signal),
		async (signal) => {
			const j = (await getJson({
				provider: name,
				url: joinUrl(config.baseUrl ?? OPENAI_BASE, 'models'),
				headers: { ...(config.apiKey ? { authorization: `Bearer ${config.apiKey}` } : {}), ...config.headers },
				secrets: [config.apiKey],
				signal
			})) as { data?: { id?: string }[] };
			return (j.data ?? []).map((m) => m.id).filter((id): id is string => typeof id === 'string').sort();
		}
	);
}
