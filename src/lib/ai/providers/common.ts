import { ProviderError, redactSecrets } from '../errors';
import type { ChatRequest, Completion, FinishReason, Part, Provider, ProviderKind, ToolCall, Usage } from '../types';

/**
 * Wraps an adapter's generator: whatever goes wrong becomes one `error` part (a broken
 * connection mid-stream too), except an abort, which throws the signal's reason.
 */
export async function* guarded(provider: string, secrets: readonly (string | undefined)[], gen: AsyncGenerator<Part>, signal?: AbortSignal): AsyncGenerator<Part> {
	try {
		yield* gen;
	} catch (e) {
		if (signal?.aborted) throw signal.reason;
		if (e instanceof ProviderError) {
			yield { type: 'error', error: e };
			return;
		}
		const detail = redactSecrets(e instanceof Error ? e.message : String(e), secrets);
		yield { type: 'error', error: new ProviderError('network', `${provider}'s stream broke off: ${detail}`, { cause: e }) };
	}
}

/** Gathers a stream into one answer; an `error` part is thrown. */
export async function collect(stream: AsyncIterable<Part>): Promise<Completion> {
	let text = '';
	const toolCalls: ToolCall[] = [];
	let usage: Usage | undefined;
	let finishReason: FinishReason = 'other';
	for await (const p of stream) {
		if (p.type === 'text-delta') text += p.text;
		else if (p.type === 'tool-call') toolCalls.push({ id: p.id, name: p.name, arguments: p.arguments });
		else if (p.type === 'usage') {
			const { type: _t, ...u } = p;
			void _t;
			usage = u;
		} else if (p.type === 'finish') finishReason = p.reason;
		else if (p.type === 'error') throw p.error;
	}
	return { text, toolCalls, usage, finishReason };
}

/** A Provider from its stream function (complete is built on it). */
export function makeProvider(kind: ProviderKind, stream: (r: ChatRequest, s?: AbortSignal) => AsyncIterable<Part>, listModels?: (s?: AbortSignal) => Promise<string[]>): Provider {
	return {
		kind,
		stream,
		complete: (r, s) => collect(stream(r, s)),
		...(listModels ? { listModels } : {})
	};
}

/** System messages joined (Anthropic and Gemini take the system prompt apart from the turns). */
export function systemText(request: ChatRequest): string | undefined {
	const s = request.messages.filter((m) => m.role === 'system').map((m) => m.content);
	return s.length ? s.join('\n\n') : undefined;
}

/** Whether a JSON Schema can be sent as OpenAI `strict: true` (every object closed, every property required). */
export function isStrictCompatible(schema: unknown): boolean {
	if (!schema || typeof schema !== 'object') return true;
	if (Array.isArray(schema)) return schema.every(isStrictCompatible);
	const s = schema as Record<string, unknown>;
	if (s.type === 'object' || s.properties) {
		if (s.additionalProperties !== false) return false;
		const props = Object.keys((s.properties as object) ?? {});
		const req = Array.isArray(s.required) ? (s.required as string[]) : [];
		if (props.some((p) => !req.includes(p))) return false;
	}
	return Object.values(s).every((v) => typeof v !== 'object' || isStrictCompatible(v));
}
