/**
 * web-llm behind the provider interface. Its engine speaks OpenAI's chunk objects (no
 * SSE), so parts are read the way the OpenAI adapter reads them. JSON output uses web-llm's
 * `response_format: { type: 'json_object', schema }`; tools are emulated with a
 * `{ tool, arguments }` schema for models without native tool calling.
 */
import { ProviderError } from '../errors';
import type { ChatMessage, ChatRequest, FinishReason, Part, ToolSpec } from '../types';
import { engineFor, webLlmBackend } from './engine';
import { detectGpu, buildCatalog } from './catalog';

const ANSWER = 'answer';

function toolSchema(tools: ToolSpec[]): Record<string, unknown> {
	return {
		type: 'object',
		properties: {
			tool: { type: 'string', enum: [...tools.map((t) => t.name), ANSWER] },
			arguments: { type: 'object' },
			answer: { type: 'string' }
		},
		required: ['tool']
	};
}

function toolPrompt(tools: ToolSpec[]): string {
	const list = tools.map((t) => `- ${t.name}: ${t.description ?? ''} Arguments (JSON Schema): ${JSON.stringify(t.parameters)}`).join('\n');
	return `You can call tools. Reply with JSON only: {"tool": "<name>", "arguments": {…}} to call one, or {"tool": "answer", "answer": "<your answer>"} when you are done.\nTools:\n${list}`;
}

/** Messages as web-llm takes them (tool turns folded into user text when tools are emulated). */
function messagesFor(messages: ChatMessage[], emulate: boolean): Record<string, unknown>[] {
	return messages.map((m) => {
		if (m.role === 'tool') return emulate ? { role: 'user', content: `Result of the tool call ${m.toolCallId}: ${m.content}` } : { role: 'tool', tool_call_id: m.toolCallId, content: m.content };
		if (m.role === 'assistant' && m.toolCalls?.length)
			return emulate
				? { role: 'assistant', content: JSON.stringify({ tool: m.toolCalls[0].name, arguments: m.toolCalls[0].arguments }) }
				: { role: 'assistant', content: m.content, tool_calls: m.toolCalls.map((c) => ({ id: c.id, type: 'function', function: { name: c.name, arguments: JSON.stringify(c.arguments) } })) };
		return { role: m.role, content: m.content };
	});
}

function finishOf(r: unknown): FinishReason {
	return r === 'stop' ? 'stop' : r === 'length' ? 'length' : r === 'tool_calls' ? 'tool-calls' : r === 'abort' ? 'other' : 'other';
}

export async function* webLlmStream(request: ChatRequest, signal?: AbortSignal): AsyncGenerator<Part> {
	const gpu = await detectGpu();
	if (!gpu.webgpu) {
		yield { type: 'error', error: new ProviderError('unavailable', `In-browser models cannot run here: ${gpu.reason}`) };
		return;
	}
	let engine;
	try {
		engine = await engineFor(request.model, { signal });
	} catch (e) {
		if (signal?.aborted) throw signal.reason;
		yield { type: 'error', error: new ProviderError('unavailable', (e as Error).message) };
		return;
	}
	const tools = request.tools ?? [];
	const native = /Hermes/i.test(request.model);
	const emulate = tools.length > 0 && !native;
	let messages = messagesFor(request.messages, emulate);
	if (emulate) messages = [{ role: 'system', content: toolPrompt(tools) }, ...messages];
	const body: Record<string, unknown> = { messages, stream: true, stream_options: { include_usage: true } };
	if (request.temperature !== undefined) body.temperature = request.temperature;
	if (request.maxTokens !== undefined) body.max_tokens = request.maxTokens;
	if (request.stop?.length) body.stop = request.stop;
	if (emulate) body.response_format = { type: 'json_object', schema: JSON.stringify(toolSchema(tools)) };
	else if (request.responseSchema) body.response_format = { type: 'json_object', schema: JSON.stringify(request.responseSchema) };
	if (tools.length && native) body.tools = tools.map((t) => ({ type: 'function', function: { name: t.name, description: t.description ?? '', parameters: t.parameters } }));
	const onAbort = () => engine.interruptGenerate();
	signal?.addEventListener('abort', onAbort, { once: true });
	let text = '';
	let finish: FinishReason = 'other';
	try {
		const chunks = await engine.chat.completions.create(body);
		for await (const chunk of chunks) {
			if (signal?.aborted) throw signal.reason;
			const choice = (chunk.choices as Record<string, unknown>[] | undefined)?.[0];
			const delta = (choice?.delta ?? {}) as Record<string, unknown>;
			if (typeof delta.content === 'string' && delta.content) {
				text += delta.content;
				if (!emulate) yield { type: 'text-delta', text: delta.content };
			}
			for (const tc of (delta.tool_calls ?? []) as Record<string, any>[]) yield { type: 'tool-call', id: tc.id ?? `call_${tc.index ?? 0}`, name: tc.function?.name, arguments: JSON.parse(tc.function?.arguments || '{}') };
			if (choice?.finish_reason) finish = finishOf(choice.finish_reason);
			const u = chunk.usage as Record<string, number> | undefined;
			if (u) yield { type: 'usage', inputTokens: u.prompt_tokens ?? 0, outputTokens: u.completion_tokens ?? 0 };
		}
	} catch (e) {
		if (signal?.aborted) throw signal.reason;
		yield { type: 'error', error: new ProviderError('stream', `The in-browser model failed: ${(e as Error).message}`) };
		return;
	} finally {
		signal?.removeEventListener('abort', onAbort);
	}
	if (emulate) {
		let v: { tool?: string; arguments?: Record<string, unknown>; answer?: string };
		try {
			v = JSON.parse(text);
		} catch {
			v = { tool: ANSWER, answer: text };
		}
		if (v.tool && v.tool !== ANSWER) {
			yield { type: 'tool-call', id: `call_${Math.random().toString(36).slice(2, 10)}`, name: v.tool, arguments: v.arguments ?? {} };
			finish = 'tool-calls';
		} else if (v.answer) yield { type: 'text-delta', text: v.answer };
	}
	yield { type: 'finish', reason: finish };
}

/** Downloaded in-browser models (the ones a workflow can use now). */
export async function webLlmModelIds(): Promise<string[]> {
	const backend = await webLlmBackend();
	const catalog = buildCatalog(await backend.models(), { webgpu: true, shaderF16: true });
	const out: string[] = [];
	for (const m of catalog) if (await backend.isCached(m.id).catch(() => false)) out.push(m.id);
	return out;
}
