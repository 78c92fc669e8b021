/**
 * Language-model access on the command line: the app's own provider layer and chat service
 * (same adapters, fallback and error handling as in the browser), with providers and keys
 * read from environment variables instead of the browser's encrypted key store.
 */
import type { EffectHandler } from '../effects/types';
import type { ProviderConfig, ProviderKind } from '../ai/types';
import type { ProviderInfo } from '../ai/settings/providers';
import type { ChatService } from '../ai/llm/chat';

interface EnvProvider {
	id: string;
	name: string;
	kind: ProviderKind;
	key: string;
	/** Base URL variable (optional for all but openai-compatible). */
	baseUrlVar?: string;
	baseUrl?: string;
	defaultModel: string;
}

/** Providers the command line reads, in the order the default is chosen. */
export const ENV_PROVIDERS: EnvProvider[] = [
	{ id: 'openai', name: 'OpenAI', kind: 'openai', key: 'OPENAI_API_KEY', baseUrlVar: 'OPENAI_BASE_URL', defaultModel: 'gpt-4o-mini' },
	{ id: 'anthropic', name: 'Anthropic', kind: 'anthropic', key: 'ANTHROPIC_API_KEY', baseUrlVar: 'ANTHROPIC_BASE_URL', defaultModel: 'claude-haiku-4-5' },
	{ id: 'google', name: 'Google Gemini', kind: 'google', key: 'GEMINI_API_KEY', baseUrlVar: 'GEMINI_BASE_URL', defaultModel: 'gemini-2.5-flash' },
	{ id: 'openrouter', name: 'OpenRouter', kind: 'openai', key: 'OPENROUTER_API_KEY', baseUrl: 'https://openrouter.ai/api/v1', defaultModel: 'openai/gpt-4o-mini' }
];

/** Legacy export for messages: the key variables by provider. */
export const ENV_KEYS = Object.fromEntries(ENV_PROVIDERS.map((p) => [p.id, p.key])) as Record<string, string>;

/** An OpenAI-compatible server without a key (Ollama, LM Studio, llama.cpp) when no OPENAI_API_KEY is set. */
export const ENV_BASE_URL = 'OPENAI_BASE_URL';
/** Overrides the default model of the default provider. */
export const ENV_MODEL = 'FSM_STUDIO_MODEL';

export const NO_PROVIDER_HINT = `Set one of ${ENV_PROVIDERS.map((p) => p.key).join(', ')} in the environment of fsm-studio (or ${ENV_BASE_URL} and ${ENV_MODEL} for an OpenAI-compatible server such as Ollama: OPENAI_BASE_URL=http://localhost:11434/v1 FSM_STUDIO_MODEL=llama3.2), then start it again.`;

type Env = Record<string, string | undefined>;

interface Resolved {
	config: ProviderConfig;
	info: ProviderInfo;
}

/** The providers an environment configures, with their configuration (keys included: never log this). */
export function envProviders(env: Env): Resolved[] {
	const out: Resolved[] = [];
	const now = Date.now();
	for (const p of ENV_PROVIDERS) {
		const key = env[p.key]?.trim();
		const baseUrl = (p.baseUrlVar ? env[p.baseUrlVar]?.trim() : undefined) || p.baseUrl;
		if (!key) continue;
		out.push({
			config: { kind: p.kind, apiKey: key, ...(baseUrl ? { baseUrl } : {}) },
			info: { id: p.id, name: p.name, kind: p.kind, ...(baseUrl ? { baseUrl } : {}), defaultModel: p.defaultModel, createdAt: now, updatedAt: now, hasKey: true, keyHint: key.slice(-4) }
		});
	}
	const local = env[ENV_BASE_URL]?.trim();
	if (local && !env.OPENAI_API_KEY?.trim()) {
		out.push({
			config: { kind: 'openai-compatible', baseUrl: local },
			info: { id: 'local', name: 'OpenAI-compatible', kind: 'openai-compatible', baseUrl: local, defaultModel: env[ENV_MODEL]?.trim() || 'llama3.2', createdAt: now, updatedAt: now, hasKey: false }
		});
	}
	const model = env[ENV_MODEL]?.trim();
	if (model && out[0]) out[0].info.defaultModel = model;
	return out;
}

/** Which providers the environment configures (names only, never keys). */
export function configuredProviders(env: Env): string[] {
	return envProviders(env).map((p) => p.info.id);
}

/** The app's chat service over the environment's providers (null when nothing is configured). */
export async function chatServiceFromEnv(env: Env): Promise<ChatService | null> {
	const providers = envProviders(env);
	if (providers.length === 0) return null;
	const { createChatService } = await import('../ai/llm/chat');
	return createChatService({
		resolve: async (idOrName) => {
			const p = providers.find((x) => x.info.id === idOrName || x.info.name.toLowerCase() === idOrName.toLowerCase());
			if (!p) throw new Error(`There is no provider "${idOrName}" here; the environment configures ${providers.map((x) => x.info.id).join(', ')}.`);
			return p;
		},
		defaultTarget: async () => ({ provider: providers[0].info.id }),
		priceOverrides: async () => ({}),
		recordUsage: () => undefined
	});
}

/** Handlers for the AI effect kinds from the environment (empty when nothing is configured). */
export async function aiHandlersFromEnv(env: Env): Promise<Record<string, EffectHandler<never>>> {
	const chatService = await chatServiceFromEnv(env);
	if (!chatService) return {};
	const { createAiHandlers } = await import('../ai/handlers');
	return createAiHandlers({ workspaceId: 'cli', chatService });
}
