import adapter from '@sveltejs/adapter-static';
import { vitePreprocess } from '@sveltejs/vite-plugin-svelte';

// BUILD_DIR / KIT_OUT_DIR let several builds (parallel test runs, benchmarks) coexist.
const pages = process.env.BUILD_DIR || 'build';

/** @type {import('@sveltejs/kit').Config} */
const config = {
	preprocess: vitePreprocess(),
	compilerOptions: { runes: true },
	kit: {
		adapter: adapter({ pages, assets: pages, fallback: 'index.html' }),
		outDir: process.env.KIT_OUT_DIR || '.svelte-kit',
		serviceWorker: { register: true }
	}
};

export default config;
