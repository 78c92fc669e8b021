import 'fake-indexeddb/auto';
import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { readWorkflow, writeWorkflow, rootMap, LOCAL } from '../../src/lib/collab/binding';
import * as ops from '../../src/lib/collab/ops';
import { HistoryRecorder, applyWorkflow, checkpoint, exportBundle, listVersions, nameVersion, readBundle, registerPerson, workflowAt } from '../../src/lib/collab/history';
import { describeDiff, diffWorkflows, lineDiff } from '../../src/lib/collab/diff';
import { openWorkflowDoc } from '../../src/lib/collab/persistence';
import { createWorkflow, importWorkflowWithHistory, loadWorkflow } from '../../src/lib/collab/workspace';
import { examples } from '../../src/lib/examples';

const ana = { name: 'Ana', color: '#e5484d' };

function fresh() {
	const doc = new Y.Doc({ gc: false });
	writeWorkflow(doc, examples[0].workflow);
	registerPerson(doc, ana);
	return doc;
}

describe('version history', () => {
	it('checkpoints record who changed what, and any version can be read back', () => {
		const doc = fresh();
		const v1 = checkpoint(doc, { kind: 'auto', by: ana }).version;
		ops.addState(doc, { key: 'review', spec: { entry: [{ type: 'log', message: 'hi' }] } });
		ops.addTransition(doc, 'open', 'review', 'CHECK');
		ops.renameState(doc, 'locked', 'bolted');
		const v2 = checkpoint(doc, { kind: 'named', name: 'With review', by: ana }).version;
		expect(v2.summary).toEqual(expect.arrayContaining(['added state review', 'removed state locked', 'added state bolted', 'added transition open —CHECK→ review']));
		expect(v2.authors).toEqual([ana]);
		ops.removeStates(doc, ['review']);
		expect(workflowAt(doc, v1)).toEqual(examples[0].workflow);
		expect(workflowAt(doc, v2).states.review.entry).toEqual([{ type: 'log', message: 'hi' }]);
		expect(listVersions(doc).map((v) => v.name ?? v.kind)).toEqual(['auto', 'With review']);
		nameVersion(doc, v1.id, 'Start');
		expect(listVersions(doc)[0].name).toBe('Start');
	});

	it('restore makes the old version current as a new, undoable edit (nothing overwritten)', () => {
		const doc = fresh();
		const undo = new Y.UndoManager(rootMap(doc), { trackedOrigins: new Set([LOCAL]), captureTimeout: 0 });
		const v1 = checkpoint(doc, { kind: 'auto', by: ana }).version;
		ops.addState(doc, { key: 'review' });
		ops.setStateFields(doc, 'open', { description: 'changed' });
		checkpoint(doc, { kind: 'auto', by: ana });
		undo.stopCapturing();
		applyWorkflow(doc, workflowAt(doc, v1));
		expect(readWorkflow(doc)).toEqual(examples[0].workflow);
		checkpoint(doc, { kind: 'restore', by: ana, restoredFrom: v1.id });
		expect(listVersions(doc)).toHaveLength(3);
		undo.undo();
		expect(readWorkflow(doc).states.review).toBeDefined();
		expect(readWorkflow(doc).states.open.description).toBe('changed');
	});

	it('automatic checkpoints come after a pause and after enough edits, only for own edits', async () => {
		const doc = fresh();
		const rec = new HistoryRecorder(doc, { by: () => ana, idleMs: 30, maxBytes: 400 });
		ops.addState(doc, { key: 'a1' });
		await new Promise((r) => setTimeout(r, 80));
		expect(listVersions(doc)).toHaveLength(1);
		for (let i = 0; i < 20; i++) ops.setStateFields(doc, 'open', { description: `edit ${i} `.repeat(5) });
		expect(listVersions(doc).length).toBeGreaterThanOrEqual(2);
		await new Promise((r) => setTimeout(r, 80));
		const before = listVersions(doc).length;
		const other = new Y.Doc();
		Y.applyUpdate(other, Y.encodeStateAsUpdate(doc));
		ops.addState(other, { key: 'remote' });
		Y.applyUpdate(doc, Y.encodeStateAsUpdate(other, Y.encodeStateVector(doc)), 'remote');
		await new Promise((r) => setTimeout(r, 80));
		expect(listVersions(doc).length).toBe(before); // someone else's edit alone is theirs to record
		ops.addState(doc, { key: 'mine' });
		await new Promise((r) => setTimeout(r, 80));
		expect(listVersions(doc).length).toBe(before + 1);
		expect(listVersions(doc).at(-1)!.summary).toEqual(expect.arrayContaining(['added state remote', 'added state mine']));
		rec.destroy();
	});

	it('diff lists added, removed and changed states, transitions and effects, and a text diff', () => {
		const a = examples[0].workflow;
		const doc = fresh();
		ops.addState(doc, { key: 'review' });
		ops.addEffect(doc, 'open', 'entry', { type: 'log', message: 'x' });
		ops.removeStates(doc, ['locked']);
		const b = readWorkflow(doc);
		const d = diffWorkflows(a, b);
		expect(d.states.added).toEqual(['review']);
		expect(d.states.removed).toEqual(['locked']);
		expect(d.states.changed).toEqual([{ path: 'open', fields: ['entry'] }]);
		expect(d.transitions.removed.length).toBeGreaterThan(0);
		expect(describeDiff(d)).toContain('changed entry effects of open');
		const lines = lineDiff(JSON.stringify(a, null, 2), JSON.stringify(b, null, 2));
		expect(lines.some((l) => l.op === '+' && l.text.includes('review'))).toBe(true);
		expect(lines.some((l) => l.op === '-' && l.text.includes('locked'))).toBe(true);
		// applying the lines reproduces b (folded context aside)
		const unfolded = lineDiff(JSON.stringify(a, null, 2), JSON.stringify(b, null, 2), 1e9);
		expect(unfolded.filter((l) => l.op !== '-').map((l) => l.text).join('\n')).toBe(JSON.stringify(b, null, 2));
		expect(unfolded.filter((l) => l.op !== '+').map((l) => l.text).join('\n')).toBe(JSON.stringify(a, null, 2));
	});

	it('history survives reload and travels in a full export', async () => {
		const meta = await createWorkflow(examples[0].workflow);
		const first = openWorkflowDoc(meta.id, { broadcast: false });
		await first.ready;
		checkpoint(first.doc, { kind: 'named', name: 'Before', by: ana });
		ops.addState(first.doc, { key: 'later' });
		checkpoint(first.doc, { kind: 'auto', by: ana });
		await new Promise((r) => setTimeout(r, 20));
		const file = exportBundle(first.doc);
		await first.destroy();
		const again = openWorkflowDoc(meta.id, { broadcast: false });
		await again.ready;
		const vs = listVersions(again.doc);
		expect(vs.map((v) => v.name ?? v.kind)).toEqual(['Before', 'auto']);
		expect(workflowAt(again.doc, vs[0]).states.later).toBeUndefined();
		await again.destroy();
		expect(readBundle(file)).toMatchObject({ ok: true, versions: 2 });
		const imported = await importWorkflowWithHistory(file);
		expect(imported.id).not.toBe(meta.id);
		const wf = await loadWorkflow(imported.id);
		expect(wf.id).toBe(imported.id);
		expect(wf.states.later).toBeDefined();
		const opened = openWorkflowDoc(imported.id, { broadcast: false });
		await opened.ready;
		expect(listVersions(opened.doc)).toHaveLength(2);
		await opened.destroy();
		expect(readBundle('{"format":"something"}')).toMatchObject({ ok: false });
	});
});
