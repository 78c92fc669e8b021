import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { readWorkflow, writeWorkflow } from '../../src/lib/collab/binding';
import { examples } from '../../src/lib/examples';
import type { Workflow } from '../../src/lib/model/types';

const nested: Workflow = {
	format: 'fsm-studio/workflow',
	version: 1,
	id: 'n',
	name: 'Nested',
	initial: 'active',
	context: { a: [1, { b: 'x' }] },
	states: {
		active: {
			type: 'parallel',
			states: {
				door: { initial: 'closed', states: { closed: { on: { OPEN: 'open' } }, open: { after: { '1000': 'closed' } } } },
				light: { initial: 'off', states: { off: {}, on: { entry: [{ type: 'log', message: 'hi' }] } } }
			},
			onDone: 'done'
		},
		done: { type: 'final', output: 'context.a' }
	},
	on: { RESET: '.active' },
	layout: { active: { x: 0, y: 0, width: 500, height: 300 }, 'active.door': { x: 10, y: 20 } }
};

describe('Y.Doc ⇄ Workflow binding', () => {
	it('round-trips the bundled examples exactly', () => {
		for (const ex of examples) {
			const doc = new Y.Doc();
			writeWorkflow(doc, ex.workflow);
			expect(readWorkflow(doc)).toEqual(ex.workflow);
		}
	});

	it('round-trips nested, parallel and root-level transitions', () => {
		const doc = new Y.Doc();
		writeWorkflow(doc, nested);
		expect(readWorkflow(doc)).toEqual(nested);
	});

	it('survives encoding to an update and back into a fresh doc', () => {
		const a = new Y.Doc();
		writeWorkflow(a, nested);
		const b = new Y.Doc();
		Y.applyUpdate(b, Y.encodeStateAsUpdate(a));
		expect(readWorkflow(b)).toEqual(nested);
	});

	it('writes keys in a stable order', () => {
		const doc = new Y.Doc();
		writeWorkflow(doc, { ...nested, name: 'X' });
		expect(Object.keys(readWorkflow(doc))).toEqual(['format', 'version', 'id', 'name', 'initial', 'context', 'states', 'on', 'layout']);
	});
});
