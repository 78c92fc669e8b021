/**
 * Share links: the workflow, stripped of credentials, compressed (deflate) and base64url-
 * encoded in the URL fragment, which browsers never send to a server. Optionally encrypted
 * with AES-GCM: the key comes from a passphrase (PBKDF2-SHA-256, random salt) or is random
 * and travels after the data in the same fragment.
 *
 * Fragment formats (after `#`):
 *   z1.<deflate(json)>                    plain
 *   p1.<salt16 · iv12 · aes-gcm(deflate)> passphrase
 *   k1.<iv12 · aes-gcm(deflate)>.<key32>  random key in the link
 */
import { deflateSync, Inflate } from 'fflate';
import { serializeWorkflow } from '../model';
import type { Workflow } from '../model/types';
import { importJson } from './json';
import { sanitizeForSharing } from './sanitize';
import type { ImportError, LostItem } from './types';
import { describe } from './util';

/** Longest fragment we put in a link; longer documents are offered as a file instead. */
export const MAX_LINK_CHARS = 8192;
/** Inputs longer than this are not even looked at. */
const MAX_FRAGMENT_CHARS = 4_000_000;
/** A decompressed document larger than this is refused (a "zip bomb" stops here). */
const MAX_INFLATED_BYTES = 5_000_000;
const PBKDF2_ITERATIONS = 310_000;

export type ShareMode = 'plain' | 'passphrase' | 'random-key';

export type EncodeResult =
	| { ok: true; fragment: string; url: string; length: number; removed: string[]; mode: ShareMode }
	| { ok: false; reason: 'too-big'; length: number; limit: number; message: string; removed: string[] }
	| { ok: false; reason: 'crypto-unavailable'; message: string; removed: string[] };

export type DecodeResult =
	| { ok: true; workflow: Workflow; lost: LostItem[]; removed: string[]; mode: ShareMode; readOnly?: boolean }
	| { ok: false; errors: ImportError[]; needsPassphrase?: boolean };

// --- base64url ------------------------------------------------------------------------

const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
const LOOKUP = new Int16Array(128).fill(-1);
for (let i = 0; i < ALPHABET.length; i++) LOOKUP[ALPHABET.charCodeAt(i)] = i;

export function toBase64Url(bytes: Uint8Array): string {
	let out = '';
	let i = 0;
	for (; i + 2 < bytes.length; i += 3) {
		const n = (bytes[i] << 16) | (bytes[i + 1] << 8) | bytes[i + 2];
		out += ALPHABET[n >> 18] + ALPHABET[(n >> 12) & 63] + ALPHABET[(n >> 6) & 63] + ALPHABET[n & 63];
	}
	if (i < bytes.length) {
		const n = (bytes[i] << 16) | ((bytes[i + 1] ?? 0) << 8);
		out += ALPHABET[n >> 18] + ALPHABET[(n >> 12) & 63];
		if (i + 1 < bytes.length) out += ALPHABET[(n >> 6) & 63];
	}
	return out;
}

/** Decodes base64url (padding and standard `+/` tolerated); undefined when it is not base64. */
export function fromBase64Url(text: string): Uint8Array | undefined {
	const s = text.replace(/=+$/, '');
	if (s.length % 4 === 1) return undefined;
	const out = new Uint8Array(Math.floor((s.length * 3) / 4));
	let o = 0;
	let acc = 0;
	let bits = 0;
	for (let i = 0; i < s.length; i++) {
		let c = s.charCodeAt(i);
		if (c === 43) c = 45; // '+' → '-'
		else if (c === 47) c = 95; // '/' → '_'
		const v = c < 128 ? LOOKUP[c] : -1;
		if (v < 0) return undefined;
		acc = (acc << 6) | v;
		bits += 6;
		if (bits >= 8) {
			bits -= 8;
			out[o++] = (acc >> bits) & 255;
		}
	}
	return out.subarray(0, o);
}

// --- compression and crypto -----------------------------------------------------------

function inflateLimited(data: Uint8Array): Uint8Array {
	const chunks: Uint8Array[] = [];
	let total = 0;
	let tooBig = false;
	const inflater = new Inflate((chunk) => {
		total += chunk.length;
		if (total > MAX_INFLATED_BYTES) tooBig = true;
		else chunks.push(chunk);
	});
	// Feed in slices so a bomb is noticed early rather than after expanding fully.
	for (let i = 0; i < data.length && !tooBig; i += 4096) inflater.push(data.subarray(i, i + 4096), i + 4096 >= data.length);
	if (tooBig) throw new LinkError(`The document in this link is larger than ${MAX_INFLATED_BYTES / 1e6} MB when unpacked; it was not opened.`);
	const out = new Uint8Array(total);
	let o = 0;
	for (const c of chunks) {
		out.set(c, o);
		o += c.length;
	}
	return out;
}

class LinkError extends Error {
	constructor(
		message: string,
		readonly needsPassphrase = false
	) {
		super(message);
	}
}

function subtle(): SubtleCrypto | undefined {
	return (globalThis.crypto as Crypto | undefined)?.subtle;
}

function bytesOf(b: Uint8Array): Uint8Array<ArrayBuffer> {
	return new Uint8Array(b) as Uint8Array<ArrayBuffer>;
}

async function passphraseKey(passphrase: string, salt: Uint8Array, usage: KeyUsage): Promise<CryptoKey> {
	const s = subtle()!;
	const base = await s.importKey('raw', bytesOf(new TextEncoder().encode(passphrase.normalize('NFC'))), 'PBKDF2', false, ['deriveKey']);
	return s.deriveKey({ name: 'PBKDF2', salt: bytesOf(salt), iterations: PBKDF2_ITERATIONS, hash: 'SHA-256' }, base, { name: 'AES-GCM', length: 256 }, false, [usage]);
}

function concat(...parts: Uint8Array[]): Uint8Array {
	const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
	let o = 0;
	for (const p of parts) {
		out.set(p, o);
		o += p.length;
	}
	return out;
}

// --- public API -----------------------------------------------------------------------

export interface EncodeOptions {
	/** Encrypt with a key derived from this passphrase. */
	passphrase?: string;
	/** Encrypt with a random key carried after the data in the fragment. */
	randomKey?: boolean;
	/** Where the link opens, default `/open`; the fragment is appended. */
	baseUrl?: string;
}

/** Makes a share link for a workflow (credentials, run logs and settings removed first). */
export async function encodeShareLink(workflow: Workflow, options: EncodeOptions = {}): Promise<EncodeResult> {
	const { workflow: clean, removed } = sanitizeForSharing(workflow);
	const packed = deflateSync(new TextEncoder().encode(serializeWorkflow(clean)), { level: 9 });
	let fragment: string;
	let mode: ShareMode = 'plain';
	if (options.passphrase !== undefined || options.randomKey) {
		const s = subtle();
		if (!s) return { ok: false, reason: 'crypto-unavailable', message: 'This browser cannot encrypt (Web Crypto is unavailable, e.g. on a page not served over HTTPS).', removed };
		const iv = globalThis.crypto.getRandomValues(new Uint8Array(12));
		if (options.passphrase !== undefined) {
			if (options.passphrase === '') return { ok: false, reason: 'crypto-unavailable', message: 'Enter a passphrase to encrypt the link.', removed };
			const salt = globalThis.crypto.getRandomValues(new Uint8Array(16));
			const key = await passphraseKey(options.passphrase, salt, 'encrypt');
			const ct = new Uint8Array(await s.encrypt({ name: 'AES-GCM', iv }, key, bytesOf(packed)));
			fragment = `p1.${toBase64Url(concat(salt, iv, ct))}`;
			mode = 'passphrase';
		} else {
			const raw = globalThis.crypto.getRandomValues(new Uint8Array(32));
			const key = await s.importKey('raw', raw, 'AES-GCM', false, ['encrypt']);
			const ct = new Uint8Array(await s.encrypt({ name: 'AES-GCM', iv }, key, bytesOf(packed)));
			fragment = `k1.${toBase64Url(concat(iv, ct))}.${toBase64Url(raw)}`;
			mode = 'random-key';
		}
	} else fragment = `z1.${toBase64Url(packed)}`;
	const base = options.baseUrl ?? '/open';
	const url = `${base}#${fragment}`;
	if (fragment.length > MAX_LINK_CHARS) {
		return {
			ok: false,
			reason: 'too-big',
			length: fragment.length,
			limit: MAX_LINK_CHARS,
			removed,
			message: `This workflow is too big for a link (${Math.ceil(fragment.length / 1024)} kB encoded; links hold about ${MAX_LINK_CHARS / 1024} kB). Share it as a file instead.`
		};
	}
	return { ok: true, fragment, url, length: url.length, removed, mode };
}

/** What kind of link this is, without decoding it (to ask for a passphrase up front). */
export function linkMode(input: string): ShareMode | undefined {
	const f = fragmentOf(input);
	return f.startsWith('z1.') ? 'plain' : f.startsWith('p1.') ? 'passphrase' : f.startsWith('k1.') ? 'random-key' : undefined;
}

function fragmentOf(input: string): string {
	if (typeof input !== 'string') return '';
	const hash = input.indexOf('#');
	let f = hash >= 0 ? input.slice(hash + 1) : input;
	if (/%[0-9A-Fa-f]{2}/.test(f)) {
		try {
			f = decodeURIComponent(f);
		} catch {
			// Not percent-encoded after all; decoding below reports the problem.
		}
	}
	return f.trim();
}

/**
 * Opens a share link (a full URL or just its fragment). Never throws: returns the
 * workflow, or errors in the user's words (`needsPassphrase` when one must be asked for).
 */
export async function decodeShareLink(input: string, options: { passphrase?: string } = {}): Promise<DecodeResult> {
	try {
		return await decodeUnsafe(input, options);
	} catch (e) {
		if (e instanceof LinkError) return { ok: false, errors: [{ message: e.message }], ...(e.needsPassphrase ? { needsPassphrase: true } : {}) };
		return { ok: false, errors: [{ message: `This link could not be opened: ${describe(e)}` }] };
	}
}

async function decodeUnsafe(input: string, options: { passphrase?: string }): Promise<DecodeResult> {
	if (typeof input !== 'string' || input.length > MAX_FRAGMENT_CHARS) throw new LinkError('This link is too long to be a workflow link.');
	const f = fragmentOf(input);
	if (f === '') throw new LinkError('This link holds no workflow: the part after "#" is empty.');
	const parts = f.split('.');
	const kind = parts[0];
	const bytes = (text: string | undefined, what: string) => {
		const b = text === undefined ? undefined : fromBase64Url(text);
		if (!b || b.length === 0) throw new LinkError(`This link is damaged: its ${what} is not valid. Was it copied completely?`);
		return b;
	};
	let packed: Uint8Array;
	let mode: ShareMode;
	if (kind === 'z1') {
		if (parts.length !== 2) throw new LinkError('This link is damaged: it has extra parts. Was it copied completely?');
		packed = bytes(parts[1], 'data');
		mode = 'plain';
	} else if (kind === 'p1') {
		if (parts.length !== 2) throw new LinkError('This link is damaged: it has extra parts. Was it copied completely?');
		const data = bytes(parts[1], 'data');
		if (data.length < 16 + 12 + 16) throw new LinkError('This link is damaged: the encrypted data is too short. Was it copied completely?');
		if (options.passphrase === undefined || options.passphrase === '') throw new LinkError('This link is protected by a passphrase. Enter it to open the workflow.', true);
		if (!subtle()) throw new LinkError('This browser cannot decrypt (Web Crypto is unavailable, e.g. on a page not served over HTTPS).');
		const key = await passphraseKey(options.passphrase, data.subarray(0, 16), 'decrypt');
		try {
			packed = new Uint8Array(await subtle()!.decrypt({ name: 'AES-GCM', iv: bytesOf(data.subarray(16, 28)) }, key, bytesOf(data.subarray(28))));
		} catch {
			throw new LinkError('Wrong passphrase, or the link is damaged: the workflow could not be decrypted.', true);
		}
		mode = 'passphrase';
	} else if (kind === 'k1') {
		if (parts.length !== 3) throw new LinkError('This link is missing its key (the part after the last "."). Was it copied completely?');
		const data = bytes(parts[1], 'data');
		const raw = bytes(parts[2], 'key');
		if (raw.length !== 32) throw new LinkError('This link is damaged: its key has the wrong length. Was it copied completely?');
		if (data.length < 12 + 16) throw new LinkError('This link is damaged: the encrypted data is too short. Was it copied completely?');
		if (!subtle()) throw new LinkError('This browser cannot decrypt (Web Crypto is unavailable, e.g. on a page not served over HTTPS).');
		const key = await subtle()!.importKey('raw', bytesOf(raw), 'AES-GCM', false, ['decrypt']);
		try {
			packed = new Uint8Array(await subtle()!.decrypt({ name: 'AES-GCM', iv: bytesOf(data.subarray(0, 12)) }, key, bytesOf(data.subarray(12))));
		} catch {
			throw new LinkError('This link is damaged: the workflow could not be decrypted with the key it carries.');
		}
		mode = 'random-key';
	} else {
		throw new LinkError('This is not an FSM Studio workflow link (it should look like /open#z1.…).');
	}
	let json: string;
	try {
		json = new TextDecoder('utf-8', { fatal: true }).decode(inflateLimited(packed));
	} catch (e) {
		if (e instanceof LinkError) throw e;
		throw new LinkError('This link is damaged: its data could not be unpacked. Was it copied completely?');
	}
	const imported = importJson(json);
	if (!imported.ok) return { ok: false, errors: imported.errors.map((x) => ({ ...x, message: `The workflow in this link is not valid. ${x.message}` })) };
	// Strip again on the way in: a hand-made link cannot plant credentials either.
	const { workflow, removed } = sanitizeForSharing(imported.workflow);
	return { ok: true, workflow, lost: imported.lost, removed, mode, ...(imported.readOnly ? { readOnly: true } : {}) };
}
