// Library build of the web components into dist/embed/ (ES modules: one file per element,
// shared chunks beside them). `npm run build` runs it after the app's build and copies the
// result into the app's output, so the app serves the elements at <base>/embed/.
import { cpSync, existsSync, rmSync } from 'node:fs';
import { resolve } from 'node:path';
import { defineConfig, type Plugin } from 'vite';

const outDir = resolve('dist/embed');
const appDir = resolve(process.env.BUILD_DIR || 'build');

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

export default defineConfig({
	plugins: [intoApp()],
	resolve: { alias: { $lib: resolve('src/lib') } },
	build: {
		outDir,
		emptyOutDir: true,
		target: 'es2022',
		sourcemap: false,
		// lib mode leaves ES output unminified by default; these files are served as they are
		minify: true,
		lib: {
			entry: { 'fsm-viewer': resolve('src/lib/embed/fsm-viewer.ts') },
			formats: ['es']
		},
		rollupOptions: {
			output: { minify: true, entryFileNames: '[name].js', chunkFileNames: 'chunks/[name]-[hash].js', assetFileNames: 'assets/[name]-[hash][extname]' }
		}
	}
});
