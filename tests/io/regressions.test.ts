/** Cases the awkward-name round-trip property once found, pinned. */
import { describe, expect, it } from 'vitest';
import type { Workflow } from '../../src/lib/model/types';
import { exportMermaid, importMermaid } from '../../src/lib/io/mermaid';
import { exportScxml, importScxml } from '../../src/lib/io/scxml';
import { exportXStateJson, importXState, toXStateConfig } from '../../src/lib/io/xstate';
import { ALL_FIELDS, semantic } from './helpers';

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

	const scxml = (body: string) => `<scxml xmlns="http://www.w3.org/2005/07/scxml" version="1.0" initial="a">${body}<final id="done"/></scxml>`;
	const imported = (text: string) => {
		const r = importScxml(text);
		if (!r.ok) throw new Error(JSON.stringify(r.errors));
		return r;
	};

	it('SCXML <send event> without a target is not imported as raise (that is the internal queue): it is a send to the external queue', () => {
		const r = imported(scxml('<state id="a"><onentry><send event="x"/></onentry><transition event="x" target="done"/></state>'));
		expect(r.workflow.states.a.entry).toEqual([{ type: 'send', event: 'x' }]);
		expect(r.lost).toEqual([]);
		const internal = imported(scxml('<state id="a"><onentry><send event="x" target="#_internal"/></onentry><transition event="x" target="done"/></state>'));
		expect(internal.workflow.states.a.entry).toEqual([{ type: 'raise', event: 'x' }]);
		expect(internal.lost).toEqual([]);
	});

	it('SCXML <send type="…"> of another event processor is listed as lost, not ignored', () => {
		const r = imported(scxml('<state id="a"><onentry><send type="http://www.w3.org/TR/scxml/#BasicHTTPEventProcessor" event="x" target="#_internal"/></onentry></state>'));
		expect(r.workflow.states.a.entry).toBeUndefined();
		expect(r.lost[0]).toMatchObject({ line: 1, message: expect.stringMatching(/<send type="http:\/\/www.w3.org\/TR\/scxml\/#BasicHTTPEventProcessor"> uses an event processor FSM Studio does not have/) });
	});

	it('SCXML event=".*" lists that transition as lost instead of rejecting the document; "*", "error" and lists of descriptors are kept', () => {
		const r = imported(scxml('<state id="a"><transition event=".*" target="done"/><transition event="error foo.*" target="done"/><transition event="*" target="done"/></state>'));
		expect(Object.keys(r.workflow.states.a.on!)).toEqual(['error foo.*', '*']);
		expect(r.lost.map((l) => l.message)).toEqual([expect.stringMatching(/the event descriptor ".\*" is not valid/)]);
	});

	it('SCXML transitions of one state keep their document order across overlapping descriptors', () => {
		const r = imported(scxml('<state id="a"><transition event="x" cond="false" target="done"/><transition event="*" target="b"/><transition event="x" target="done"/></state><state id="b"/>'));
		expect(Object.keys(r.workflow.states.a.on!)).toEqual(['x', '*', 'x.*']);
	});

	it('SCXML type="internal" to the source itself leaves and re-enters it (only proper descendants keep it)', () => {
		const r = imported(scxml('<state id="a" initial="a1"><transition event="self" type="internal" target="a"/><transition event="child" type="internal" target="a2"/><state id="a1"/><state id="a2"/></state>'));
		expect(r.workflow.states.a.on).toEqual({ self: [{ target: 'a', reenter: true }], child: [{ target: '.a2', reenter: false }] });
	});

	it('XState export writes a root transition\'s plain target as ".a" (XState rejects "a" from the root)', () => {
		const w = { ...wf({ a: {}, b: {} }), on: { R: 'a', S: { target: ['b'] }, T: '#r.a' } } as Workflow;
		expect(toXStateConfig(w).on).toEqual({ R: '.a', S: { target: ['.b'] }, T: '#r.a' });
	});

	it('XState export escapes names with backslashes, and writes ".child" of such a state from its parent (XState glues the raw name in front)', () => {
		const w = wf({ 'c\\d': { initial: 'x', on: { IN: '.y' }, states: { x: { on: { GO: 'y' } }, y: {} } }, e: { on: { BACK: 'c\\\\d' } } });
		const states = toXStateConfig(w).states as Record<string, { on?: Record<string, unknown> }>;
		expect(states['c\\d'].on).toEqual({ IN: 'c\\\\d.y' });
		expect(states.e.on).toEqual({ BACK: 'c\\\\d' });
		const back = importXState(exportXStateJson(w).text);
		if (!back.ok) throw new Error(JSON.stringify(back.errors));
		const opts = { keep: ALL_FIELDS };
		expect(semantic(back.workflow, opts)).toEqual(semantic(w, opts));
	});
});

