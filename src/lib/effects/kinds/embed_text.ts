import { z } from 'zod';
import { base, defineKind, noProvider, modelFields } from './common';

/** Embeds text (handler: src/lib/ai). Fails with "No provider configured" until one is registered. */
export const embed_text = defineKind({
	schema: z.object({
		type: z.literal('embed_text'),
		...base,
		...modelFields,
		text: z.union([z.string(), z.array(z.string())]).describe('Text (or texts) to embed; {{ }} templates allowed'),
		collection: z
			.string()
			.optional()
			.describe('Use the embedding model of this knowledge base (its name or id), so the vectors compare with its documents'),
		dimensions: z.number().int().positive().optional().describe('Vector size to ask a remote model for (OpenAI text-embedding-3, Gemini)')
	}),
	category: 'ai',
	label: 'Embed text',
	description: 'Turn text into an embedding vector (a list of numbers; a list of lists for several texts)',
	resolveParams: true,
	run: () => noProvider('embed_text')
});
