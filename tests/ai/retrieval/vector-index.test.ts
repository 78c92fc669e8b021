import { describe, expect, test } from 'vitest';
import { VectorIndex, rescore } from '../../../src/lib/ai/retrieval/vector-index';

function rng(seed: number) {
	return () => {
		seed = (seed + 0x6d2b79f5) >>> 0;
		let t = seed;
		t = Math.imul(t ^ (t >>> 15), t | 1);
		t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
		return ((t ^ (t >>> 14)) >>> 0) / 4294967296 - 0.5;
	};
}
const vec = (r: () => number, d: number) => Float32Array.from({ length: d }, r);

describe('vector index', () => {
	test('the WebAssembly SIMD scan and the JavaScript scan agree, and removal keeps the rest', () => {
		const r = rng(1);
		const simd = new VectorIndex(50);
		const js = new VectorIndex(50, { simd: false });
		expect(simd.simd).toBe(true);
		for (let i = 1; i <= 500; i++) {
			const v = vec(r, 50);
			simd.upsert(i, v);
			js.upsert(i, v);
		}
		simd.remove(7);
		js.remove(7);
		const q = vec(r, 50);
		const a = simd.search(q, 10);
		const b = js.search(q, 10);
		expect(a.map((h) => h.id)).toEqual(b.map((h) => h.id));
		a.forEach((h, i) => expect(h.score).toBeCloseTo(b[i].score, 5));
		expect(a.some((h) => h.id === 7)).toBe(false);
		expect(simd.size).toBe(499);
	});
	test('int8 with exact rescoring finds the exact top 10', () => {
		const r = rng(2);
		const exact = new VectorIndex(64);
		const q8 = new VectorIndex(64, { quantization: 'int8' });
		const all = new Map<number, Float32Array>();
		for (let i = 1; i <= 2000; i++) {
			const v = vec(r, 64);
			all.set(i, v);
			exact.upsert(i, v);
			q8.upsert(i, v);
		}
		let hits = 0;
		for (let k = 0; k < 20; k++) {
			const q = vec(r, 64);
			const want = exact.search(q, 10).map((h) => h.id);
			const got = rescore(q, q8.search(q, 40).map((h) => ({ id: h.id, vector: all.get(h.id)! })), 10).map((h) => h.id);
			hits += got.filter((id) => want.includes(id)).length;
		}
		expect(hits / 200).toBeGreaterThanOrEqual(0.98);
	});
});
