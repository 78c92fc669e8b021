import { z } from 'zod';
import { base, defineKind, noProvider, modelFields } from './common';

/** Retrieval-augmented answer (handler: src/lib/ai). Fails with "No provider configured" until one is registered. */
export const rag = defineKind({
	schema: z.object({
		type: z.literal('rag'),
		...base,
		...modelFields,
		question: z.string().describe('Question; {{ }} templates allowed'),
		collection: z.string().describe('Vector collection with the sources'),
		topK: z.number().int().positive().default(5).describe('Passages given to the model'),
		citations: z.boolean().default(true).describe('Return the sources used')
	}),
	category: 'ai',
	label: 'Answer from documents (RAG)',
	description: 'Retrieve passages and answer with a model',
	resolveParams: true,
	run: () => noProvider('rag')
});
