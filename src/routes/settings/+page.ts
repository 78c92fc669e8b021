import { redirect } from '@sveltejs/kit';
import { settingsNav } from '$lib/nav';

export function load() {
	redirect(307, settingsNav[0].href);
}
