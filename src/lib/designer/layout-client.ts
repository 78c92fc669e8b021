/**
 * Auto-layout off the main thread: ELK runs in `src/workers/layout.worker.ts`, started on first
 * use. Where there are no workers (Node, tests) it runs in place.
 */
import type { Remote } from 'comlink';
import type { LayoutEntry, Workflow } from '../model/types';
import type { Direction } from './auto-layout';

type LayoutApi = { autoLayout: typeof import('./auto-layout').autoLayout };
let api: Promise<Remote<LayoutApi> | null> | null = null;

function worker(): Promise<Remote<LayoutApi> | null> {
	api ??= (async () => {
		if (typeof Worker === 'undefined') return null;
		const Comlink = await import('comlink');
		const w = new Worker(new URL('../../workers/layout.worker.ts', import.meta.url), { type: 'module', name: 'fsm-layout' });
		return Comlink.wrap<LayoutApi>(w);
	})();
	return api;
}

/** New positions (relative to each parent) and container sizes for every state. */
export async function layoutWorkflow(wf: Workflow, sizes: Map<string, { width: number; height: number }>, direction: Direction = 'RIGHT'): Promise<Record<string, LayoutEntry>> {
	const remote = await worker();
	if (remote) return remote.autoLayout(structuredClone(wf), sizes, direction);
	const { autoLayout } = await import('./auto-layout');
	return autoLayout(wf, sizes, direction);
}
