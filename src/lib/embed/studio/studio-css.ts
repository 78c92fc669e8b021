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
.studio { position: absolute; inset: 0; overflow: hidden; display: flex; flex-direction: column; }
.studio > * { flex: 1; min-height: 0; }
.studio .workbench { height: 100%; }
.studio a.home, .studio .app-nav, .studio [data-testid='share-export'], .studio [data-testid='collab-bar'] { display: none !important; }
.studio.hide-library aside.left, .studio.hide-library aside.left + .splitter, .studio.hide-library button[aria-label='Show library'] { display: none !important; }
.studio.hide-properties aside.right, .studio.hide-properties .splitter:has(+ aside.right), .studio.hide-properties button[aria-label='Show properties'] { display: none !important; }
.studio.hide-bottom .center > .splitter, .studio.hide-bottom .center > section.bottom, .studio.hide-bottom button[aria-label='Show bottom panel'] { display: none !important; }
.studio.hide-toolbar header.topbar { display: none !important; }
.studio.readonly aside.left, .studio.readonly aside.left + .splitter, .studio.readonly button[aria-label='Show library'],
.studio.readonly .tools > button:not([aria-label='Fit view']):not([aria-label^='Switch to']):not([aria-label^='Keyboard']):not([aria-label^='Show']) { display: none !important; }
.message { margin: 24px; color: var(--danger, #c8242f); }
`;
