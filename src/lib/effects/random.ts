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

/**
 * OpenTelemetry-style span ids (16 hex digits): a random 32-bit prefix per executor and a
 * counter, so making an id costs one string concatenation on the hot path.
 */
export function spanIdGenerator(): () => string {
	const prefix = randomHex32();
	let n = 0;
	return () => {
		n = (n + 1) >>> 0;
		return prefix + (n.toString(16).padStart(8, '0'));
	};
}

/** A fresh OpenTelemetry trace id (32 hex digits). */
export function newTraceId(): string {
	return randomHex32() + randomHex32() + randomHex32() + randomHex32();
}
