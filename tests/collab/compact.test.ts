import 'fake-indexeddb/auto';
import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { readWorkflow } from '../../src/lib/collab/binding';
import { compactHistory, needsCompaction, versionsToKeep } from '../../src/lib/collab/compact';
import { applyWorkflow, listVersions, workflowAt, type Version } from '../../src/lib/collab/history';
import { openWorkflowDoc } from '../../src/lib/collab/persistence';
import * as ops from '../../src/lib/collab/ops';
import { longHistory } from './long-history';

const NOW = Date.UTC(2026, 5, 1);
const DAY = 86_400_000;

describe('history compaction', () => {
	it('thins old automatic checkpoints: named kept, the last N kept, then one per hour, then one per day', () => {
		const v = (id: string, at: number, kind: Version['kind'] = 'auto') => ({ id, at, kind }) as Version;
		const list = [
			v('first', NOW - 30 * DAY),
			v('d20a', NOW - 20 * DAY), v('d20b', NOW - 20 * DAY + 1000), v('named-old', NOW - 20 * DAY + 2000, 'named'),
			v('h1a', NOW - 2 * DAY), v('h1b', NOW - 2 * DAY + 60_000), v('h2', NOW - 2 * DAY + 3_700_000),
			v('r1', NOW - 3000), v('r2', NOW - 2000), v('r3', NOW - 1000)
		];
		const keep = versionsToKeep(list, { keepLast: 3, hourlyFor: 7 * DAY, now: NOW });
		expect([...keep].sort()).toEqual(['d20b', 'first', 'h1b', 'h2', 'named-old', 'r1', 'r2', 'r3'].sort());
	});

	it('a workflow edited 1,000 times gets small, named versions still restore exactly, and it still merges with a peer', () => {
		const { doc, named, versions } = longHistory({ n: 40, edits: 1000, every: 4, namedEvery: 250, days: 30, now: NOW });
		expect(versions).toBe(250);
		const before = new Map(named.map((v) => [v.id, workflowAt(doc, listVersions(doc).find((x) => x.id === v.id)!)]));
		const current = readWorkflow(doc);
		// a peer that has everything up to now, uncompacted
		const peer = new Y.Doc({ gc: false });
		Y.applyUpdate(peer, Y.encodeStateAsUpdate(doc));

		expect(needsCompaction(doc, { now: NOW })).toBe(true);
		const r = compactHistory(doc, { now: NOW });
		expect(r.bytesAfter).toBeLessThan(r.bytesBefore / 2);
		const after = listVersions(doc);
		expect(after.length).toBeLessThan(120);
		expect(after.every((v) => v.archive)).toBe(true);
		expect(readWorkflow(doc)).toEqual(current);
		expect(needsCompaction(doc, { now: NOW })).toBe(false);
		for (const n of named) {
			const v = after.find((x) => x.id === n.id);
			expect(v?.name).toBe(n.name);
			expect(workflowAt(doc, v!)).toEqual(before.get(n.id));
		}
		// restore the oldest named version: the workflow is exactly what it was
		const oldest = after.find((x) => x.id === named[0].id)!;
		applyWorkflow(doc, workflowAt(doc, oldest));
		expect(readWorkflow(doc)).toEqual(before.get(named[0].id));

		// the compacted doc and the peer still merge both ways
		ops.setStateFields(peer, 's1', { description: 'from the peer' });
		Y.applyUpdate(peer, Y.encodeStateAsUpdate(doc, Y.encodeStateVector(peer)));
		Y.applyUpdate(doc, Y.encodeStateAsUpdate(peer, Y.encodeStateVector(doc)));
		expect(readWorkflow(peer)).toEqual(readWorkflow(doc));
		expect(readWorkflow(doc).states.s1.description).toBe('from the peer');
		expect(listVersions(peer).map((v) => v.id)).toEqual(listVersions(doc).map((v) => v.id));
	});

	it('opening a stored workflow with a long history compacts what is stored; a named version restores exactly after reopening', async () => {
		const a = openWorkflowDoc('compact-1', { broadcast: false, compact: false });
		await a.ready;
		const { named } = longHistory({ n: 30, edits: 800, every: 4, namedEvery: 200, days: 20, now: NOW, doc: a.doc });
		const want = workflowAt(a.doc, listVersions(a.doc).find((v) => v.id === named[1].id)!);
		const current = readWorkflow(a.doc);
		const fullBytes = Y.encodeStateAsUpdate(a.doc).length;
		await a.destroy();

		const b = openWorkflowDoc('compact-1', { broadcast: false, compact: { now: NOW } });
		await b.ready;
		expect(b.compaction?.removed).toBeGreaterThan(50);
		expect(readWorkflow(b.doc)).toEqual(current);
		await b.destroy();

		const c = openWorkflowDoc('compact-1', { broadcast: false, compact: { now: NOW } });
		await c.ready;
		expect(c.compaction).toBeUndefined();
		expect(Y.encodeStateAsUpdate(c.doc).length).toBeLessThan(fullBytes / 2);
		const v = listVersions(c.doc).find((x) => x.id === named[1].id)!;
		expect(v.name).toBe(named[1].name);
		applyWorkflow(c.doc, workflowAt(c.doc, v));
		expect(readWorkflow(c.doc)).toEqual(want);
		await c.destroy();
	}, 60_000);
});
