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
