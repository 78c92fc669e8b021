/**
 * The one provider interface of the AI layer: a chat request goes in, a stream of parts
 * comes out, whatever the wire format behind it (OpenAI Chat Completions, Anthropic
 * Messages, Gemini, web-llm).
 */
import type { ProviderError } from './errors';

export type ProviderKind = 'openai' | 'anthropic' | 'google' | 'openai-compatible' | 'webllm';

/** How to reach a provider. The key is attached at request time and never stored here for long. */
export interface ProviderConfig {
	kind: ProviderKind;
	/** API root: `https://api.openai.com/v1`, `https://api.anthropic.com`, `https://generativelanguage.googleapis.com/v1beta`, `http://localhost:11434/v1` … */
	baseUrl?: string;
	apiKey?: string;
	/** Extra request headers (OpenRouter's `HTTP-Referer`, a proxy's own header). */
	headers?: Record<string, string>;
}

/** A tool call the model asked for (arguments parsed to an object). */
export interface ToolCall {
	id: string;
	name: string;
	arguments: Record<string, unknown>;
}

export interface ChatMessage {
	role: 'system' | 'user' | 'assistant' | 'tool';
	content: string;
	/** For `tool` messages: the call this is the result of. */
	toolCallId?: string;
	/** For `assistant` messages that asked for tools (sent back on the next step). */
	toolCalls?: ToolCall[];
}

export interface ToolSpec {
	name: string;
	description?: string;
	/** JSON Schema of the arguments. */
	parameters: Record<string, unknown>;
}

export interface ChatRequest {
	model: string;
	messages: ChatMessage[];
	temperature?: number;
	maxTokens?: number;
	/** Stop sequences. */
	stop?: string[];
	/** Ask for JSON matching this JSON Schema. */
	responseSchema?: Record<string, unknown>;
	tools?: ToolSpec[];
}

export type FinishReason = 'stop' | 'length' | 'tool-calls' | 'content-filter' | 'error' | 'other';

export interface Usage {
	/** All prompt tokens, cached ones included. */
	inputTokens: number;
	/** All generated tokens, reasoning included. */
	outputTokens: number;
	cachedInputTokens?: number;
	reasoningTokens?: number;
	/** The provider's own figure for this call (OpenRouter). */
	costUsd?: number;
}

export type Part =
	| { type: 'text-delta'; text: string }
	| ({ type: 'tool-call' } & ToolCall)
	| ({ type: 'usage' } & Usage)
	| { type: 'finish'; reason: FinishReason }
	| { type: 'error'; error: ProviderError };

/** What `complete` gathers from a stream. */
export interface Completion {
	text: string;
	toolCalls: ToolCall[];
	usage: Usage | undefined;
	finishReason: FinishReason;
}

export interface Provider {
	readonly kind: ProviderKind;
	/** Streams one model call. Ends after a `finish` or an `error` part; throws the signal's reason when aborted. */
	stream(request: ChatRequest, signal?: AbortSignal): AsyncIterable<Part>;
	/** The whole answer of one call; throws a ProviderError on an `error` part. */
	complete(request: ChatRequest, signal?: AbortSignal): Promise<Completion>;
	/** Model ids from the provider's models endpoint, where it has one. */
	listModels?(signal?: AbortSignal): Promise<string[]>;
}
