/**
 * `<fsm-studio>`: the full designer in any page, in a shadow root (styles contained both
 * ways). `workflow` in (property: object or JSON text), `change` events out
 * (`event.detail.workflow`), `readonly`, `panels` (which panels show), `theme`, and a storage
 * mode:
 * - `storage="none"` (default): the page owns the data; the element keeps a working copy only
 *   while it is on the page (a scratch database, deleted when the element is removed);
 * - `storage="local"`: the element keeps the workflow in its own IndexedDB database,
 *   namespaced by its `id` attribute (`fsm-studio-wf-embed-<id>`), so it is there after a reload.
 */
import { mount, unmount } from 'svelte';
// the app's theme tokens and base styles, adopted by the shadow root (vite.embed.config.ts)
import '../../../app.css';
import StudioHost from './StudioHost.svelte';
import { shadowSheets } from './shadow-css';
import { STUDIO_CSS } from './studio-css';
import { parseWorkflow } from '../../model/parse';
import type { Workflow } from '../../model/types';
import { openWorkflowDoc, deleteWorkflowDoc } from '../../collab/persistence';
import { hasWorkflow, readWorkflow, writeWorkflow } from '../../collab/binding';
import { blankWorkflow, newId, workspaceDb } from '../../collab/workspace';
import { theme } from '../../designer/theme.svelte';
import { unplacedStates } from '../../designer/placement';
import { layoutOf } from '../viewer/scene';
import type { DesignerSession } from '../../designer/session.svelte';

export const PANELS = ['library', 'properties', 'bottom', 'toolbar', 'run'] as const;
export type PanelName = (typeof PANELS)[number];

/** Origin of a workflow written by the host page (not an undo step of the user). */
const HOST = 'fsm-studio:host';
const SCRATCH = 'embed-scratch-';

/** The workflow with positions for every state (a page's workflow often has none). */
const placed = (wf: Workflow, id: string): Workflow => ({ ...wf, id, ...(unplacedStates(wf).length ? { layout: layoutOf(wf) } : {}) });

const safeKey = (s: string) => s.replace(/[^\w-]/g, '_').slice(0, 80) || 'default';

export class FsmStudioElement extends HTMLElement {
	static get observedAttributes() {
		return ['readonly', 'panels', 'theme', 'allow-live'];
	}

	#root: ShadowRoot;
	#box: HTMLDivElement;
	#props = $state({ id: '', readonly: false, run: true, live: false });
	#app: Record<string, unknown> | null = null;
	#session: DesignerSession | null = null;
	#docId = '';
	#storage: 'none' | 'local' = 'none';
	#input: Workflow | null = null;
	#inputError: string | null = null;
	#current: Workflow | null = null;
	#lastEmitted = '';
	#starting: Promise<void> | null = null;
	#connected = false;
	/** A workflow set while the designer was still opening: written once it has loaded. */
	#pendingInput = false;
	/** The next change is the page's own write coming back: not reported as a change. */
	#hostWrite = false;

	constructor() {
		super();
		this.#root = this.attachShadow({ mode: 'open' });
		const own = new CSSStyleSheet();
		own.replaceSync(STUDIO_CSS);
		this.#root.adoptedStyleSheets = [...shadowSheets(), own];
		this.#box = document.createElement('div');
		this.#box.className = 'studio';
		this.#root.append(this.#box);
	}

	connectedCallback() {
		this.#connected = true;
		this.#applyAttributes();
		this.#starting ??= this.#start();
	}

	disconnectedCallback() {
		this.#connected = false;
		// moved within the page: connected again in the same task, nothing to tear down
		queueMicrotask(() => {
			if (!this.#connected) void this.#stop();
		});
	}

	attributeChangedCallback() {
		this.#applyAttributes();
	}

	/** The workflow being edited (the host's id kept), or null before it has loaded. */
	get workflow(): Workflow | null {
		return this.#current;
	}
	/** Opens this workflow (an object or JSON in FSM Studio's format), replacing what is shown. */
	set workflow(value: unknown) {
		const parsed = parseWorkflow(value);
		if (!parsed.ok) {
			this.#inputError = parsed.errors.slice(0, 3).map((e) => e.message).join(' ');
			this.dispatchEvent(new CustomEvent('error', { detail: { message: this.#inputError } }));
			return;
		}
		this.#inputError = null;
		this.#input = parsed.workflow;
		const s = this.#session;
		if (s?.loaded) {
			this.#hostWrite = true;
			s.doc.transact(() => writeWorkflow(s.doc, placed(parsed.workflow, this.#docId), HOST), HOST);
		} else if (this.#starting) this.#pendingInput = true;
	}

	/** Live runs allowed in the Run panel (real HTTP, model and tool calls); simulated only by default. */
	get allowLive(): boolean {
		return this.hasAttribute('allow-live');
	}
	set allowLive(on: boolean) {
		this.toggleAttribute('allow-live', on);
	}

	get readonly(): boolean {
		return this.hasAttribute('readonly');
	}
	set readonly(on: boolean) {
		this.toggleAttribute('readonly', on);
	}

	/** The panels shown: any of library, properties, bottom, toolbar, run (all by default). */
	get panels(): PanelName[] {
		const attr = this.getAttribute('panels');
		if (attr === null) return [...PANELS];
		const want = attr.split(/[\s,]+/).filter(Boolean);
		return PANELS.filter((p) => want.includes(p));
	}
	set panels(list: PanelName[] | string) {
		this.setAttribute('panels', Array.isArray(list) ? list.join(' ') : list);
	}

	/** The designer's session (its Y.Doc, selection, undo), for pages that go further. */
	get session(): DesignerSession | null {
		return this.#session;
	}

	#applyAttributes() {
		const shown = new Set(this.panels);
		for (const p of PANELS) this.#box.classList.toggle(`hide-${p}`, !shown.has(p));
		this.#box.classList.toggle('readonly', this.readonly);
		this.#props.readonly = this.readonly;
		this.#props.run = shown.has('run');
		this.#props.live = this.hasAttribute('allow-live');
		const t = this.getAttribute('theme');
		if (t === 'light' || t === 'dark') theme.choice = t;
		else if (t === 'auto' || t === 'system') theme.choice = 'system';
		this.#syncTheme();
	}

	#syncTheme() {
		const t = this.getAttribute('theme');
		const dark = t === 'dark' || (t !== 'light' && matchMedia('(prefers-color-scheme: dark)').matches);
		this.dataset.theme = dark ? 'dark' : 'light';
	}

	async #start() {
		this.#storage = this.getAttribute('storage') === 'local' ? 'local' : 'none';
		if (this.#storage === 'none') void cleanScratch();
		const key = safeKey(this.getAttribute('id') ?? 'default');
		this.#docId = this.#storage === 'local' ? `embed-${key}` : `${SCRATCH}${Date.now()}-${newId()}`;
		if (this.#inputError) return this.#showError(this.#inputError);
		const inline = this.querySelector('script[type="application/json"]')?.textContent;
		if (!this.#input && inline) this.workflow = inline;
		try {
			const open = openWorkflowDoc(this.#docId, { broadcast: this.#storage === 'local' });
			await open.ready;
			if (!hasWorkflow(open.doc)) {
				const wf = this.#input ?? blankWorkflow(this.#docId, this.getAttribute('name') ?? 'Untitled workflow');
				writeWorkflow(open.doc, placed(wf, this.#docId), null);
				if (this.#input) this.#pendingInput = false;
				// let the write reach IndexedDB before the designer opens the same database
				await new Promise((r) => setTimeout(r, 0));
			} else if (this.#input && this.#storage === 'local') {
				// the stored workflow wins at start; a page that sets `workflow` later replaces it
			}
			await open.destroy();
		} catch (e) {
			return this.#showError(`The workflow could not be opened: ${(e as Error).message}`);
		}
		theme.init();
		this.#applyAttributes();
		const mq = matchMedia('(prefers-color-scheme: dark)');
		mq.addEventListener('change', () => this.#syncTheme());
		this.#props.id = this.#docId;
		const props = this.#props;
		this.#app = mount(StudioHost, {
			target: this.#box,
			props: {
				get id() {
					return props.id;
				},
				get readonly() {
					return props.readonly;
				},
				get run() {
					return props.run;
				},
				get live() {
					return props.live;
				},
				persist: this.#storage === 'local',
				onsession: (s: DesignerSession) => (this.#session = s),
				onchange: (wf: Workflow) => this.#onChange(wf)
			}
		});
	}

	#onChange(wf: Workflow) {
		const out = { ...wf, id: this.#input?.id ?? (this.#storage === 'local' ? safeKey(this.getAttribute('id') ?? 'default') : wf.id) };
		const json = JSON.stringify(out);
		this.#current = out;
		if (json === this.#lastEmitted) return;
		const first = this.#lastEmitted === '';
		if (this.#hostWrite && !first) {
			this.#hostWrite = false;
			this.#lastEmitted = json;
			return;
		}
		this.#lastEmitted = json;
		if (first && this.#pendingInput && this.#input && this.#session) {
			// the page set a workflow while the designer was opening: show that one
			this.#pendingInput = false;
			const s = this.#session;
			const input = this.#input;
			this.#hostWrite = true;
			s.doc.transact(() => writeWorkflow(s.doc, placed(input, this.#docId), HOST), HOST);
			this.dispatchEvent(new CustomEvent('load', { detail: { workflow: input } }));
			return;
		}
		if (first) {
			this.dispatchEvent(new CustomEvent('load', { detail: { workflow: out } }));
			return;
		}
		this.dispatchEvent(new CustomEvent('change', { detail: { workflow: out } }));
	}

	#showError(message: string) {
		const p = document.createElement('p');
		p.className = 'message';
		p.setAttribute('role', 'alert');
		p.textContent = message;
		this.#box.replaceChildren(p);
		this.dispatchEvent(new CustomEvent('error', { detail: { message } }));
	}

	async #stop() {
		const app = this.#app;
		this.#app = null;
		this.#session = null;
		this.#starting = null;
		this.#lastEmitted = '';
		if (app) await unmount(app);
		if (this.#storage === 'none' && this.#docId) {
			const id = this.#docId;
			// the designer closes its database asynchronously: delete once it has
			setTimeout(() => void dropScratch(id), 500);
		}
	}
}

/** Deletes a scratch workflow (its document and its entry in the list of workflows). */
async function dropScratch(id: string) {
	await deleteWorkflowDoc(id).catch(() => {});
	await workspaceDb().workflows.delete(id).catch(() => {});
}

/**
 * Scratch databases left behind by pages that were closed (an element gets no disconnect
 * then): those older than a day (the time is in the name; another tab may still use a newer one).
 */
async function cleanScratch() {
	if (cleaned || typeof indexedDB.databases !== 'function') return;
	cleaned = true;
	const dayAgo = Date.now() - 24 * 3600 * 1000;
	for (const db of await indexedDB.databases().catch(() => [])) {
		const m = db.name?.match(/^fsm-studio-wf-(embed-scratch-(\d+)-\w+)$/);
		if (m && Number(m[2]) < dayAgo) await dropScratch(m[1]);
	}
}
let cleaned = false;

/** Defines `<fsm-studio>` once. */
export function defineFsmStudio(tag = 'fsm-studio'): void {
	if (typeof customElements !== 'undefined' && !customElements.get(tag)) customElements.define(tag, class extends FsmStudioElement {});
}

export { readWorkflow };
