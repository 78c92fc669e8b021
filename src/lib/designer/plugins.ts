/**
 * Where features plug into the designer: one line per registration (see `extensions.ts` and
 * README.md in this folder). Keep each registration small — an editor component loads on first
 * use through a dynamic import — since this runs on every designer page once the canvas has
 * drawn.
 */
import { registerLibrarySource } from './extensions';
import { patternsSource } from './patterns';

let loaded = false;

/** Runs the registrations once. */
export function loadPlugins(): void {
	if (loaded) return;
	loaded = true;
	registerLibrarySource(patternsSource);
	// e.g. registerEffectEditor({ type: 'call_llm', field: 'output', load: () => import('…/OutputSchemaEditor.svelte') });
}
