/**
 * End-to-end encryption of a room: AES-GCM under a 128-bit room key that lives only in the
 * link's `#fragment` (as Excalidraw does), so neither the static host nor the relay ever
 * sees it. Every message gets a fresh 96-bit IV; the room's topic is bound in as
 * additional data, so a message cannot be replayed into another room.
 */

const subtle = () => {
	const s = globalThis.crypto?.subtle;
	if (!s) throw new Error('This browser cannot encrypt (Web Crypto is missing or the page is not served over https).');
	return s;
};

export function toBase64Url(bytes: Uint8Array): string {
	let s = '';
	for (let i = 0; i < bytes.length; i++) s += String.fromCharCode(bytes[i]);
	return btoa(s).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

export function fromBase64Url(text: string): Uint8Array {
	const b64 = text.replace(/-/g, '+').replace(/_/g, '/');
	const bin = atob(b64 + '='.repeat((4 - (b64.length % 4)) % 4));
	const out = new Uint8Array(bin.length);
	for (let i = 0; i < bin.length; i++) out[i] = bin.charCodeAt(i);
	return out;
}

export function toBase64(bytes: Uint8Array): string {
	let s = '';
	const CHUNK = 0x8000;
	for (let i = 0; i < bytes.length; i += CHUNK) s += String.fromCharCode(...bytes.subarray(i, i + CHUNK));
	return btoa(s);
}

export function fromBase64(text: string): Uint8Array {
	const bin = atob(text);
	const out = new Uint8Array(bin.length);
	for (let i = 0; i < bin.length; i++) out[i] = bin.charCodeAt(i);
	return out;
}

/** A new random room key, as the text that goes into a link (22 characters). */
export function newRoomKey(): string {
	const raw = new Uint8Array(16);
	crypto.getRandomValues(raw);
	return toBase64Url(raw);
}

/** A new random room id (not secret: the relay sees it as the topic). */
export function newRoomId(): string {
	const raw = new Uint8Array(12);
	crypto.getRandomValues(raw);
	return toBase64Url(raw);
}

/** True when `text` can be a room key (16 bytes, base64url). */
export function isRoomKey(text: string): boolean {
	return /^[A-Za-z0-9_-]{22}$/.test(text);
}

/** Imports the key text of a link for AES-GCM. */
export async function importRoomKey(text: string): Promise<CryptoKey> {
	if (!isRoomKey(text)) throw new Error('The room key in this link is damaged: ask for the link again.');
	return subtle().importKey('raw', fromBase64Url(text) as BufferSource, { name: 'AES-GCM' }, false, ['encrypt', 'decrypt']);
}

const enc = new TextEncoder();

/** Encrypts `plain` → iv (12 bytes) ‖ ciphertext+tag. */
export async function seal(key: CryptoKey, plain: Uint8Array, topic: string): Promise<Uint8Array> {
	const iv = new Uint8Array(12);
	crypto.getRandomValues(iv);
	const ct = new Uint8Array(
		await subtle().encrypt({ name: 'AES-GCM', iv, additionalData: enc.encode(topic) }, key, plain as BufferSource)
	);
	const out = new Uint8Array(12 + ct.length);
	out.set(iv, 0);
	out.set(ct, 12);
	return out;
}

/** Decrypts what `seal` made; null when the key (or the room) is not the one it was sealed with. */
export async function open(key: CryptoKey, sealed: Uint8Array, topic: string): Promise<Uint8Array | null> {
	if (sealed.length < 12 + 16) return null;
	try {
		const plain = await subtle().decrypt(
			{ name: 'AES-GCM', iv: sealed.subarray(0, 12) as BufferSource, additionalData: enc.encode(topic) },
			key,
			sealed.subarray(12) as BufferSource
		);
		return new Uint8Array(plain);
	} catch {
		return null;
	}
}
