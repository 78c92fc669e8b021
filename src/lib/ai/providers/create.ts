import { ProviderError } from '../errors';
import { anthropicProvider } from './anthropic';
import { makeProvider } from './common';
import { googleProvider } from './google';
import { openAiProvider } from './openai';
import type { Part, Provider, ProviderConfig } from '../types';

/** A provider for `config`: OpenAI-style, Anthropic, Gemini over fetch, or web-llm in its worker (loaded on first use). */
export function createProvider(config: ProviderConfig): Provider {
	switch (config.kind) {
		case 'openai':
		case 'openai-compatible':
			if (config.kind === 'openai-compatible' && !config.baseUrl)
				throw new ProviderError('bad_request', 'An OpenAI-compatible provider needs a base URL, e.g. http://localhost:11434/v1 for Ollama');
			return openAiProvider(config);
		case 'anthropic':
			return anthropicProvider(config);
		case 'google':
			return googleProvider(config);
		case 'webllm': {
			const stream = async function* (request: Parameters<Provider['stream']>[0], signal?: AbortSignal): AsyncGenerator<Part> {
				const { webLlmStream } = await import('../webllm/provider');
				yield* webLlmStream(request, signal);
			};
			return makeProvider('webllm', stream, async () => {
				const { webLlmModelIds } = await import('../webllm/provider');
				return webLlmModelIds();
			});
		}
		default:
			throw new ProviderError('bad_request', `Unknown provider kind "${(config as { kind?: string }).kind}"`);
	}
}
