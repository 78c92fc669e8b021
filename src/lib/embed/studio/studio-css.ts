/**
 * The embedded designer's own rules: the app's page chrome that makes no sense inside another
 * page (back to the workflow list, the app menu, share links to the app, live rooms) is hidden,
 * and the `panels` / `readonly` choices of the element.
 */
export const STUDIO_CSS = `
:host {
	all: initial;
	display: block;
	position: relative;
	height: 600px;
	min-height: 320px;
	contain: strict;
	font-family: var(--font);
	color: var(--fg);
	background: var(--bg);
	font-size: 14px;
	line-height: 1.4;
	color-scheme: light;
}
:host([data-theme='dark']) { color-scheme: dark; }
:host([hidden]) { display: none; }
/* Svelte Flow's own light/dark follows one theme per page; each element follows its own */
:host([data-theme='dark']) .svelte-flow { --xy-minimap-mask-background-color: rgb(15 17 21 / 0.6); --xy-minimap-node-background-color: #2b2b2b; --xy-edge-label-background-color: #141414; --xy-edge-label-color: #f8f8f8; --xy-node-color: #f8f8f8; --xy-attribution-background-color: rgb(150 150 150 / 0.25); }
:host([data-theme='light']) .svelte-flow { --xy-minimap-mask-background-color: rgb(240 240 240 / 0.6); --xy-minimap-node-background-color: #e2e2e2; --xy-edge-label-background-color: #ffffff; --xy-edge-label-color: inherit; --xy-node-color: inherit; --xy-attribution-background-color: rgb(255 255 255 / 0.5); }
.studio { position: absolute; inset: 0; overflow: hidden; display: flex; flex-direction: column; }
.studio > * { flex: 1; min-height: 0; }
.studio .workbench { height: 100%; }
.studio a.home, .studio .app-nav, .studio [data-testid='share-export'], .studio [data-testid='collab-bar'] { display: none !important; }
/* the page chooses light or dark (the theme attribute, else the system's setting) */
.studio .tools > button[aria-label^='Switch to'] { display: none !important; }
.studio.hide-library aside.left, .studio.hide-library aside.left + .splitter, .studio.hide-library button[aria-label='Show library'] { display: none !important; }
.studio.hide-properties aside.right, .studio.hide-properties .splitter:has(+ aside.right), .studio.hide-properties button[aria-label='Show properties'] { display: none !important; }
.studio.hide-bottom .center > .splitter, .studio.hide-bottom .center > section.bottom, .studio.hide-bottom button[aria-label='Show bottom panel'] { display: none !important; }
.studio.hide-toolbar header.topbar { display: none !important; }
.studio.readonly aside.left, .studio.readonly aside.left + .splitter, .studio.readonly button[aria-label='Show library'],
.studio.readonly .tools > button:not([aria-label='Fit view']):not([aria-label^='Switch to']):not([aria-label^='Keyboard']):not([aria-label^='Show']) { display: none !important; }
.message { margin: 24px; color: var(--danger, #c8242f); }
`;
