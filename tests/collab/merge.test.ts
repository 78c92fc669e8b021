import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { readWorkflow, writeWorkflow } from '../../src/lib/collab/binding';
import * as ops from '../../src/lib/collab/ops';
import { MergeGuard, type MergeNotice } from '../../src/lib/collab/merge';
import { lintWorkflow, parseWorkflow } from '../../src/lib/model';
import { examples } from '../../src/lib/examples';

function pair() {
	const a = new Y.Doc({ gc: false });
	const b = new Y.Doc({ gc: false });
	writeWorkflow(a, examples[0].workflow);
	Y.applyUpdate(b, Y.encodeStateAsUpdate(a));
	const notes = { a: [] as MergeNotice[], b: [] as MergeNotice[] };
	const ga = new MergeGuard(a, { onNotice: (n) => notes.a.push(...n), delay: 100000 });
	const gb = new MergeGuard(b, { onNotice: (n) => notes.b.push(...n), delay: 100000 });
	const sync = () => {
		for (let i = 0; i < 3; i++) {
			Y.applyUpdate(b, Y.encodeStateAsUpdate(a, Y.encodeStateVector(b)), 'remote');
			Y.applyUpdate(a, Y.encodeStateAsUpdate(b, Y.encodeStateVector(a)), 'remote');
			ga.check();
			gb.check();
		}
	};
	return { a, b, notes, sync };
}

describe('merges that keep intent', () => {
	it('two peers creating a state with the same name at the same instant get two states, and the one renamed is told', () => {
		const { a, b, notes, sync } = pair();
		ops.addState(a, { key: 'review', position: { x: 100, y: 100 }, spec: { description: 'from A' } });
		ops.addState(b, { key: 'review', position: { x: 300, y: 300 }, spec: { description: 'from B', entry: [{ type: 'log', message: 'b' }] } });
		sync();
		const wa = readWorkflow(a);
		expect(readWorkflow(b)).toEqual(wa);
		expect(wa.states.review).toBeDefined();
		expect(wa.states.review2).toBeDefined();
		expect(new Set([wa.states.review.description, wa.states.review2.description])).toEqual(new Set(['from A', 'from B']));
		const loser = wa.states.review2.description === 'from A' ? notes.a : notes.b;
		const winner = loser === notes.a ? notes.b : notes.a;
		expect(loser).toContainEqual(expect.objectContaining({ kind: 'state', path: 'review', rescuedAs: 'review2' }));
		expect(winner.filter((n) => n.kind === 'state')).toEqual([]);
		// the rescued copy keeps its effects and its own position
		const fromB = wa.states.review.description === 'from B' ? 'review' : 'review2';
		expect(wa.states[fromB].entry).toEqual([{ type: 'log', message: 'b' }]);
		expect(wa.layout?.[fromB]).toMatchObject({ x: 300, y: 300 });
		expect(parseWorkflow(wa).ok).toBe(true);
	});

	it('concurrent edits to one property keep one value everywhere, and the peer that lost sees its value', () => {
		const { a, b, notes, sync } = pair();
		ops.setStateFields(a, 'open', { description: 'A wrote this' });
		ops.setStateFields(b, 'open', { description: 'B wrote this' });
		sync();
		const d = readWorkflow(a).states.open.description;
		expect(readWorkflow(b).states.open.description).toBe(d);
		const loser = d === 'A wrote this' ? notes.b : notes.a;
		const mine = d === 'A wrote this' ? 'B wrote this' : 'A wrote this';
		expect(loser).toContainEqual(expect.objectContaining({ kind: 'value', path: ['states', 'open', 'description'], mine, theirs: d }));
		const winner = loser === notes.a ? notes.b : notes.a;
		expect(winner).toEqual([]);
	});

	it('an ordinary overwrite (after seeing the value) is not a conflict', () => {
		const { a, b, notes, sync } = pair();
		ops.setStateFields(a, 'open', { description: 'first' });
		sync();
		ops.setStateFields(b, 'open', { description: 'second' });
		sync();
		expect(notes.a).toEqual([]);
		expect(notes.b).toEqual([]);
	});

	it('a transition to a state someone deleted at the same time is repaired, so the merge still parses', () => {
		const { a, b, notes, sync } = pair();
		ops.addTransition(a, 'open', 'locked', 'SLAM');
		ops.removeStates(b, ['locked']);
		expect(parseWorkflow(readWorkflow(a)).ok).toBe(true);
		expect(parseWorkflow(readWorkflow(b)).ok).toBe(true);
		sync();
		const wf = readWorkflow(a);
		expect(readWorkflow(b)).toEqual(wf);
		expect(parseWorkflow(wf).ok).toBe(true);
		expect(wf.states.open.on?.SLAM).toBeUndefined();
		expect([...notes.a, ...notes.b].some((n) => n.kind === 'repair' && /SLAM/.test(n.message))).toBe(true);
	});

	it('an initial state deleted while another peer made it initial is repaired', () => {
		const { a, b, sync } = pair();
		ops.setInitial(a, 'locked');
		ops.removeStates(b, ['locked']);
		sync();
		const wf = readWorkflow(a);
		expect(readWorkflow(b)).toEqual(wf);
		expect(parseWorkflow(wf).ok).toBe(true);
	});

	it('a problem a person made on purpose is left alone (their edit had seen everything)', () => {
		const a = new Y.Doc({ gc: false });
		const b = new Y.Doc({ gc: false });
		writeWorkflow(a, examples[0].workflow);
		Y.applyUpdate(b, Y.encodeStateAsUpdate(a));
		const g = new MergeGuard(b, { onNotice: () => {}, delay: 100000, isConcurrent: () => false });
		ops.setWorkflowField(a, 'initial', 'nowhere');
		Y.applyUpdate(b, Y.encodeStateAsUpdate(a, Y.encodeStateVector(b)), 'remote');
		g.check();
		expect(readWorkflow(b).initial).toBe('nowhere');
	});
});

describe('repair on read', () => {
	const structural = (wf: ReturnType<typeof readWorkflow>) =>
		lintWorkflow(wf).filter((p) => p.severity === 'error' && ['no-initial', 'unknown-target', 'duplicate-id'].includes(p.rule)).map((p) => p.message);

	it('a stored document left broken by a merge is repaired the same way on every peer that opens it, and the repairs are said', () => {
		// as a merge can leave it when the tab closed before the guard ran: a target deleted at
		// the same time, an id used twice, an initial state renamed away
		const broken = {
			format: 'fsm-studio/workflow', version: 1, id: 'w', name: 'broken', initial: 'gone',
			states: {
				idle: { id: 'start', on: { GO: 'busy', STOP: [{ target: 'deleted', guard: 'x > 1' }, { target: 'busy' }] } },
				busy: { id: 'start', on: { BACK: '#start' }, after: { '500': 'vanished' } }
			}
		} as unknown as ReturnType<typeof readWorkflow>;
		const a = new Y.Doc({ gc: false });
		writeWorkflow(a, broken);
		const b = new Y.Doc({ gc: false });
		Y.applyUpdate(b, Y.encodeStateAsUpdate(a));
		expect(structural(readWorkflow(a)).length).toBeGreaterThan(0);
		const notes = { a: [] as MergeNotice[], b: [] as MergeNotice[] };
		const ga = new MergeGuard(a, { onNotice: (n) => notes.a.push(...n) });
		const gb = new MergeGuard(b, { onNotice: (n) => notes.b.push(...n) });
		// both open it at the same time, offline, then sync
		ga.repairOnRead();
		gb.repairOnRead();
		expect(readWorkflow(a)).toEqual(readWorkflow(b));
		Y.applyUpdate(b, Y.encodeStateAsUpdate(a, Y.encodeStateVector(b)), 'remote');
		Y.applyUpdate(a, Y.encodeStateAsUpdate(b, Y.encodeStateVector(a)), 'remote');
		const wa = readWorkflow(a);
		expect(readWorkflow(b)).toEqual(wa);
		expect(structural(wa)).toEqual([]);
		expect(parseWorkflow(wa).ok).toBe(true);
		// what was changed, in words
		const said = notes.a.map((n) => (n.kind === 'repair' ? n.message : '')).join('\n');
		expect(said).toContain('"gone"');
		expect(said).toContain('"deleted"');
		expect(said).toContain('"vanished"');
		expect(said).toContain('"start"');
		expect(notes.b.map((n) => (n.kind === 'repair' ? n.message : ''))).toEqual(notes.a.map((n) => (n.kind === 'repair' ? n.message : '')));
		// what is not broken is kept
		expect(wa.states.idle.on?.GO).toBe('busy');
		expect(wa.states.idle.on?.STOP).toEqual('busy');
		// a second read finds nothing to repair
		expect(ga.repairOnRead()).toEqual([]);
		ga.destroy();
		gb.destroy();
	});
});
