// Collaboration benchmarks.
//  collab.sync_ms: one edit of a 500-state workflow on peer A until peer B, connected through
//    a real relay (`fsm-studio relay`, encrypted), holds it and has re-read its workflow (what
//    its canvas draws from). Median of 60 edits.
//  collab.history_10000_edits_mb / collab.open_10000_edits_ms: a 100-state workflow edited
//    10,000 times over 60 days (a checkpoint every 10 edits, a named version every 1,000),
//    stored in IndexedDB (fake-indexeddb in Node): the stored size after the compaction that
//    opening it runs, and the median time to open it again (load, read the workflow and
//    the version list).
//  collab.history_1000_versions_mb: size of the stored document (workflow + history, deleted
//    content kept) after 1,000 checkpoints of a 200-state workflow, each after a few edits.
import 'fake-indexeddb/auto';
import * as Y from 'yjs';
import WebSocket from 'ws';
import type { Report } from '../report';
import { readWorkflow, writeWorkflow } from '../../../src/lib/collab/binding';
import * as ops from '../../../src/lib/collab/ops';
import { RelayProvider } from '../../../src/lib/collab/relay';
import { importRoomKey, newRoomId, newRoomKey } from '../../../src/lib/collab/crypto';
import { checkpoint, registerPerson } from '../../../src/lib/collab/history';
import type { Workflow } from '../../../src/lib/model/types';
import { startRelay } from '../../collab/relay-server';
import { longHistory } from '../../collab/long-history';
import { openWorkflowDoc } from '../../../src/lib/collab/persistence';
import { listVersions } from '../../../src/lib/collab/history';

function bigWorkflow(n: number): Workflow {
	const states: Record<string, unknown> = {};
	const layout: Record<string, { x: number; y: number }> = {};
	for (let i = 0; i < n; i++) {
		states[`s${i}`] = { on: { NEXT: `s${(i + 1) % n}`, BACK: `s${(i + n - 1) % n}` }, entry: [{ type: 'log', message: `in s${i}` }] };
		layout[`s${i}`] = { x: (i % 20) * 220, y: Math.floor(i / 20) * 120 };
	}
	return { format: 'fsm-studio/workflow', version: 1, id: 'big', name: 'Big', initial: 's0', context: { n: 0 }, states, layout } as Workflow;
}

const WS = WebSocket as unknown as new (url: string) => globalThis.WebSocket;

async function syncMs(report: Report) {
	const relay = await startRelay();
	try {
		const roomId = newRoomId();
		const key = await importRoomKey(newRoomKey());
		const a = new Y.Doc({ gc: false });
		writeWorkflow(a, bigWorkflow(500));
		const b = new Y.Doc({ gc: false });
		const pa = new RelayProvider(a, { url: relay.url, roomId, key, WebSocket: WS });
		const pb = new RelayProvider(b, { url: relay.url, roomId, key, WebSocket: WS });
		const t0 = Date.now();
		while (Object.keys(readWorkflow(b).states).length < 500) {
			if (Date.now() - t0 > 20000) throw new Error('peer B never received the workflow');
			await new Promise((r) => setTimeout(r, 10));
		}
		const times: number[] = [];
		for (let i = 0; i < 60; i++) {
			const text = `edit ${i}`;
			const done = new Promise<number>((resolve) => {
				const on = () => {
					// what B's canvas draws from: the re-read workflow
					if (readWorkflow(b).states[`s${i}`]?.description === text) {
						b.off('update', on);
						resolve(performance.now());
					}
				};
				b.on('update', on);
			});
			const start = performance.now();
			ops.setStateFields(a, `s${i}`, { description: text });
			times.push((await done) - start);
			await new Promise((r) => setTimeout(r, 5));
		}
		times.sort((x, y) => x - y);
		report('collab.sync_ms', times[Math.floor(times.length / 2)], 'ms', { p95: Math.round(times[Math.floor(times.length * 0.95)] * 10) / 10, states: 500, edits: times.length });
		await pa.destroy();
		await pb.destroy();
	} finally {
		await relay.stop();
	}
}

function historySize(report: Report) {
	const doc = new Y.Doc({ gc: false });
	writeWorkflow(doc, bigWorkflow(200));
	const me = { name: 'Bench', color: '#0090ff' };
	registerPerson(doc, me);
	let prev: ReturnType<typeof checkpoint> | null = null;
	const t0 = performance.now();
	for (let i = 0; i < 1000; i++) {
		const s = `s${i % 200}`;
		ops.setStateFields(doc, s, { description: `v${i}` });
		ops.setLayout(doc, { [s]: { x: i, y: i % 300 } });
		if (i % 10 === 0) ops.addTransition(doc, s, `s${(i + 7) % 200}`, `E${i}`);
		prev = checkpoint(doc, { kind: 'auto', by: me, previous: prev });
	}
	const ms = performance.now() - t0;
	const bytes = Y.encodeStateAsUpdate(doc).length;
	const plain = JSON.stringify(readWorkflow(doc)).length;
	report('collab.history_1000_versions_mb', bytes / 1024 / 1024, 'MB', { versions: 1000, states: 200, workflowJsonKb: Math.round(plain / 1024), checkpointMs: Math.round((ms / 1000) * 100) / 100 });
}

async function openOnce(id: string, compact = true) {
	const t0 = performance.now();
	const o = openWorkflowDoc(id, { broadcast: false, compact });
	await o.ready;
	readWorkflow(o.doc);
	const versions = listVersions(o.doc).length;
	const ms = performance.now() - t0;
	const bytes = Y.encodeStateAsUpdate(o.doc).length;
	return { o, ms, versions, bytes };
}

async function longHistoryBench(report: Report) {
	const now = Date.now();
	const made = openWorkflowDoc('bench-long', { broadcast: false, compact: false });
	await made.ready;
	const t0 = performance.now();
	longHistory({ n: 100, edits: 10_000, every: 10, namedEvery: 1000, days: 60, now, doc: made.doc });
	const editMs = performance.now() - t0;
	await made.destroy();
	// as stored, before any compaction
	const raw = await openOnce('bench-long', false);
	await raw.o.destroy();
	// the first open compacts
	const first = await openOnce('bench-long');
	const compaction = first.o.compaction;
	await first.o.destroy();
	const times: number[] = [];
	let after = first;
	for (let i = 0; i < 5; i++) {
		after = await openOnce('bench-long');
		times.push(after.ms);
		await after.o.destroy();
	}
	times.sort((a, b) => a - b);
	const mb = (b: number) => Math.round((b / 1024 / 1024) * 1000) / 1000;
	report('collab.history_10000_edits_mb', after.bytes / 1024 / 1024, 'MB', {
		uncompactedMb: mb(raw.bytes), versionsBefore: raw.versions, versionsAfter: after.versions, states: 100, edits: 10_000, days: 60,
		compactionMs: Math.round(first.ms), editAndCheckpointMs: Math.round(editMs)
	});
	report('collab.open_10000_edits_ms', times[Math.floor(times.length / 2)], 'ms', { uncompactedOpenMs: Math.round(raw.ms), opens: times.length });
}

export default async function (report: Report) {
	await longHistoryBench(report);
	historySize(report);
	await syncMs(report);
}
