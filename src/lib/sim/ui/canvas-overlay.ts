import type { SimOverlay } from './overlay';

/** The designer's overlay shape (src/lib/designer/context.ts `CanvasOverlay`). */
export interface DesignerOverlay {
	classes?: Record<string, string>;
	badges?: Record<string, string>;
	/**
	 * Per transition id (the designer's edge ids): `sim-taken` (last macrostep), `sim-breakpoint`,
	 * `sim-highlight`, `sim-untaken` (heat map on, never taken). Drawn once the designer's
	 * `CanvasOverlay` supports edges; ignored until then.
	 */
	edgeClasses?: Record<string, string>;
	/** Per transition id: how many times it was taken (heat map on). */
	edgeBadges?: Record<string, string>;
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
	const edges: Record<string, string[]> = {};
	const addEdge = (t: string, c: string) => (edges[t] ??= []).push(c);
	for (const t of o.activeTransitions) addEdge(t, 'sim-taken');
	for (const t of o.highlightTransitions) addEdge(t, 'sim-highlight');
	for (const t of o.breakpoints.transitions) addEdge(t, 'sim-breakpoint');
	const edgeBadges: Record<string, string> = {};
	if (o.coverage) for (const [t, n] of Object.entries(o.coverage.transitions)) edgeBadges[t] = `×${n}`;
	if (o.coverage?.untaken) for (const t of o.coverage.untaken) addEdge(t, 'sim-untaken');
	const join = (m: Record<string, string[]>) => Object.fromEntries(Object.entries(m).map(([k, v]) => [k, v.join(' ')]));
	const out: DesignerOverlay = { classes: join(classes), badges };
	if (Object.keys(edges).length) out.edgeClasses = join(edges);
	if (Object.keys(edgeBadges).length) out.edgeBadges = edgeBadges;
	return out;
}
