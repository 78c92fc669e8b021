/**
 * The in-browser model catalog: web-llm's prebuilt chat models with what a user needs to
 * choose one — approximate download size, VRAM, and whether this GPU can run it (builds
 * with `q4f16` need the `shader-f16` feature; without it only `q4f32` builds run).
 */

/** The fields of web-llm's ModelRecord that the catalog reads. */
export interface WebLlmModelRecord {
	model_id: string;
	model: string;
	vram_required_MB?: number;
	low_resource_required?: boolean;
	required_features?: string[];
	model_type?: number;
}

export interface CatalogEntry {
	id: string;
	/** Parameters, e.g. 0.5 (billions). */
	paramsB?: number;
	quantization: string;
	/** Approximate download size in MB (parameters × bits per weight, plus ~8 %). */
	downloadMB?: number;
	vramMB?: number;
	lowResource: boolean;
	needsF16: boolean;
	/** Whether it can run on this GPU. */
	runnable: boolean;
	/** Native tool calling (Hermes builds); others get tools through a JSON schema. */
	nativeTools: boolean;
}

export interface GpuInfo {
	webgpu: boolean;
	shaderF16: boolean;
	/** The adapter's description, when known. */
	adapter?: string;
	/** Why there is no WebGPU, in the user's words. */
	reason?: string;
}

function paramsOf(id: string): number | undefined {
	const m = /[-_](\d+(?:\.\d+)?)([BM])(?:[-_]|$)/i.exec(id);
	if (!m) return undefined;
	return m[2].toUpperCase() === 'B' ? Number(m[1]) : Number(m[1]) / 1000;
}

function bitsOf(q: string): number {
	const m = /^q(\d)f/.exec(q);
	return m ? Number(m[1]) : q.startsWith('q0f16') ? 16 : q.startsWith('q0f32') ? 32 : 4;
}

/** Chat models of web-llm's list, smallest VRAM first, marked runnable for this GPU. */
export function buildCatalog(records: WebLlmModelRecord[], gpu: GpuInfo): CatalogEntry[] {
	return records
		.filter((r) => (r.model_type === undefined || r.model_type === 0) && !/embed|vision|-VL-/i.test(r.model_id))
		.map((r) => {
			const quantization = /-(q\d+f\d+(?:_\d)?)/.exec(r.model_id)?.[1] ?? 'unknown';
			const paramsB = paramsOf(r.model_id);
			const needsF16 = (r.required_features ?? []).includes('shader-f16') || /f16/.test(quantization);
			return {
				id: r.model_id,
				...(paramsB !== undefined ? { paramsB, downloadMB: Math.round(((paramsB * 1e9 * bitsOf(quantization)) / 8 / 1e6) * 1.08) } : {}),
				quantization,
				...(r.vram_required_MB !== undefined ? { vramMB: Math.round(r.vram_required_MB) } : {}),
				lowResource: !!r.low_resource_required,
				needsF16,
				runnable: gpu.webgpu && (!needsF16 || gpu.shaderF16),
				nativeTools: /Hermes/i.test(r.model_id)
			};
		})
		.sort((a, b) => (a.vramMB ?? 1e9) - (b.vramMB ?? 1e9) || a.id.localeCompare(b.id));
}

/** WebGPU on this browser: an adapter, and whether it has shader-f16. */
export async function detectGpu(nav: { gpu?: { requestAdapter(): Promise<unknown> } } | undefined = globalThis.navigator as never): Promise<GpuInfo> {
	const gpu = nav?.gpu;
	if (!gpu) return { webgpu: false, shaderF16: false, reason: 'This browser has no WebGPU. Use a recent Chrome or Edge on a computer with a graphics card (or Safari 26+), or connect a provider instead.' };
	type Adapter = { features?: { has(f: string): boolean }; info?: { description?: string; vendor?: string; architecture?: string } };
	let adapter: Adapter | null;
	try {
		adapter = (await gpu.requestAdapter()) as Adapter | null;
	} catch {
		adapter = null;
	}
	if (!adapter) return { webgpu: false, shaderF16: false, reason: 'WebGPU is switched off or no graphics adapter is available here (for example in a virtual machine, remote desktop or with hardware acceleration off). Turn on hardware acceleration in the browser settings, or connect a provider instead.' };
	const info = adapter.info;
	return { webgpu: true, shaderF16: !!adapter.features?.has('shader-f16'), adapter: [info?.vendor, info?.architecture, info?.description].filter(Boolean).join(' ') || undefined };
}

export function fmtMB(mb: number | undefined): string {
	if (mb === undefined) return '?';
	return mb >= 1000 ? `${(mb / 1000).toFixed(1)} GB` : `${mb} MB`;
}
