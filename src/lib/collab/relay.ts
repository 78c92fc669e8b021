/**
 * A Yjs provider over a topic relay: the y-webrtc signaling server (`fsm-studio relay`), or
 * any server speaking its small JSON protocol ({type: subscribe|unsubscribe|publish|ping}).
 * The relay forwards every message published on a topic to every subscriber and never
 * looks inside: each message is sealed with AES-GCM under the room key (crypto.ts), so it
 * only ever carries ciphertext. A Yjs server that applies updates to its own copy (y-websocket,
 * Hocuspocus) could not do that, which is why we relay instead.
 *
 * Inside the envelope (lib0 encoding): type, sender id, addressee ('' = everyone), payload.
 *   HELLO  sv                 I joined (or came back): here is my state vector; reply with SYNC
 *   SYNC   update, sv         what you lack, and my state vector
 *   FILL   update             answer to SYNC: what the other lacks
 *   UPDATE deps, update       a change; deps = my state vector before it
 *   AWARE  update             awareness (names, cursors, selections)
 *   BYE                       leaving
 *
 * Causality: the relay keeps each sender's order, but after a reconnect a change may arrive
 * before a change it depends on. `deps` lets a receiver notice the gap and ask the sender for
 * a SYNC; `caughtUp` is false until it is filled (merge repairs wait for it).
 */
import * as Y from 'yjs';
import * as encoding from 'lib0/encoding';
import * as decoding from 'lib0/decoding';
import { Awareness, applyAwarenessUpdate, encodeAwarenessUpdate, removeAwarenessStates } from 'y-protocols/awareness';
import { fromBase64, open, seal, toBase64 } from './crypto';

const HELLO = 0;
const SYNC = 1;
const FILL = 2;
const UPDATE = 3;
const AWARE = 4;
const BYE = 5;

export type RelayStatus = 'connecting' | 'connected' | 'disconnected';

export interface RelayOptions {
	/** ws:// or wss:// address of the relay. */
	url: string;
	roomId: string;
	key: CryptoKey;
	awareness?: Awareness;
	/** A WebSocket implementation (Node: the `ws` package); the browser's by default. */
	WebSocket?: new (url: string) => WebSocket;
	/** Origin given to remote changes applied to the doc (default: the provider). */
	origin?: unknown;
}

export interface RelayEvents {
	status: (s: RelayStatus) => void;
	/** First full exchange with the room after (re)connecting. */
	synced: () => void;
	/** A message that this key cannot open arrived (someone has another key). */
	undecryptable: (count: number) => void;
	/** A connection error, in the user's words. */
	error: (message: string) => void;
}

type Listener<K extends keyof RelayEvents> = RelayEvents[K];

function svToMap(sv: Uint8Array): Map<number, number> {
	return Y.decodeStateVector(sv);
}

function covers(local: Map<number, number>, deps: Map<number, number>): boolean {
	for (const [client, clock] of deps) if ((local.get(client) ?? 0) < clock) return false;
	return true;
}

function encodeSv(map: Map<number, number>): Uint8Array {
	const e = encoding.createEncoder();
	encoding.writeVarUint(e, map.size);
	for (const [client, clock] of map) {
		encoding.writeVarUint(e, client);
		encoding.writeVarUint(e, clock);
	}
	return encoding.toUint8Array(e);
}

export class RelayProvider {
	readonly doc: Y.Doc;
	readonly awareness: Awareness;
	readonly topic: string;
	readonly peerId = Math.random().toString(36).slice(2, 12);
	status: RelayStatus = 'disconnected';
	/** True once a first SYNC arrived (or we waited and nobody else is in the room). */
	synced = false;
	/** Messages that could not be decrypted / that could. */
	undecryptable = 0;
	decrypted = 0;
	/** Bytes sent and received (ciphertext), for the status panel and benchmarks. */
	bytesOut = 0;
	bytesIn = 0;

	/** While a remote change is being applied: whether it was made without seeing all of ours. */
	applying: { concurrent: boolean } | null = null;

	private ws: WebSocket | null = null;
	private readonly WS: new (url: string) => WebSocket;
	private readonly origin: unknown;
	private wantOpen = true;
	private retry = 0;
	private retryTimer: ReturnType<typeof setTimeout> | null = null;
	private syncTimer: ReturnType<typeof setTimeout> | null = null;
	private outQueue: Promise<void> = Promise.resolve();
	private inQueue: Promise<void> = Promise.resolve();
	/** Deps announced by senders that our doc does not cover yet. */
	private gaps = new Map<string, Map<number, number>>();
	private listeners: { [K in keyof RelayEvents]?: Set<Listener<K>> } = {};
	private destroyed = false;

	constructor(doc: Y.Doc, private opts: RelayOptions) {
		this.doc = doc;
		this.awareness = opts.awareness ?? new Awareness(doc);
		this.topic = `fsm-studio/${opts.roomId}`;
		this.origin = opts.origin ?? this;
		const WS = opts.WebSocket ?? (globalThis as { WebSocket?: new (url: string) => WebSocket }).WebSocket;
		if (!WS) throw new Error('This environment has no WebSocket.');
		this.WS = WS;
		doc.on('update', this.onDocUpdate);
		this.awareness.on('update', this.onAwarenessUpdate);
		this.connect();
	}

	on<K extends keyof RelayEvents>(event: K, fn: Listener<K>): () => void {
		((this.listeners[event] ??= new Set() as never) as Set<Listener<K>>).add(fn);
		return () => (this.listeners[event] as Set<Listener<K>> | undefined)?.delete(fn);
	}

	private emit<K extends keyof RelayEvents>(event: K, ...args: Parameters<RelayEvents[K]>) {
		for (const fn of (this.listeners[event] as Set<(...a: unknown[]) => void> | undefined) ?? []) {
			try {
				fn(...args);
			} catch (e) {
				console.error(e);
			}
		}
	}

	/** True when every change we have heard of is in the doc (no gap, nothing pending). */
	get caughtUp(): boolean {
		return this.gaps.size === 0 && !this.doc.store.pendingStructs && !this.doc.store.pendingDs;
	}

	private setStatus(s: RelayStatus) {
		if (this.status === s) return;
		this.status = s;
		this.emit('status', s);
	}

	private connect() {
		if (this.destroyed || !this.wantOpen) return;
		this.setStatus('connecting');
		let ws: WebSocket;
		try {
			ws = new this.WS(this.opts.url);
		} catch (e) {
			this.emit('error', `The relay address "${this.opts.url}" is not valid: ${(e as Error).message}`);
			this.scheduleReconnect();
			return;
		}
		this.ws = ws;
		ws.binaryType = 'arraybuffer';
		ws.onopen = () => {
			if (this.ws !== ws) return;
			this.retry = 0;
			this.setStatus('connected');
			this.raw({ type: 'subscribe', topics: [this.topic] });
			this.sendHello('');
			if (this.awareness.getLocalState()) this.sendAwareness('', [this.doc.clientID]);
			// nobody answers in an empty room: after a moment we are as synced as we can be
			if (this.syncTimer) clearTimeout(this.syncTimer);
			this.syncTimer = setTimeout(() => this.markSynced(), 1500);
		};
		ws.onmessage = (ev: MessageEvent) => {
			if (this.ws !== ws) return;
			const text = typeof ev.data === 'string' ? ev.data : new TextDecoder().decode(ev.data as ArrayBuffer);
			this.bytesIn += text.length;
			let msg: { type?: string; topic?: string; data?: string };
			try {
				msg = JSON.parse(text);
			} catch {
				return;
			}
			if (msg.type !== 'publish' || msg.topic !== this.topic || typeof msg.data !== 'string') return;
			const data = msg.data;
			this.inQueue = this.inQueue.then(() => this.receive(data)).catch((e) => console.error(e));
		};
		ws.onclose = () => {
			if (this.ws !== ws) return;
			this.ws = null;
			this.dropRemoteAwareness();
			this.setStatus('disconnected');
			this.scheduleReconnect();
		};
		ws.onerror = () => {
			if (this.ws !== ws) return;
			if (this.retry === 0) this.emit('error', `Cannot reach the relay at ${this.opts.url}. Is it running? Start one with "npx fsm-studio relay".`);
		};
	}

	private scheduleReconnect() {
		if (this.destroyed || !this.wantOpen || this.retryTimer) return;
		const delay = Math.min(10_000, 250 * 2 ** this.retry++);
		this.retryTimer = setTimeout(() => {
			this.retryTimer = null;
			this.connect();
		}, delay);
	}

	private markSynced() {
		if (this.synced) return;
		this.synced = true;
		this.emit('synced');
	}

	private dropRemoteAwareness() {
		const others = [...this.awareness.getStates().keys()].filter((c) => c !== this.doc.clientID);
		if (others.length) removeAwarenessStates(this.awareness, others, this);
	}

	private raw(msg: object) {
		const ws = this.ws;
		if (!ws || ws.readyState !== 1) return;
		const text = JSON.stringify(msg);
		this.bytesOut += text.length;
		try {
			ws.send(text);
		} catch {
			/* the close handler reconnects */
		}
	}

	/** Seals and publishes one message; messages leave in the order they were made. */
	private send(type: number, to: string, write: (e: encoding.Encoder) => void) {
		const e = encoding.createEncoder();
		encoding.writeVarUint(e, type);
		encoding.writeVarString(e, this.peerId);
		encoding.writeVarString(e, to);
		write(e);
		const plain = encoding.toUint8Array(e);
		this.outQueue = this.outQueue
			.then(async () => {
				const sealed = await seal(this.opts.key, plain, this.topic);
				this.raw({ type: 'publish', topic: this.topic, data: toBase64(sealed) });
			})
			.catch((err) => console.error(err));
	}

	private sendHello(to: string) {
		const sv = Y.encodeStateVector(this.doc);
		this.send(HELLO, to, (e) => encoding.writeVarUint8Array(e, sv));
	}

	private sendAwareness(to: string, clients?: number[]) {
		const ids = clients ?? [...this.awareness.getStates().keys()];
		if (!ids.length) return;
		const update = encodeAwarenessUpdate(this.awareness, ids);
		this.send(AWARE, to, (e) => encoding.writeVarUint8Array(e, update));
	}

	private async receive(data: string) {
		let sealed: Uint8Array;
		try {
			sealed = fromBase64(data);
		} catch {
			return;
		}
		const plain = await open(this.opts.key, sealed, this.topic);
		if (!plain) {
			this.undecryptable++;
			this.emit('undecryptable', this.undecryptable);
			return;
		}
		const d = decoding.createDecoder(plain);
		const type = decoding.readVarUint(d);
		const from = decoding.readVarString(d);
		const to = decoding.readVarString(d);
		if (from === this.peerId) return;
		this.decrypted++;
		if (to && to !== this.peerId) return;
		switch (type) {
			case HELLO: {
				const sv = decoding.readVarUint8Array(d);
				const update = Y.encodeStateAsUpdate(this.doc, sv);
				const mine = Y.encodeStateVector(this.doc);
				this.send(SYNC, from, (e) => {
					encoding.writeVarUint8Array(e, update);
					encoding.writeVarUint8Array(e, mine);
				});
				if (!to) this.sendAwareness(from);
				break;
			}
			case SYNC: {
				const update = decoding.readVarUint8Array(d);
				const sv = decoding.readVarUint8Array(d);
				this.apply(update, !covers(svToMap(sv), Y.decodeStateVector(Y.encodeStateVector(this.doc))));
				const missing = Y.encodeStateAsUpdate(this.doc, sv);
				// an empty update is two bytes: the other side lacks nothing
				if (missing.length > 2) this.send(FILL, from, (e) => encoding.writeVarUint8Array(e, missing));
				this.gaps.delete(from);
				this.checkGap(from, svToMap(sv));
				if (this.syncTimer) clearTimeout(this.syncTimer);
				this.markSynced();
				break;
			}
			case FILL: {
				this.apply(decoding.readVarUint8Array(d), true);
				this.recheckGaps();
				break;
			}
			case UPDATE: {
				const deps = svToMap(decoding.readVarUint8Array(d));
				this.apply(decoding.readVarUint8Array(d), !covers(deps, Y.decodeStateVector(Y.encodeStateVector(this.doc))));
				this.checkGap(from, deps);
				break;
			}
			case AWARE: {
				applyAwarenessUpdate(this.awareness, decoding.readVarUint8Array(d), this);
				break;
			}
			case BYE: {
				break;
			}
		}
	}

	private apply(update: Uint8Array, concurrent: boolean) {
		this.applying = { concurrent };
		try {
			Y.applyUpdate(this.doc, update, this.origin);
		} finally {
			this.applying = null;
		}
	}

	/** After a change from `from` that depended on `deps`: ask for what we miss. */
	private checkGap(from: string, deps: Map<number, number>) {
		const local = Y.decodeStateVector(Y.encodeStateVector(this.doc));
		if (covers(local, deps) && !this.doc.store.pendingStructs) {
			this.gaps.delete(from);
			return;
		}
		const had = this.gaps.has(from);
		this.gaps.set(from, deps);
		if (!had) this.sendHello(from);
	}

	private recheckGaps() {
		const local = Y.decodeStateVector(Y.encodeStateVector(this.doc));
		for (const [from, deps] of this.gaps) if (covers(local, deps)) this.gaps.delete(from);
	}

	private onDocUpdate = (update: Uint8Array, origin: unknown, _doc: Y.Doc, tr: Y.Transaction) => {
		if (origin === this.origin) return;
		const deps = encodeSv(tr.beforeState);
		this.send(UPDATE, '', (e) => {
			encoding.writeVarUint8Array(e, deps);
			encoding.writeVarUint8Array(e, update);
		});
	};

	private onAwarenessUpdate = ({ added, updated, removed }: { added: number[]; updated: number[]; removed: number[] }, origin: unknown) => {
		if (origin === this) return;
		const changed = [...added, ...updated, ...removed];
		if (changed.length) this.sendAwareness('', changed);
	};

	/** Closes the connection (edits keep being made locally); `reconnect` opens it again. */
	disconnect() {
		this.wantOpen = false;
		if (this.retryTimer) clearTimeout(this.retryTimer);
		this.retryTimer = null;
		const ws = this.ws;
		this.ws = null;
		this.synced = false;
		this.dropRemoteAwareness();
		ws?.close();
		this.setStatus('disconnected');
	}

	reconnect() {
		if (this.destroyed) return;
		this.wantOpen = true;
		this.synced = false;
		if (!this.ws) this.connect();
	}

	/** Waits until everything queued has been sealed and handed to the socket. */
	flush(): Promise<void> {
		return this.outQueue;
	}

	async destroy() {
		if (this.destroyed) return;
		// tell the others we are gone, so our cursor disappears at once
		removeAwarenessStates(this.awareness, [this.doc.clientID], 'local');
		this.send(BYE, '', () => {});
		await this.outQueue;
		this.destroyed = true;
		this.doc.off('update', this.onDocUpdate);
		this.awareness.off('update', this.onAwarenessUpdate);
		if (this.syncTimer) clearTimeout(this.syncTimer);
		this.disconnect();
	}
}
