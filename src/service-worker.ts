/// <reference types="@sveltejs/kit" />
/// <reference no-default-lib="true"/>
/// <reference lib="esnext" />
/// <reference lib="webworker" />
// Offline support (SvelteKit's own service worker, registered by Kit: `serviceWorker.register`).
// - install: precache the app shell (`/`) and the build and static files, except what is heavy
//   (.wasm, onnxruntime assets, anything above MAX_PRECACHE_BYTES such as a web-llm chunk);
//   those are cached on first use instead. Hashed files already cached by a previous version
//   are copied, not downloaded again.
// - activate: skipWaiting + clients.claim; drop our older caches (never other libraries'
//   caches: web-llm and transformers.js keep model weights in Cache Storage too).
// - fetch: navigations go to the network and fall back to the cached shell (offline, no answer
//   within 4 s, or a 404 from a static host without SPA rewrites), so deep links (/w/<id>,
//   /run/smart-door) work; hashed `_app/immutable/` files are cache-first; other same-origin GETs are network-first
//   with the cache as fallback. Only complete 200 same-origin responses are stored.
// In Vite's dev server the worker caches nothing (stale modules would break HMR).
import { base, build, files, version } from '$service-worker';

const sw = self as unknown as ServiceWorkerGlobalScope;
const PREFIX = 'fsm-studio-';
const CACHE = `${PREFIX}${version}`;
const RUNTIME = `${PREFIX}runtime`;
const SHELL = `${base}/`;
const IMMUTABLE = `${base}/_app/immutable/`;
/** Where shared files are posted (manifest `share_target`) and opened; the cache that holds them meanwhile. */
const SHARE_ACTION = `${base}/open/file`;
const SHARE_CACHE = 'fsm-studio-share';
/** Larger files are not precached (a web-llm chunk is ~6 MB); the biggest chunk today, ELK, is 1.5 MB. */
const MAX_PRECACHE_BYTES = 2 * 1024 * 1024;
/** How long a navigation waits for the network before the cached shell answers. */
const NAVIGATION_TIMEOUT_MS = 4000;

// Vite names chunks by content hash only (`_app/immutable/chunks/1orOK1N5.js`), so a heavy
// library chunk cannot be recognised by its name: the size cap above catches it. Assets keep
// their names (`ort-wasm-simd-threaded.jsep.<hash>.mjs`), so those are filtered here.
const skipByName = (p: string) =>
	p.endsWith('.wasm') ||
	p.endsWith('.map') ||
	/\/ort[-.]|onnxruntime|web-llm|transformers/.test(p) ||
	p === `${base}/icons/generate.mjs`;

const PRECACHE = [SHELL, ...build, ...files].filter((p) => !skipByName(p));

if (import.meta.env.DEV) {
	sw.addEventListener('install', () => sw.skipWaiting());
	sw.addEventListener('activate', (event) => event.waitUntil(dropCaches(() => true).then(() => sw.clients.claim())));
} else {
	sw.addEventListener('install', (event) => event.waitUntil(precache().then(() => sw.skipWaiting())));
	sw.addEventListener('activate', (event) => event.waitUntil(activate()));
	sw.addEventListener('fetch', onFetch);
}

async function precache(): Promise<void> {
	const cache = await caches.open(CACHE);
	await Promise.all(PRECACHE.map((url) => precacheOne(cache, url)));
}

async function precacheOne(cache: Cache, url: string): Promise<void> {
	if (url.startsWith(IMMUTABLE)) {
		const known = await caches.match(url);
		if (known) return cache.put(url, known);
	}
	const res = await fetch(new Request(url, { cache: 'no-cache' }));
	if (res.status !== 200) throw new Error(`precache ${url}: HTTP ${res.status}`);
	const body = await readCapped(res, MAX_PRECACHE_BYTES);
	if (body === null) return; // too big to precache: cached on first use
	const stored = url === SHELL ? rootRelative(await body.text()) : body;
	await cache.put(url, new Response(stored, { status: 200, statusText: res.statusText, headers: storedHeaders(res) }));
}

/**
 * The shell is served for every path (`/w/<id>` too), so its references must not depend on the
 * path. A static host answers `/` with adapter-static's fallback page, which is root-relative
 * already; a server that renders `/` with Kit's default `paths.relative: true` (`vite preview`)
 * writes `./_app/…` and `base: new URL(".", location)…`, which would resolve under `/w/`.
 * Rewrite those to root-relative, as Kit itself does for SPA fallback pages.
 */
function rootRelative(html: string): string {
	return html
		.replace(/(["'])\.\//g, `$1${base}/`)
		.replace(/new URL\((["'])\.\1, location\)/g, `new URL("${base}/", location)`);
}

/** The body, or null (download cancelled) once it is known to exceed `max` bytes. */
async function readCapped(res: Response, max: number): Promise<Blob | null> {
	const declared = Number(res.headers.get('content-length'));
	if (declared > max) {
		await res.body?.cancel();
		return null;
	}
	if (!res.body) return res.blob();
	const reader = res.body.getReader();
	const parts: Uint8Array<ArrayBuffer>[] = [];
	let size = 0;
	for (;;) {
		const { done, value } = await reader.read();
		if (done) break;
		size += value.byteLength;
		if (size > max) {
			await reader.cancel();
			return null;
		}
		parts.push(value as Uint8Array<ArrayBuffer>);
	}
	return new Blob(parts);
}

/**
 * Response headers minus those describing the transfer (the stored body is decoded) and `Link`
 * preload hints: `vite preview` sends relative ones (`<./_app/…>`) that would resolve under
 * `/w/` when the shell answers a deep link.
 */
function storedHeaders(res: Response): Headers {
	const headers = new Headers(res.headers);
	for (const h of ['content-encoding', 'content-length', 'transfer-encoding', 'link']) headers.delete(h);
	return headers;
}

async function activate(): Promise<void> {
	await dropCaches((name) => name !== CACHE && name !== RUNTIME && name !== SHARE_CACHE);
	// Hashed files this version no longer ships are dead weight in the runtime cache.
	const shipped = new Set(build);
	const runtime = await caches.open(RUNTIME);
	for (const req of await runtime.keys()) {
		const path = new URL(req.url).pathname;
		if (path.startsWith(IMMUTABLE) && !shipped.has(path)) await runtime.delete(req);
	}
	await sw.clients.claim();
}

async function dropCaches(drop: (name: string) => boolean): Promise<void> {
	const names = await caches.keys();
	await Promise.all(names.filter((n) => n.startsWith(PREFIX) && drop(n)).map((n) => caches.delete(n)));
}

function onFetch(event: FetchEvent): void {
	const req = event.request;
	const url = new URL(req.url);
	if (req.method === 'POST' && url.origin === sw.location.origin && url.pathname === SHARE_ACTION) {
		event.respondWith(receiveShare(req));
		return;
	}
	if (req.method !== 'GET' || req.headers.has('range')) return;
	if (url.origin !== sw.location.origin) return;
	if (req.mode === 'navigate') event.respondWith(navigate(req));
	else if (url.pathname.startsWith(IMMUTABLE)) event.respondWith(cacheFirst(event));
	else event.respondWith(networkFirst(event));
}

/**
 * The manifest's `share_target` (there is no server to post to): files and text shared to the
 * installed app are kept in a cache of their own, and the page that opens them
 * (`/open/file?shared`) reads them from there and turns each into a new workflow.
 */
async function receiveShare(req: Request): Promise<Response> {
	const back = (query: string) => Response.redirect(`${SHARE_ACTION}?${query}`, 303);
	let form: FormData;
	try {
		form = await req.formData();
	} catch {
		return back('shared&error=unreadable');
	}
	const cache = await caches.open(SHARE_CACHE);
	let n = 0;
	const keep = (body: Blob, name: string, type: string) =>
		cache.put(`${base}/__shared/${Date.now()}-${n++}`, new Response(body, { headers: { 'content-type': type, 'x-file-name': encodeURIComponent(name) } }));
	for (const f of form.getAll('files')) if (f instanceof File) await keep(f, f.name, f.type);
	const text = String(form.get('text') ?? '').trim() || String(form.get('url') ?? '').trim();
	if (text) {
		const title = String(form.get('title') ?? '').trim().replace(/[^\w .-]/g, '').slice(0, 60) || 'Shared text';
		await keep(new Blob([text], { type: 'text/plain' }), `${title}.txt`, 'text/plain');
	}
	return back('shared');
}

async function shell(): Promise<Response | undefined> {
	return (await caches.open(CACHE)).match(SHELL);
}

async function navigate(req: Request): Promise<Response> {
	const network = fetch(req);
	network.catch(() => {}); // awaited below, or dropped after a timeout
	const slow = new Promise<'slow'>((resolve) => setTimeout(() => resolve('slow'), NAVIGATION_TIMEOUT_MS));
	try {
		const first = await Promise.race([network, slow]);
		// A network that does not answer (captive portal, one bar of signal) would keep the app
		// from starting: after the timeout the cached shell answers, if there is one.
		const res = first === 'slow' ? ((await shell()) ?? (await network)) : first;
		if (res.status === 404) return (await shell()) ?? res;
		return res;
	} catch (err) {
		const cached = await shell();
		if (cached) return cached;
		throw err;
	}
}

function cacheable(res: Response): boolean {
	return res.status === 200 && res.type === 'basic';
}

function remember(event: FetchEvent, res: Response): void {
	if (!cacheable(res)) return;
	const copy = res.clone();
	event.waitUntil(
		caches
			.open(RUNTIME)
			.then((c) => c.put(event.request, copy))
			.catch(() => {}) // quota exceeded: serve without caching
	);
}

async function cacheFirst(event: FetchEvent): Promise<Response> {
	const cached = await caches.match(event.request);
	if (cached) return cached;
	const res = await fetch(event.request);
	remember(event, res);
	return res;
}

async function networkFirst(event: FetchEvent): Promise<Response> {
	try {
		const res = await fetch(event.request);
		remember(event, res);
		return res;
	} catch (err) {
		const cached = await caches.match(event.request);
		if (cached) return cached;
		throw err;
	}
}
