import { ProviderError } from '../errors';
import type { ChatRequest, Part } from '../types';

export async function* webLlmStream(request: ChatRequest, signal?: AbortSignal): AsyncGenerator<Part> {
	void request;
	void signal;
	yield { type: 'error', error: new ProviderError('unavailable', 'In-browser models are not ready yet') };
}

export async function webLlmModelIds(): Promise<string[]> {
	return [];
}
