/**
 * Live collaboration and history for one open workflow: the room connection (relay or
 * WebRTC), presence (who is here, cursors, selections, viewports), merge notices and the
 * version history. One per DesignerSession (`collabFor`).
 */
import * as Y from 'yjs';
import { Awareness } from 'y-protocols/awareness';
import type { DesignerSession } from '../session.svelte';
import type { Workflow } from '../../model/types';
import { toasts } from '../toasts.svelte';
import { LOCAL } from '../../collab/binding';
import { MergeGuard, type MergeNotice } from '../../collab/merge';
import { RelayProvider } from '../../collab/relay';
import { importRoomKey, newRoomId, newRoomKey } from '../../collab/crypto';
import { loadProfile, roomLink, saveProfile, type CollabProfile, type RoomConfig, type RoomMode } from '../../collab/room';
import { getMeta, setRoom } from '../../collab/workspace';
import { HistoryRecorder, PEOPLE, HISTORY, applyWorkflow, checkpoint, listVersions, nameVersion, registerPerson, workflowAt, type LostChange, type Person, type Version } from '../../collab/history';

export interface Peer {
	client: number;
	name: string;
	color: string;
	cursor?: { x: number; y: number } | null;
	selection?: { nodes: string[]; edges: string[] };
	viewport?: { x: number; y: number; zoom: number; w: number; h: number };
}

export type RoomStatus = 'off' | 'connecting' | 'connected' | 'disconnected';

type WebrtcLike = { destroy(): void; disconnect(): void; connect(): void; room?: unknown; connected?: boolean; on(ev: string, fn: (...a: unknown[]) => void): void };

const sessions = new WeakMap<DesignerSession, CollabSession>();

/** The collaboration of an open workflow (made on first use). */
export function collabFor(session: DesignerSession): CollabSession {
	let c = sessions.get(session);
	if (!c) sessions.set(session, (c = new CollabSession(session)));
	return c;
}

function describePath(path: string[]): string {
	// ['states','a','states','b','description'] → "description of a.b"
	const states: string[] = [];
	let i = 0;
	while (path[i] === 'states' && i + 1 < path.length) {
		states.push(path[i + 1]);
		i += 2;
	}
	const rest = path.slice(i);
	const what = rest[0] === 'on' ? `transition ${rest[1]}` : rest[0] === 'after' ? `delayed transition ${rest[1]} ms` : rest.join('.');
	if (!states.length) return `the workflow's ${what}`;
	return `${what} of ${states.join('.')}`;
}

export class CollabSession {
	readonly session: DesignerSession;
	readonly doc: Y.Doc;
	readonly awareness: Awareness;
	profile = $state<CollabProfile>(loadProfile());
	room = $state.raw<RoomConfig | null>(null);
	status = $state<RoomStatus>('off');
	peers = $state.raw<Peer[]>([]);
	following = $state<number | null>(null);
	versions = $state.raw<Version[]>([]);
	undecryptable = $state(0);
	error = $state<string | null>(null);
	/** A version compared with now on the canvas itself (DiffOverlay), or null. */
	overlay = $state.raw<{ version: Version; base: Workflow } | null>(null);
	/** Notices from merges (newest last), shown in the History panel. */
	notices = $state.raw<{ at: number; text: string }[]>([]);

	private relay: RelayProvider | null = null;
	private webrtc: WebrtcLike | null = null;
	private guard: MergeGuard | null = null;
	private recorder: HistoryRecorder | null = null;
	private started = false;
	private destroyed = false;

	constructor(session: DesignerSession) {
		this.session = session;
		this.doc = session.doc;
		this.awareness = new Awareness(this.doc);
		this.awareness.on('change', this.onAwareness);
	}

	get me(): Person {
		return { name: this.profile.name, color: this.profile.color };
	}

	/** Starts history and, when the workflow is in a room, joins it. Call once the doc is loaded. */
	async start() {
		if (this.started || this.destroyed) return;
		this.started = true;
		this.awareness.setLocalState({ user: this.me });
		registerPerson(this.doc, this.me);
		this.recorder = new HistoryRecorder(this.doc, { by: () => this.me, onVersion: () => this.refreshVersions() });
		this.guard = new MergeGuard(this.doc, {
			onNotice: (n) => this.onMerge(n),
			caughtUp: () => this.relay?.caughtUp ?? true,
			isConcurrent: (tr) => (tr.origin === this.relay ? (this.relay?.applying?.concurrent ?? true) : this.webrtc !== null && tr.origin === this.webrtc.room),
			isLocal: (tr) => tr.origin === LOCAL || tr.origin instanceof Y.UndoManager
		});
		this.guard.repairOnRead();
		this.doc.getArray(HISTORY).observe(() => this.refreshVersions());
		this.doc.getMap(PEOPLE).observe(() => this.refreshPeers());
		this.refreshVersions();
		if (listVersions(this.doc).length === 0) this.recorder.take('auto', {}) ?? checkpoint(this.doc, { kind: 'auto', by: this.me });
		this.refreshVersions();
		const meta = await getMeta(this.session.id).catch(() => undefined);
		if (meta?.room && !this.destroyed) await this.connect(meta.room);
	}

	private refreshVersions() {
		this.versions = listVersions(this.doc);
	}

	private onAwareness = () => this.refreshPeers();

	private refreshPeers() {
		const out: Peer[] = [];
		for (const [client, st] of this.awareness.getStates()) {
			if (client === this.doc.clientID || !st?.user) continue;
			out.push({ client, name: String(st.user.name ?? 'Someone').slice(0, 40), color: String(st.user.color ?? '#888'), cursor: st.cursor, selection: st.selection, viewport: st.viewport });
		}
		out.sort((a, b) => a.name.localeCompare(b.name) || a.client - b.client);
		this.peers = out;
		if (this.following !== null && !out.some((p) => p.client === this.following)) this.following = null;
	}

	/** Name of whoever wrote with Yjs client id `client`. */
	nameOf(client: number): string {
		const st = this.awareness.getStates().get(client);
		if (st?.user?.name) return String(st.user.name);
		return this.doc.getMap<Person>(PEOPLE).get(String(client))?.name ?? 'someone else';
	}

	private onMerge(notices: MergeNotice[]) {
		const lost: LostChange[] = [];
		const texts: string[] = [];
		for (const n of notices) {
			if (n.kind === 'state') {
				texts.push(`${this.nameOf(n.by)} also created a state "${n.path}" at the same moment. Yours is kept as "${n.rescuedAs}".`);
			} else if (n.kind === 'value') {
				lost.push({ where: describePath(n.path), path: n.path, mine: n.mine, theirs: n.theirs, by: this.nameOf(n.by) });
			} else texts.push(n.message);
		}
		if (lost.length) texts.push(`${lost.length === 1 ? `Your change to ${lost[0].where} was` : `${lost.length} of your changes were`} replaced by ${lost[0].by}'s, made at the same time. See History to get ${lost.length === 1 ? 'it' : 'them'} back.`);
		if (lost.length || notices.some((n) => n.kind !== 'value')) {
			checkpoint(this.doc, { kind: 'merge', by: this.me, lost, name: 'Merged changes made at the same time' });
			this.refreshVersions();
		}
		const now = Date.now();
		this.notices = [...this.notices, ...texts.map((text) => ({ at: now, text }))].slice(-50);
		for (const t of texts) toasts.show(t, { ms: 9000 });
	}

	// ------------------------------------------------------------------ rooms

	/** Creates a room for this workflow and joins it; returns the invitation link. */
	async createRoom(mode: RoomMode): Promise<string> {
		const url = mode === 'relay' ? this.profile.relayUrl : this.profile.signalingUrl;
		const room: RoomConfig = { id: newRoomId(), key: newRoomKey(), mode, url };
		await setRoom(this.session.id, room);
		await this.connect(room);
		return this.link()!;
	}

	link(): string | null {
		return this.room ? roomLink(location.origin, this.room) : null;
	}

	async connect(room: RoomConfig) {
		this.disconnectProviders();
		this.room = room;
		this.error = null;
		this.undecryptable = 0;
		this.status = 'connecting';
		const key = await importRoomKey(room.key);
		if (this.destroyed) return;
		if (room.mode === 'relay') {
			const p = new RelayProvider(this.doc, { url: room.url, roomId: room.id, key, awareness: this.awareness });
			this.relay = p;
			p.on('status', (s) => {
				this.status = s;
				if (s === 'connected') this.error = null;
			});
			p.on('error', (m) => (this.error = m));
			p.on('undecryptable', (n) => (this.undecryptable = n));
			this.status = p.status;
		} else {
			const { WebrtcProvider } = await import('y-webrtc');
			if (this.destroyed) return;
			const w = new WebrtcProvider(`fsm-studio/${room.id}`, this.doc, { signaling: [room.url], password: room.key, awareness: this.awareness }) as unknown as WebrtcLike;
			this.webrtc = w;
			w.on('status', (e) => (this.status = (e as { connected: boolean }).connected ? 'connected' : 'connecting'));
			this.status = 'connecting';
		}
	}

	private disconnectProviders() {
		void this.relay?.destroy();
		this.relay = null;
		this.webrtc?.destroy();
		this.webrtc = null;
	}

	/** Leaves the room: this copy stays, and editing goes on alone. */
	async leave() {
		this.disconnectProviders();
		this.room = null;
		this.status = 'off';
		this.peers = [];
		this.following = null;
		await setRoom(this.session.id, undefined);
	}

	/** For tests and a flaky network: drop the connection and take it back. */
	setOnline(online: boolean) {
		if (online) this.relay?.reconnect();
		else this.relay?.disconnect();
		if (this.webrtc) (online ? this.webrtc.connect() : this.webrtc.disconnect());
	}

	updateProfile(p: Partial<CollabProfile>) {
		this.profile = { ...this.profile, ...p };
		saveProfile(this.profile);
		this.awareness.setLocalStateField('user', this.me);
		registerPerson(this.doc, this.me);
	}

	// ------------------------------------------------------------------ presence

	setCursor(pos: { x: number; y: number } | null) {
		this.awareness.setLocalStateField('cursor', pos ? { x: Math.round(pos.x), y: Math.round(pos.y) } : null);
	}

	setSelection(nodes: Iterable<string>, edges: Iterable<string>) {
		this.awareness.setLocalStateField('selection', { nodes: [...nodes].slice(0, 200), edges: [...edges].slice(0, 200) });
	}

	setViewport(v: { x: number; y: number; zoom: number; w: number; h: number }) {
		this.awareness.setLocalStateField('viewport', { x: Math.round(v.x), y: Math.round(v.y), zoom: Math.round(v.zoom * 1000) / 1000, w: Math.round(v.w), h: Math.round(v.h) });
	}

	follow(client: number | null) {
		this.following = client;
	}

	// ------------------------------------------------------------------ history

	saveVersion(name: string): Version {
		const v = this.recorder?.take('named', { name }) ?? checkpoint(this.doc, { kind: 'named', name, by: this.me }).version;
		this.refreshVersions();
		return v;
	}

	renameVersion(id: string, name: string) {
		nameVersion(this.doc, id, name);
	}

	workflowOf(v: Version) {
		return workflowAt(this.doc, v);
	}

	/** Makes version `v` current again as a new version (Ctrl+Z undoes it). */
	/** Shows what changed since version `v` on the live canvas (null: stop). */
	showOnCanvas(v: Version | null) {
		this.overlay = v ? { version: v, base: workflowAt(this.doc, v) } : null;
	}

	restore(v: Version) {
		this.recorder?.take('auto');
		this.session.stopCapturing();
		applyWorkflow(this.doc, workflowAt(this.doc, v));
		this.session.stopCapturing();
		this.recorder?.take('restore', { name: `Restored ${v.name ? `"${v.name}"` : `the version of ${new Date(v.at).toLocaleString()}`}`, restoredFrom: v.id });
		this.refreshVersions();
		toasts.show('Version restored as a new version. Undo with Ctrl+Z.', { action: { label: 'Undo', run: () => this.session.undo() } });
	}

	/** Puts back a value this person lost in a merge (an ordinary, undoable edit). */
	restoreLost(l: LostChange) {
		const root = this.doc.getMap('workflow');
		this.doc.transact(() => {
			let m: Y.Map<unknown> | undefined = root;
			for (const k of l.path.slice(0, -1)) {
				const next: unknown = m?.get(k);
				m = next instanceof Y.Map ? next : undefined;
			}
			if (!m) throw new Error('That part of the workflow no longer exists.');
			const key = l.path[l.path.length - 1];
			if (l.mine === undefined) m.delete(key);
			else m.set(key, JSON.parse(JSON.stringify(l.mine)));
		}, LOCAL);
	}

	destroy() {
		if (this.destroyed) return;
		this.recorder?.take('auto');
		this.destroyed = true;
		this.disconnectProviders();
		this.guard?.destroy();
		this.recorder?.destroy();
		this.awareness.off('change', this.onAwareness);
		this.awareness.destroy();
		sessions.delete(this.session);
	}
}
