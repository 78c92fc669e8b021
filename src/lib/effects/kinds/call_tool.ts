import { z } from 'zod';
import { base, defineKind, noProvider } from './common';

/** Calls an MCP tool (handler: src/lib/mcp). Fails with "No provider configured" until one is registered. */
export const call_tool = defineKind({
	schema: z.object({
		type: z.literal('call_tool'),
		...base,
		server: z.string().optional().describe('MCP server id from Settings (default: the one that has the tool)'),
		tool: z.string().describe('Tool name'),
		arguments: z.record(z.string(), z.unknown()).default({}).describe('Tool arguments; {{ }} templates allowed')
	}),
	category: 'ai',
	label: 'Call tool',
	description: 'Call a tool of an MCP server',
	resolveParams: true,
	run: () => noProvider('call_tool')
});
