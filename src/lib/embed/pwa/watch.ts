/**
 * The app's side of storage that stays (started once by the root layout): persistence is
 * requested after the first saved workflow, and while the data is not persistent and space
 * runs low, one warning per session says so and leads to Settings → Storage.
 */
import { base } from '$app/paths';
import { goto } from '$app/navigation';
import { workspaceDb } from '../../collab/workspace-db';
import { toasts } from '../../designer/toasts.svelte';
import { evictionRisk, persistAfterFirstSave, storageStatus } from './storage';

const WARNED = 'fsm-studio:storage-warned';

export function watchStorage(): () => void {
	const stop = persistAfterFirstSave(() => workspaceDb().workflows.count());
	const timer = setTimeout(async () => {
		try {
			const risk = evictionRisk(await storageStatus());
			if (!risk || sessionStorage.getItem(WARNED)) return;
			sessionStorage.setItem(WARNED, '1');
			toasts.show(risk, { kind: 'error', ms: 20000, action: { label: 'Storage settings', run: () => void goto(`${base}/settings/storage`) } });
		} catch {
			/* nothing measurable: nothing to warn about */
		}
	}, 3000);
	return () => {
		stop();
		clearTimeout(timer);
	};
}
