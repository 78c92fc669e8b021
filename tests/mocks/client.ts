/** Helpers for tests that use the mock LLM server over HTTP (Vitest via inject, Playwright via MOCK_LLM_URL). */
import type { MockRequestRecord, MockRule } from './llm-server';

/** A session of the mock: its own rules and request log, addressed by a path prefix. */
export function mockSession(baseUrl: string, name = `t${Math.random().toString(36).slice(2, 10)}`) {
	const root = `${baseUrl}/s/${encodeURIComponent(name)}`;
	return {
		name,
		/** Base URLs to configure providers with. */
		openai: `${root}/openai/v1`,
		openrouter: `${root}/openrouter/api/v1`,
		anthropic: `${root}/anthropic`,
		google: `${root}/google/v1beta`,
		/** An OpenAI-compatible server (Ollama's `/v1`): chat and embeddings. */
		ollama: `${root}/ollama/v1`,
		/** The same, without CORS headers. */
		noCors: { openai: `${baseUrl}/nocors/s/${encodeURIComponent(name)}/openai/v1` },
		async script(rules: MockRule[]) {
			const r = await fetch(`${baseUrl}/__mock/script?session=${encodeURIComponent(name)}`, { method: 'POST', body: JSON.stringify(rules) });
			if (!r.ok) throw new Error(`mock script failed: ${r.status}`);
		},
		async requests(): Promise<MockRequestRecord[]> {
			return (await fetch(`${baseUrl}/__mock/requests?session=${encodeURIComponent(name)}`)).json();
		},
		async reset() {
			await fetch(`${baseUrl}/__mock/reset?session=${encodeURIComponent(name)}`);
		}
	};
}
