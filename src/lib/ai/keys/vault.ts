/**
 * Provider secrets sealed with AES-GCM under a non-extractable key that lives in IndexedDB.
 * The raw key bytes can never be read by script (not even ours); only this origin's code can
 * ask the browser to encrypt or decrypt with it. See docs/ai.md for what this protects against.
 */
import type { AiDb, SealedSecret } from '../../store/ai-db';

const keys = new WeakMap<AiDb, Promise<CryptoKey>>();

/** The vault key of a database, created on first use (concurrent first uses agree on one key). */
export function vaultKey(db: AiDb): Promise<CryptoKey> {
	let p = keys.get(db);
	if (!p) {
		p = (async () => {
			const existing = await db.vault.get('vault');
			if (existing) return existing.key;
			const fresh = await crypto.subtle.generateKey({ name: 'AES-GCM', length: 256 }, false, ['encrypt', 'decrypt']);
			// Another tab or worker may have stored one meanwhile: the first stored key wins.
			return db.transaction('rw', db.vault, async () => {
				const again = await db.vault.get('vault');
				if (again) return again.key;
				await db.vault.add({ id: 'vault', key: fresh, createdAt: Date.now() });
				return fresh;
			});
		})();
		p.catch(() => keys.delete(db));
		keys.set(db, p);
	}
	return p;
}

/** Encrypts a JSON value. */
export async function seal(db: AiDb, value: unknown): Promise<SealedSecret> {
	const key = await vaultKey(db);
	const iv = crypto.getRandomValues(new Uint8Array(12));
	const data = await crypto.subtle.encrypt({ name: 'AES-GCM', iv }, key, new TextEncoder().encode(JSON.stringify(value)));
	return { iv, data };
}

/** Decrypts what `seal` made; throws when the vault key was lost (site data cleared in part). */
export async function unseal<T>(db: AiDb, secret: SealedSecret): Promise<T> {
	const key = await vaultKey(db);
	let plain: ArrayBuffer;
	try {
		plain = await crypto.subtle.decrypt({ name: 'AES-GCM', iv: secret.iv as Uint8Array<ArrayBuffer> }, key, secret.data);
	} catch {
		throw new Error('This provider’s key can no longer be decrypted (the browser’s stored encryption key changed). Enter the key again in Settings → Providers.');
	}
	return JSON.parse(new TextDecoder().decode(plain)) as T;
}
