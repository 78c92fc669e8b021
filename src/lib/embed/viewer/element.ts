/**
 * `<fsm-viewer>`: a workflow drawn read-only in any page, with pan/zoom, light/dark and live
 * state. Plain DOM + SVG in a shadow root (no framework, no Svelte Flow), so the bundle stays
 * small; the engine comes along for `autorun`.
 *
 * Sources, first match wins: the `workflow` property (object or JSON text), the `src`
 * attribute (a URL), a child `<script type="application/json">`.
 * Live state: `autorun` runs an instance in the element; the `instance` property takes one the
 * page runs (anything with `snapshot()` and `subscribe(listener)`, such as the engine's
 * interpreter). `send(event)` forwards to it. Events: `load`, `error`, `state-change`, `done`.
 */
import { parseWorkflow } from '../../model/parse';
import type { Workflow } from '../../model/types';
import { createInterpreter, type EngineInterpreter, type EventObject, type Snapshot } from '../../engine';
import { activePaths, buildScene, type Scene } from './scene';
import { VIEWER_CSS } from './style';

/** What the viewer needs from a running instance. */
export interface ViewerInstance {
	snapshot(): Snapshot;
	subscribe(listener: (s: Snapshot) => void): () => void;
	send?(event: EventObject | string): void;
}

export interface StateChangeDetail {
	value: Snapshot['value'];
	context: Snapshot['context'];
	status: Snapshot['status'];
	/** Active state paths, leaves and their ancestors. */
	active: string[];
}

const SVG = 'http://www.w3.org/2000/svg';
const MIN_ZOOM = 0.2;
const MAX_ZOOM = 4;

function svg<K extends keyof SVGElementTagNameMap>(tag: K, attrs: Record<string, string | number> = {}, parent?: Element): SVGElementTagNameMap[K] {
	const el = document.createElementNS(SVG, tag);
	for (const [k, v] of Object.entries(attrs)) el.setAttribute(k, String(v));
	parent?.appendChild(el);
	return el;
}

export class FsmViewerElement extends HTMLElement {
	static get observedAttributes() {
		return ['src', 'theme', 'autorun'];
	}

	#root: ShadowRoot;
	#frame: HTMLDivElement;
	#canvas: SVGSVGElement;
	#world: SVGGElement;
	#message: HTMLParagraphElement;
	#workflowInput: unknown = undefined;
	#workflow: Workflow | null = null;
	#scene: Scene | null = null;
	#nodes = new Map<string, SVGGElement>();
	#view = { x: 0, y: 0, k: 1 };
	#instance: ViewerInstance | null = null;
	#own: EngineInterpreter | null = null;
	#unsubscribe: (() => void) | null = null;
	#loadSeq = 0;
	#described: HTMLDivElement;
	#announcer: HTMLParagraphElement;
	#announced = '';
	#connected = false;
	#snapshot: Snapshot | null = null;
	#observer: MutationObserver | null = null;
	/** The user panned or zoomed: a resize keeps their view instead of fitting again. */
	#moved = false;

	constructor() {
		super();
		this.#root = this.attachShadow({ mode: 'open' });
		const style = document.createElement('style');
		style.textContent = VIEWER_CSS;
		this.#frame = document.createElement('div');
		this.#frame.className = 'frame';
		this.#frame.part.add('frame');
		this.#canvas = svg('svg', { class: 'canvas', role: 'img', tabindex: 0 });
		this.#canvas.setAttribute('aria-roledescription', 'state machine diagram');
		// for screen readers: the diagram in words, and the active states as they change
		this.#described = document.createElement('div');
		this.#described.id = 'description';
		this.#described.className = 'sr-only';
		this.#canvas.setAttribute('aria-describedby', 'description');
		this.#announcer = document.createElement('p');
		this.#announcer.className = 'sr-only';
		this.#announcer.setAttribute('aria-live', 'polite');
		const defs = svg('defs', {}, this.#canvas);
		const marker = svg('marker', { id: 'arrow', viewBox: '0 0 10 10', refX: 9, refY: 5, markerWidth: 7, markerHeight: 7, orient: 'auto-start-reverse' }, defs);
		svg('path', { d: 'M0,0 L10,5 L0,10 z', class: 'arrowhead' }, marker);
		this.#world = svg('g', { class: 'world' }, this.#canvas);
		this.#message = document.createElement('p');
		this.#message.className = 'message';
		this.#message.setAttribute('role', 'status');
		const tools = document.createElement('div');
		tools.className = 'tools';
		tools.part.add('tools');
		for (const [label, text, act] of [
			['Zoom in', '+', () => this.zoomBy(1.25)],
			['Zoom out', '−', () => this.zoomBy(0.8)],
			['Fit to view', '⤢', () => this.fit()]
		] as const) {
			const b = document.createElement('button');
			b.type = 'button';
			b.textContent = text;
			b.title = label;
			b.setAttribute('aria-label', label);
			b.addEventListener('click', act);
			tools.appendChild(b);
		}
		this.#frame.append(this.#canvas, tools, this.#message, this.#described, this.#announcer);
		this.#root.append(style, this.#frame);
		this.#wirePanZoom();
	}

	connectedCallback() {
		this.#connected = true;
		this.#applyTheme();
		if (!this.#workflow) void this.#load();
		// an inline <script type="application/json"> added or changed after the element
		this.#observer = new MutationObserver(() => {
			if (this.#workflowInput === undefined && !this.getAttribute('src')) void this.#load();
		});
		this.#observer.observe(this, { childList: true, subtree: true, characterData: true });
	}

	disconnectedCallback() {
		this.#connected = false;
		this.#observer?.disconnect();
		this.#stopOwn();
		this.#unsubscribe?.();
		this.#unsubscribe = null;
	}

	attributeChangedCallback(name: string, old: string | null, value: string | null) {
		if (old === value || !this.#connected) return;
		if (name === 'theme') this.#applyTheme();
		else if (name === 'src') void this.#load();
		else if (name === 'autorun') {
			if (value === null) this.#stopOwn();
			else if (this.#workflow && !this.#instance) this.#startOwn();
		}
	}

	/** The workflow shown (after parsing and migration), or null. */
	get workflow(): Workflow | null {
		return this.#workflow;
	}
	/** Show this workflow: an object or JSON text in FSM Studio's format. */
	set workflow(value: unknown) {
		this.#workflowInput = value;
		if (this.#connected) void this.#load();
	}

	get src(): string {
		return this.getAttribute('src') ?? '';
	}
	set src(url: string) {
		this.setAttribute('src', url);
	}

	get theme(): string {
		return this.getAttribute('theme') ?? 'auto';
	}
	set theme(t: string) {
		this.setAttribute('theme', t);
	}

	get autorun(): boolean {
		return this.hasAttribute('autorun');
	}
	set autorun(on: boolean) {
		this.toggleAttribute('autorun', on);
	}

	/** The running instance whose active states are lit (the page's own, or the autorun one). */
	get instance(): ViewerInstance | null {
		return this.#instance ?? this.#own;
	}
	set instance(inst: ViewerInstance | null) {
		this.#stopOwn();
		this.#unsubscribe?.();
		this.#unsubscribe = null;
		this.#instance = inst;
		if (inst) this.#follow(inst);
		else this.#showActive(null);
	}

	/** The last snapshot seen from the instance. */
	get snapshot(): Snapshot | null {
		return this.#snapshot;
	}

	/** Sends an event to the instance (the autorun one, or the page's if it accepts events). */
	send(event: EventObject | string): void {
		const inst = this.instance;
		if (!inst) throw new Error('<fsm-viewer>: nothing is running; add the autorun attribute or set the instance property first.');
		if (!inst.send) throw new Error('<fsm-viewer>: this instance does not accept events; send them to it directly.');
		inst.send(event);
	}

	/** Restarts the autorun instance from the initial state. */
	restart(): void {
		if (!this.#workflow) return;
		this.#stopOwn();
		this.#startOwn();
	}

	zoomBy(factor: number, at?: { x: number; y: number }) {
		const box = this.#canvas.getBoundingClientRect();
		const p = at ?? { x: box.width / 2, y: box.height / 2 };
		const k = Math.min(MAX_ZOOM, Math.max(MIN_ZOOM, this.#view.k * factor));
		const f = k / this.#view.k;
		this.#view = { k, x: p.x - (p.x - this.#view.x) * f, y: p.y - (p.y - this.#view.y) * f };
		this.#moved = true;
		this.#applyView();
	}

	/** Fits the whole workflow into the element. */
	fit() {
		const s = this.#scene;
		if (!s) return;
		const box = this.#canvas.getBoundingClientRect();
		const w = box.width || 600;
		const h = box.height || 360;
		const pad = 24;
		const b = { x: s.bounds.x - 10, y: s.bounds.y - 44, width: s.bounds.width + 20, height: s.bounds.height + 54 };
		const k = Math.min(1.5, Math.max(MIN_ZOOM, Math.min((w - 2 * pad) / Math.max(1, b.width), (h - 2 * pad) / Math.max(1, b.height))));
		this.#view = { k, x: (w - b.width * k) / 2 - b.x * k, y: (h - b.height * k) / 2 - b.y * k };
		this.#moved = false;
		this.#applyView();
	}

	#applyView() {
		const { x, y, k } = this.#view;
		this.#world.setAttribute('transform', `translate(${x} ${y}) scale(${k})`);
	}

	#applyTheme() {
		const t = this.getAttribute('theme');
		this.#frame.dataset.theme = t === 'dark' || t === 'light' ? t : 'auto';
	}

	#wirePanZoom() {
		const c = this.#canvas;
		let drag: { id: number; x: number; y: number; vx: number; vy: number } | null = null;
		c.addEventListener('pointerdown', (e) => {
			if (e.button !== 0) return;
			drag = { id: e.pointerId, x: e.clientX, y: e.clientY, vx: this.#view.x, vy: this.#view.y };
			c.setPointerCapture(e.pointerId);
			c.classList.add('panning');
		});
		c.addEventListener('pointermove', (e) => {
			if (!drag || drag.id !== e.pointerId) return;
			this.#view = { ...this.#view, x: drag.vx + e.clientX - drag.x, y: drag.vy + e.clientY - drag.y };
			this.#moved = true;
			this.#applyView();
		});
		const end = (e: PointerEvent) => {
			if (drag?.id !== e.pointerId) return;
			drag = null;
			c.classList.remove('panning');
		};
		c.addEventListener('pointerup', end);
		c.addEventListener('pointercancel', end);
		c.addEventListener(
			'wheel',
			(e) => {
				// plain wheel scrolls the host page; Ctrl/⌘ + wheel (and pinch) zooms, as in maps
				if (!e.ctrlKey && !e.metaKey) return;
				e.preventDefault();
				const box = c.getBoundingClientRect();
				this.zoomBy(Math.exp(-e.deltaY * 0.002), { x: e.clientX - box.left, y: e.clientY - box.top });
			},
			{ passive: false }
		);
		c.addEventListener('keydown', (e) => {
			const step = 40;
			const moves: Record<string, [number, number]> = { ArrowLeft: [step, 0], ArrowRight: [-step, 0], ArrowUp: [0, step], ArrowDown: [0, -step] };
			if (e.key === '+' || e.key === '=') this.zoomBy(1.25);
			else if (e.key === '-') this.zoomBy(0.8);
			else if (e.key === '0') this.fit();
			else if (moves[e.key]) {
				this.#view = { ...this.#view, x: this.#view.x + moves[e.key][0], y: this.#view.y + moves[e.key][1] };
				this.#applyView();
			} else return;
			e.preventDefault();
		});
		new ResizeObserver(() => {
			if (this.#scene && !this.#moved) this.fit();
		}).observe(this.#frame);
	}

	async #source(): Promise<unknown> {
		if (this.#workflowInput !== undefined) return this.#workflowInput;
		const src = this.getAttribute('src');
		if (src) {
			let res: Response;
			try {
				res = await fetch(new URL(src, document.baseURI));
			} catch {
				throw new Error(`could not fetch ${src} (offline, or the server does not allow this page to read it).`);
			}
			if (!res.ok) throw new Error(`${src} answered HTTP ${res.status}.`);
			return res.text();
		}
		const script = this.querySelector('script[type="application/json"]');
		if (script) return script.textContent ?? '';
		return undefined;
	}

	async #load() {
		const seq = ++this.#loadSeq;
		let input: unknown;
		try {
			input = await this.#source();
		} catch (e) {
			if (seq === this.#loadSeq) this.#fail((e as Error).message);
			return;
		}
		if (seq !== this.#loadSeq) return;
		if (input === undefined) {
			this.#showMessage('No workflow: set the src attribute, the workflow property, or put the JSON in a <script type="application/json"> inside the element.');
			return;
		}
		const parsed = parseWorkflow(input);
		if (!parsed.ok) {
			this.#fail(parsed.errors.slice(0, 3).map((e) => e.message).join(' '));
			return;
		}
		this.#workflow = parsed.workflow;
		this.#render();
		this.#showMessage('');
		this.dispatchEvent(new CustomEvent('load', { detail: { workflow: parsed.workflow } }));
		if (this.#instance) this.#follow(this.#instance);
		else if (this.hasAttribute('autorun')) {
			this.#stopOwn();
			this.#startOwn();
		}
	}

	#fail(message: string) {
		this.#workflow = null;
		this.#scene = null;
		this.#world.replaceChildren();
		this.#showMessage(`This workflow cannot be shown: ${message}`, true);
		this.dispatchEvent(new CustomEvent('error', { detail: { message } }));
	}

	#showMessage(text: string, isError = false) {
		this.#message.textContent = text;
		this.#message.hidden = !text;
		this.#message.classList.toggle('error', isError);
	}

	#render() {
		const wf = this.#workflow!;
		const scene = buildScene(wf);
		this.#scene = scene;
		this.#nodes.clear();
		this.#world.replaceChildren();
		this.#canvas.setAttribute('aria-label', `${wf.name || wf.id || 'Workflow'}: ${scene.states.length} states, ${scene.edges.length} transitions`);
		this.#described.textContent = describeScene(scene);
		const states = svg('g', { class: 'states' }, this.#world);
		const edges = svg('g', { class: 'edges' }, this.#world);
		// containers first (behind), deeper ones later
		const ordered = [...scene.states].sort((a, b) => Number(b.kind === 'compound' || b.kind === 'parallel') - Number(a.kind === 'compound' || a.kind === 'parallel') || a.depth - b.depth);
		for (const s of ordered) {
			const container = s.kind === 'compound' || s.kind === 'parallel';
			const g = svg('g', { class: `state ${s.kind}`, 'data-path': s.path }, states);
			const { x, y, width, height } = s.rect;
			svg('rect', { x, y, width, height, rx: container ? 12 : 10, class: 'box' }, g);
			if (s.kind === 'final') svg('rect', { x: x + 4, y: y + 4, width: width - 8, height: height - 8, rx: 7, class: 'inner' }, g);
			const name = svg('text', { x: container ? x + 12 : x + width / 2, y: container ? y + 22 : y + 25, class: container ? 'name container-name' : 'name' }, g);
			name.textContent = s.kind === 'parallel' ? `${s.label} ∥` : s.label;
			if (s.effects.length) {
				const chips = svg('text', { x: x + width / 2, y: y + height - 10, class: 'effects' }, g);
				chips.textContent = s.effects.join(' · ');
			}
			if (s.kind === 'history') {
				const h = svg('text', { x: x + width / 2, y: y + height - 8, class: 'effects' }, g);
				h.textContent = 'history';
			}
			if (s.initial) {
				const ix = x - 22;
				const iy = y + Math.min(22, height / 2);
				svg('circle', { cx: ix, cy: iy, r: 4, class: 'initial' }, g);
				svg('path', { d: `M${ix + 4},${iy} L${x - 1},${iy}`, class: 'edge', 'marker-end': 'url(#arrow)' }, g);
			}
			const title = svg('title', {}, g);
			title.textContent = s.path;
			this.#nodes.set(s.path, g);
		}
		for (const e of scene.edges) {
			const g = svg('g', { class: 'transition', 'data-id': e.id }, edges);
			const d =
				e.points.length === 4
					? `M${e.points[0].x},${e.points[0].y} C${e.points[1].x},${e.points[1].y} ${e.points[2].x},${e.points[2].y} ${e.points[3].x},${e.points[3].y}`
					: `M${e.points.map((p) => `${p.x},${p.y}`).join(' L')}`;
			svg('path', { d, class: 'edge', 'marker-end': 'url(#arrow)' }, g);
			if (e.label) {
				const t = svg('text', { x: e.labelAt.x, y: e.labelAt.y, class: 'label' }, g);
				t.textContent = e.label;
			}
		}
		this.#moved = false;
		requestAnimationFrame(() => this.fit());
		if (this.#snapshot) this.#showActive(this.#snapshot);
	}

	#startOwn() {
		const wf = this.#workflow;
		if (!wf) return;
		try {
			this.#own = createInterpreter(wf);
			this.#unsubscribe = this.#own.subscribe((s) => this.#onSnapshot(s));
			this.#own.start();
			this.#onSnapshot(this.#own.snapshot());
		} catch (e) {
			this.#own = null;
			this.#fail(`it could not be started (${(e as Error).message}).`);
		}
	}

	#stopOwn() {
		if (!this.#own) return;
		this.#unsubscribe?.();
		this.#unsubscribe = null;
		this.#own.stop();
		this.#own = null;
	}

	#follow(inst: ViewerInstance) {
		this.#unsubscribe?.();
		this.#unsubscribe = inst.subscribe((s) => this.#onSnapshot(s));
		this.#onSnapshot(inst.snapshot());
	}

	#lastKey = '';
	#onSnapshot(s: Snapshot) {
		const was = this.#snapshot?.status;
		this.#snapshot = s;
		this.#showActive(s);
		const active = activePaths(s.value);
		const key = JSON.stringify([s.value, s.status, s.context]);
		if (key !== this.#lastKey) {
			this.#lastKey = key;
			const detail: StateChangeDetail = { value: s.value, context: s.context, status: s.status, active };
			this.dispatchEvent(new CustomEvent('state-change', { detail }));
		}
		if (s.status === 'done' && was !== 'done') this.dispatchEvent(new CustomEvent('done', { detail: { output: s.output, context: s.context } }));
	}

	#showActive(s: Snapshot | null) {
		const active = new Set(s ? activePaths(s.value) : []);
		for (const [path, g] of this.#nodes) {
			g.classList.toggle('active', active.has(path));
			if (active.has(path)) g.setAttribute('aria-current', 'step');
			else g.removeAttribute('aria-current');
		}
		this.#frame.dataset.status = s?.status ?? 'idle';
		// leaves only (the ancestors are implied), said once per change
		const leaves = [...active].filter((p) => ![...active].some((q) => q.startsWith(p + '.')));
		const words = !s ? '' : s.status === 'done' ? 'Finished.' : leaves.length ? `Now in ${leaves.join(', ')}.` : '';
		if (words !== this.#announced) {
			this.#announced = words;
			this.#announcer.textContent = words;
		}
	}
}

/** The diagram in words, for screen readers: its states, then its transitions. */
export function describeScene(scene: Scene): string {
	const kinds: Record<string, string> = { final: 'final', compound: 'compound', parallel: 'parallel', history: 'history' };
	const states = scene.states.map((s) => {
		const notes = [s.initial ? 'initial' : '', kinds[s.kind] ?? ''].filter(Boolean);
		return notes.length ? `${s.path} (${notes.join(', ')})` : s.path;
	});
	const edges = scene.edges.map((e) => `${e.source} to ${e.target}${e.label ? ` on ${e.label}` : ''}`);
	return `States: ${states.join('; ') || 'none'}. Transitions: ${edges.join('; ') || 'none'}.`;
}

/** Defines `<fsm-viewer>` once (a second script tag, or a second bundle, is harmless). */
export function defineFsmViewer(tag = 'fsm-viewer'): void {
	if (typeof customElements !== 'undefined' && !customElements.get(tag)) customElements.define(tag, class extends FsmViewerElement {});
}
