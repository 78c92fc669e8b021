import { z } from 'zod';
import { base, defineKind, noProvider } from './common';

const weight = (what: string, d: number) => z.number().min(0).max(10).default(d).describe(`Weight of ${what} in the fused ranking (0 switches it off)`);

/** Searches a knowledge base (handler: src/lib/ai). Fails with "No provider configured" until one is registered. */
export const vector_search = defineKind({
	schema: z.object({
		type: z.literal('vector_search'),
		...base,
		collection: z.string().describe('Knowledge base to search (its name or id, from the Knowledge page)'),
		query: z.string().describe('Query text; {{ }} templates allowed'),
		topK: z.number().int().positive().max(200).default(5).describe('How many results'),
		hybrid: z.boolean().default(true).describe('Fuse keyword and graph results with the semantic ones (off: semantic only)'),
		semanticWeight: weight('meaning (embeddings)', 1),
		keywordWeight: weight('keywords (BM25)', 1),
		graphWeight: weight('the chunk graph (neighbours, headings, entities, links)', 0.5),
		minScore: z.number().min(0).max(1).default(0).describe('Drop results whose fused score (0–1) is below this'),
		diversity: z.number().min(0).max(1).default(0).describe('0 = most relevant first; higher = fewer near-duplicates (MMR)')
	}),
	category: 'ai',
	label: 'Search knowledge',
	description: 'Find the passages of a knowledge base closest to a query (semantic, keyword and graph, fused)',
	resolveParams: true,
	run: () => noProvider('vector_search')
});
