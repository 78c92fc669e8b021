import { describe, expect, it } from 'vitest';
import { currentEntry, navEntries, routeExists, routeOf, visibleNav } from '../../src/lib/nav';

describe('app navigation', () => {
	it('reads routes from page files (groups are not part of the address)', () => {
		expect(routeOf('/src/routes/+page.svelte')).toBe('/');
		expect(routeOf('/src/routes/w/[id]/+page.svelte')).toBe('/w/[id]');
		expect(routeOf('/src/routes/(app)/settings/+page.svelte')).toBe('/settings');
		// a page that only redirects (Settings → its first section) is a page too
		expect(routeOf('/src/routes/settings/+page.ts')).toBe('/settings');
	});

	it('shows an entry only once its page exists', () => {
		const known = new Set(['/', '/settings']);
		expect(visibleNav(known).map((e) => e.label)).toEqual(['Workflows', 'Settings']);
		expect(routeExists('/settings/', known)).toBe(true);
		expect(routeExists('/usage', known)).toBe(false);
		// the real routes: Workflows is always there
		expect(visibleNav().map((e) => e.href)).toContain('/');
		for (const e of visibleNav()) expect(routeExists(e.href)).toBe(true);
		expect(navEntries.map((e) => e.label)).toEqual(['Workflows', 'Knowledge', 'Agents', 'Usage', 'Settings']);
	});

	it('marks the entry of the current page; the designer and run pages belong to Workflows', () => {
		const entries = navEntries;
		expect(currentEntry('/', entries)?.label).toBe('Workflows');
		expect(currentEntry('/w/abc', entries)?.label).toBe('Workflows');
		expect(currentEntry('/run/smart-door', entries)?.label).toBe('Workflows');
		expect(currentEntry('/settings/providers', entries)?.label).toBe('Settings');
		expect(currentEntry('/knowledge', entries)?.label).toBe('Knowledge');
		expect(currentEntry('/nowhere', entries)).toBeUndefined();
	});
});
