// Collaboration benchmarks.
//  collab.sync_ms: one edit of a 500-state workflow on peer A until peer B, connected through
//    a real relay (`fsm-studio relay`, encrypted), holds it and has re-read its workflow (what
//    its canvas draws from). Median of 60 edits.
//  collab.history_1000_versions_mb: size of the stored document (workflow + history, deleted
//    content kept) after 1,000 checkpoints of a 200-state workflow, each after a few edits.
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

export default async function (report: Report) {
	historySize(report);
	await syncMs(report);
}
