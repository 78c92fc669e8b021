import { z } from 'zod';
import { base, defineKind, noProvider, modelFields } from './common';

/** Asks a language model (handler: src/lib/ai). Fails with "No provider configured" until one is registered. */
export const call_llm = defineKind({
	schema: z.object({
		type: z.literal('call_llm'),
		...base,
		...modelFields,
		prompt: z.string().describe('User prompt; {{ expr }} inserts values'),
		system: z.string().optional().describe('System prompt'),
		temperature: z.number().min(0).max(2).default(0.7).describe('Sampling temperature'),
		maxTokens: z.number().int().positive().default(1024).describe('Maximum tokens to generate'),
		json: z.boolean().default(false).describe('Ask for a JSON answer and parse it'),
		stream: z.boolean().default(true).describe('Report tokens as they arrive (progress events)')
	}),
	category: 'ai',
	label: 'Call LLM',
	description: 'Ask a language model',
	resolveParams: true,
	run: () => noProvider('call_llm')
});
