/**
 * A workflow edited many times over weeks, with a checkpoint every few edits and a few named
 * versions (used by the compaction test and the collab benchmark).
 */
import * as Y from 'yjs';
import { writeWorkflow } from '../../src/lib/collab/binding';
import * as ops from '../../src/lib/collab/ops';
import { checkpoint, nameVersion, registerPerson, type Version } from '../../src/lib/collab/history';
import type { Workflow } from '../../src/lib/model/types';

export function ringWorkflow(n: number): Workflow {
	const states: Record<string, unknown> = {};
	const layout: Record<string, { x: number; y: number }> = {};
	for (let i = 0; i < n; i++) {
		states[`s${i}`] = { on: { NEXT: `s${(i + 1) % n}`, BACK: `s${(i + n - 1) % n}` }, entry: [{ type: 'log', message: `in s${i}` }] };
		layout[`s${i}`] = { x: (i % 20) * 220, y: Math.floor(i / 20) * 120 };
	}
	return { format: 'fsm-studio/workflow', version: 1, id: 'long', name: 'Long', initial: 's0', context: { n: 0 }, states, layout } as Workflow;
}

export interface LongHistory {
	doc: Y.Doc;
	named: Version[];
	versions: number;
}

/**
 * `edits` edits of an `n`-state workflow spread evenly over `days` days before `now`: a
 * description, a move, now and then a transition added or a state added and removed; a
 * checkpoint every `every` edits; a named version every `namedEvery` edits.
 */
export function longHistory(opts: { n: number; edits: number; every: number; namedEvery: number; days: number; now: number; doc?: Y.Doc }): LongHistory {
	const doc = opts.doc ?? new Y.Doc({ gc: false });
	writeWorkflow(doc, ringWorkflow(opts.n));
	const me = { name: 'Ada', color: '#0090ff' };
	registerPerson(doc, me);
	const start = opts.now - opts.days * 86_400_000;
	const step = (opts.days * 86_400_000) / opts.edits;
	let prev: ReturnType<typeof checkpoint> | null = null;
	const named: Version[] = [];
	let versions = 0;
	for (let i = 1; i <= opts.edits; i++) {
		const s = `s${i % opts.n}`;
		switch (i % 5) {
			case 0:
				ops.setStateFields(doc, s, { description: `edit ${i}` });
				break;
			case 1:
				ops.setLayout(doc, { [s]: { x: (i * 37) % 4000, y: (i * 53) % 2000 } });
				break;
			case 2:
				if (i % 20 === 2) ops.addTransition(doc, s, `s${(i + 7) % opts.n}`, `E${i}`);
				else ops.setStateFields(doc, s, { description: `note ${i}` });
				break;
			case 3:
				if (i % 50 === 3) ops.addState(doc, { key: `tmp${i}`, position: { x: 0, y: 0 } });
				else ops.setLayout(doc, { [s]: { x: i % 3000, y: i % 1500 } });
				break;
			case 4:
				if (i % 50 === 4) ops.removeStates(doc, [`tmp${i - 1}`]);
				else ops.setStateFields(doc, s, { description: undefined });
				break;
		}
		if (i % opts.every === 0) {
			prev = checkpoint(doc, { kind: 'auto', by: me, previous: prev, at: Math.round(start + i * step) });
			versions++;
			if (i % opts.namedEvery === 0) {
				nameVersion(doc, prev.version.id, `Milestone ${i}`);
				named.push({ ...prev.version, kind: 'named', name: `Milestone ${i}` });
			}
		}
	}
	return { doc, named, versions };
}
