/** Result cache for the `cache` effect: a backend interface, a memory backend and a tiered one. */
import type { MaybePromise } from './types';

export interface CacheEntry {
	value: unknown;
	/** Epoch ms (on the executor's clock) after which the entry is stale. */
	expiresAt: number;
}

/** Where cached effect results live. The store provides an IndexedDB one for the browser. */
export interface EffectCacheBackend {
	get(key: string): MaybePromise<CacheEntry | undefined>;
	set(key: string, value: unknown, expiresAt: number): MaybePromise<void>;
}

/** In-memory backend with a size bound (oldest entries go first). */
export function createMemoryCache(maxEntries = 1000): EffectCacheBackend & { size(): number; clear(): void } {
	const map = new Map<string, CacheEntry>();
	return {
		get: (key) => map.get(key),
		set(key, value, expiresAt) {
			map.delete(key);
			map.set(key, { value, expiresAt });
			while (map.size > maxEntries) map.delete(map.keys().next().value as string);
		},
		size: () => map.size,
		clear: () => map.clear()
	};
}

/** Memory in front of a persistent backend: reads fill the memory, writes go to both. */
export function tieredCache(front: EffectCacheBackend, back: EffectCacheBackend): EffectCacheBackend {
	return {
		async get(key) {
			const hit = await front.get(key);
			if (hit) return hit;
			const b = await back.get(key);
			if (b) await front.set(key, b.value, b.expiresAt);
			return b;
		},
		async set(key, value, expiresAt) {
			await front.set(key, value, expiresAt);
			await back.set(key, value, expiresAt);
		}
	};
}
