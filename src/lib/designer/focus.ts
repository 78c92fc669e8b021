import { tick } from 'svelte';

/**
 * After Enter commits a rename, the property panel is rebuilt (the name is part of the id) and the
 * focus would fall to <body>: put it on the renamed element of the canvas instead, so keyboard
 * shortcuts keep working and Enter/F2 comes straight back to the field. Svelte Flow shows a
 * re-created node only once it is measured (hidden until then, and hidden elements take no
 * focus), so this tries for a few frames.
 */
export async function focusOnCanvas(kind: 'node' | 'edge', id: string): Promise<void> {
	const from = deepActiveElement(); // the field that committed
	// the designer may live in a shadow root (`<fsm-studio>`): look there
	const root = (from?.getRootNode() ?? document) as Document | ShadowRoot;
	await tick();
	const q = CSS.escape(id);
	const sel = kind === 'node' ? `.svelte-flow__node[data-id="${q}"]` : `.svelte-flow__edge[data-id="${q}"], .svelte-flow__edge[data-id^="${q}>"]`;
	for (let i = 0; i < 10; i++) {
		await new Promise((r) => requestAnimationFrame(() => r(null)));
		const now = deepActiveElement();
		if (now && now !== document.body && now !== from && now.isConnected) return; // the user has moved on
		const el = root.querySelector<HTMLElement | SVGElement>(sel);
		el?.focus({ preventScroll: true });
		if (el && deepActiveElement() === el) return;
	}
}

/** The focused element, looking into shadow roots (document.activeElement stops at their host). */
export function deepActiveElement(): Element | null {
	let a = document.activeElement;
	while (a?.shadowRoot?.activeElement) a = a.shadowRoot.activeElement;
	return a;
}
