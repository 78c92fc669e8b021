/**
 * Registers the app's service worker (offline support). Kit's own registration is switched off
 * (svelte.config.js) because it throws where the browser refuses service workers — a sandboxed
 * or storage-blocked embedded page — and the app must keep working there, just without offline.
 */
import { base } from '$app/paths';
import { dev } from '$app/environment';

export function registerServiceWorker(): void {
	let container: ServiceWorkerContainer | undefined;
	try {
		container = navigator.serviceWorker;
	} catch {
		return; // refused (a sandboxed page): no offline support, nothing else changes
	}
	if (!container) return;
	const go = () =>
		container
			.register(`${base}/service-worker.js`, { type: dev ? 'module' : 'classic' })
			.catch(() => {
				/* refused (blocked storage) or unavailable: the app works, only not offline */
			});
	if (document.readyState === 'complete') void go();
	else addEventListener('load', () => void go(), { once: true });
}
