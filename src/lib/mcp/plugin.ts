/**
 * What the MCP layer plugs into the designer (`src/lib/designer/plugins.ts` registers these):
 * the node library's "MCP tools" group and the property editor of `call_tool` effects. Kept
 * tiny: the store, the catalogs and the editor load on first use.
 */

/** The "MCP tools" group of the node library (`registerLibrarySource`). */
export const mcpLibrarySource = {
	id: 'mcp',
	label: 'MCP tools',
	order: 25,
	empty: 'No MCP tools yet: add a server in Settings → MCP servers; its tools appear here once it is connected.',
	items: async () => (await import('./library')).mcpLibrarySource.items(),
	subscribe(onChange: () => void): () => void {
		let off: (() => void) | undefined;
		let stopped = false;
		void import('./store').then((m) => {
			if (!stopped) off = m.onServersChange(onChange);
		});
		return () => {
			stopped = true;
			off?.();
		};
	}
};

/** The property editor of `call_tool` (`registerEffectEditor`): replaces the generated form. */
export const callToolEditor = {
	type: 'call_tool',
	placement: 'replace' as const,
	load: () => import('./ui/CallToolEditor.svelte')
};
