import { z } from 'zod';
import { base, defineKind, noProvider } from './common';

/** Multi-agent coordination (handler: src/lib/ai). Fails with "No provider configured" until one is registered. */
export const coordinate_agents = defineKind({
	schema: z.object({
		type: z.literal('coordinate_agents'),
		...base,
		task: z.string().describe('What the agents should achieve; {{ }} templates allowed'),
		agents: z
			.array(z.object({ name: z.string(), role: z.string().optional(), provider: z.string().optional(), model: z.string().optional(), tools: z.array(z.string()).optional() }))
			.min(1)
			.describe('The agents taking part'),
		strategy: z.enum(['sequential', 'parallel', 'supervisor', 'debate']).default('supervisor').describe('How they work together'),
		maxRounds: z.number().int().positive().default(5).describe('Upper bound on rounds')
	}),
	category: 'ai',
	label: 'Coordinate agents',
	description: 'Let several agents work on a task together',
	resolveParams: true,
	run: () => noProvider('coordinate_agents')
});
