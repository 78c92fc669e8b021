/**
 * Dot-product kernels for the semantic scan: one score per stored vector.
 *
 * The scan is the whole cost of semantic search (100,000 × 384 multiply-adds per query), so
 * it runs as WebAssembly SIMD: four f32 lanes per instruction for float vectors, and
 * `i32x4.dot_i16x8_s` over sign-extended bytes for int8 vectors (a quarter of the memory
 * traffic). The module is a few hundred bytes, assembled here rather than shipped as a
 * binary so that it can be read and reviewed. Where WebAssembly SIMD is missing, the same
 * loops run in plain JavaScript.
 */

/** Rows are padded to a multiple of this many components (16 floats or 16 bytes per SIMD step). */
export const LANE_PAD = 16;

export function paddedDims(dims: number): number {
	return Math.ceil(dims / LANE_PAD) * LANE_PAD;
}

export interface Kernel {
	/** Whether this kernel runs as WebAssembly SIMD. */
	readonly simd: boolean;
	/** Makes sure `bytes` of kernel memory exist; returns the memory's buffer (views must be re-made after growth). */
	reserve(bytes: number): ArrayBuffer;
	readonly buffer: ArrayBuffer;
	/** out[r] = Σ data[r·d + j] · q[j] for r < n (byte offsets into the kernel's memory, d a multiple of 16). */
	dotF32(dataPtr: number, qPtr: number, outPtr: number, n: number, d: number): void;
	/** Like dotF32 over int8 rows, with the query given as int16 (widened int8); int32 out. */
	dotI8(dataPtr: number, qPtr: number, outPtr: number, n: number, d: number): void;
}

// --- a tiny WebAssembly assembler -------------------------------------------------------

function uleb(n: number): number[] {
	const out: number[] = [];
	do {
		let b = n & 0x7f;
		n >>>= 7;
		if (n !== 0) b |= 0x80;
		out.push(b);
	} while (n !== 0);
	return out;
}

function sleb(n: number): number[] {
	const out: number[] = [];
	for (;;) {
		const b = n & 0x7f;
		n >>= 7;
		if ((n === 0 && (b & 0x40) === 0) || (n === -1 && (b & 0x40) !== 0)) {
			out.push(b);
			return out;
		}
		out.push(b | 0x80);
	}
}

const vec = (items: number[][]) => [...uleb(items.length), ...items.flat()];
const section = (id: number, body: number[]) => [id, ...uleb(body.length), ...body];
const str = (s: string) => [...uleb(s.length), ...Array.from(s, (c) => c.charCodeAt(0))];

const I32 = 0x7f;
const V128 = 0x7b;
const op = {
	block: [0x02, 0x40],
	loop: [0x03, 0x40],
	end: [0x0b],
	br: (d: number) => [0x0c, ...uleb(d)],
	brIf: (d: number) => [0x0d, ...uleb(d)],
	get: (i: number) => [0x20, ...uleb(i)],
	set: (i: number) => [0x21, ...uleb(i)],
	tee: (i: number) => [0x22, ...uleb(i)],
	i32: (v: number) => [0x41, ...sleb(v)],
	i32Eqz: [0x45],
	i32LtU: [0x49],
	i32Add: [0x6a],
	i32Sub: [0x6b],
	i32Shl: [0x74],
	f32Add: [0x92],
	i32Store: [0x36, 0x02, 0x00],
	f32Store: [0x38, 0x02, 0x00],
	load: (offset: number) => [0xfd, 0x00, 0x00, ...uleb(offset)],
	zero: [0xfd, 0x0c, ...new Array(16).fill(0)],
	f32x4Add: [0xfd, ...uleb(228)],
	f32x4Mul: [0xfd, ...uleb(230)],
	f32x4Lane: (l: number) => [0xfd, 0x1f, l],
	i32x4Add: [0xfd, ...uleb(174)],
	i32x4Lane: (l: number) => [0xfd, 0x1b, l],
	i32Add2: [0x6a],
	extendLowS: [0xfd, ...uleb(135)],
	extendHighS: [0xfd, ...uleb(136)],
	dotI16: [0xfd, ...uleb(186)]
};

// params: 0 data, 1 q, 2 out, 3 n, 4 d; locals: 5 qp, 6 qend, 7..10 acc (v128)
function dotF32Body(): number[] {
	const [DATA, Q, OUT, N, D, QP, QEND] = [0, 1, 2, 3, 4, 5, 6];
	const acc = [7, 8, 9, 10];
	const step = (a: number, off: number) => [
		...op.get(a),
		...op.get(DATA),
		...op.load(off),
		...op.get(QP),
		...op.load(off),
		...op.f32x4Mul,
		...op.f32x4Add,
		...op.set(a)
	];
	const code = [
		// qend = q + d·4
		...op.get(Q),
		...op.get(D),
		...op.i32(2),
		...op.i32Shl,
		...op.i32Add,
		...op.set(QEND),
		...op.block,
		...op.loop,
		...op.get(N),
		...op.i32Eqz,
		...op.brIf(1),
		...acc.flatMap((a) => [...op.zero, ...op.set(a)]),
		...op.get(Q),
		...op.set(QP),
		...op.loop,
		...step(acc[0], 0),
		...step(acc[1], 16),
		...step(acc[2], 32),
		...step(acc[3], 48),
		...op.get(DATA),
		...op.i32(64),
		...op.i32Add,
		...op.set(DATA),
		...op.get(QP),
		...op.i32(64),
		...op.i32Add,
		...op.tee(QP),
		...op.get(QEND),
		...op.i32LtU,
		...op.brIf(0),
		...op.end,
		// acc0 = acc0 + acc1 + acc2 + acc3; out[r] = Σ lanes
		...op.get(acc[0]),
		...op.get(acc[1]),
		...op.f32x4Add,
		...op.get(acc[2]),
		...op.get(acc[3]),
		...op.f32x4Add,
		...op.f32x4Add,
		...op.set(acc[0]),
		...op.get(OUT),
		...op.get(acc[0]),
		...op.f32x4Lane(0),
		...op.get(acc[0]),
		...op.f32x4Lane(1),
		...op.f32Add,
		...op.get(acc[0]),
		...op.f32x4Lane(2),
		...op.get(acc[0]),
		...op.f32x4Lane(3),
		...op.f32Add,
		...op.f32Add,
		...op.f32Store,
		...op.get(OUT),
		...op.i32(4),
		...op.i32Add,
		...op.set(OUT),
		...op.get(N),
		...op.i32(1),
		...op.i32Sub,
		...op.set(N),
		...op.br(0),
		...op.end,
		...op.end,
		...op.end
	];
	const locals = vec([
		[2, I32],
		[4, V128]
	]);
	const body = [...locals, ...code];
	return [...uleb(body.length), ...body];
}

// int8 rows (d bytes each), int16 query (2·d bytes): per 16 row bytes, two i16x8 dots.
function dotI8Body(): number[] {
	const [DATA, Q, OUT, N, D, QP, QEND] = [0, 1, 2, 3, 4, 5, 6];
	const [A0, A1, ROW] = [7, 8, 9];
	const code = [
		...op.get(Q),
		...op.get(D),
		...op.i32(1),
		...op.i32Shl,
		...op.i32Add,
		...op.set(QEND),
		...op.block,
		...op.loop,
		...op.get(N),
		...op.i32Eqz,
		...op.brIf(1),
		...op.zero,
		...op.set(A0),
		...op.zero,
		...op.set(A1),
		...op.get(Q),
		...op.set(QP),
		...op.loop,
		...op.get(DATA),
		...op.load(0),
		...op.set(ROW),
		...op.get(A0),
		...op.get(ROW),
		...op.extendLowS,
		...op.get(QP),
		...op.load(0),
		...op.dotI16,
		...op.i32x4Add,
		...op.set(A0),
		...op.get(A1),
		...op.get(ROW),
		...op.extendHighS,
		...op.get(QP),
		...op.load(16),
		...op.dotI16,
		...op.i32x4Add,
		...op.set(A1),
		...op.get(DATA),
		...op.i32(16),
		...op.i32Add,
		...op.set(DATA),
		...op.get(QP),
		...op.i32(32),
		...op.i32Add,
		...op.tee(QP),
		...op.get(QEND),
		...op.i32LtU,
		...op.brIf(0),
		...op.end,
		...op.get(A0),
		...op.get(A1),
		...op.i32x4Add,
		...op.set(A0),
		...op.get(OUT),
		...op.get(A0),
		...op.i32x4Lane(0),
		...op.get(A0),
		...op.i32x4Lane(1),
		...op.i32Add,
		...op.get(A0),
		...op.i32x4Lane(2),
		...op.get(A0),
		...op.i32x4Lane(3),
		...op.i32Add,
		...op.i32Add,
		...op.i32Store,
		...op.get(OUT),
		...op.i32(4),
		...op.i32Add,
		...op.set(OUT),
		...op.get(N),
		...op.i32(1),
		...op.i32Sub,
		...op.set(N),
		...op.br(0),
		...op.end,
		...op.end,
		...op.end
	];
	const locals = vec([
		[2, I32],
		[3, V128]
	]);
	const body = [...locals, ...code];
	return [...uleb(body.length), ...body];
}

function assemble(): Uint8Array<ArrayBuffer> {
	const fnType = [0x60, ...vec([[I32], [I32], [I32], [I32], [I32]]), 0x00];
	const bytes = [
		0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00,
		...section(1, vec([fnType])),
		...section(3, vec([[0], [0]])),
		// memory 0: min 1 page, no maximum
		...section(5, vec([[0x00, 0x01]])),
		...section(
			7,
			vec([
				[...str('memory'), 0x02, 0x00],
				[...str('dotF32'), 0x00, 0x00],
				[...str('dotI8'), 0x00, 0x01]
			])
		),
		...section(10, vec([dotF32Body(), dotI8Body()]))
	];
	return new Uint8Array(bytes);
}

let compiled: WebAssembly.Module | null | undefined;

function simdModule(): WebAssembly.Module | null {
	if (compiled !== undefined) return compiled;
	compiled = null;
	try {
		const bytes = assemble();
		if (typeof WebAssembly !== 'undefined' && WebAssembly.validate(bytes)) compiled = new WebAssembly.Module(bytes);
	} catch {
		compiled = null;
	}
	return compiled;
}

const PAGE = 65536;

class WasmKernel implements Kernel {
	readonly simd = true;
	private readonly memory: WebAssembly.Memory;
	private readonly f32: (a: number, b: number, c: number, n: number, d: number) => void;
	private readonly i8: (a: number, b: number, c: number, n: number, d: number) => void;
	constructor(module: WebAssembly.Module) {
		const inst = new WebAssembly.Instance(module, {});
		const ex = inst.exports as unknown as {
			memory: WebAssembly.Memory;
			dotF32: WasmKernel['f32'];
			dotI8: WasmKernel['i8'];
		};
		this.memory = ex.memory;
		this.f32 = ex.dotF32;
		this.i8 = ex.dotI8;
	}
	get buffer(): ArrayBuffer {
		return this.memory.buffer;
	}
	reserve(bytes: number): ArrayBuffer {
		const have = this.memory.buffer.byteLength;
		if (bytes > have) this.memory.grow(Math.ceil((bytes - have) / PAGE));
		return this.memory.buffer;
	}
	dotF32(dataPtr: number, qPtr: number, outPtr: number, n: number, d: number) {
		if (n > 0) this.f32(dataPtr, qPtr, outPtr, n, d);
	}
	dotI8(dataPtr: number, qPtr: number, outPtr: number, n: number, d: number) {
		if (n > 0) this.i8(dataPtr, qPtr, outPtr, n, d);
	}
}

/** The same loops in JavaScript, for engines without WebAssembly SIMD. */
class JsKernel implements Kernel {
	readonly simd = false;
	private buf = new ArrayBuffer(PAGE);
	get buffer(): ArrayBuffer {
		return this.buf;
	}
	reserve(bytes: number): ArrayBuffer {
		if (bytes > this.buf.byteLength) {
			const next = new ArrayBuffer(Math.ceil(Math.max(bytes, this.buf.byteLength * 1.5) / PAGE) * PAGE);
			new Uint8Array(next).set(new Uint8Array(this.buf));
			this.buf = next;
		}
		return this.buf;
	}
	dotF32(dataPtr: number, qPtr: number, outPtr: number, n: number, d: number) {
		const data = new Float32Array(this.buf, dataPtr, n * d);
		const q = new Float32Array(this.buf, qPtr, d);
		const out = new Float32Array(this.buf, outPtr, n);
		for (let r = 0, off = 0; r < n; r++, off += d) {
			let s0 = 0,
				s1 = 0,
				s2 = 0,
				s3 = 0;
			for (let j = 0; j < d; j += 4) {
				s0 += data[off + j] * q[j];
				s1 += data[off + j + 1] * q[j + 1];
				s2 += data[off + j + 2] * q[j + 2];
				s3 += data[off + j + 3] * q[j + 3];
			}
			out[r] = s0 + s1 + s2 + s3;
		}
	}
	dotI8(dataPtr: number, qPtr: number, outPtr: number, n: number, d: number) {
		const data = new Int8Array(this.buf, dataPtr, n * d);
		const q = new Int16Array(this.buf, qPtr, d);
		const out = new Int32Array(this.buf, outPtr, n);
		for (let r = 0, off = 0; r < n; r++, off += d) {
			let s = 0;
			for (let j = 0; j < d; j++) s = (s + data[off + j] * q[j]) | 0;
			out[r] = s;
		}
	}
}

/** A kernel with its own memory: WebAssembly SIMD when available (or forced off with `simd: false`). */
export function createKernel(options: { simd?: boolean } = {}): Kernel {
	const m = options.simd === false ? null : simdModule();
	return m ? new WasmKernel(m) : new JsKernel();
}
