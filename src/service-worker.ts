/// <reference types="@sveltejs/kit" />
/// <reference no-default-lib="true"/>
/// <reference lib="esnext" />
/// <reference lib="webworker" />
// Offline support: precache the app shell and build files (not the multi-MB .wasm or
// model chunks, which are cached at runtime on first use), answer navigations with the
// cached shell when offline.
import { build, files, version } from '$service-worker';

const sw = self as unknown as ServiceWorkerGlobalScope;
const CACHE = `fsm-studio-${version}`;
const RUNTIME = 'fsm-studio-runtime';
const isHeavy = (p: string) => p.endsWith('.wasm') || /web-llm|transformers|ort[-.]/.test(p);
const PRECACHE = ['/', ...build.filter((p) => !isHeavy(p)), ...files.filter((p) => !isHeavy(p))];

sw.addEventListener('install', (event) => {
	event.waitUntil(
		caches
			.open(CACHE)
			.then((c) => c.addAll(PRECACHE))
			.then(() => sw.skipWaiting())
	);
});

sw.addEventListener('activate', (event) => {
	event.waitUntil(
		caches
			.keys()
			.then((keys) => Promise.all(keys.filter((k) => k !== CACHE && k !== RUNTIME).map((k) => caches.delete(k))))
			.then(() => sw.clients.claim())
	);
});

sw.addEventListener('fetch', (event) => {
	const req = event.request;
	if (req.method !== 'GET') return;
	const url = new URL(req.url);
	if (url.origin !== sw.location.origin) return;
	if (req.mode === 'navigate') {
		event.respondWith(fetch(req).catch(async () => (await caches.match('/')) ?? Response.error()));
		return;
	}
	event.respondWith(
		(async () => {
			const cached = await caches.match(req);
			if (cached) return cached;
			const res = await fetch(req);
			if (res.ok && res.type === 'basic') {
				const copy = res.clone();
				caches.open(RUNTIME).then((c) => c.put(req, copy)).catch(() => {});
			}
			return res;
		})()
	);
});
