/**
 * MCP tools an agent may call: besides the names of its effect's tools, an agent lists
 * `mcp:<server>` (every tool of a server in Settings → MCP servers) or `mcp:<server>/<tool>`
 * (one tool). Each becomes a tool of the agent whose effect is a `call_tool` passing the
 * model's arguments through, as `call_llm`'s MCP tools do (src/lib/mcp/llm-tools.ts). Read
 * from the server's stored catalog, so nothing connects before the agent calls a tool.
 */
import { EffectError } from '../../effects/errors';
import type { EffectSpec } from '../../model/types';
import { llmToolsFor } from '../../mcp/llm-tools';
import type { McpServerConfig } from '../../mcp/types';
import type { ToolSpec } from '../types';

/** What an agent's `mcp:` entry names. */
export interface McpToolRef {
	server: string;
	/** One tool; every tool of the server when absent. */
	tool?: string;
}

/** An agent's tool that an MCP server runs. */
export interface McpAgentTool {
	spec: ToolSpec;
	effect: EffectSpec;
}

const PREFIX = 'mcp:';

/** `mcp:Files` → { server: 'Files' }; `mcp:Files/read_file` → { server: 'Files', tool: 'read_file' }; else undefined. */
export function parseMcpToolRef(name: string): McpToolRef | undefined {
	if (!name.toLowerCase().startsWith(PREFIX)) return undefined;
	const rest = name.slice(PREFIX.length).trim();
	const slash = rest.indexOf('/');
	const server = (slash < 0 ? rest : rest.slice(0, slash)).trim();
	const tool = slash < 0 ? undefined : rest.slice(slash + 1).trim();
	return { server, ...(tool !== undefined ? { tool } : {}) };
}

/** Whether an agent's tool entry names MCP tools. */
export function isMcpToolRef(name: string): boolean {
	return parseMcpToolRef(name) !== undefined;
}

/** Why an `mcp:` entry cannot be right, in the user's words (undefined when it can). */
export function mcpToolRefProblem(name: string): string | undefined {
	const ref = parseMcpToolRef(name);
	if (!ref) return undefined;
	if (!ref.server) return `“${name}” names no server: write mcp:<server> for all its tools, or mcp:<server>/<tool> for one.`;
	if (ref.server.length > 100) return `“${name}”: the server name is too long (at most 100 characters).`;
	if (ref.tool !== undefined && !/^[A-Za-z0-9_.\-/]{1,128}$/.test(ref.tool)) return `“${name}”: “${ref.tool}” is not an MCP tool name (letters, digits, _ . - and /, at most 128).`;
	return undefined;
}

/**
 * The MCP tools of every `mcp:` entry of the agents, keyed by the entry. Tool names the model
 * sees are unique within the coordination (the effect's own tool names are taken first).
 */
export async function resolveMcpTools(
	agents: { name: string; tools: string[] }[],
	effectToolNames: string[],
	listServers: () => Promise<McpServerConfig[]>
): Promise<Map<string, McpAgentTool[]>> {
	const out = new Map<string, McpAgentTool[]>();
	const wanted = agents.flatMap((a) => a.tools.filter(isMcpToolRef).map((entry) => ({ agent: a.name, entry })));
	if (!wanted.length) return out;
	let servers: McpServerConfig[];
	try {
		servers = await listServers();
	} catch (e) {
		throw new EffectError('failed', `The MCP servers could not be read (${(e as Error)?.message ?? e}), so ${wanted[0].agent}’s MCP tools are unavailable.`);
	}
	const taken = new Set(effectToolNames);
	for (const { agent, entry } of wanted) {
		if (out.has(entry)) continue;
		const problem = mcpToolRefProblem(entry);
		if (problem) throw new EffectError('invalid_params', `${agent}: ${problem}`);
		const ref = parseMcpToolRef(entry)!;
		const key = ref.server.toLowerCase();
		const server = servers.find((s) => s.id === ref.server) ?? servers.find((s) => s.name.trim().toLowerCase() === key);
		if (!server) {
			const known = servers.map((s) => `“${s.name}”`).join(', ');
			throw new EffectError(
				'invalid_params',
				`${agent} may call the tools of the MCP server “${ref.server}”, but there is no server of that name. ${known ? `The servers are ${known}; correct the agent’s tools` : 'Add it in Settings → MCP servers'}, or remove “${entry}” from the agent.`
			);
		}
		if (!server.enabled) throw new EffectError('invalid_params', `${agent} may call the tools of the MCP server “${server.name}”, which is switched off. Switch it on in Settings → MCP servers.`);
		const tools = server.catalog?.tools ?? [];
		if (!server.catalog)
			throw new EffectError('invalid_params', `${agent} may call the tools of the MCP server “${server.name}”, whose tools are not known yet. Connect to it once in Settings → MCP servers.`);
		if (ref.tool !== undefined && !tools.some((t) => t.name === ref.tool))
			throw new EffectError(
				'invalid_params',
				`${agent} may call the MCP tool “${ref.tool}”, but “${server.name}” has no tool of that name${tools.length ? ` (it has ${tools.map((t) => t.name).join(', ')})` : ''}. Refresh its tools in Settings → MCP servers, or correct the agent.`
			);
		if (!tools.length) throw new EffectError('invalid_params', `${agent} may call the tools of the MCP server “${server.name}”, which offers none. Remove “${entry}” from the agent.`);
		const entries = llmToolsFor(server, ref.tool !== undefined ? [ref.tool] : undefined, taken);
		out.set(
			entry,
			entries.map((t) => ({ spec: { name: t.name, ...(t.description ? { description: t.description } : {}), parameters: t.parameters }, effect: { ...t.effect, server: server.name } }))
		);
	}
	return out;
}
