/**
 * `localStorage` that survives a refusal. In an iframe with third-party storage blocked, or
 * with storage switched off, merely reading `window.localStorage` throws a SecurityError; the
 * page must still work, keep what it needs in memory for this visit, and say so once.
 */

let refused: string | null = null;
const memory = new Map<string, string>();
const listeners = new Set<(reason: string) => void>();

function store(): Storage | null {
	try {
		const s = globalThis.localStorage;
		if (!s) throw new Error('localStorage is not available');
		return s;
	} catch (e) {
		noteRefusal(e);
		return null;
	}
}

function noteRefusal(e: unknown) {
	if (refused) return;
	const name = (e as { name?: string })?.name;
	refused =
		name === 'QuotaExceededError'
			? 'Browser storage is full'
			: 'This browser refuses storage to this page (blocked third-party storage in an embedded page, or site data switched off)';
	listeners.forEach((f) => f(refused!));
}

/** The stored text, or null (also when storage is refused: then this visit's value, if any). */
export function readLocal(key: string): string | null {
	const s = store();
	if (!s) return memory.get(key) ?? null;
	try {
		return s.getItem(key);
	} catch (e) {
		noteRefusal(e);
		return memory.get(key) ?? null;
	}
}

/** Stores text; returns false when the browser refused (the value is then kept for this visit). */
export function writeLocal(key: string, value: string): boolean {
	memory.set(key, value);
	const s = store();
	if (!s) return false;
	try {
		s.setItem(key, value);
		return true;
	} catch (e) {
		noteRefusal(e);
		return false;
	}
}

/**
 * Checks at once (synchronously) whether this page may use storage: a refusing browser
 * (third-party storage blocked, a sandboxed frame without allow-same-origin) throws on
 * merely reading `localStorage`. Returns the reason, or null (also where there is no
 * `localStorage` at all, e.g. outside a browser: that is not a refusal).
 */
export function storageRefusedNow(): string | null {
	try {
		void globalThis.localStorage;
		return null;
	} catch (e) {
		noteRefusal(e);
		return refused;
	}
}

/** Why storage was refused on this page, or null while it works. */
export function storageRefusal(): string | null {
	return refused;
}

/** Calls `f` once storage has been refused (at once if it already was). */
export function onStorageRefused(f: (reason: string) => void): () => void {
	if (refused) f(refused);
	listeners.add(f);
	return () => listeners.delete(f);
}

/** Reads JSON; a missing, unreadable or refused value gives `fallback`. */
export function readLocalJson<T>(key: string, fallback: T): T {
	const raw = readLocal(key);
	if (raw === null) return fallback;
	try {
		return JSON.parse(raw) as T;
	} catch {
		return fallback;
	}
}

/** Forgets the refusal (tests). */
export function resetLocalStorageState() {
	refused = null;
	memory.clear();
}

/**
 * Checks, once per page, whether this page may store anything: local storage and IndexedDB
 * (where workflows live). Resolves with the reason when the browser refuses, else null.
 */
export async function probeStorage(): Promise<string | null> {
	store();
	if (refused) return refused;
	try {
		const idb = globalThis.indexedDB;
		if (!idb) throw new Error('IndexedDB is not available');
		// asks nothing of the user and creates nothing; a refusing browser rejects it
		if (typeof idb.databases === 'function') await idb.databases();
	} catch (e) {
		noteRefusal(e);
	}
	return refused;
}
