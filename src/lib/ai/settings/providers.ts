/**
 * Providers as the user configured them in Settings → Providers, stored in the AI database.
 * Secrets (the key and extra headers) are sealed with the vault key; everything that lists
 * providers sees `ProviderInfo`, which has no secret in it. Only `providerConfig` (used at
 * request time by the chat service and Test connection) ever holds the decrypted key.
 */
import { aiDb, type AiDb, type ProviderRecord } from '../../store/ai-db';
import { seal, unseal } from '../keys/vault';
import type { ProviderConfig, ProviderKind } from '../types';
import type { PriceOverride } from '../usage/prices';

export type ProviderInfo = Omit<ProviderRecord, 'secret'> & { hasKey: boolean };

export interface ProviderInput {
	id?: string;
	name: string;
	kind: ProviderKind;
	baseUrl?: string;
	defaultModel?: string;
	models?: string[];
	/** A new key; `null` removes it; undefined keeps the stored one. */
	apiKey?: string | null;
	/** Extra headers (sealed with the key); undefined keeps the stored ones. */
	headers?: Record<string, string>;
}

interface Secret {
	apiKey?: string;
	headers?: Record<string, string>;
}

/** Default base URLs shown as placeholders and used when a provider has none. */
export const DEFAULT_BASE_URLS: Record<ProviderKind, string> = {
	openai: 'https://api.openai.com/v1',
	anthropic: 'https://api.anthropic.com',
	google: 'https://generativelanguage.googleapis.com/v1beta',
	'openai-compatible': 'http://localhost:11434/v1',
	webllm: ''
};

function info(r: ProviderRecord): ProviderInfo {
	const { secret, ...rest } = r;
	return { ...rest, hasKey: !!secret && !!r.keyHint };
}

function newId(name: string): string {
	const slug = name.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '').slice(0, 24) || 'provider';
	return `${slug}-${crypto.getRandomValues(new Uint32Array(1))[0].toString(36)}`;
}

export async function listProviders(db: AiDb = aiDb()): Promise<ProviderInfo[]> {
	return (await db.providers.orderBy('name').toArray()).map(info);
}

export async function getProvider(id: string, db: AiDb = aiDb()): Promise<ProviderInfo | undefined> {
	const r = await db.providers.get(id);
	return r ? info(r) : undefined;
}

/** Adds or updates a provider; returns it without secrets. */
export async function saveProvider(input: ProviderInput, db: AiDb = aiDb()): Promise<ProviderInfo> {
	const name = input.name.trim();
	if (!name) throw new Error('Give the provider a name.');
	if (input.kind === 'openai-compatible' && !input.baseUrl?.trim()) throw new Error('An OpenAI-compatible provider needs a base URL, e.g. http://localhost:11434/v1 for Ollama.');
	if (input.baseUrl?.trim()) {
		try {
			const u = new URL(input.baseUrl.trim());
			if (u.protocol !== 'http:' && u.protocol !== 'https:') throw new Error();
		} catch {
			throw new Error(`"${input.baseUrl}" is not a web address; it should look like https://api.example.com/v1.`);
		}
	}
	const old = input.id ? await db.providers.get(input.id) : undefined;
	let secret: Secret = old?.secret ? await unseal<Secret>(db, old.secret).catch(() => ({})) : {};
	if (input.apiKey === null) secret = { ...secret, apiKey: undefined };
	else if (typeof input.apiKey === 'string' && input.apiKey.trim()) secret = { ...secret, apiKey: input.apiKey.trim() };
	if (input.headers !== undefined) secret = { ...secret, headers: Object.keys(input.headers).length ? { ...input.headers } : undefined };
	const now = Date.now();
	const rec: ProviderRecord = {
		id: old?.id ?? input.id ?? newId(name),
		name,
		kind: input.kind,
		...(input.baseUrl?.trim() ? { baseUrl: input.baseUrl.trim().replace(/\/+$/, '') } : {}),
		...(input.defaultModel?.trim() ? { defaultModel: input.defaultModel.trim() } : {}),
		...(input.models ? { models: input.models.map(String) } : old?.models ? { models: old.models } : {}),
		...(secret.apiKey || secret.headers ? { secret: await seal(db, secret) } : {}),
		...(secret.apiKey ? { keyHint: secret.apiKey.slice(-4) } : {}),
		createdAt: old?.createdAt ?? now,
		updatedAt: now
	};
	await db.providers.put(rec);
	return info(rec);
}

export async function deleteProvider(id: string, db: AiDb = aiDb()): Promise<void> {
	await db.providers.delete(id);
}

/** The configuration to call a provider with, key decrypted. Never store or log what this returns. */
export async function providerConfig(id: string, db: AiDb = aiDb()): Promise<{ config: ProviderConfig; info: ProviderInfo }> {
	const r = await db.providers.get(id);
	if (!r) throw new Error(`There is no provider "${id}" — add it in Settings → Providers, or choose another one.`);
	const secret: Secret = r.secret ? await unseal<Secret>(db, r.secret) : {};
	return {
		config: { kind: r.kind, ...(r.baseUrl ? { baseUrl: r.baseUrl } : {}), ...(secret.apiKey ? { apiKey: secret.apiKey } : {}), ...(secret.headers ? { headers: secret.headers } : {}) },
		info: info(r)
	};
}

/** The stored extra headers (for editing them in Settings). */
export async function providerHeaders(id: string, db: AiDb = aiDb()): Promise<Record<string, string>> {
	const r = await db.providers.get(id);
	if (!r?.secret) return {};
	return (await unseal<Secret>(db, r.secret)).headers ?? {};
}

/** A workspace's default provider and model (used by effects that name none). */
export interface WorkspaceDefault {
	providerId: string;
	model?: string;
}

export async function getWorkspaceDefault(workspaceId: string, db: AiDb = aiDb()): Promise<WorkspaceDefault | undefined> {
	const row = await db.settings.get(`default:${workspaceId}`);
	return row?.value as WorkspaceDefault | undefined;
}

export async function setWorkspaceDefault(workspaceId: string, value: WorkspaceDefault | undefined, db: AiDb = aiDb()): Promise<void> {
	if (value) await db.settings.put({ key: `default:${workspaceId}`, value });
	else await db.settings.delete(`default:${workspaceId}`);
}

export async function getPriceOverrides(db: AiDb = aiDb()): Promise<Record<string, PriceOverride>> {
	return ((await db.settings.get('prices'))?.value as Record<string, PriceOverride> | undefined) ?? {};
}

export async function setPriceOverride(model: string, price: PriceOverride | undefined, db: AiDb = aiDb()): Promise<void> {
	const all = await getPriceOverrides(db);
	if (price) all[model] = price;
	else delete all[model];
	await db.settings.put({ key: 'prices', value: all });
}
