/**
 * Anthropic Messages (`POST {base}/v1/messages`, stream), called straight from the browser
 * with `anthropic-dangerous-direct-browser-access: true` (without it there is no CORS).
 *
 * Events: `message_start` (input and cache usage) → per block `content_block_start` /
 * `content_block_delta` (`text_delta`, `input_json_delta`, `thinking_delta`) /
 * `content_block_stop` → `message_delta` (stop reason, cumulative `output_tokens`) →
 * `message_stop`; `ping` anywhere; `error` (e.g. `overloaded_error`) instead of the rest.
 * JSON output goes through a forced tool whose input is the answer; its arguments are
 * streamed as text so the user sees the JSON arrive.
 */
import { ProviderError } from '../errors';
import type { ChatMessage, ChatRequest, FinishReason, Part, ProviderConfig, Usage } from '../types';
import { guarded, makeProvider, systemText } from './common';
import { getJson, joinUrl, parseArguments, parseJson, postForStream, sseEvents } from './sse';

export const ANTHROPIC_BASE = 'https://api.anthropic.com';
export const ANTHROPIC_VERSION = '2023-06-01';
/** Name of the forced tool that carries a JSON answer. */
export const JSON_TOOL = 'json_answer';
const NAME = 'Anthropic';

function headers(config: ProviderConfig): Record<string, string> {
	return {
		...(config.apiKey ? { 'x-api-key': config.apiKey } : {}),
		'anthropic-version': ANTHROPIC_VERSION,
		'anthropic-dangerous-direct-browser-access': 'true',
		...config.headers
	};
}

type Block = Record<string, unknown>;

/** Turns, with tool results as user turns and same-role neighbours merged (the API wants alternation). */
function turns(messages: ChatMessage[]): { role: 'user' | 'assistant'; content: Block[] }[] {
	const out: { role: 'user' | 'assistant'; content: Block[] }[] = [];
	for (const m of messages) {
		if (m.role === 'system') continue;
		const role = m.role === 'assistant' ? 'assistant' : 'user';
		const blocks: Block[] = [];
		if (m.role === 'tool') blocks.push({ type: 'tool_result', tool_use_id: m.toolCallId, content: m.content });
		else {
			if (m.content) blocks.push({ type: 'text', text: m.content });
			for (const c of m.toolCalls ?? []) blocks.push({ type: 'tool_use', id: c.id, name: c.name, input: c.arguments });
		}
		const last = out[out.length - 1];
		if (last && last.role === role) last.content.push(...blocks);
		else out.push({ role, content: blocks });
	}
	return out;
}

export function anthropicBody(r: ChatRequest): Record<string, unknown> {
	const body: Record<string, unknown> = {
		model: r.model,
		max_tokens: r.maxTokens ?? 4096,
		messages: turns(r.messages),
		stream: true
	};
	const system = systemText(r);
	if (system) body.system = system;
	if (r.temperature !== undefined) body.temperature = Math.min(1, r.temperature);
	if (r.stop?.length) body.stop_sequences = r.stop;
	const tools: Block[] = (r.tools ?? []).map((t) => ({ name: t.name, description: t.description ?? '', input_schema: t.parameters }));
	if (r.responseSchema) {
		const schema = r.responseSchema.type === 'object' ? r.responseSchema : { type: 'object', properties: { value: r.responseSchema }, required: ['value'] };
		tools.push({ name: JSON_TOOL, description: 'Give your answer by calling this tool with it.', input_schema: schema });
		body.tool_choice = { type: 'tool', name: JSON_TOOL };
	}
	if (tools.length) body.tools = tools;
	return body;
}

function stopReason(r: unknown): FinishReason {
	if (r === 'end_turn' || r === 'stop_sequence') return 'stop';
	if (r === 'max_tokens') return 'length';
	if (r === 'tool_use') return 'tool-calls';
	if (r === 'refusal') return 'content-filter';
	return 'other';
}

async function* run(config: ProviderConfig, r: ChatRequest, signal?: AbortSignal): AsyncGenerator<Part> {
	const res = await postForStream({
		provider: NAME,
		url: joinUrl(config.baseUrl ?? ANTHROPIC_BASE, 'v1/messages'),
		headers: headers(config),
		body: anthropicBody(r),
		secrets: [config.apiKey],
		signal
	});
	const wrapped = !!r.responseSchema && r.responseSchema.type !== 'object';
	const blocks = new Map<number, { type: string; id: string; name: string; json: string }>();
	let input = 0;
	let cached = 0;
	let output = 0;
	let finish: FinishReason = 'other';
	let jsonAnswer = false;
	let stopped = false;
	for await (const ev of sseEvents(res.body!, signal)) {
		const data = parseJson(NAME, ev.data);
		const type = (data.type as string) ?? ev.event;
		if (type === 'ping') continue;
		if (type === 'error') {
			const e = (data.error ?? {}) as { type?: string; message?: string };
			const kind = e.type === 'overloaded_error' ? 'overloaded' : e.type === 'rate_limit_error' ? 'rate_limited' : e.type === 'api_error' ? 'server' : 'stream';
			throw new ProviderError(kind, `Anthropic reported ${e.type ?? 'an error'} mid-stream: ${e.message ?? ''}`.trim(), { code: e.type });
		}
		if (type === 'message_start') {
			const u = ((data.message as Block)?.usage ?? {}) as Record<string, number>;
			cached = u.cache_read_input_tokens ?? 0;
			input = (u.input_tokens ?? 0) + cached + (u.cache_creation_input_tokens ?? 0);
			output = u.output_tokens ?? 0;
		} else if (type === 'content_block_start') {
			const b = (data.content_block ?? {}) as Block;
			const entry = { type: String(b.type), id: String(b.id ?? ''), name: String(b.name ?? ''), json: '' };
			blocks.set(data.index as number, entry);
			if (entry.type === 'text' && typeof b.text === 'string' && b.text) yield { type: 'text-delta', text: b.text };
		} else if (type === 'content_block_delta') {
			const d = (data.delta ?? {}) as Block;
			const b = blocks.get(data.index as number);
			if (d.type === 'text_delta' && typeof d.text === 'string') yield { type: 'text-delta', text: d.text };
			else if (d.type === 'input_json_delta' && b && typeof d.partial_json === 'string') {
				b.json += d.partial_json;
				if (b.name === JSON_TOOL && r.responseSchema && !wrapped) yield { type: 'text-delta', text: d.partial_json };
			}
		} else if (type === 'content_block_stop') {
			const b = blocks.get(data.index as number);
			if (b?.type === 'tool_use') {
				const args = parseArguments(NAME, b.name, b.json);
				if (b.name === JSON_TOOL && r.responseSchema) {
					jsonAnswer = true;
					if (wrapped) yield { type: 'text-delta', text: JSON.stringify(args.value) };
				} else yield { type: 'tool-call', id: b.id, name: b.name, arguments: args };
			}
		} else if (type === 'message_delta') {
			const d = (data.delta ?? {}) as Block;
			if (d.stop_reason) finish = stopReason(d.stop_reason);
			const u = (data.usage ?? {}) as Record<string, number>;
			// output_tokens is cumulative; some versions repeat the input figures here.
			if (typeof u.output_tokens === 'number') output = u.output_tokens;
			if (typeof u.input_tokens === 'number') {
				cached = u.cache_read_input_tokens ?? cached;
				input = u.input_tokens + (u.cache_read_input_tokens ?? 0) + (u.cache_creation_input_tokens ?? 0);
			}
		} else if (type === 'message_stop') {
			stopped = true;
			break;
		}
	}
	const usage: Usage = { inputTokens: input, outputTokens: output };
	if (cached) usage.cachedInputTokens = cached;
	yield { type: 'usage', ...usage };
	if (!stopped) throw new ProviderError('stream', 'Anthropic ended the stream before message_stop');
	if (jsonAnswer && finish === 'tool-calls') finish = 'stop';
	yield { type: 'finish', reason: finish };
}

export function anthropicProvider(config: ProviderConfig) {
	return makeProvider(
		'anthropic',
		(r, signal) => guarded(NAME, [config.apiKey], run(config, r, signal), signal),
		async (signal) => {
			const j = (await getJson({
				provider: NAME,
				url: joinUrl(config.baseUrl ?? ANTHROPIC_BASE, 'v1/models?limit=1000'),
				headers: headers(config),
				secrets: [config.apiKey],
				signal
			})) as { data?: { id?: string }[] };
			return (j.data ?? []).map((m) => m.id).filter((id): id is string => typeof id === 'string');
		}
	);
}
