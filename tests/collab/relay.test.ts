import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import WebSocket from 'ws';
import { RelayProvider } from '../../src/lib/collab/relay';
import { importRoomKey, newRoomId, newRoomKey } from '../../src/lib/collab/crypto';
import { readWorkflow, writeWorkflow } from '../../src/lib/collab/binding';
import { addState, setWorkflowField } from '../../src/lib/collab/ops';
import { examples } from '../../src/lib/examples';
import { startRelay, type Relay } from './relay-server';

let relay: Relay;
beforeAll(async () => {
	relay = await startRelay();
});
afterAll(async () => {
	await relay?.stop();
});

const WS = WebSocket as unknown as new (url: string) => globalThis.WebSocket;

async function until(cond: () => boolean, what: string, ms = 5000) {
	const t0 = Date.now();
	while (!cond()) {
		if (Date.now() - t0 > ms) throw new Error(`timed out waiting for ${what}`);
		await new Promise((r) => setTimeout(r, 10));
	}
}

async function peer(roomId: string, keyText: string, doc = new Y.Doc({ gc: false })) {
	const key = await importRoomKey(keyText);
	const p = new RelayProvider(doc, { url: relay.url, roomId, key, WebSocket: WS });
	return { doc, p };
}

/** A client of the relay that records every message published on a topic (what the relay sees). */
async function tap(roomId: string) {
	const seen: string[] = [];
	const ws = new WebSocket(relay.url);
	await new Promise((r) => ws.once('open', r));
	ws.send(JSON.stringify({ type: 'subscribe', topics: [`fsm-studio/${roomId}`] }));
	ws.on('message', (m) => seen.push(String(m)));
	await new Promise((r) => setTimeout(r, 50));
	return { seen, close: () => ws.close() };
}

describe('relay provider (real relay, encrypted)', () => {
	it('a peer that joins gets the current state, and edits flow both ways', async () => {
		const room = newRoomId();
		const key = newRoomKey();
		const a = await peer(room, key);
		writeWorkflow(a.doc, examples[0].workflow);
		await until(() => a.p.status === 'connected', 'a to connect');
		const b = await peer(room, key);
		await until(() => readWorkflow(b.doc).name === examples[0].workflow.name, 'b to receive the workflow');
		expect(readWorkflow(b.doc)).toEqual(readWorkflow(a.doc));
		addState(b.doc, { key: 'fromB' });
		setWorkflowField(a.doc, 'name', 'Renamed by A');
		await until(() => !!readWorkflow(a.doc).states.fromB && readWorkflow(b.doc).name === 'Renamed by A', 'edits both ways');
		expect(readWorkflow(a.doc)).toEqual(readWorkflow(b.doc));
		await a.p.destroy();
		await b.p.destroy();
	});

	it('edits made while disconnected merge when the connection comes back', async () => {
		const room = newRoomId();
		const key = newRoomKey();
		const a = await peer(room, key);
		writeWorkflow(a.doc, examples[0].workflow);
		const b = await peer(room, key);
		await until(() => readWorkflow(b.doc).name === examples[0].workflow.name, 'b to sync');
		b.p.disconnect();
		addState(b.doc, { key: 'offlineB' });
		addState(a.doc, { key: 'onlineA' });
		await new Promise((r) => setTimeout(r, 100));
		expect(readWorkflow(a.doc).states.offlineB).toBeUndefined();
		b.p.reconnect();
		await until(() => !!readWorkflow(a.doc).states.offlineB && !!readWorkflow(b.doc).states.onlineA, 'offline edits to merge');
		expect(readWorkflow(a.doc)).toEqual(readWorkflow(b.doc));
		await a.p.destroy();
		await b.p.destroy();
	});

	it('the relay sees only ciphertext, and a wrong key reads nothing', async () => {
		const room = newRoomId();
		const key = newRoomKey();
		const t = await tap(room);
		const a = await peer(room, key);
		writeWorkflow(a.doc, { ...examples[0].workflow, name: 'Secret plan' });
		const intruder = await peer(room, newRoomKey());
		await until(() => a.p.status === 'connected' && intruder.p.status === 'connected', 'both to connect');
		addState(a.doc, { key: 'ConfidentialStateName' });
		a.p.awareness.setLocalState({ user: { name: 'Alice Example', color: '#f00' } });
		await until(() => intruder.p.undecryptable > 0 && a.p.undecryptable > 0 && t.seen.length > 3, 'traffic');
		await new Promise((r) => setTimeout(r, 200));
		const all = t.seen.join('\n');
		expect(all.length).toBeGreaterThan(200);
		for (const plain of ['ConfidentialStateName', 'Secret plan', 'Alice Example']) expect(all).not.toContain(plain);
		// nor hidden in base64
		for (const m of t.seen) {
			const data = JSON.parse(m).data as string | undefined;
			if (data) expect(Buffer.from(data, 'base64').toString('latin1')).not.toContain('ConfidentialStateName');
		}
		expect(intruder.p.decrypted).toBe(0);
		expect(readWorkflow(intruder.doc).states).toEqual({});
		expect(a.p.undecryptable).toBeGreaterThan(0);
		t.close();
		await a.p.destroy();
		await intruder.p.destroy();
	});

	it('awareness (names, cursors) reaches the others and leaves with the peer', async () => {
		const room = newRoomId();
		const key = newRoomKey();
		const a = await peer(room, key);
		const b = await peer(room, key);
		a.p.awareness.setLocalState({ user: { name: 'Ana', color: '#0a0' }, cursor: { x: 10, y: 20 } });
		await until(() => b.p.awareness.getStates().get(a.doc.clientID)?.user?.name === 'Ana', 'awareness');
		expect(b.p.awareness.getStates().get(a.doc.clientID)?.cursor).toEqual({ x: 10, y: 20 });
		await a.p.destroy();
		await until(() => !b.p.awareness.getStates().has(a.doc.clientID), 'awareness removal');
		await b.p.destroy();
	});
});
