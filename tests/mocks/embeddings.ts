/**
 * Embedding endpoints of the mock LLM server, in the providers' real wire formats:
 * OpenAI `POST …/embeddings` (also what OpenAI-compatible servers such as Ollama speak) and
 * Gemini `POST …/models/{model}:batchEmbedContents`. Vectors are deterministic: hashed words
 * (and their 3-letter beginnings), so texts that share words point the same way. OpenAI's are
 * unit length; Gemini's are unit length only at the full 3072 dimensions, as the real API.
 * Also serves the test fixtures under `GET /files/models/…` (the generated embedding model),
 * so a browser can load a model "from a web address".
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { readFileSync, statSync } from 'node:fs';
import { dirname, join, normalize, sep } from 'node:path';
import { fileURLToPath } from 'node:url';

export type EmbeddingFlavor = 'openai' | 'google';

const MODELS_DIR = join(dirname(fileURLToPath(import.meta.url)), '..', 'fixtures', 'models');

export function embeddingFlavorOf(path: string): EmbeddingFlavor | undefined {
	if (/:batchEmbedContents$/.test(path)) return 'google';
	if (/\/embeddings$/.test(path)) return 'openai';
	return undefined;
}

/** Default vector size of a model (the real models' sizes; unknown local models: 768). */
export function defaultDims(flavor: EmbeddingFlavor, model: string): number {
	if (flavor === 'google') return /text-embedding-004|embedding-001$/.test(model) && !/gemini/.test(model) ? 768 : 3072;
	if (/text-embedding-3-large/.test(model)) return 3072;
	if (/text-embedding-3-small|ada-002/.test(model)) return 1536;
	if (/all-minilm/.test(model)) return 384;
	if (/mxbai|bge-m3/.test(model)) return 1024;
	return 768;
}

function fnv(s: string): number {
	let h = 0x811c9dc5;
	for (let i = 0; i < s.length; i++) {
		h ^= s.charCodeAt(i);
		h = Math.imul(h, 0x01000193);
	}
	return h >>> 0;
}

/** The mock's embedding of a text: a sum of hashed features, unit length when `normalize`. */
export function mockEmbedding(text: string, dims: number, normalize = true): number[] {
	const v = new Array<number>(dims).fill(0);
	const words = text.toLowerCase().match(/\p{L}[\p{L}\p{N}]*|\p{N}+/gu) ?? [];
	for (const w of words) {
		for (const f of [w, `#${w.slice(0, 3)}`]) {
			const h = fnv(f);
			v[h % dims] += (h & 0x80000000 ? -1 : 1) * (f === w ? 1 : 0.5);
		}
	}
	if (!words.length) v[0] = 1;
	const norm = Math.hypot(...v) || 1;
	// unnormalized vectors keep a length of their own (as Gemini's reduced sizes do)
	const scale = normalize ? 1 / norm : 2.5 / norm;
	return v.map((x) => Math.round(x * scale * 1e6) / 1e6);
}

export interface EmbeddingRequestInfo {
	model: string;
	texts: string[];
	/** Validation error in the provider's words (HTTP 400), if the request is malformed. */
	invalid?: string;
	dims: number;
}

/** Reads an embeddings request the way the provider would. */
export function readEmbeddingRequest(flavor: EmbeddingFlavor, path: string, b: Record<string, unknown>): EmbeddingRequestInfo {
	if (flavor === 'google') {
		const model = decodeURIComponent(/models\/([^/:]+):batchEmbedContents$/.exec(path)?.[1] ?? '');
		const requests = b.requests as { model?: string; content?: { parts?: { text?: string }[] }; outputDimensionality?: number }[] | undefined;
		if (!Array.isArray(requests) || requests.length === 0) return { model, texts: [], dims: 0, invalid: '* BatchEmbedContentsRequest.requests: contents is not specified' };
		if (requests.length > 100) return { model, texts: [], dims: 0, invalid: '* BatchEmbedContentsRequest.requests: at most 100 requests can be in one batch' };
		const bad = requests.find((r) => r.model !== `models/${model}`);
		if (bad) return { model, texts: [], dims: 0, invalid: `* BatchEmbedContentsRequest.requests[${requests.indexOf(bad)}].model: unexpected model name format` };
		const texts = requests.map((r) => (r.content?.parts ?? []).map((p) => p.text ?? '').join(''));
		return { model, texts, dims: requests[0].outputDimensionality ?? defaultDims('google', model) };
	}
	const model = String(b.model ?? '');
	const input = b.input;
	const texts = typeof input === 'string' ? [input] : Array.isArray(input) && input.every((x) => typeof x === 'string') ? (input as string[]) : undefined;
	if (!model) return { model, texts: [], dims: 0, invalid: "you must provide a model parameter" };
	if (!texts) return { model, texts: [], dims: 0, invalid: "'$.input' is invalid. Please check the API reference: https://platform.openai.com/docs/api-reference." };
	if (texts.some((t) => t === '')) return { model, texts, dims: 0, invalid: "'$.input' is invalid: input cannot be an empty string." };
	if (texts.length > 2048) return { model, texts, dims: 0, invalid: "'$.input' is too long: at most 2048 inputs." };
	if (b.encoding_format !== undefined && b.encoding_format !== 'float' && b.encoding_format !== 'base64') return { model, texts, dims: 0, invalid: "'encoding_format' must be 'float' or 'base64'." };
	return { model, texts, dims: typeof b.dimensions === 'number' ? b.dimensions : defaultDims('openai', model) };
}

/** The provider's response body for a well-formed request. */
export function embeddingResponse(flavor: EmbeddingFlavor, req: EmbeddingRequestInfo): unknown {
	if (flavor === 'google') {
		const unit = req.dims === 3072;
		return { embeddings: req.texts.map((t) => ({ values: mockEmbedding(t, req.dims, unit) })) };
	}
	const tokens = req.texts.reduce((n, t) => n + Math.max(1, Math.ceil(t.length / 4)), 0);
	return {
		object: 'list',
		data: req.texts.map((t, index) => ({ object: 'embedding', index, embedding: mockEmbedding(t, req.dims) })),
		model: req.model,
		usage: { prompt_tokens: tokens, total_tokens: tokens }
	};
}

/**
 * `GET /files/models/<path>`: a file of tests/fixtures/models (the generated embedding model).
 * Returns false when the path is not one of them.
 */
export function serveModelFile(path: string, res: ServerResponse, headers: Record<string, string>, req: IncomingMessage): boolean {
	const rel = decodeURIComponent(path.slice('/files/models/'.length));
	const file = normalize(join(MODELS_DIR, rel));
	if (!file.startsWith(MODELS_DIR + sep)) return false;
	let size: number;
	try {
		const st = statSync(file);
		if (!st.isFile()) return false;
		size = st.size;
	} catch {
		return false;
	}
	const type = file.endsWith('.json') ? 'application/json' : 'application/octet-stream';
	res.writeHead(200, { ...headers, 'content-type': type, 'content-length': String(size), 'cache-control': 'no-cache' });
	if (req.method === 'HEAD') res.end();
	else res.end(readFileSync(file));
	return true;
}
