/**
 * Vitest global setup: one mock LLM server for the whole run. Tests read its address with
 * `inject('mockLlmUrl')` and isolate themselves with a session prefix (`/s/<name>`).
 */
import type { TestProject } from 'vitest/node';
import { startMockLlmServer, type MockLlmServer } from './llm-server';

let server: MockLlmServer | undefined;

export default async function setup(project: TestProject) {
	server = await startMockLlmServer();
	project.provide('mockLlmUrl', server.url);
	return async () => {
		await server?.close();
	};
}

declare module 'vitest' {
	export interface ProvidedContext {
		mockLlmUrl: string;
	}
}
