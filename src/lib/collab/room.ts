/**
 * Rooms: the link that invites someone, and this person's collaboration settings.
 *
 * A room link is `<app>/room#r=<roomId>&k=<key>&via=relay|webrtc&url=<relay or signaling>`.
 * Everything after `#` stays in the browser (it is never sent to the host); the key is the
 * AES-GCM room key (crypto.ts). The relay address travels in the link so that a colleague
 * can join without configuring anything.
 */
import { isRoomKey } from './crypto';

export type RoomMode = 'relay' | 'webrtc';

export interface RoomConfig {
	id: string;
	key: string;
	mode: RoomMode;
	/** ws(s):// address of the relay (mode relay) or of the signaling server (mode webrtc). */
	url: string;
}

export function roomLink(origin: string, room: RoomConfig): string {
	const p = new URLSearchParams({ r: room.id, k: room.key, via: room.mode, url: room.url });
	return `${origin}/room#${p.toString()}`;
}

export type ParsedRoomLink = { ok: true; room: RoomConfig } | { ok: false; error: string };

/** Reads the fragment of a room link (with or without the leading `#`). */
export function parseRoomFragment(fragment: string): ParsedRoomLink {
	const p = new URLSearchParams(fragment.replace(/^#/, ''));
	const id = p.get('r') ?? '';
	const key = p.get('k') ?? '';
	const via = p.get('via') ?? 'relay';
	const url = p.get('url') ?? '';
	if (!id) return { ok: false, error: 'This link has no room in it. Ask for the link again (copy all of it, including the part after #).' };
	if (!isRoomKey(key)) return { ok: false, error: 'The room key in this link is missing or damaged. Ask for the link again (copy all of it, including the part after #).' };
	if (via !== 'relay' && via !== 'webrtc') return { ok: false, error: `This link asks for a connection kind "${via}" that this app does not know.` };
	const bad = relayUrlProblem(url);
	if (bad) return { ok: false, error: `The link's server address is not usable: ${bad}` };
	return { ok: true, room: { id, key, mode: via, url } };
}

/** Why a relay / signaling address cannot be used, or null. */
export function relayUrlProblem(url: string): string | null {
	if (!url.trim()) return 'it is empty.';
	let u: URL;
	try {
		u = new URL(url);
	} catch {
		return `"${url}" is not an address; it looks like ws://localhost:4444 or wss://relay.example.com.`;
	}
	if (u.protocol !== 'ws:' && u.protocol !== 'wss:') return `"${url}" must start with ws:// or wss://.`;
	return null;
}

// ------------------------------------------------------------------ this person's settings

export interface CollabProfile {
	name: string;
	color: string;
	relayUrl: string;
	signalingUrl: string;
}

export const PALETTE = ['#e5484d', '#f76b15', '#d6a100', '#30a46c', '#12a594', '#0090ff', '#6e56cf', '#d6409f'];
export const DEFAULT_RELAY = 'ws://localhost:4444';
const STORE_KEY = 'fsm-studio:collab-profile';
const ANIMALS = ['Otter', 'Heron', 'Lynx', 'Puffin', 'Badger', 'Gecko', 'Marten', 'Ibis', 'Orca', 'Wren'];

function randomProfile(): CollabProfile {
	const r = new Uint8Array(2);
	crypto.getRandomValues(r);
	return { name: `Guest ${ANIMALS[r[0] % ANIMALS.length]}`, color: PALETTE[r[1] % PALETTE.length], relayUrl: DEFAULT_RELAY, signalingUrl: DEFAULT_RELAY };
}

export function loadProfile(): CollabProfile {
	try {
		const raw = localStorage.getItem(STORE_KEY);
		if (raw) {
			const p = JSON.parse(raw) as Partial<CollabProfile>;
			const base = randomProfile();
			return {
				name: typeof p.name === 'string' && p.name.trim() ? p.name.slice(0, 40) : base.name,
				color: typeof p.color === 'string' && /^#[0-9a-f]{6}$/i.test(p.color) ? p.color : base.color,
				relayUrl: typeof p.relayUrl === 'string' && p.relayUrl ? p.relayUrl : DEFAULT_RELAY,
				signalingUrl: typeof p.signalingUrl === 'string' && p.signalingUrl ? p.signalingUrl : DEFAULT_RELAY
			};
		}
	} catch {
		/* private mode or damaged: a fresh profile */
	}
	const p = randomProfile();
	saveProfile(p);
	return p;
}

export function saveProfile(p: CollabProfile): void {
	try {
		localStorage.setItem(STORE_KEY, JSON.stringify(p));
	} catch {
		/* not persisted; still used for this page */
	}
}
