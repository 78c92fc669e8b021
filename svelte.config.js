import adapter from '@sveltejs/adapter-static';
import { vitePreprocess } from '@sveltejs/vite-plugin-svelte';

// BUILD_DIR / KIT_OUT_DIR let several builds (parallel test runs, benchmarks) coexist.
const pages = process.env.BUILD_DIR || 'build';
// BASE_PATH serves the app from a sub-path, e.g. BASE_PATH=/tools/fsm (links, share links, the
// service worker's scope, the manifest and the embed scripts follow it).
const basePath = (process.env.BASE_PATH || '').replace(/\/$/, '');

/** @type {import('@sveltejs/kit').Config} */
const config = {
	preprocess: vitePreprocess(),
	compilerOptions: { runes: true },
	kit: {
		adapter: adapter({ pages, assets: pages, fallback: 'index.html' }),
		outDir: process.env.KIT_OUT_DIR || '.svelte-kit',
		// registered by the app (src/lib/embed/pwa/register.ts), which survives a browser that
		// refuses service workers (an embedded page with third-party storage blocked)
		serviceWorker: { register: false },
		paths: { base: basePath },
		// a deployed new version is noticed within minutes (and when the tab comes back): the app
		// then offers "Update available — reload" (src/lib/embed/pwa/UpdatePrompt.svelte)
		version: { pollInterval: 5 * 60 * 1000 }
	}
};

export default config;
