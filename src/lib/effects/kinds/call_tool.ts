import { z } from 'zod';
import { base, defineKind, noProvider } from './common';

/** Calls a tool of an MCP server (handler: src/lib/mcp). Fails with "No provider configured" until one is registered. */
export const call_tool = defineKind({
	schema: z.object({
		type: z.literal('call_tool'),
		...base,
		server: z.string().optional().describe('MCP server (its name or id in Settings → MCP servers); default: the one that has the tool'),
		tool: z.string().min(1).describe('Tool name'),
		arguments: z
			.union([
				z.record(z.string(), z.unknown()),
				z.string().describe('A {{ }} template that gives the whole arguments object, e.g. "{{ results.args }}" in a call_llm tool')
			])
			.default({})
			.describe('Tool arguments; {{ }} templates allowed')
	}),
	category: 'ai',
	label: 'Call tool',
	description: 'Call a tool of an MCP server',
	resolveParams: true,
	run: () => noProvider('call_tool')
});
