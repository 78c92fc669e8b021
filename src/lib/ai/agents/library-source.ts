/**
 * The node library's "Agents" group as the designer registers it on every designer page: small,
 * its entries (and the agents database) loaded on first use.
 */
export const agentsLibrarySource = {
	id: 'agents',
	label: 'Agents',
	order: 20,
	items: async () => (await import('./library')).agentLibraryItems(),
	subscribe(onChange: () => void): () => void {
		let off = () => {};
		let gone = false;
		void import('./store').then((m) => {
			if (!gone) off = m.onAgentsChange(onChange);
		});
		return () => {
			gone = true;
			off();
		};
	},
	empty: 'No agents yet: create some on the Agents page, then drag them (or a ready-made team) onto a state.'
};
