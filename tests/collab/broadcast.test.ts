import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { BroadcastProvider } from '../../src/lib/collab/broadcast';
import { readWorkflow, writeWorkflow } from '../../src/lib/collab/binding';
import { addState, setWorkflowField } from '../../src/lib/collab/ops';
import { examples } from '../../src/lib/examples';

const settle = () => new Promise((r) => setTimeout(r, 50));

describe('BroadcastChannel provider (tabs of one browser)', () => {
	it('a tab that joins late receives the document, and edits flow both ways', async () => {
		const a = new Y.Doc();
		writeWorkflow(a, examples[0].workflow);
		const pa = new BroadcastProvider('test-room-1', a);
		const b = new Y.Doc();
		const pb = new BroadcastProvider('test-room-1', b);
		await settle();
		expect(readWorkflow(b)).toEqual(readWorkflow(a));
		addState(b, { key: 'fromB' });
		setWorkflowField(a, 'name', 'Renamed in A');
		await settle();
		expect(readWorkflow(a)).toEqual(readWorkflow(b));
		expect(readWorkflow(a).states.fromB).toBeDefined();
		expect(readWorkflow(b).name).toBe('Renamed in A');
		pa.destroy();
		pb.destroy();
	});

	it('edits made offline by the joining tab reach the others on join', async () => {
		const a = new Y.Doc();
		writeWorkflow(a, examples[0].workflow);
		const b = new Y.Doc();
		Y.applyUpdate(b, Y.encodeStateAsUpdate(a));
		addState(b, { key: 'offline' });
		const pa = new BroadcastProvider('test-room-2', a);
		const pb = new BroadcastProvider('test-room-2', b);
		await settle();
		expect(readWorkflow(a).states.offline).toBeDefined();
		pa.destroy();
		pb.destroy();
	});
});
