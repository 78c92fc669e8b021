/**
 * `$app/state` outside SvelteKit (the embed build): the designer only reads `page.url` (which
 * app page is current, for its navigation menu), which in an embedded designer is the host's.
 */
export const page = {
	get url() {
		return new URL(location.href);
	},
	params: {} as Record<string, string>,
	route: { id: null as string | null },
	status: 200,
	error: null,
	data: {},
	form: null,
	state: {}
};
export const navigating = { from: null, to: null, type: null };
export const updated = { current: false, check: async () => false };
