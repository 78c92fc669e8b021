/**
 * An in-memory index of unit vectors for cosine search (a dot product, since every vector
 * is normalized on the way in), laid out row by row in the kernel's memory.
 *
 * `float32` keeps the exact vectors and scans them. `int8` keeps one byte per component
 * (a scale per vector) — a quarter of the memory and a faster scan — and answers with
 * candidates that the caller rescores exactly against the float vectors it keeps elsewhere
 * (`rescore`), so the final order is the exact one for every candidate that made the cut.
 */
import { createKernel, paddedDims, type Kernel } from './kernel';

export type Quantization = 'float32' | 'int8';

export interface VectorHit {
	id: number;
	score: number;
}

export interface VectorSearchOptions {
	/** Only rows whose id passes are returned. */
	allow?: (id: number) => boolean;
}

/** Normalizes in place; returns false for a zero (or non-finite) vector. */
export function normalizeInPlace(v: Float32Array): boolean {
	let n = 0;
	for (let i = 0; i < v.length; i++) n += v[i] * v[i];
	if (!(n > 0) || !Number.isFinite(n)) {
		v.fill(0);
		return false;
	}
	const inv = 1 / Math.sqrt(n);
	for (let i = 0; i < v.length; i++) v[i] *= inv;
	return true;
}

/** Quantizes a unit vector to int8 codes with one scale: v ≈ codes · scale. */
export function quantizeInt8(v: Float32Array, out: Int8Array): number {
	let max = 0;
	for (let i = 0; i < v.length; i++) max = Math.max(max, Math.abs(v[i]));
	if (max === 0) {
		out.fill(0);
		return 0;
	}
	const inv = 127 / max;
	for (let i = 0; i < v.length; i++) out[i] = Math.round(v[i] * inv);
	return max / 127;
}

/** Selects the k best (score desc, then id asc — stable across runs) from parallel arrays. */
export class TopK {
	private readonly scores: Float64Array;
	private readonly ids: Float64Array;
	private n = 0;
	constructor(readonly k: number) {
		this.scores = new Float64Array(Math.max(1, k));
		this.ids = new Float64Array(Math.max(1, k));
	}
	/** The score a candidate must beat (or tie with a lower id) to enter. */
	get threshold(): number {
		return this.n < this.k ? -Infinity : this.scores[this.n - 1];
	}
	push(id: number, score: number): void {
		const k = this.k;
		if (k === 0) return;
		let i = this.n;
		if (i === k) {
			const ls = this.scores[k - 1];
			if (score < ls || (score === ls && id > this.ids[k - 1])) return;
			i = k - 1;
		} else this.n++;
		// insertion from the end: k is small (tens), so this beats a heap
		while (i > 0) {
			const ps = this.scores[i - 1];
			if (ps > score || (ps === score && this.ids[i - 1] < id)) break;
			this.scores[i] = ps;
			this.ids[i] = this.ids[i - 1];
			i--;
		}
		this.scores[i] = score;
		this.ids[i] = id;
	}
	result(): VectorHit[] {
		const out: VectorHit[] = [];
		for (let i = 0; i < this.n; i++) out.push({ id: this.ids[i], score: this.scores[i] });
		return out;
	}
}

export class VectorIndex {
	readonly dims: number;
	/** Row width in components (dims padded for the SIMD kernel). */
	readonly stride: number;
	readonly quantization: Quantization;
	private readonly kernel: Kernel;
	private capacity = 0;
	private count = 0;
	private rowIds = new Float64Array(0);
	private readonly rowOf = new Map<number, number>();
	/** Per-row int8 scale (int8 only). */
	private scales = new Float32Array(0);
	// byte offsets in kernel memory
	private qPtr = 0;
	private q16Ptr = 0;
	private outPtr = 0;
	private rowsPtr = 0;
	private readonly scratch: Float32Array;
	private readonly scratch8: Int8Array;

	constructor(dims: number, options: { quantization?: Quantization; simd?: boolean } = {}) {
		if (!Number.isInteger(dims) || dims <= 0) throw new Error(`A vector index needs a positive dimension count, not ${dims}`);
		this.dims = dims;
		this.stride = paddedDims(dims);
		this.quantization = options.quantization ?? 'float32';
		this.kernel = createKernel({ simd: options.simd });
		this.scratch = new Float32Array(this.stride);
		this.scratch8 = new Int8Array(this.stride);
		this.layout(64);
	}

	/** Whether the scan runs as WebAssembly SIMD. */
	get simd(): boolean {
		return this.kernel.simd;
	}
	get size(): number {
		return this.count;
	}
	has(id: number): boolean {
		return this.rowOf.has(id);
	}
	/** Bytes of vector data held in memory. */
	get bytes(): number {
		return this.count * this.rowBytes;
	}

	private get rowBytes(): number {
		return this.quantization === 'int8' ? this.stride : this.stride * 4;
	}

	/** Lays the regions out for `capacity` rows, keeping existing rows. */
	private layout(capacity: number) {
		const s = this.stride;
		const qPtr = 0;
		const q16Ptr = qPtr + s * 4;
		const outPtr = q16Ptr + s * 2;
		const rowsPtr = outPtr + capacity * 4;
		const total = rowsPtr + capacity * this.rowBytes;
		const buf = this.kernel.reserve(total);
		if (this.count > 0 && rowsPtr !== this.rowsPtr) {
			new Uint8Array(buf).copyWithin(rowsPtr, this.rowsPtr, this.rowsPtr + this.count * this.rowBytes);
		}
		this.qPtr = qPtr;
		this.q16Ptr = q16Ptr;
		this.outPtr = outPtr;
		this.rowsPtr = rowsPtr;
		const ids = new Float64Array(capacity);
		ids.set(this.rowIds.subarray(0, this.count));
		this.rowIds = ids;
		const scales = new Float32Array(capacity);
		scales.set(this.scales.subarray(0, this.count));
		this.scales = scales;
		this.capacity = capacity;
	}

	/** Reserves room for `n` rows in one step (avoids repeated growth while loading). */
	reserve(n: number): void {
		if (n > this.capacity) this.layout(n);
	}

	/** Adds or replaces the vector of `id` (normalized here; a copy is kept). */
	upsert(id: number, vector: ArrayLike<number>): void {
		if (vector.length !== this.dims) throw new Error(`Vector has ${vector.length} dimensions; this index holds ${this.dims}`);
		let row = this.rowOf.get(id);
		if (row === undefined) {
			if (this.count === this.capacity) this.layout(Math.max(64, Math.ceil(this.capacity * 1.5)));
			row = this.count++;
			this.rowOf.set(id, row);
			this.rowIds[row] = id;
		}
		const v = this.scratch;
		v.fill(0);
		for (let i = 0; i < this.dims; i++) v[i] = vector[i];
		normalizeInPlace(v);
		this.writeRow(row, v);
	}

	private writeRow(row: number, unit: Float32Array) {
		const buf = this.kernel.buffer;
		if (this.quantization === 'int8') {
			this.scales[row] = quantizeInt8(unit, this.scratch8);
			new Int8Array(buf, this.rowsPtr + row * this.stride, this.stride).set(this.scratch8);
		} else {
			new Float32Array(buf, this.rowsPtr + row * this.stride * 4, this.stride).set(unit);
		}
	}

	/** Removes `id` (the last row moves into its place). */
	remove(id: number): boolean {
		const row = this.rowOf.get(id);
		if (row === undefined) return false;
		const last = this.count - 1;
		if (row !== last) {
			const rb = this.rowBytes;
			new Uint8Array(this.kernel.buffer).copyWithin(this.rowsPtr + row * rb, this.rowsPtr + last * rb, this.rowsPtr + (last + 1) * rb);
			const movedId = this.rowIds[last];
			this.rowIds[row] = movedId;
			this.scales[row] = this.scales[last];
			this.rowOf.set(movedId, row);
		}
		this.rowOf.delete(id);
		this.count = last;
		return true;
	}

	clear(): void {
		this.rowOf.clear();
		this.count = 0;
	}

	/** The stored vector of `id` (float32: exact; int8: dequantized). */
	get(id: number): Float32Array | undefined {
		const row = this.rowOf.get(id);
		if (row === undefined) return undefined;
		const out = new Float32Array(this.dims);
		const buf = this.kernel.buffer;
		if (this.quantization === 'int8') {
			const codes = new Int8Array(buf, this.rowsPtr + row * this.stride, this.dims);
			const s = this.scales[row];
			for (let i = 0; i < this.dims; i++) out[i] = codes[i] * s;
		} else out.set(new Float32Array(buf, this.rowsPtr + row * this.stride * 4, this.dims));
		return out;
	}

	/**
	 * The k rows closest to `query` by cosine. For int8 the scores are approximate: ask for
	 * more than you need and `rescore` them.
	 */
	search(query: ArrayLike<number>, k: number, options: VectorSearchOptions = {}): VectorHit[] {
		if (query.length !== this.dims) throw new Error(`Query has ${query.length} dimensions; this index holds ${this.dims}`);
		const n = this.count;
		const top = new TopK(Math.min(k, n));
		if (n === 0 || k <= 0) return [];
		const q = this.scratch;
		q.fill(0);
		for (let i = 0; i < this.dims; i++) q[i] = query[i];
		if (!normalizeInPlace(q)) return [];
		const buf = this.kernel.buffer;
		const allow = options.allow;
		const ids = this.rowIds;
		if (this.quantization === 'int8') {
			// query as int16 codes of its int8 quantization: integer dot products in the scan
			const qs = quantizeInt8(q, this.scratch8);
			const q16 = new Int16Array(buf, this.q16Ptr, this.stride);
			for (let i = 0; i < this.stride; i++) q16[i] = this.scratch8[i];
			this.kernel.dotI8(this.rowsPtr, this.q16Ptr, this.outPtr, n, this.stride);
			const out = new Int32Array(buf, this.outPtr, n);
			const scales = this.scales;
			for (let r = 0; r < n; r++) {
				const s = out[r] * scales[r] * qs;
				if (s >= top.threshold && (!allow || allow(ids[r]))) top.push(ids[r], s);
			}
		} else {
			new Float32Array(buf, this.qPtr, this.stride).set(q);
			this.kernel.dotF32(this.rowsPtr, this.qPtr, this.outPtr, n, this.stride);
			const out = new Float32Array(buf, this.outPtr, n);
			for (let r = 0; r < n; r++) {
				const s = out[r];
				if (s >= top.threshold && (!allow || allow(ids[r]))) top.push(ids[r], s);
			}
		}
		return top.result();
	}
}

/** Exact cosine of two vectors (any length, any norm); 0 when either is zero. */
export function cosine(a: ArrayLike<number>, b: ArrayLike<number>): number {
	let dot = 0,
		na = 0,
		nb = 0;
	const n = Math.min(a.length, b.length);
	for (let i = 0; i < n; i++) {
		dot += a[i] * b[i];
		na += a[i] * a[i];
		nb += b[i] * b[i];
	}
	return na > 0 && nb > 0 ? dot / Math.sqrt(na * nb) : 0;
}

/** Rescores candidates exactly and keeps the best k (score desc, then id asc). */
export function rescore(query: ArrayLike<number>, candidates: { id: number; vector: ArrayLike<number> }[], k: number): VectorHit[] {
	const top = new TopK(k);
	for (const c of candidates) top.push(c.id, cosine(query, c.vector));
	return top.result();
}
