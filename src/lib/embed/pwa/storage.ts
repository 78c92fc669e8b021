/**
 * Storage that stays: FSM Studio keeps everything in this browser, which may clear a site's
 * data when space runs low unless the site's storage is persistent. We ask for persistence
 * once there is something to keep (the first saved workflow), show use and quota in
 * Settings → Storage, and warn while data is at risk.
 */
export interface StorageStatus {
	/** Bytes used by this origin (all databases, caches, the service worker). */
	usage: number;
	/** Bytes this origin may use. */
	quota: number;
	/** Per kind where the browser says (Chromium: indexedDB, caches, serviceWorkerRegistrations). */
	details: Record<string, number>;
	/** The browser will not clear the data by itself. */
	persisted: boolean;
	/** The browser has the StorageManager API at all. */
	supported: boolean;
}

/** Below this much free space (or fraction of the quota), data that is not persistent is at risk. */
export const LOW_SPACE_BYTES = 100 * 1024 * 1024;
export const LOW_SPACE_FRACTION = 0.1;

export async function storageStatus(): Promise<StorageStatus> {
	const sm = typeof navigator !== 'undefined' ? navigator.storage : undefined;
	if (!sm?.estimate) return { usage: 0, quota: 0, details: {}, persisted: false, supported: false };
	const [est, persisted] = await Promise.all([sm.estimate(), sm.persisted?.() ?? Promise.resolve(false)]);
	const details = (est as { usageDetails?: Record<string, number> }).usageDetails ?? {};
	return { usage: est.usage ?? 0, quota: est.quota ?? 0, details, persisted, supported: true };
}

/** What puts the data at risk now, in the user's words; null when nothing does. */
export function evictionRisk(s: StorageStatus): string | null {
	if (!s.supported || s.persisted || !s.quota) return null;
	const free = s.quota - s.usage;
	if (free < LOW_SPACE_BYTES || free < s.quota * LOW_SPACE_FRACTION) {
		return `Browser storage is almost full (${formatBytes(s.usage)} of ${formatBytes(s.quota)} used), and this browser may clear FSM Studio's data to make room. Export the workflows you need, or free some space.`;
	}
	return null;
}

/** Asks the browser to keep the data (once a workflow is saved). Resolves to the answer. */
export async function requestPersistence(): Promise<boolean> {
	const sm = typeof navigator !== 'undefined' ? navigator.storage : undefined;
	if (!sm?.persist) return false;
	if (await sm.persisted()) return true;
	return sm.persist();
}

const ASKED = 'fsm-studio:persist-asked';

/**
 * Asks for persistence when the first workflow is saved (not on first visit, when the browser
 * has no reason to grant it and the user nothing to keep): watches the workspace's list.
 */
export function persistAfterFirstSave(count: () => Promise<number>, every = 5000): () => void {
	let stopped = false;
	let timer: ReturnType<typeof setTimeout> | undefined;
	const tick = async () => {
		if (stopped) return;
		try {
			if (localStorage.getItem(ASKED) || (await navigator.storage?.persisted?.())) return;
			if ((await count()) > 0) {
				localStorage.setItem(ASKED, String(Date.now()));
				await requestPersistence();
				return;
			}
		} catch {
			/* storage not available: nothing to keep either */
		}
		timer = setTimeout(tick, every);
	};
	void tick();
	return () => {
		stopped = true;
		clearTimeout(timer);
	};
}

export function formatBytes(n: number): string {
	if (n < 1024) return `${n} B`;
	const units = ['kB', 'MB', 'GB', 'TB'];
	let v = n / 1024;
	let i = 0;
	while (v >= 1024 && i < units.length - 1) {
		v /= 1024;
		i++;
	}
	return `${v >= 100 ? Math.round(v) : v.toFixed(1)} ${units[i]}`;
}
