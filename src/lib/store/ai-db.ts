import Dexie, { type EntityTable } from 'dexie';

/**
 * The AI layer's own database, shared by every workspace of this browser: providers (their
 * keys encrypted), the key that encrypts them, settings (workspace defaults, price
 * overrides) and usage records. Named with a dot so it can never collide with a workspace's
 * `fsm-studio-<workspace>` database or `fsm-studio-workspace`.
 */
export const AI_DB_NAME = 'fsm-studio.ai';

/** An AES-GCM ciphertext (the secret part of a provider: its key and extra headers). */
export interface SealedSecret {
	iv: Uint8Array;
	data: ArrayBuffer;
}

export interface ProviderRecord {
	id: string;
	name: string;
	kind: 'openai' | 'anthropic' | 'google' | 'openai-compatible' | 'webllm';
	baseUrl?: string;
	defaultModel?: string;
	/** Models fetched from the provider (or typed by the user). */
	models?: string[];
	/** Encrypted `{ apiKey, headers }`; absent when the provider needs no key. */
	secret?: SealedSecret;
	/** Last four characters of the key, to tell keys apart in the list. */
	keyHint?: string;
	createdAt: number;
	updatedAt: number;
}

/** The non-extractable key that seals provider secrets (a CryptoKey is stored as itself). */
export interface VaultRecord {
	id: 'vault';
	key: CryptoKey;
	createdAt: number;
}

export interface AiSettingRecord {
	key: string;
	value: unknown;
}

/** Tokens and cost of one model call (one attempt), with where it happened. */
export interface UsageRecord {
	id?: number;
	time: number;
	/** Local day `YYYY-MM-DD` (for totals per day). */
	day: string;
	workspaceId: string;
	workflowId?: string;
	workflowName?: string;
	instanceId?: string;
	state?: string;
	effect?: string;
	/** Who made the call when it was not a workflow (`assistant`, `rag`, an agent name). */
	caller?: string;
	providerId: string;
	providerKind: string;
	model: string;
	inputTokens: number;
	outputTokens: number;
	cachedInputTokens: number;
	reasoningTokens: number;
	costUsd: number;
	/** Where the cost came from. */
	costSource: 'provider' | 'prices' | 'override' | 'local' | 'unknown';
	/** Tokens counted by an estimator (the provider reported none, e.g. an aborted stream). */
	estimated: boolean;
	/** Version of @pydantic/genai-prices used for the cost. */
	pricesVersion?: string;
	outcome: 'ok' | 'error' | 'cancelled';
}

export class AiDb extends Dexie {
	providers!: EntityTable<ProviderRecord, 'id'>;
	vault!: EntityTable<VaultRecord, 'id'>;
	settings!: EntityTable<AiSettingRecord, 'key'>;
	usage!: EntityTable<UsageRecord, 'id'>;

	constructor(options: { indexedDB?: IDBFactory; IDBKeyRange?: typeof IDBKeyRange; name?: string } = {}) {
		const { name, ...rest } = options;
		super(name ?? AI_DB_NAME, { cache: 'disabled', ...rest });
		this.version(1).stores({
			providers: 'id, name',
			vault: 'id',
			settings: 'key',
			usage: '++id, time, day, workspaceId, workflowId, instanceId, model, [workspaceId+time]'
		});
	}
}

let shared: AiDb | undefined;

/** The AI database of this browser (one connection per page or worker). */
export function aiDb(): AiDb {
	return (shared ??= new AiDb());
}

/** Tests: use this database instead (fake-indexeddb, a separate name). */
export function setAiDb(db: AiDb | undefined): void {
	shared = db;
}
