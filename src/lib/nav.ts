/**
 * The app's navigation (the bar on every page, the menu in the designer). Each feature adds
 * its entry here; an entry is shown only once its route exists, so an entry can land before
 * its page does.
 */
import type { IconName } from './designer/Icon.svelte';

export interface NavEntry {
	label: string;
	/** The route, e.g. `/knowledge`. */
	href: string;
	icon: IconName;
	/** One sentence for the tooltip. */
	description: string;
	/** Paths that also belong to this entry (the designer belongs to Workflows). */
	also?: RegExp;
}

export const navEntries: NavEntry[] = [
	{ label: 'Workflows', href: '/', icon: 'layers', description: 'Your workflows in this browser', also: /^\/(w|run|open)(\/|$)/ },
	{ label: 'Knowledge', href: '/knowledge', icon: 'database', description: 'Documents your workflows can search' },
	{ label: 'Agents', href: '/agents', icon: 'sparkles', description: 'Agents and how they work together' },
	{ label: 'Usage', href: '/usage', icon: 'list', description: 'Tokens and cost of your runs' },
	{ label: 'Settings', href: '/settings', icon: 'settings', description: 'Providers, MCP servers and storage' }
];

// Only the file names are read: the pages themselves are loaded by the router, not from here.
const pageFiles = Object.keys(import.meta.glob(['/src/routes/**/+page.svelte', '/src/routes/**/+page.ts']));

/** The route pattern of each page file, e.g. `/src/routes/w/[id]/+page.svelte` → `/w/[id]`. */
export function routeOf(file: string): string {
	const r = file
		.replace(/^\/src\/routes/, '')
		.replace(/\/\+page\.(svelte|ts)$/, '')
		.replace(/\/\([^)]+\)/g, ''); // route groups do not appear in the URL
	return r === '' ? '/' : r;
}

const routes = new Set(pageFiles.map(routeOf));

/** True when a page answers at `href` (static routes only; that is all the bar links to). */
export function routeExists(href: string, known: Set<string> = routes): boolean {
	return known.has(href.replace(/\/$/, '') || '/');
}

/** The entries whose pages exist, in order. */
export function visibleNav(known: Set<string> = routes): NavEntry[] {
	return navEntries.filter((e) => routeExists(e.href, known));
}

/** The entry a path belongs to (for `aria-current`). */
export function currentEntry(pathname: string, entries: NavEntry[] = visibleNav()): NavEntry | undefined {
	return (
		entries.find((e) => e.href !== '/' && (pathname === e.href || pathname.startsWith(e.href + '/'))) ??
		entries.find((e) => (e.href === '/' && pathname === '/') || e.also?.test(pathname))
	);
}

/** The entries shown (pages that exist), for pages that list them themselves. */
export const appNav: NavEntry[] = visibleNav();

/** Sections of Settings (each a page under /settings). */
export const settingsNav: { href: string; label: string }[] = [
	{ href: '/settings/providers', label: 'Providers' },
	{ href: '/settings/mcp', label: 'MCP servers' },
	{ href: '/settings/plugins', label: 'Plugins' },
	{ href: '/settings/storage', label: 'Storage' }
];
