// Library build of the web components into dist/embed/ (ES modules: one file per element,
// shared chunks beside them). `npm run build` runs it after the app's build and copies the
// result into the app's output, so the app serves the elements at <base>/embed/.
//
// Differences from the app's build, all for shadow DOM and for running outside SvelteKit:
// - Svelte components are compiled with injected CSS (Svelte adds each component's styles to
//   the shadow root that holds it, never to the page's head);
// - plain `.css` imports (the theme tokens, Svelte Flow's stylesheet) become strings that the
//   elements adopt into their shadow roots (src/lib/embed/studio/shadow-css.ts);
// - `$app/state` and `$app/navigation` are small stand-ins (src/lib/embed/studio/shims).
import { cpSync, existsSync, readFileSync, rmSync } from 'node:fs';
import { resolve } from 'node:path';
import { defineConfig, type Plugin } from 'vite';
import { svelte, vitePreprocess } from '@sveltejs/vite-plugin-svelte';

const outDir = resolve('dist/embed');
const appDir = resolve(process.env.BUILD_DIR || 'build');
const SHADOW_CSS = resolve('src/lib/embed/studio/shadow-css.ts');

/** Copies dist/embed into the app's build (when there is one) once the library is written. */
function intoApp(): Plugin {
	return {
		name: 'fsm-embed-into-app',
		apply: 'build',
		closeBundle() {
			if (!existsSync(appDir)) return;
			const target = resolve(appDir, 'embed');
			rmSync(target, { recursive: true, force: true });
			cpSync(outDir, target, { recursive: true });
		}
	};
}

/**
 * Put in front of every chunk that starts a worker (as its text, so written in plain JS). The
 * worker's `location` reads as the real script's URL, as if it had been started directly (a
 * blob URL's `location` breaks libraries that build URLs from it at load time).
 */
function startWorker(url: string | URL, options?: WorkerOptions): Worker {
	const real = new URL(String(url), location.href);
	if (real.origin === location.origin) return new Worker(url, options);
	const blob = (text: string) => URL.createObjectURL(new Blob([text], { type: 'text/javascript' }));
	const href = JSON.stringify(real.href);
	const locate = blob(`Object.defineProperty(self, "location", { value: new URL(${href}), configurable: true });`);
	return new Worker(blob(`import ${JSON.stringify(locate)};\nimport ${href};`), { ...options, type: 'module' });
}

/**
 * Workers started from the page's origin. The elements' scripts usually come from another
 * origin (the app's), and a page may only start workers from its own: a worker from another
 * origin starts as a small module of the page's own (a blob URL) that imports the real one
 * (which needs CORS, as the elements' scripts do).
 */
function workersFromPage(): Plugin {
	const helper = `const __fsmWorker=${startWorker.toString()};\n`;
	return {
		name: 'fsm-embed-workers-from-page',
		apply: 'build',
		renderChunk(code) {
			if (!/\bnew Worker\(/.test(code)) return null;
			return { code: helper + code.replace(/\bnew Worker\(/g, 'new __fsmWorker('), map: null };
		}
	};
}

/** `import 'x.css'` → the text handed to addShadowCss (adopted by each element's shadow root). */
function cssIntoShadow(): Plugin {
	// a virtual id that does not end in .css, so Vite's own CSS pipeline leaves it alone
	const PREFIX = '\0fsm-shadow-css:';
	const SUFFIX = '.js';
	return {
		name: 'fsm-embed-css-into-shadow',
		enforce: 'pre',
		async resolveId(source, importer) {
			if (!/\.css$/.test(source) || !importer) return null;
			const r = await this.resolve(source, importer, { skipSelf: true });
			return r ? PREFIX + r.id + SUFFIX : null;
		},
		load(id) {
			if (!id.startsWith(PREFIX)) return null;
			const css = readFileSync(id.slice(PREFIX.length, -SUFFIX.length), 'utf8');
			return `import { addShadowCss } from ${JSON.stringify(SHADOW_CSS)};\naddShadowCss(${JSON.stringify(css)});\n`;
		}
	};
}

// `--mode viewer` builds <fsm-viewer> on its own, after the studio build: one self-contained
// file (no chunks shared with the designer, which would make a page showing a viewer fetch
// designer code it never runs).
export default defineConfig(({ mode }) => ({
	plugins: [
		cssIntoShadow(),
		svelte({ configFile: false, preprocess: vitePreprocess(), emitCss: false, compilerOptions: { runes: true, css: 'injected' } }),
		workersFromPage(),
		intoApp()
	],
	resolve: {
		alias: {
			$lib: resolve('src/lib'),
			'$app/state': resolve('src/lib/embed/studio/shims/app-state.ts'),
			'$app/navigation': resolve('src/lib/embed/studio/shims/app-navigation.ts'),
			'$app/paths': resolve('src/lib/embed/studio/shims/app-paths.ts')
		}
	},
	define: {
		// nothing in the elements is SvelteKit's dev server
		'import.meta.env.SSR': 'false',
		// libraries read it to pick their production build; lib mode leaves it to the bundle's user
		'process.env.NODE_ENV': JSON.stringify('production')
	},
	// URLs of workers and assets relative to the script (the elements are served from <app>/embed/)
	base: './',
	worker: { format: 'es' },
	build: {
		outDir,
		emptyOutDir: mode !== 'viewer',
		target: 'es2022',
		sourcemap: false,
		// lib mode leaves ES output unminified by default; these files are served as they are
		minify: true,
		lib: {
			entry: mode === 'viewer' ? { 'fsm-viewer': resolve('src/lib/embed/fsm-viewer.ts') } : { 'fsm-studio': resolve('src/lib/embed/fsm-studio.ts') },
			formats: ['es']
		},
		rollupOptions: {
			output: { minify: true, entryFileNames: '[name].js', chunkFileNames: 'chunks/[name]-[hash].js', assetFileNames: 'assets/[name]-[hash][extname]' }
		}
	}
}));
