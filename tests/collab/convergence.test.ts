/**
 * Seeded fuzz test: three peers make random edits and exchange updates at random moments
 * (some peers stay disconnected for a while); after a final full sync every peer must hold
 * the same workflow.
 */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import * as Y from 'yjs';
import { readWorkflow, writeWorkflow } from '../../src/lib/collab/binding';
import * as ops from '../../src/lib/collab/ops';
import { allStatePaths, listTransitions } from '../../src/lib/model/tree';
import { parseWorkflow } from '../../src/lib/model';
import { examples } from '../../src/lib/examples';

function rng(seed: number) {
	let s = seed >>> 0 || 1;
	return () => {
		s ^= s << 13;
		s ^= s >>> 17;
		s ^= s << 5;
		return (s >>> 0) / 4294967296;
	};
}

function sync(a: Y.Doc, b: Y.Doc) {
	Y.applyUpdate(b, Y.encodeStateAsUpdate(a, Y.encodeStateVector(b)));
	Y.applyUpdate(a, Y.encodeStateAsUpdate(b, Y.encodeStateVector(a)));
}

function randomEdit(doc: Y.Doc, r: () => number) {
	const wf = readWorkflow(doc);
	const paths = allStatePaths(wf);
	const pick = <T,>(xs: T[]) => xs[Math.floor(r() * xs.length)];
	const n = Math.floor(r() * 10);
	try {
		switch (n) {
			case 0:
				ops.addState(doc, { parent: r() < 0.3 && paths.length ? pick(paths) : '', position: { x: r() * 500, y: r() * 500 } });
				break;
			case 1:
				if (paths.length) ops.setLayout(doc, { [pick(paths)]: { x: r() * 800, y: r() * 800 } });
				break;
			case 2:
				if (paths.length) ops.addTransition(doc, pick(paths), pick(paths), pick(['A', 'B', 'C']));
				break;
			case 3:
				if (paths.length) ops.renameState(doc, pick(paths), `s${Math.floor(r() * 20)}`);
				break;
			case 4:
				if (paths.length) ops.removeStates(doc, [pick(paths)]);
				break;
			case 5:
				ops.setWorkflowField(doc, 'name', `name ${Math.floor(r() * 100)}`);
				break;
			case 6: {
				const ts = listTransitions(wf);
				if (ts.length) ops.updateTransition(doc, pick(ts).id, { event: pick(['X', 'Y']), guard: r() < 0.5 ? 'context.n > 1' : '' });
				break;
			}
			case 7:
				if (paths.length) ops.addEffect(doc, pick(paths), pick(['entry', 'exit', 'invoke'] as const), { type: 'log', message: String(r()) });
				break;
			case 8:
				if (paths.length) ops.setInitial(doc, pick(paths));
				break;
			case 9:
				if (paths.length) ops.moveState(doc, pick(paths), r() < 0.5 ? '' : pick(paths), { x: 10, y: 40 });
				break;
		}
	} catch (e) {
		if (!(e instanceof ops.EditError)) throw e;
	}
}

function runScenario(seed: number, steps = 120) {
	const r = rng(seed);
	const peers = [new Y.Doc(), new Y.Doc(), new Y.Doc()];
	writeWorkflow(peers[0], examples[0].workflow);
	sync(peers[0], peers[1]);
	sync(peers[0], peers[2]);
	const online = [true, true, true];
	for (let i = 0; i < steps; i++) {
		const p = Math.floor(r() * 3);
		randomEdit(peers[p], r);
		if (r() < 0.1) online[p] = !online[p];
		if (r() < 0.3) {
			const a = Math.floor(r() * 3);
			const b = (a + 1 + Math.floor(r() * 2)) % 3;
			if (online[a] && online[b]) sync(peers[a], peers[b]);
		}
	}
	for (let k = 0; k < 2; k++) {
		sync(peers[0], peers[1]);
		sync(peers[1], peers[2]);
		sync(peers[2], peers[0]);
	}
	return peers.map((d) => readWorkflow(d));
}

describe('concurrent editing converges', () => {
	it('three peers with random edits and random syncs end equal (property, seeded)', () => {
		fc.assert(
			fc.property(fc.integer({ min: 1, max: 2 ** 31 - 1 }), (seed) => {
				const [a, b, c] = runScenario(seed);
				expect(b).toEqual(a);
				expect(c).toEqual(a);
				// what converged is still plain JSON, a valid workflow, and every transition's source exists
				expect(JSON.parse(JSON.stringify(a))).toEqual(a);
				// The structure always survives. What may remain are conflicts between the peers'
				// intents, which the designer lists as problems for the user to fix: a reference to
				// a state another peer deleted at the same time (a transition's target, an initial
				// state), or the same id given to two states by two peers.
				const parsed = parseWorkflow(JSON.parse(JSON.stringify(a)));
				const conflict = (m: string) =>
					/(target|initial state|initial child) "[^"]+" (of "[^"]+" )?does not exist/.test(m) || /^([\w.]+\.)?initial: missing/.test(m) || /the id "[^"]+" is already used by state/.test(m);
				const errors = parsed.ok ? [] : parsed.errors.filter((e) => !conflict(e.message));
				expect(errors).toEqual([]);
				const paths = new Set(allStatePaths(a));
				for (const t of listTransitions(a)) expect(t.source === '' || paths.has(t.source)).toBe(true);
			}),
			{ seed: 20261125, numRuns: 60 }
		);
	});

	it('concurrent additions of different events on one state both survive', () => {
		const a = new Y.Doc();
		writeWorkflow(a, examples[0].workflow);
		const b = new Y.Doc();
		sync(a, b);
		ops.addTransition(a, 'open', 'locked', 'LOCK_A');
		ops.addTransition(b, 'open', 'closed', 'SLAM');
		sync(a, b);
		expect(Object.keys(readWorkflow(a).states.open.on ?? {}).sort()).toEqual(['CLOSE', 'LOCK_A', 'SLAM']);
		expect(readWorkflow(b)).toEqual(readWorkflow(a));
	});

	it('a position change and a rename of another state made at once both survive', () => {
		const a = new Y.Doc();
		writeWorkflow(a, examples[0].workflow);
		const b = new Y.Doc();
		sync(a, b);
		ops.setLayout(a, { open: { x: 1, y: 2 } });
		ops.renameState(b, 'locked', 'bolted');
		sync(a, b);
		const wf = readWorkflow(a);
		expect(wf.layout?.open).toEqual({ x: 1, y: 2 });
		expect(wf.states.bolted).toBeDefined();
		expect(readWorkflow(b)).toEqual(wf);
	});
});
