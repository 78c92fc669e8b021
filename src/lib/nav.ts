/** The app's main navigation (ARCHITECTURE.md: Workflows · Knowledge · Agents · Usage · Settings); pages add their entry here. */
export interface NavEntry {
	href: string;
	label: string;
}

export const appNav: NavEntry[] = [
	{ href: '/', label: 'Workflows' },
	{ href: '/agents', label: 'Agents' },
	{ href: '/usage', label: 'Usage' },
	{ href: '/settings', label: 'Settings' }
];

/** Sections of Settings (each a page under /settings). */
export const settingsNav: NavEntry[] = [
	{ href: '/settings/providers', label: 'Providers' },
	{ href: '/settings/mcp', label: 'MCP servers' }
];
