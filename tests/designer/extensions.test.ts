import { describe, expect, it } from 'vitest';
import { effectEditorsFor, fieldEditorFor, librarySources, onLibrarySourcesChange, registerEffectEditor, registerLibrarySource } from '../../src/lib/designer/extensions';
import { patternsSource } from '../../src/lib/designer/patterns';
import { effectCatalogue } from '../../src/lib/designer/effect-catalogue.svelte';
import { effectProblems } from '../../src/lib/designer/lint';
import { parseWorkflow } from '../../src/lib/model';

const load = () => Promise.resolve({ default: (() => null) as never });

describe('effect editor registry', () => {
	it('finds field editors (last registration wins) and whole-effect editors; unregistering removes them', () => {
		const off1 = registerEffectEditor({ type: 'call_llm', field: 'output', load });
		const second = { type: 'call_llm', field: 'output', load };
		const off2 = registerEffectEditor(second);
		const off3 = registerEffectEditor({ type: 'call_llm', placement: 'below', load });
		expect(fieldEditorFor('call_llm', 'output')).toBe(second);
		expect(fieldEditorFor('call_llm', 'prompt')).toBeUndefined();
		expect(fieldEditorFor('http', 'output')).toBeUndefined();
		expect(effectEditorsFor('call_llm')).toHaveLength(1);
		off2();
		expect(fieldEditorFor('call_llm', 'output')?.load).toBe(load);
		off1();
		off3();
		expect(fieldEditorFor('call_llm', 'output')).toBeUndefined();
		expect(effectEditorsFor('call_llm')).toEqual([]);
	});
});

describe('library sources', () => {
	it('orders sources, replaces one registered twice under the same id, and tells listeners', () => {
		let changes = 0;
		const stop = onLibrarySourcesChange(() => changes++);
		const offB = registerLibrarySource({ id: 'b', label: 'B', order: 20, items: () => [] });
		const offA = registerLibrarySource({ id: 'a', label: 'A', order: 1, items: () => [] });
		const offA2 = registerLibrarySource({ id: 'a', label: 'A again', order: 1, items: () => [] });
		expect(librarySources().map((s) => s.label)).toEqual(['A again', 'B']);
		expect(changes).toBe(3);
		offA2();
		offB();
		offA();
		stop();
		expect(librarySources()).toEqual([]);
	});

	it('the bundled patterns drop valid effects and states', async () => {
		await effectCatalogue.load();
		for (const entry of await patternsSource.items()) {
			const d = entry.drop;
			const states = d.kind === 'state' ? { [d.key]: d.spec, end: { type: 'final' as const } } : { s: { entry: [d.spec] }, end: { type: 'final' as const } };
			const initial = Object.keys(states)[0];
			const wf = { format: 'fsm-studio/workflow', version: 1, id: 'p', name: 'p', initial, states };
			const r = parseWorkflow(wf);
			expect(r.ok, `${entry.id}: ${JSON.stringify(!r.ok && r.errors)}`).toBe(true);
			if (r.ok) expect(effectProblems(r.workflow), entry.id).toEqual([]);
		}
	});
});
