/** Cases the awkward-name round-trip property once found, pinned. */
import { describe, expect, it } from 'vitest';
import type { Workflow } from '../../src/lib/model/types';
import { exportMermaid, importMermaid } from '../../src/lib/io/mermaid';
import { exportScxml, importScxml } from '../../src/lib/io/scxml';

const wf = (states: Workflow['states']): Workflow => ({ format: 'fsm-studio/workflow', version: 1, id: 'r', name: 'R', initial: Object.keys(states)[0], states });

function back(r: ReturnType<typeof importMermaid>): Workflow {
	if (!r.ok) throw new Error(JSON.stringify(r.errors));
	return r.workflow;
}

describe('regressions', () => {
	it('Mermaid keeps a parallel state that has a single region', () => {
		const w = wf({ p: { type: 'parallel', states: { only: { initial: 'x', states: { x: {} } } } } });
		expect(exportMermaid(w).text).toMatch(/\n {8}--\n {4}\}/);
		expect(back(importMermaid(exportMermaid(w).text)).states.p.type).toBe('parallel');
	});

	it('Mermaid event names with " / ", brackets, colons and quotes are not read as label syntax', () => {
		const w = wf({ a: { on: { 'a / b': 'c', 'g [h]': 'c', 'x:y': 'c', 'say "hi"': { target: 'c', guard: 'context.items[0] = "a;b"' } } }, c: {} });
		const on = back(importMermaid(exportMermaid(w).text)).states.a.on!;
		expect(Object.keys(on).sort()).toEqual(['a / b', 'g [h]', 'say "hi"', 'x:y']);
		expect(on['say "hi"']).toEqual([{ target: 'c', guard: 'context.items[0] = "a;b"' }]);
	});

	it('SCXML event names with spaces or "*" survive (they ride in fsm:event)', () => {
		const w = wf({ a: { on: { 'with space': 'b', 'x*': 'b', 'end.': 'b' } }, b: {} });
		const r = importScxml(exportScxml(w).text);
		if (!r.ok) throw new Error(JSON.stringify(r.errors));
		expect(Object.keys(r.workflow.states.a.on!).sort()).toEqual(['end.', 'with space', 'x*']);
	});
});
