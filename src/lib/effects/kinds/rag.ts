import { z } from 'zod';
import { base, defineKind, noProvider, modelFields } from './common';

/** Retrieval-augmented answer (handler: src/lib/ai). Fails with "No provider configured" until one is registered. */
export const rag = defineKind({
	schema: z.object({
		type: z.literal('rag'),
		...base,
		...modelFields,
		question: z.string().describe('Question; {{ }} templates allowed'),
		collection: z.string().describe('Knowledge base with the sources (its name or id, from the Knowledge page)'),
		topK: z.number().int().positive().max(50).default(5).describe('Passages retrieved'),
		contextTokens: z.number().int().min(50).max(100_000).default(1500).describe('Token budget of the passages given to the model (the sentences closest to the question are kept)'),
		citations: z.boolean().default(true).describe('Ask the model to cite its sources as [1], [2] and return them'),
		system: z.string().optional().describe('Instructions for the model (default: answer only from the sources, cite them, say when they do not answer)'),
		temperature: z.number().min(0).max(2).default(0.2).describe('Sampling temperature'),
		maxTokens: z.number().int().positive().default(1024).describe('Maximum tokens to generate'),
		fallback: z
			.array(z.object({ provider: z.string().min(1), model: z.string().optional() }))
			.default([])
			.describe('Tried in order when the model is rate limited, overloaded, failing or times out')
	}),
	category: 'ai',
	label: 'Answer from documents (RAG)',
	description: 'Retrieve passages from a knowledge base and answer with a model, citing them',
	resolveParams: true,
	run: () => noProvider('rag')
});
