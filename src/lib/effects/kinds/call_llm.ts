import { z } from 'zod';
import { base, defineKind, effectRef, noProvider, modelFields } from './common';

const check = z.discriminatedUnion('type', [
	z.object({ type: z.literal('schema'), schema: z.record(z.string(), z.unknown()).describe('JSON Schema the answer must match') }),
	z.object({ type: z.literal('regex'), pattern: z.string().min(1).describe('Regular expression the answer text must match'), flags: z.string().optional() }),
	z.object({ type: z.literal('minLength'), value: z.number().int().nonnegative().describe('Fewest characters the answer may have') }),
	z.object({ type: z.literal('expr'), expr: z.string().min(1).describe('JSONata over { answer, text, context, event } that must be true') })
]);

const tool = z.object({
	name: z
		.string()
		.regex(/^[A-Za-z0-9_-]{1,64}$/, 'Letters, digits, _ and - only (at most 64)')
		.describe('Tool name the model sees'),
	description: z.string().optional().describe('What the tool does, for the model'),
	parameters: z.record(z.string(), z.unknown()).default({ type: 'object', properties: {} }).describe('JSON Schema of the arguments'),
	effect: effectRef.describe('The effect that runs the tool; the arguments are in results.args (e.g. "{{ results.args.city }}")')
});

/** Asks a language model (handler: src/lib/ai). Fails with "No provider configured" until one is registered. */
export const call_llm = defineKind({
	schema: z.object({
		type: z.literal('call_llm'),
		...base,
		...modelFields,
		fallback: z
			.array(z.object({ provider: z.string().min(1), model: z.string().optional() }))
			.default([])
			.describe('Tried in order when the model is rate limited, overloaded, failing (5xx) or times out'),
		system: z.string().optional().describe('System prompt; {{ expr }} inserts values'),
		prompt: z.string().describe('User prompt; {{ expr }} inserts values'),
		temperature: z.number().min(0).max(2).default(0.7).describe('Sampling temperature'),
		maxTokens: z.number().int().positive().default(1024).describe('Maximum tokens to generate'),
		stop: z.array(z.string()).default([]).describe('Stop sequences'),
		output: z.enum(['text', 'json']).default('text').describe('Text, or JSON parsed (and validated against the schema)'),
		json: z.boolean().default(false).describe('Older spelling of output: "json"'),
		schema: z.record(z.string(), z.unknown()).optional().describe('JSON Schema of a JSON answer'),
		tools: z.array(tool).default([]).describe('Effects of this workflow the model may call'),
		maxSteps: z.number().int().min(1).max(50).default(5).describe('Most model calls in one tool-use loop'),
		checks: z.array(check).default([]).describe('Response checks; a failed check fails the effect (route it with onError)'),
		minScore: z.number().min(0).max(1).default(1).describe('Share of checks that must pass (1 = all)'),
		timeoutMs: z.number().positive().optional().describe('Give up on an attempt that sends nothing for this long (then fall back)'),
		stream: z.boolean().default(true).describe('Report tokens as they arrive (progress events)')
	}),
	category: 'ai',
	label: 'Call LLM',
	description: 'Ask a language model',
	resolveParams: true,
	children: (p) => p.tools.map((t) => t.effect),
	run: () => noProvider('call_llm')
});
