/**
 * Google Gemini (`POST {base}/models/{model}:streamGenerateContent?alt=sse`, key in
 * `x-goog-api-key`). Each `data:` event is a whole `GenerateContentResponse`; there is no
 * `[DONE]`. `usageMetadata` may come several times: the last one wins, and thoughts are
 * counted as reasoning (and as output, since they are billed as output).
 */
import { ProviderError } from '../errors';
import type { ChatMessage, ChatRequest, FinishReason, Part, ProviderConfig, Usage } from '../types';
import { guarded, makeProvider, systemText } from './common';
import { getJson, joinUrl, parseJson, postForStream, sseEvents } from './sse';

export const GOOGLE_BASE = 'https://generativelanguage.googleapis.com/v1beta';
const NAME = 'Google Gemini';

type Json = Record<string, unknown>;

function contents(messages: ChatMessage[]): { role: 'user' | 'model'; parts: Json[] }[] {
	const names = new Map<string, string>();
	for (const m of messages) for (const c of m.toolCalls ?? []) names.set(c.id, c.name);
	const out: { role: 'user' | 'model'; parts: Json[] }[] = [];
	for (const m of messages) {
		if (m.role === 'system') continue;
		const role = m.role === 'assistant' ? 'model' : 'user';
		const parts: Json[] = [];
		if (m.role === 'tool') {
			let response: unknown;
			try {
				response = JSON.parse(m.content);
			} catch {
				response = m.content;
			}
			parts.push({ functionResponse: { name: names.get(m.toolCallId ?? '') ?? 'tool', response: { result: response } } });
		} else {
			if (m.content) parts.push({ text: m.content });
			for (const c of m.toolCalls ?? []) parts.push({ functionCall: { name: c.name, args: c.arguments } });
		}
		const last = out[out.length - 1];
		if (last && last.role === role) last.parts.push(...parts);
		else out.push({ role, parts });
	}
	return out;
}

export function googleBody(r: ChatRequest): Json {
	const body: Json = { contents: contents(r.messages) };
	const system = systemText(r);
	if (system) body.systemInstruction = { parts: [{ text: system }] };
	const gen: Json = {};
	if (r.temperature !== undefined) gen.temperature = r.temperature;
	if (r.maxTokens !== undefined) gen.maxOutputTokens = r.maxTokens;
	if (r.stop?.length) gen.stopSequences = r.stop;
	if (r.responseSchema) {
		gen.responseMimeType = 'application/json';
		gen.responseJsonSchema = r.responseSchema;
	}
	if (Object.keys(gen).length) body.generationConfig = gen;
	if (r.tools?.length)
		body.tools = [{ functionDeclarations: r.tools.map((t) => ({ name: t.name, description: t.description ?? '', parametersJsonSchema: t.parameters })) }];
	return body;
}

function finishReason(r: unknown): FinishReason {
	if (r === 'STOP') return 'stop';
	if (r === 'MAX_TOKENS') return 'length';
	if (r === 'SAFETY' || r === 'RECITATION' || r === 'BLOCKLIST' || r === 'PROHIBITED_CONTENT' || r === 'SPII') return 'content-filter';
	return 'other';
}

async function* run(config: ProviderConfig, r: ChatRequest, signal?: AbortSignal): AsyncGenerator<Part> {
	const res = await postForStream({
		provider: NAME,
		url: joinUrl(config.baseUrl ?? GOOGLE_BASE, `models/${encodeURIComponent(r.model.replace(/^models\//, ''))}:streamGenerateContent?alt=sse`),
		headers: { ...(config.apiKey ? { 'x-goog-api-key': config.apiKey } : {}), ...config.headers },
		body: googleBody(r),
		secrets: [config.apiKey],
		signal
	});
	let usage: Usage | undefined;
	let finish: FinishReason | undefined;
	let calls = 0;
	for await (const ev of sseEvents(res.body!, signal)) {
		const chunk = parseJson(NAME, ev.data);
		if (chunk.error) {
			const e = chunk.error as { message?: string; status?: string; code?: number };
			const kind = e.code === 429 ? 'rate_limited' : e.code === 503 ? 'overloaded' : e.code !== undefined && e.code >= 500 ? 'server' : 'stream';
			throw new ProviderError(kind, `Google Gemini reported an error mid-stream: ${e.message ?? e.status ?? 'unknown error'}`, { code: e.status, status: e.code });
		}
		const cand = (Array.isArray(chunk.candidates) ? chunk.candidates[0] : undefined) as Json | undefined;
		const parts = ((cand?.content as Json | undefined)?.parts ?? []) as Json[];
		for (const p of parts) {
			if (typeof p.text === 'string' && p.text && !p.thought) yield { type: 'text-delta', text: p.text };
			const fc = p.functionCall as Json | undefined;
			if (fc && typeof fc.name === 'string') {
				calls++;
				const args = fc.args && typeof fc.args === 'object' ? (fc.args as Record<string, unknown>) : {};
				yield { type: 'tool-call', id: typeof fc.id === 'string' ? fc.id : `call_${calls}`, name: fc.name, arguments: args };
			}
		}
		if (cand?.finishReason) finish = finishReason(cand.finishReason);
		const block = (chunk.promptFeedback as Json | undefined)?.blockReason;
		if (block) finish = 'content-filter';
		const u = chunk.usageMetadata as Record<string, number> | undefined;
		if (u) {
			const thoughts = u.thoughtsTokenCount ?? 0;
			usage = { inputTokens: u.promptTokenCount ?? 0, outputTokens: (u.candidatesTokenCount ?? 0) + thoughts };
			if (u.cachedContentTokenCount) usage.cachedInputTokens = u.cachedContentTokenCount;
			if (thoughts) usage.reasoningTokens = thoughts;
		}
	}
	if (usage) yield { type: 'usage', ...usage };
	if (finish === undefined) throw new ProviderError('stream', 'Google Gemini ended the stream without a finish reason');
	yield { type: 'finish', reason: calls && finish === 'stop' ? 'tool-calls' : finish };
}

export function googleProvider(config: ProviderConfig) {
	return makeProvider(
		'google',
		(r, signal) => guarded(NAME, [config.apiKey], run(config, r, signal), signal),
		async (signal) => {
			const j = (await getJson({
				provider: NAME,
				url: joinUrl(config.baseUrl ?? GOOGLE_BASE, 'models?pageSize=1000'),
				headers: { ...(config.apiKey ? { 'x-goog-api-key': config.apiKey } : {}), ...config.headers },
				secrets: [config.apiKey],
				signal
			})) as { models?: { name?: string; supportedGenerationMethods?: string[] }[] };
			return (j.models ?? [])
				.filter((m) => !m.supportedGenerationMethods || m.supportedGenerationMethods.includes('generateContent'))
				.map((m) => (m.name ?? '').replace(/^models\//, ''))
				.filter(Boolean);
		}
	);
}
