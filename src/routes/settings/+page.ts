import { redirect } from '@sveltejs/kit';
import { base } from '$app/paths';
import { settingsNav } from '$lib/nav';

export function load() {
	redirect(307, base + settingsNav[0].href);
}
