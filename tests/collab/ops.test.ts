import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { readWorkflow, writeWorkflow } from '../../src/lib/collab/binding';
import {
	addEffect, addState, addTransition, copyFragment, pasteFragment, removeStates, removeTransitions,
	renameState, setInitial, setStateType, updateTransition, EditError, moveState
} from '../../src/lib/collab/ops';
import { listTransitions } from '../../src/lib/model/tree';
import { examples } from '../../src/lib/examples';
import { blankWorkflow } from '../../src/lib/collab/workspace';

function fresh() {
	const doc = new Y.Doc();
	writeWorkflow(doc, blankWorkflow('t'));
	return doc;
}

describe('editing operations', () => {
	it('adds states with unique names and transitions between them', () => {
		const doc = fresh();
		const a = addState(doc, { position: { x: 0, y: 0 } });
		const b = addState(doc, { position: { x: 200, y: 0 } });
		expect([a, b]).toEqual(['state', 'state2']);
		const id = addTransition(doc, a, b);
		expect(id).toBe('state|on:EVENT|0');
		const id2 = addTransition(doc, a, b);
		expect(id2).toBe('state|on:EVENT2|0');
		const wf = readWorkflow(doc);
		expect(wf.states.state.on).toEqual({ EVENT: 'state2', EVENT2: 'state2' });
		expect(wf.layout).toEqual({ state: { x: 0, y: 0 }, state2: { x: 200, y: 0 } });
	});

	it('renames the event of a transition and sets a guard', () => {
		const doc = fresh();
		addState(doc, { key: 'a' });
		addState(doc, { key: 'b' });
		const id = addTransition(doc, 'a', 'b');
		const id2 = updateTransition(doc, id, { event: 'GO', guard: 'context.x > 1' });
		expect(id2).toBe('a|on:GO|0');
		expect(readWorkflow(doc).states.a.on).toEqual({ GO: { target: 'b', guard: 'context.x > 1' } });
		updateTransition(doc, id2, { guard: '' });
		expect(readWorkflow(doc).states.a.on).toEqual({ GO: 'b' });
	});

	it('renaming a state updates targets, initial and layout', () => {
		const doc = new Y.Doc();
		writeWorkflow(doc, examples[0].workflow);
		renameState(doc, 'closed', 'shut');
		const wf = readWorkflow(doc);
		expect(wf.initial).toBe('shut');
		expect(wf.states.open.on).toEqual({ CLOSE: 'shut' });
		expect(wf.states.open.after).toEqual({ '5000': 'shut' });
		expect(wf.layout?.shut).toEqual({ x: 0, y: 0 });
		expect(wf.layout?.closed).toBeUndefined();
		expect(listTransitions(wf).every((t) => t.targets.every((x) => x !== null))).toBe(true);
		expect(() => renameState(doc, 'open', 'locked')).toThrow(EditError);
		expect(() => renameState(doc, 'open', 'a.b')).toThrow(EditError);
	});

	it('renaming a compound state rewrites child targets', () => {
		const doc = fresh();
		addState(doc, { key: 'outer', spec: { type: 'compound' } });
		addState(doc, { parent: 'outer', key: 'x' });
		addState(doc, { key: 'other' });
		addTransition(doc, 'other', 'outer.x', 'IN');
		addTransition(doc, 'outer', 'outer.x', 'SELF');
		renameState(doc, 'outer', 'box');
		const wf = readWorkflow(doc);
		expect(wf.states.other.on).toEqual({ IN: 'box.x' });
		expect(wf.states.box.on).toEqual({ SELF: '.x' });
		expect(wf.states.box.initial).toBe('x');
	});

	it('deleting a state removes the transitions that lead to it', () => {
		const doc = new Y.Doc();
		writeWorkflow(doc, examples[0].workflow);
		removeStates(doc, ['locked']);
		const wf = readWorkflow(doc);
		expect(wf.states.locked).toBeUndefined();
		expect(Object.keys(wf.states.closed.on ?? {})).toEqual(['OPEN']);
		expect(wf.layout?.locked).toBeUndefined();
	});

	it('removes one alternative of several', () => {
		const doc = fresh();
		addState(doc, { key: 'a' });
		addState(doc, { key: 'b' });
		addTransition(doc, 'a', 'b', 'GO', { guard: 'x' });
		addTransition(doc, 'a', 'a', 'GO');
		removeTransitions(doc, ['a|on:GO|0']);
		expect(readWorkflow(doc).states.a.on).toEqual({ GO: 'a' });
	});

	it('copy and paste keeps inner transitions and renames clashes', () => {
		const doc = new Y.Doc();
		writeWorkflow(doc, examples[0].workflow);
		const frag = copyFragment(readWorkflow(doc), ['open', 'closed']);
		const pasted = pasteFragment(doc, JSON.parse(JSON.stringify(frag)));
		expect(pasted.sort()).toEqual(['closed2', 'open2']);
		const wf = readWorkflow(doc);
		expect(wf.states.open2.on).toEqual({ CLOSE: 'closed2' });
		expect(Object.keys(wf.states.closed2.on ?? {})).toEqual(['OPEN']); // LOCK led outside the copy
		expect(wf.layout?.open2).toEqual({ x: 360, y: -40 });
	});

	it('children of compound states, types and initial', () => {
		const doc = fresh();
		addState(doc, { key: 'p', spec: { type: 'compound' } });
		addState(doc, { parent: 'p', key: 'c1' });
		addState(doc, { parent: 'p', key: 'c2' });
		setInitial(doc, 'p.c2');
		setInitial(doc, 'p');
		expect(() => setStateType(doc, 'p', 'atomic')).toThrow(EditError);
		addEffect(doc, 'p.c1', 'entry', { type: 'log', message: 'hi' });
		addEffect(doc, 'p.c1', 'invoke', { type: 'call_llm', prompt: 'x' });
		const wf = readWorkflow(doc);
		expect(wf.initial).toBe('p');
		expect(wf.states.p.initial).toBe('c2');
		expect(wf.states.p.states?.c1).toEqual({ entry: [{ type: 'log', message: 'hi' }], invoke: { type: 'call_llm', prompt: 'x' } });
	});
});

describe('moving a state to another parent', () => {
	it('keeps every transition pointing where it did, both ways', () => {
		const doc = new Y.Doc();
		writeWorkflow(doc, examples.find((e) => e.id === 'smart-door')!.workflow);
		const before = listTransitions(readWorkflow(doc)).map((t) => [t.label, t.targets]);
		addState(doc, { key: 'secure', spec: { type: 'compound', states: {} }, position: { x: 600, y: 0 } });
		const p = moveState(doc, 'locked', 'secure', { x: 20, y: 50 });
		expect(p).toBe('secure.locked');
		const wf = readWorkflow(doc);
		expect(wf.states.locked).toBeUndefined();
		expect(wf.states.secure.initial).toBe('locked');
		expect(wf.layout?.['secure.locked']).toEqual({ x: 20, y: 50 });
		// closed --LOCK--> now says secure.locked; locked --UNLOCK--> closed now needs an id
		const after = listTransitions(wf);
		expect(after.every((t) => t.targets.every((x) => x !== null))).toBe(true);
		const remapped = before.map(([label, targets]) => [label, (targets as string[]).map((x) => (x === 'locked' ? 'secure.locked' : x))]);
		expect(after.map((t) => [t.label, t.targets])).toEqual(remapped);
		// and back out again
		const q = moveState(doc, 'secure.locked', '');
		expect(q).toBe('locked');
		expect(listTransitions(readWorkflow(doc)).map((t) => [t.label, t.targets])).toEqual(before);
	});

	it('refuses to put a state inside itself or inside an atomic state', () => {
		const doc = fresh();
		addState(doc, { key: 'box', spec: { type: 'compound', states: {} } });
		addState(doc, { parent: 'box', key: 'inner' });
		addState(doc, { key: 'leaf' });
		expect(() => moveState(doc, 'box', 'box.inner')).toThrow(EditError);
		expect(() => moveState(doc, 'box.inner', 'leaf')).toThrow(EditError);
	});
});
