/** Cases the awkward-name round-trip property once found, pinned. */
import { describe, expect, it } from 'vitest';
import type { Workflow } from '../../src/lib/model/types';
import { exportMermaid, importMermaid } from '../../src/lib/io/mermaid';
import { exportScxml, importScxml } from '../../src/lib/io/scxml';

const wf = (states: Workflow['states'], name = 'R'): Workflow => ({ format: 'fsm-studio/workflow', version: 1, id: 'r', name, initial: Object.keys(states)[0], states });

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

	it('Mermaid import keeps a title that ends in a quote (was: `quote "inside"` read as `quote "inside`)', () => {
		const r = importMermaid('---\ntitle: quote "inside"\n---\nstateDiagram-v2\n[*] --> a\n');
		expect(r.ok && r.workflow.name).toBe('quote "inside"');
		const q = importMermaid('---\ntitle: "say \\"hi\\" # not a comment"\n---\nstateDiagram-v2\n[*] --> a\n');
		expect(q.ok && q.workflow.name).toBe('say "hi" # not a comment');
		const plain = importMermaid('---\ntitle: hash # comment\n---\nstateDiagram-v2\n[*] --> a\n');
		expect(plain.ok && plain.workflow.name).toBe('hash');
	});

	it('Mermaid export quotes the title, so YAML never reads it differently', () => {
		for (const name of ['a: b', 'hash # tag', '`x`', '- x', 'multi\nline']) {
			const text = exportMermaid(wf({ a: {} }, name)).text;
			expect(text.split('\n')[1]).toBe(`title: ${JSON.stringify(name)}`);
		}
	});

	it('Mermaid export writes a parallel region that is itself parallel with its own "--" separators', () => {
		const w = wf({ p: { type: 'parallel', states: { q: { type: 'parallel', states: { x: {}, y: {} } }, r: {} } } });
		const text = exportMermaid(w).text;
		expect(text).toMatch(/state q \{\n\s+x\n\s+--\n\s+y\n\s+\}/);
	});

	it('Mermaid export escapes HTML in names (Mermaid draws labels as HTML)', () => {
		const text = exportMermaid(wf({ '<b>x</b>': {} })).text;
		expect(text).not.toContain('<b>');
		expect(text).toContain('#60;b#62;x#60;/b#62;');
	});
});

