/**
 * The node library's "Your effect kinds" group: each kind declared in Settings → Plugins drops
 * an effect of that kind with its parameters' defaults, like a built-in. Loads on first use.
 */
export const declaredKindsSource = {
	id: 'declared-kinds',
	label: 'Your effect kinds',
	order: 30,
	items: async () => {
		const { listKinds } = await import('./registry');
		return (await listKinds()).map((k) => {
			const defaults: Record<string, unknown> = {};
			for (const [name, p] of Object.entries(k.params.properties ?? {})) if ('default' in p) defaults[name] = p.default;
			return {
				id: k.type,
				label: k.label,
				description: k.description || `${k.request.method} ${k.request.url}`,
				icon: 'globe' as const,
				tone: 'io' as const,
				drop: { kind: 'effect' as const, spec: { ...defaults, type: k.type } }
			};
		});
	},
	subscribe(onChange: () => void): () => void {
		let off = () => {};
		let gone = false;
		void import('./store').then((m) => {
			if (!gone) off = m.onAnnounce('default', (what) => what === 'kinds' && onChange());
		});
		return () => {
			gone = true;
			off();
		};
	},
	empty: 'Declare your own effect kinds (an HTTP call as data) in Settings → Plugins.'
};
