import type { EventStoreDb } from './db';

/** One cached effect result (the shape the effects `cache` kind reads and writes). */
export interface StoredCacheEntry {
	value: unknown;
	expiresAt: number;
}

/**
 * The effects `cache` kind's persistent backend, kept in the workspace's `llmCache` table so
 * an identical LLM prompt (or any cached effect) is answered after a reload too. Read or
 * write failures degrade to a cache miss: a cache must never fail the effect it wraps.
 */
export function createIndexedDbCache(db: EventStoreDb, onError?: (message: string) => void) {
	return {
		async get(key: string): Promise<StoredCacheEntry | undefined> {
			try {
				const row = await db.llmCache.get(key);
				if (!row || typeof row.expiresAt !== 'number') return undefined;
				return { value: row.value, expiresAt: row.expiresAt };
			} catch (e) {
				onError?.(`Could not read the effect cache: ${e instanceof Error ? e.message : String(e)}`);
				return undefined;
			}
		},
		async set(key: string, value: unknown, expiresAt: number): Promise<void> {
			try {
				await db.llmCache.put({ key, createdAt: Date.now(), value, expiresAt });
			} catch (e) {
				onError?.(`Could not save to the effect cache: ${e instanceof Error ? e.message : String(e)}`);
			}
		}
	};
}
