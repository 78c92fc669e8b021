/**
 * Language-model access on the command line: the app's provider layer, with keys read from
 * environment variables instead of the browser's encrypted key store.
 */
import type { EffectHandler } from '../effects/types';

/** Environment variables the command line reads, by provider. */
export const ENV_KEYS = {
	openai: 'OPENAI_API_KEY',
	anthropic: 'ANTHROPIC_API_KEY',
	google: 'GEMINI_API_KEY',
	openrouter: 'OPENROUTER_API_KEY'
} as const;

/** An OpenAI-compatible server without a key (Ollama, LM Studio, llama.cpp). */
export const ENV_BASE_URL = 'OPENAI_BASE_URL';

export const NO_PROVIDER_HINT = `Set one of ${Object.values(ENV_KEYS).join(', ')} in the environment of fsm-studio (or ${ENV_BASE_URL} for an OpenAI-compatible server such as Ollama: http://localhost:11434/v1), then start it again.`;

/** Which providers the environment configures (never the keys themselves). */
export function configuredProviders(env: Record<string, string | undefined>): string[] {
	const out: string[] = Object.entries(ENV_KEYS)
		.filter(([, v]) => !!env[v]?.trim())
		.map(([k]) => k);
	if (env[ENV_BASE_URL]?.trim()) out.push('openai-compatible');
	return out;
}

export type AiHandlerFactory = (env: Record<string, string | undefined>) => Promise<Record<string, EffectHandler<never>>>;

let factory: AiHandlerFactory | null = null;

/** The provider layer registers how it builds handlers from environment keys. */
export function registerEnvAiHandlers(f: AiHandlerFactory): void {
	factory = f;
}

/** Handlers for call_llm, embed_text, rag, coordinate_agents from the environment (empty when nothing is configured). */
export async function aiHandlersFromEnv(env: Record<string, string | undefined>): Promise<Record<string, EffectHandler<never>>> {
	if (!factory || configuredProviders(env).length === 0) return {};
	return factory(env);
}
