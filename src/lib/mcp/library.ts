/**
 * The node library's "MCP tools" group: every tool of every enabled, connected server in
 * Settings → MCP servers, dropped onto a state as a `call_tool` effect with its arguments
 * filled from the tool's input schema; and per server, a `call_llm` that may call all of its
 * tools. Structural types: the designer's registry (`registerLibrarySource`) takes them as
 * they are. Reads the stored catalogs only — nothing connects to a server here.
 */
import type { EffectSpec } from '../model/types';
import { defaultArguments } from './json-schema';
import { llmToolsFor } from './llm-tools';
import { listServers, onServersChange } from './store';
import type { McpServerConfig, McpToolInfo } from './types';

export interface McpLibraryEntry {
	id: string;
	label: string;
	description?: string;
	icon: 'globe' | 'sparkles';
	tone: 'io' | 'ai';
	drop: { kind: 'effect'; spec: EffectSpec };
}

/** A context key for a tool's result: its name as a JSONata-friendly identifier (`get-forecast` → `getForecast`). */
export function resultKey(toolName: string): string {
	const words = toolName.split(/[^A-Za-z0-9]+/).filter(Boolean);
	const key = words.map((w, i) => (i === 0 ? w.charAt(0).toLowerCase() + w.slice(1) : w.charAt(0).toUpperCase() + w.slice(1))).join('');
	return /^[A-Za-z_]/.test(key) ? key : `result${key ? `_${key}` : ''}`;
}

/** The effect a tool becomes when dropped onto a state. */
export function callToolSpec(server: Pick<McpServerConfig, 'name'>, tool: McpToolInfo): EffectSpec {
	return { type: 'call_tool', server: server.name, tool: tool.name, arguments: defaultArguments(tool.inputSchema), assignTo: resultKey(tool.name) };
}

function oneLine(s: string | undefined, max = 160): string {
	const t = (s ?? '').replace(/\s+/g, ' ').trim();
	return t.length > max ? `${t.slice(0, max - 1)}…` : t;
}

/** Entries for the given servers (enabled ones with a catalog), in the servers' order. */
export function mcpLibraryEntries(servers: McpServerConfig[]): McpLibraryEntry[] {
	const usable = servers.filter((s) => s.enabled && s.catalog && s.catalog.tools.length > 0);
	const several = usable.length > 1;
	const out: McpLibraryEntry[] = [];
	for (const s of usable) {
		const tools = s.catalog!.tools;
		for (const t of tools) {
			const title = t.title ?? t.annotations?.title ?? t.name;
			out.push({
				id: `${s.id}:${t.name}`,
				label: several ? `${title} (${s.name})` : title,
				description: `${s.name} · ${t.name}${t.description ? `: ${oneLine(t.description)}` : ''}.`,
				icon: 'globe',
				tone: 'io',
				drop: { kind: 'effect', spec: callToolSpec(s, t) }
			});
		}
		out.push({
			id: `${s.id}:*llm`,
			label: `Ask a model with ${s.name}’s tools`,
			description: `A Call LLM that may call the ${tools.length} tool${tools.length === 1 ? '' : 's'} of ${s.name} (${oneLine(tools.map((t) => t.name).join(', '), 80)}) and answers with their results.`,
			icon: 'sparkles',
			tone: 'ai',
			drop: { kind: 'effect', spec: { type: 'call_llm', prompt: '{{ event.text }}', tools: llmToolsFor(s), assignTo: 'answer' } }
		});
	}
	return out;
}

/** The group for the designer's node library (registered lazily through `plugin.ts`). */
export const mcpLibrarySource = {
	id: 'mcp',
	label: 'MCP tools',
	order: 25,
	items: async () => mcpLibraryEntries(await listServers()),
	subscribe: (onChange: () => void) => onServersChange(onChange),
	empty: 'No MCP tools yet: add a server in Settings → MCP servers; its tools appear here once it is connected.'
};
