/** JSON with sorted keys, so equal values hash equally whatever their key order. */
export function stableStringify(v: unknown): string {
	if (v === null || typeof v !== 'object') return JSON.stringify(v) ?? 'null';
	if (Array.isArray(v)) return '[' + v.map(stableStringify).join(',') + ']';
	const o = v as Record<string, unknown>;
	const keys = Object.keys(o).filter((k) => o[k] !== undefined).sort();
	return '{' + keys.map((k) => JSON.stringify(k) + ':' + stableStringify(o[k])).join(',') + '}';
}

/** cyrb53 run twice with different seeds: a 106-bit, non-cryptographic hash as hex. */
export function hashString(s: string): string {
	return cyrb53(s, 0x9e3779b9) + cyrb53(s, 0x85ebca6b);
}

function cyrb53(str: string, seed: number): string {
	let h1 = 0xdeadbeef ^ seed;
	let h2 = 0x41c6ce57 ^ seed;
	for (let i = 0; i < str.length; i++) {
		const ch = str.charCodeAt(i);
		h1 = Math.imul(h1 ^ ch, 2654435761);
		h2 = Math.imul(h2 ^ ch, 1597334677);
	}
	h1 = Math.imul(h1 ^ (h1 >>> 16), 2246822507) ^ Math.imul(h2 ^ (h2 >>> 13), 3266489909);
	h2 = Math.imul(h2 ^ (h2 >>> 16), 2246822507) ^ Math.imul(h1 ^ (h1 >>> 13), 3266489909);
	return (4294967296 * (2097151 & h2) + (h1 >>> 0)).toString(16).padStart(14, '0');
}
