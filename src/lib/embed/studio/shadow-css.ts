/**
 * Styles for shadow roots. In the embed build, every `import '….css'` (the app's theme tokens,
 * Svelte Flow's stylesheet) becomes a call to `addShadowCss` instead of a <link> in the page's
 * head (vite.embed.config.ts), and each `<fsm-studio>` adopts the sheets into its shadow root:
 * nothing reaches the host page. Svelte's own component styles are injected by Svelte into the
 * shadow root that holds the component (compiled with `css: 'injected'`).
 */
const texts: string[] = [];
let sheets: CSSStyleSheet[] | null = null;

/** The page's `:root` / `html` / `body` selectors mean the element's host inside a shadow root. */
export function forShadowRoot(css: string): string {
	return css
		.replace(/:root\[data-theme=(['"]?)(\w+)\1\]/g, ":host([data-theme='$2'])")
		.replace(/:root/g, ':host')
		.replace(/(^|[\s,}])html(?=[\s,{[:.])/g, '$1:host')
		.replace(/(^|[\s,}])body(?=[\s,{[:.])/g, '$1:host');
}

export function addShadowCss(css: string): void {
	texts.push(forShadowRoot(css));
	sheets = null;
}

/** Constructed sheets shared by every element (one parse, however many elements). */
export function shadowSheets(): CSSStyleSheet[] {
	if (!sheets) {
		sheets = texts.map((t) => {
			const s = new CSSStyleSheet();
			s.replaceSync(t);
			return s;
		});
	}
	return sheets;
}
