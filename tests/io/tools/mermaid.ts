/**
 * Mermaid itself, run in Node: `mermaid.parse` and Mermaid's own reading of a state diagram
 * (the nodes, groups, regions and edges it lays out and draws), with jsdom as its DOM.
 * Labels are turned into the text a reader sees: Mermaid's entity codes decoded, then read
 * as HTML (that is how Mermaid draws them), whitespace collapsed.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { JSDOM } from 'jsdom';

type MermaidApi = typeof import('mermaid').default;
let loading: Promise<{ mermaid: MermaidApi; yamlLoad: (s: string, o: unknown) => unknown; JSON_SCHEMA: unknown; dom: JSDOM }> | undefined;

/** Loads Mermaid once, with jsdom as the DOM it needs even to parse. */
export function loadMermaid() {
	loading ??= (async () => {
		const dom = new JSDOM('<!doctype html><html><body></body></html>');
		const g = globalThis as Record<string, unknown>;
		g.window ??= dom.window;
		g.document ??= dom.window.document;
		const { default: mermaid } = await import('mermaid');
		mermaid.initialize({ startOnLoad: false, securityLevel: 'strict' });
		// The front matter is read by the YAML reader Mermaid bundles; find the chunk it imports it from.
		const require = createRequire(import.meta.url);
		const core = join(dirname(require.resolve('mermaid/package.json')), 'dist', 'mermaid.core.mjs');
		const head = readFileSync(core, 'utf8').slice(0, 20_000);
		const m = /import\s*\{\s*JSON_SCHEMA,\s*load\s*\}\s*from\s*"([^"]+)"/.exec(head);
		if (!m) throw new Error('Mermaid no longer imports its YAML reader the way this harness expects.');
		const yaml = (await import(pathToFileURL(join(dirname(core), m[1])).href)) as { load: (s: string, o: unknown) => unknown; JSON_SCHEMA: unknown };
		return { mermaid, yamlLoad: yaml.load, JSON_SCHEMA: yaml.JSON_SCHEMA, dom };
	})();
	return loading;
}

export interface DrawnState {
	label: string;
	group: boolean;
	regions?: DrawnRegion[];
	note?: string;
}
export interface DrawnRegion {
	initial?: string;
	states: DrawnState[];
}
export interface DrawnEdge {
	from: string;
	to: string;
	label: string;
}
export interface Drawing {
	title?: string;
	root: DrawnRegion;
	edges: DrawnEdge[];
	/** Labels that Mermaid would draw as HTML elements (markup), not as text. */
	markup: string[];
}

/** The same front matter pattern Mermaid uses. */
const FRONT_MATTER = /^([^\S\n\r]*)-{3}\s*[\n\r](.*?)[\n\r]\1-{3}\s*[\n\r]+/s;

export const norm = (s: string) => s.replace(/\s+/g, ' ').trim();

/** Parses with Mermaid; on success returns what Mermaid will draw. */
export async function readMermaid(text: string): Promise<{ ok: true; drawing: Drawing } | { ok: false; error: string }> {
	const { mermaid, yamlLoad, JSON_SCHEMA, dom } = await loadMermaid();
	try {
		await mermaid.parse(text);
	} catch (e) {
		return { ok: false, error: (e as Error).message };
	}
	let title: string | undefined;
	const fm = FRONT_MATTER.exec(text.replace(/\r\n?/g, '\n'));
	if (fm) {
		const meta = yamlLoad(fm[2], { schema: JSON_SCHEMA }) as Record<string, unknown> | null;
		if (meta && meta.title) title = String(meta.title);
	}
	const diagram = (await mermaid.mermaidAPI.getDiagramFromText(text)) as unknown as { db: { getData(): { nodes: RawNode[]; edges: RawEdge[] } } };
	const data = diagram.db.getData();
	const markup: string[] = [];
	const parser = new dom.window.DOMParser();
	const shown = (raw: unknown): string => {
		const html = String(raw ?? '').replace(/ﬂ°°/g, '&#').replace(/ﬂ°/g, '&').replace(/¶ß/g, ';');
		const body = parser.parseFromString(`<body>${html}</body>`, 'text/html').body;
		if (body.children.length) markup.push(html);
		return norm(body.textContent ?? '');
	};
	const byId = new Map(data.nodes.map((n) => [n.id, n]));
	// A note sits in a "noteGroup" with the state it is about; the group itself is not a state.
	const parentOf = (n: RawNode): RawNode | undefined => {
		let p = n.parentId ? byId.get(n.parentId) : undefined;
		while (p && p.shape === 'noteGroup') p = p.parentId ? byId.get(p.parentId) : undefined;
		return p;
	};
	const kids = new Map<string, RawNode[]>();
	for (const n of data.nodes) {
		if (n.shape === 'noteGroup' || n.shape === 'note') continue;
		const p = parentOf(n)?.id ?? '';
		if (!kids.has(p)) kids.set(p, []);
		kids.get(p)!.push(n);
	}
	const notes = new Map<string, string>();
	for (const n of data.nodes) if (n.shape === 'note') notes.set(n.id.slice(0, n.id.indexOf('----')), shown(n.label));
	const labelOf = new Map<string, string>();
	const pathOf = new Map<string, string>();
	const startOf = new Map<string, string>();
	for (const e of data.edges) if (byId.get(e.start)?.shape === 'stateStart') startOf.set(e.start, e.end);
	const region = (id: string, path: string): DrawnRegion => {
		const r: DrawnRegion = { states: [] };
		for (const n of kids.get(id) ?? []) {
			if (n.shape === 'stateStart') {
				const to = startOf.get(n.id);
				if (to) r.initial = shown(byId.get(to)?.label);
				continue;
			}
			if (n.shape === 'stateEnd') continue;
			r.states.push(state(n, path));
		}
		r.states.sort((a, b) => (a.label < b.label ? -1 : a.label > b.label ? 1 : 0));
		return r;
	};
	const state = (n: RawNode, parentPath: string): DrawnState => {
		const label = shown(n.label);
		const path = parentPath ? `${parentPath} › ${label}` : label;
		labelOf.set(n.id, label);
		pathOf.set(n.id, path);
		const s: DrawnState = { label, group: Boolean(n.isGroup) };
		if (n.isGroup) {
			const children = kids.get(n.id) ?? [];
			s.regions = children.length && children.every((c) => c.shape === 'divider') ? children.map((d) => region(d.id, path)) : [region(n.id, path)];
		}
		if (notes.has(n.id)) s.note = notes.get(n.id);
		return s;
	};
	const root = region('', '');
	const edges: DrawnEdge[] = [];
	for (const e of data.edges) {
		const from = byId.get(e.start);
		const to = byId.get(e.end);
		if (!from || !to || from.shape === 'stateStart' || to.shape === 'note') continue;
		const endOf = (x: RawNode) => {
			const p = parentOf(x);
			const owner = p && p.shape === 'divider' ? parentOf(p) : p;
			return `${owner ? pathOf.get(owner.id) : ''} › [*]`;
		};
		edges.push({ from: pathOf.get(from.id) ?? `?${from.id}`, to: to.shape === 'stateEnd' ? endOf(to) : (pathOf.get(to.id) ?? `?${to.id}`), label: shown(e.label) });
	}
	edges.sort((a, b) => (JSON.stringify(a) < JSON.stringify(b) ? -1 : 1));
	return { ok: true, drawing: { title, root, edges, markup } };
}

interface RawNode {
	id: string;
	label?: string;
	parentId?: string;
	isGroup?: boolean;
	shape?: string;
}
interface RawEdge {
	start: string;
	end: string;
	label?: string;
}

/**
 * What a workflow should look like in Mermaid, derived from the workflow alone (not from the
 * exporter): every state but history states, labelled with its name; compound states as
 * groups with a start marker, parallel states as groups with one region per child; final
 * states with an arrow to the end marker; an arrow per transition to its first target (a
 * history target points at its parent), labelled `EVENT [guard]`, `always`, `after(ms)`,
 * `onDone` or `onError`; descriptions as notes.
 */
export function expectedDrawing(w: import('../../../src/lib/model/types').Workflow): Drawing {
	const index = indexStates(w);
	// A parallel root is drawn as one parallel group named as the workflow.
	const wrap = w.type === 'parallel' ? norm(w.name || 'Workflow') : undefined;
	const labelPath = (p: string) => [...(wrap !== undefined ? [wrap] : []), ...(p ? p.split('.') : [])].join(' › ');
	const edges: DrawnEdge[] = [];
	const region = (parent: string, container: { initial?: string; states?: Record<string, StateNodeSpec> }, withInitial: boolean): DrawnRegion => {
		const r: DrawnRegion = { states: [] };
		for (const k of Object.keys(container.states ?? {})) {
			const child = container.states![k];
			if (stateType(child) === 'history') continue;
			r.states.push(state(parent ? `${parent}.${k}` : k, child));
		}
		if (withInitial && container.initial !== undefined && container.states?.[container.initial] && stateType(container.states[container.initial]) !== 'history') r.initial = norm(container.initial);
		r.states.sort((a, b) => (a.label < b.label ? -1 : a.label > b.label ? 1 : 0));
		return r;
	};
	const state = (path: string, node: StateNodeSpec): DrawnState => {
		const key = path.slice(path.lastIndexOf('.') + 1);
		const type = stateType(node);
		const s: DrawnState = { label: norm(key), group: type === 'compound' || type === 'parallel' };
		if (type === 'compound') s.regions = [region(path, node, true)];
		if (type === 'parallel') s.regions = Object.keys(node.states ?? {}).map((k) => region(path, { states: { [k]: node.states![k] } }, false));
		if (node.description) s.note = norm(node.description);
		if (type === 'final') edges.push({ from: norm(labelPath(path)), to: `${norm(labelPath(path.includes('.') ? path.slice(0, path.lastIndexOf('.')) : ''))} › [*]`, label: '' });
		const emit = (trigger: string, config: TransitionConfig | undefined) => {
			for (const t of normalizeTransitions(config)) {
				const first = targetsOf(t)[0];
				if (first === undefined) continue;
				let tp = resolveTarget(index, path, first);
				if (tp === undefined) continue;
				if (stateType(index.byPath.get(tp)!.node) === 'history') tp = tp.includes('.') ? tp.slice(0, tp.lastIndexOf('.')) : '';
				if (!tp) continue;
				edges.push({ from: norm(labelPath(path)), to: norm(labelPath(tp)), label: norm(trigger + (t.guard ? ` [${t.guard}]` : '')) });
			}
		};
		for (const ev of Object.keys(node.on ?? {})) emit(/^(?:always|onDone|onError|after\(.*\)|on\(.*\))$/.test(ev) || ev.includes(' [') ? `on(${ev})` : ev, node.on![ev]);
		if (node.always !== undefined) emit('always', node.always);
		for (const ms of Object.keys(node.after ?? {})) emit(`after(${ms})`, node.after![ms]);
		if (node.onDone !== undefined) emit('onDone', node.onDone);
		if (node.onError !== undefined) emit('onError', node.onError);
		return s;
	};
	const root: DrawnRegion =
		wrap === undefined ? region('', w, true) : { initial: wrap, states: [{ label: wrap, group: true, regions: Object.keys(w.states).map((k) => region('', { states: { [k]: w.states[k] } }, false)) }] };
	edges.sort((a, b) => (JSON.stringify(a) < JSON.stringify(b) ? -1 : 1));
	return { title: w.name || undefined, root, edges, markup: [] };
}

import { indexStates, normalizeTransitions, resolveTarget, stateType, targetsOf } from '../../../src/lib/model/tree';
import type { StateNodeSpec, TransitionConfig } from '../../../src/lib/model/types';
