import { z } from 'zod';
import { base, defineKind, noProvider } from './common';

/** Searches a vector collection (handler: src/lib/ai). Fails with "No provider configured" until one is registered. */
export const vector_search = defineKind({
	schema: z.object({
		type: z.literal('vector_search'),
		...base,
		collection: z.string().describe('Vector collection to search'),
		query: z.string().describe('Query text; {{ }} templates allowed'),
		topK: z.number().int().positive().default(5).describe('How many results'),
		hybrid: z.boolean().default(true).describe('Fuse keyword and vector results')
	}),
	category: 'ai',
	label: 'Vector search',
	description: 'Find the passages closest to a query',
	resolveParams: true,
	run: () => noProvider('vector_search')
});
