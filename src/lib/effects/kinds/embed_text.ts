import { z } from 'zod';
import { base, defineKind, noProvider, modelFields } from './common';

/** Embeds text (handler: src/lib/ai). Fails with "No provider configured" until one is registered. */
export const embed_text = defineKind({
	schema: z.object({
		type: z.literal('embed_text'),
		...base,
		...modelFields,
		text: z.union([z.string(), z.array(z.string())]).describe('Text (or texts) to embed; {{ }} templates allowed')
	}),
	category: 'ai',
	label: 'Embed text',
	description: 'Turn text into an embedding vector',
	resolveParams: true,
	run: () => noProvider('embed_text')
});
