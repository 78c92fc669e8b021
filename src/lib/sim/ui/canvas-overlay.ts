import type { SimOverlay } from './overlay';

/** The designer's overlay shape (src/lib/designer/context.ts `CanvasOverlay`). */
export interface DesignerOverlay {
	classes?: Record<string, string>;
	badges?: Record<string, string>;
}

function fmtMs(ms: number): string {
	if (ms >= 10_000) return `${Math.round(ms / 1000)} s`;
	if (ms >= 1000) return `${(ms / 1000).toFixed(1)} s`;
	return `${Math.round(ms)} ms`;
}

/**
 * Maps the simulator's overlay onto the designer canvas: CSS classes per state
 * (`sim-highlight`, `sim-breakpoint`, `sim-unvisited`, `sim-heat-1…5`, `sim-moment`) and badges
 * (visit count and mean time when the heat map is on).
 */
export function toDesignerOverlay(o: SimOverlay): DesignerOverlay {
	const classes: Record<string, string[]> = {};
	const add = (state: string, c: string) => (classes[state] ??= []).push(c);
	for (const s of o.highlightStates) add(s, 'sim-highlight');
	for (const s of o.breakpoints.states) add(s, 'sim-breakpoint');
	if (o.moment) for (const s of o.activeStates) add(s, 'sim-moment');
	const badges: Record<string, string> = {};
	if (o.coverage) {
		const max = Math.max(1, ...Object.values(o.coverage.states).map((s) => s.visits));
		for (const [state, s] of Object.entries(o.coverage.states)) {
			add(state, `sim-heat-${Math.max(1, Math.ceil((s.visits / max) * 5))}`);
			badges[state] = `×${s.visits} · ${fmtMs(s.meanMs)}`;
		}
		for (const s of o.coverage.unvisited) add(s, 'sim-unvisited');
	}
	return {
		classes: Object.fromEntries(Object.entries(classes).map(([k, v]) => [k, v.join(' ')])),
		badges
	};
}
