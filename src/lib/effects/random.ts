/** A seedable PRNG (mulberry32): jitter is reproducible in tests and the simulator. */
export function seededRandom(seed: number): () => number {
	let a = seed >>> 0;
	return () => {
		a = (a + 0x6d2b79f5) >>> 0;
		let t = a;
		t = Math.imul(t ^ (t >>> 15), t | 1);
		t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
		return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
	};
}

function randomHex32(): string {
	const c = globalThis.crypto;
	const n = c?.getRandomValues ? c.getRandomValues(new Uint32Array(1))[0] : Math.floor(Math.random() * 0x100000000);
	return n.toString(16).padStart(8, '0');
}

const HEX2 = Array.from({ length: 256 }, (_, i) => i.toString(16).padStart(2, '0'));

/**
 * OpenTelemetry-style span ids (16 hex digits): a random 32-bit prefix per executor and a
 * counter. The first 14 digits change every 256 ids, so making an id is one concatenation.
 */
export function spanIdGenerator(): () => string {
	const prefix = randomHex32();
	let n = 0;
	let head = '';
	return () => {
		n = (n + 1) >>> 0;
		const low = n & 255;
		if (low === 0 || head === '') head = prefix + HEX2[n >>> 24] + HEX2[(n >>> 16) & 255] + HEX2[(n >>> 8) & 255];
		return head + HEX2[low];
	};
}

/** A fresh OpenTelemetry trace id (32 hex digits). */
export function newTraceId(): string {
	return randomHex32() + randomHex32() + randomHex32() + randomHex32();
}

const OTEL_TRACE = /^[0-9a-f]{32}$/;

/**
 * The trace id to record: the scope's own when it is already an OpenTelemetry trace id
 * (32 hex digits), else a stable 32-hex digest of it, so exported spans stay valid.
 * Remembers the last pair, since one instance reports many spans in a row.
 */
export function otelTraceIds(hash: (s: string) => string): (id: string) => string {
	let lastIn = '';
	let lastOut = '';
	return (id) => {
		if (id === lastIn) return lastOut;
		lastIn = id;
		lastOut = OTEL_TRACE.test(id) ? id : (hash(id) + hash(id + '#')).slice(0, 32);
		return lastOut;
	};
}
