/**
 * The viewer's styles, inside its shadow root. `all: initial` on the host stops the page's
 * inherited styles (font, colour, line height, letter spacing) from reaching in; nothing here
 * can reach out. Colours are custom properties, so a page can theme the viewer on purpose:
 * `fsm-viewer { --fsm-accent: teal }`.
 */
export const VIEWER_CSS = `
:host {
	all: initial;
	display: block;
	position: relative;
	height: 360px;
	min-height: 120px;
	contain: content;
	font: 13px/1.3 system-ui, -apple-system, 'Segoe UI', Roboto, sans-serif;
}
:host([hidden]) { display: none; }
.frame {
	--bg: var(--fsm-background, #ffffff);
	--fg: var(--fsm-foreground, #1f2330);
	--muted: var(--fsm-muted, #5b6172);
	--node: var(--fsm-node, #f6f7fb);
	--border: var(--fsm-border, #c5c9d6);
	--container: var(--fsm-container, #eef0f6);
	--edge: var(--fsm-edge, #7a8196);
	--accent: var(--fsm-accent, #4f46e5);
	--active: var(--fsm-active, #16a34a);
	--active-bg: var(--fsm-active-background, #dcfce7);
	--error: var(--fsm-error, #b91c1c);
	position: absolute;
	inset: 0;
	overflow: hidden;
	background: var(--bg);
	color: var(--fg);
	border-radius: inherit;
}
.frame[data-theme='dark'] {
	--bg: var(--fsm-background, #0f1117);
	--fg: var(--fsm-foreground, #e6e8ef);
	--muted: var(--fsm-muted, #9aa1b4);
	--node: var(--fsm-node, #1b1f2a);
	--border: var(--fsm-border, #3a4152);
	--container: var(--fsm-container, #151923);
	--edge: var(--fsm-edge, #8a92a8);
	--accent: var(--fsm-accent, #818cf8);
	--active: var(--fsm-active, #4ade80);
	--active-bg: var(--fsm-active-background, #123222);
	--error: var(--fsm-error, #f87171);
}
@media (prefers-color-scheme: dark) {
	.frame[data-theme='auto'] {
		--bg: var(--fsm-background, #0f1117);
		--fg: var(--fsm-foreground, #e6e8ef);
		--muted: var(--fsm-muted, #9aa1b4);
		--node: var(--fsm-node, #1b1f2a);
		--border: var(--fsm-border, #3a4152);
		--container: var(--fsm-container, #151923);
		--edge: var(--fsm-edge, #8a92a8);
		--accent: var(--fsm-accent, #818cf8);
		--active: var(--fsm-active, #4ade80);
		--active-bg: var(--fsm-active-background, #123222);
		--error: var(--fsm-error, #f87171);
	}
}
.canvas { display: block; width: 100%; height: 100%; cursor: grab; touch-action: none; outline: none; }
.canvas.panning { cursor: grabbing; }
.canvas:focus-visible { box-shadow: inset 0 0 0 2px var(--accent); }
.sr-only { position: absolute; width: 1px; height: 1px; padding: 0; margin: -1px; overflow: hidden; clip: rect(0 0 0 0); white-space: nowrap; border: 0; }
.box { fill: var(--node); stroke: var(--border); stroke-width: 1.2; }
.compound > .box, .parallel > .box { fill: var(--container); stroke-dasharray: none; }
.parallel > .box { stroke-dasharray: 6 4; }
.final > .box { stroke-width: 1.6; }
.inner { fill: none; stroke: var(--border); }
.name { fill: var(--fg); font-weight: 600; text-anchor: middle; }
.container-name { text-anchor: start; fill: var(--muted); }
.effects { fill: var(--muted); font-size: 10.5px; text-anchor: middle; }
.initial { fill: var(--fg); }
.edge { fill: none; stroke: var(--edge); stroke-width: 1.4; }
.arrowhead { fill: var(--edge); }
.label { fill: var(--muted); font-size: 11px; text-anchor: middle; paint-order: stroke; stroke: var(--bg); stroke-width: 4px; stroke-linejoin: round; }
.state.active > .box { stroke: var(--active); stroke-width: 2.5; fill: var(--active-bg); }
.compound.active > .box, .parallel.active > .box { fill: var(--container); }
.state.active > .name { fill: var(--fg); }
.frame[data-status='done'] .state.final.active > .box { stroke: var(--accent); }
@media (prefers-reduced-motion: no-preference) {
	.box { transition: stroke 0.15s, fill 0.15s; }
}
.tools { position: absolute; right: 8px; bottom: 8px; display: flex; gap: 4px; }
.tools button {
	all: unset;
	box-sizing: border-box;
	width: 28px; height: 28px;
	display: grid; place-items: center;
	border-radius: 6px;
	background: var(--node);
	color: var(--fg);
	border: 1px solid var(--border);
	font: 15px/1 system-ui, sans-serif;
	cursor: pointer;
}
.tools button:hover { border-color: var(--accent); }
.tools button:focus-visible { outline: 2px solid var(--accent); outline-offset: 1px; }
.message { position: absolute; left: 12px; right: 12px; top: 12px; margin: 0; color: var(--muted); }
.message.error { color: var(--error); }
.message[hidden] { display: none; }
`;
