/** Embedding models offered on the Knowledge page. */
import type { EmbeddingModelRef, LocalModelRef } from '$lib/ai/embeddings/types';

export interface LocalPreset {
	model: string;
	label: string;
	/** Download size of the quantized weights. */
	size: string;
	dims: number;
	note: string;
}

export const LOCAL_PRESETS: LocalPreset[] = [
	{ model: 'Xenova/all-MiniLM-L6-v2', label: 'all-MiniLM-L6-v2', size: '23 MB', dims: 384, note: 'English, fast; a good default' },
	{ model: 'Xenova/bge-small-en-v1.5', label: 'bge-small-en-v1.5', size: '34 MB', dims: 384, note: 'English, more accurate' },
	{ model: 'Xenova/paraphrase-multilingual-MiniLM-L12-v2', label: 'paraphrase-multilingual-MiniLM-L12-v2', size: '118 MB', dims: 384, note: '50+ languages' }
];

/** Embedding model names people use with each kind of provider. */
export const REMOTE_SUGGESTIONS: Record<string, string[]> = {
	openai: ['text-embedding-3-small', 'text-embedding-3-large'],
	google: ['gemini-embedding-001', 'text-embedding-004'],
	'openai-compatible': ['nomic-embed-text', 'mxbai-embed-large', 'all-minilm', 'bge-m3'],
	anthropic: [],
	webllm: []
};

export function isLocal(ref: EmbeddingModelRef): ref is LocalModelRef {
	return ref.kind === 'local';
}
