import type { EventObject } from '../../engine/types';
import type { Workflow } from '../../model/types';
import type { Coverage } from '../coverage';
import type { PathsResult, TestPath } from '../paths';
import type { LogFilter, LogRow, MomentView, RunMode, SessionView, SimApi } from '../protocol';
import type { Span } from '../timeline';
import type { AiRunTotals } from '../../ai/usage/aggregate';
import { emptyOverlay, type SimOverlay } from './overlay';
import type { Example } from '../../examples';

/** The subset of Comlink the controller needs (so tests can pass the host directly). */
export interface SimConnection {
	api: { [K in keyof SimApi]: (...args: Parameters<SimApi[K]>) => Promise<Awaited<ReturnType<SimApi[K]>>> };
	/** Wraps a callback for the other side (Comlink.proxy in the browser, identity in tests). */
	proxy<T extends (...args: never[]) => unknown>(fn: T): T;
	ready: Promise<unknown>;
}

const PAYLOAD_HISTORY_KEY = 'fsm-sim:payloads';
const RUN_MODE_KEY = 'fsm-sim:run-mode:';
const MAX_HISTORY = 10;

/**
 * State of the simulator panel (Svelte 5 runes): the open workflow's simulated instances,
 * the selected one's live view, the moment picked in the log, the hover highlight, and the
 * overlay the canvas draws from all of that.
 */
export class SimController {
	workflow = $state<Workflow | undefined>(undefined);
	sessions = $state<SessionView[]>([]);
	selectedId = $state<string | undefined>(undefined);
	view = $state<SessionView | undefined>(undefined);
	moment = $state<MomentView | undefined>(undefined);
	spans = $state<Span[]>([]);
	spansTotal = $state(0);
	/** Tokens and cost of the selected instance's model calls (all of them, per state and in all). */
	aiTotals = $state<AiRunTotals | undefined>(undefined);
	coverage = $state<Coverage | undefined>(undefined);
	showCoverage = $state(false);
	paths = $state<PathsResult | undefined>(undefined);
	pathsBusy = $state(false);
	hover = $state<{ states: string[]; transitions: string[] }>({ states: [], transitions: [] });
	error = $state<string | undefined>(undefined);
	/** Why runs cannot start on this page at all (the simulator's worker was refused), if so. */
	unavailable = $state<string | undefined>(undefined);
	payloadHistory = $state<Record<string, string[]>>({});
	/** What is selected on the canvas (state paths, transition ids), for "break on selection". */
	selection = $state<{ states: string[]; transitions: string[] }>({ states: [], transitions: [] });
	/** Simulated effect results for new instances, as JSON (see stubs.ts). */
	stubsText = $state('');
	/**
	 * How new instances of this workflow treat outside effects: `simulated` (default: stubs
	 * and simulated answers, never a network call) or `live`. Remembered per workflow.
	 */
	runMode = $state<RunMode>('simulated');
	/** False where only simulated runs are allowed (an embedding page's choice): no live mode. */
	liveAllowed = $state(true);
	private watchId: number | undefined;
	private timelineTimer: ReturnType<typeof setTimeout> | undefined;
	private disposed = false;

	constructor(private conn: SimConnection) {
		this.payloadHistory = loadHistory();
	}

	private lastOverlay: { key: string; overlay: SimOverlay } | undefined;

	/**
	 * What the canvas draws. Views arrive up to once a frame while an effect streams, mostly
	 * with nothing the canvas shows changed: the previous overlay is kept when it is equal, so
	 * the canvas is not redrawn for nothing.
	 */
	overlay = $derived.by((): SimOverlay => {
		const next = this.computeOverlay();
		const key = JSON.stringify(next);
		if (this.lastOverlay?.key === key) return this.lastOverlay.overlay;
		this.lastOverlay = { key, overlay: next };
		return next;
	});

	private computeOverlay(): SimOverlay {
		const v = this.view;
		if (!v) return { ...emptyOverlay, highlightStates: this.hover.states, highlightTransitions: this.hover.transitions };
		const m = this.moment;
		const cov = this.coverage;
		return {
			activeStates: m ? m.activeStates : v.activeStates,
			activeTransitions: m ? m.transitions : v.lastTransitions,
			highlightStates: this.hover.states,
			highlightTransitions: this.hover.transitions,
			breakpoints: v.breakpoints,
			coverage:
				this.showCoverage && cov
					? {
							states: Object.fromEntries(Object.entries(cov.states).map(([k, s]) => [k, { visits: s.visits, meanMs: s.meanMs }])),
							transitions: cov.transitions,
							unvisited: cov.unvisitedStates,
							untaken: cov.untakenTransitions
						}
					: undefined,
			moment: m ? { position: m.position } : undefined
		};
	}

	private async guard<T>(f: () => Promise<T>): Promise<T | undefined> {
		try {
			this.error = undefined;
			return await f();
		} catch (err) {
			this.error = err instanceof Error ? err.message : String(err);
			return undefined;
		}
	}

	/** The bundled examples, for their sample payloads: loaded when first asked for, not with the designer. */
	private examples = $state.raw<Example[]>([]);
	private examplesAsked = false;

	/** Opens the panel on a workflow: lists its instances (resumed after a reload). */
	async open(workflow: Workflow) {
		this.workflow = workflow;
		this.runMode = this.liveAllowed ? loadRunMode(workflow.id) : 'simulated';
		// a workflow made from a template carries its scripted answers: it runs at once
		const stubs = (workflow.meta as { stubs?: unknown } | undefined)?.stubs;
		if (!this.stubsText.trim() && stubs && typeof stubs === 'object') this.stubsText = JSON.stringify(stubs, null, 2);
		try {
			await this.conn.ready;
		} catch (e) {
			this.unavailable = e instanceof Error ? e.message : String(e);
			return;
		}
		await this.refreshList();
		const problems = await this.conn.api.errors();
		if (problems.length) this.error = problems.map((p) => p.message).join(' ');
		const last = this.sessions.at(-1);
		if (last && !this.selectedId) await this.select(last.id);
	}

	async refreshList() {
		if (!this.workflow) return;
		const list = await this.guard(() => this.conn.api.list(this.workflow!.id));
		if (list) this.sessions = list;
	}

	/** Sample payloads bundled with the example this workflow came from (matched by id or name). */
	get samplePayloads(): Record<string, Record<string, unknown>[]> {
		const wf = this.workflow;
		if (!wf) return {};
		if (!this.examplesAsked) {
			this.examplesAsked = true;
			// asynchronous: the payloads appear a moment later (never a state change inside a read)
			void import('../../examples').then(
				(m) => (this.examples = m.examples),
				() => undefined // no sample payloads: the event buttons still send empty ones
			);
		}
		const own = (wf.meta as { samplePayloads?: Record<string, Record<string, unknown>[]> } | undefined)?.samplePayloads;
		return this.examples.find((e) => e.id === wf.id || e.name === wf.name)?.payloads ?? own ?? {};
	}

	async startInstance(paused = false) {
		if (!this.workflow) return;
		// the stub checker brings every effect kind's schema (zod): loaded on the first run
		const { parseStubs } = await import('../stubs');
		const parsed = parseStubs(this.stubsText);
		if (!parsed.ok) {
			this.error = parsed.message;
			return;
		}
		const stubs = parsed.stubs;
		const mode = this.liveAllowed ? this.runMode : 'simulated';
		const id = await this.guard(() => this.conn.api.start($state.snapshot(this.workflow!) as Workflow, { paused, stubs, mode }));
		if (!id) return;
		await this.refreshList();
		await this.select(id);
	}

	async select(id: string) {
		if (this.watchId !== undefined) {
			await this.conn.api.unwatch(this.watchId);
			this.watchId = undefined;
		}
		this.selectedId = id;
		this.moment = undefined;
		this.spans = [];
		this.aiTotals = undefined;
		this.watchId = await this.guard(() =>
			this.conn.api.watch(
				id,
				this.conn.proxy((v: SessionView) => this.onView(v))
			)
		);
	}

	private onView(v: SessionView) {
		if (v.id !== this.selectedId) return;
		this.view = v;
		const i = this.sessions.findIndex((s) => s.id === v.id);
		if (i >= 0) this.sessions[i] = v;
		// The timeline and coverage are heavier: refresh them at most ~5 times a second.
		if (this.timelineTimer === undefined && !this.disposed) {
			this.timelineTimer = setTimeout(() => {
				this.timelineTimer = undefined;
				// The instance may have been removed meanwhile: its details are simply gone.
				if (!this.disposed) this.refreshDetails().catch(() => {});
			}, 200);
		}
	}

	async refreshDetails() {
		const id = this.selectedId;
		if (!id) return;
		const ids = this.coverageOfAll ? this.sessions.map((s) => s.id) : [id];
		const [timeline, coverage] = await Promise.all([this.conn.api.timeline(id), this.conn.api.coverage(ids)]);
		if (id !== this.selectedId) return;
		this.spans = timeline.spans;
		this.spansTotal = timeline.total;
		this.aiTotals = timeline.ai;
		this.coverage = coverage;
	}

	private act<T>(f: (api: SimConnection['api'], id: string) => Promise<T>) {
		const id = this.selectedId;
		if (!id) return Promise.resolve(undefined);
		return this.guard(() => f(this.conn.api, id));
	}

	/** Sends an event with a JSON payload (text); remembers the payload per event type. */
	async send(type: string, payloadText = '') {
		let payload: Record<string, unknown> = {};
		const text = payloadText.trim();
		if (text) {
			try {
				const parsed = JSON.parse(text);
				if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed)) throw new Error('The payload must be a JSON object, e.g. {"text": "hi"}.');
				payload = parsed;
			} catch (err) {
				this.error = err instanceof SyntaxError ? `The payload is not valid JSON: ${err.message}` : (err as Error).message;
				return;
			}
			this.remember(type, text);
		}
		const event: EventObject = { ...payload, type };
		await this.act((api, id) => api.send(id, event));
	}

	/** Would this event (with this JSON payload) be taken now? Undefined when the payload is not a JSON object. */
	async probe(type: string, payloadText: string) {
		let payload: Record<string, unknown> = {};
		if (payloadText.trim()) {
			try {
				const p = JSON.parse(payloadText);
				if (!p || typeof p !== 'object' || Array.isArray(p)) return undefined;
				payload = p;
			} catch {
				return undefined;
			}
		}
		return this.act((api, id) => api.probe(id, { ...payload, type }));
	}

	/** Coverage of every instance of this workflow instead of the selected one. */
	coverageOfAll = $state(false);

	private remember(type: string, text: string) {
		const list = [text, ...(this.payloadHistory[type] ?? []).filter((t) => t !== text)].slice(0, MAX_HISTORY);
		this.payloadHistory = { ...this.payloadHistory, [type]: list };
		try {
			globalThis.localStorage?.setItem(PAYLOAD_HISTORY_KEY, JSON.stringify(this.payloadHistory));
		} catch {
			/* private mode: history stays in memory */
		}
	}

	loadResult = $state<{ sent: number; ms: number; perSecond: number } | undefined>(undefined);
	loadBusy = $state(false);

	/** Load test: the worker sends `n` events (each time the first one enabled) as fast as it can. */
	async loadTest(n: number) {
		this.loadBusy = true;
		this.loadResult = undefined;
		const r = await this.act((api, id) => api.pump(id, n));
		this.loadBusy = false;
		if (r) this.loadResult = r;
	}

	setRealtime = (on: boolean) => this.act((api, id) => api.setRealtime(id, on));
	pause = () => this.act((api, id) => api.pause(id));
	resume = () => this.act((api, id) => api.resume(id));
	step = () => this.act((api, id) => api.step(id));
	advance = (ms: number) => this.act((api, id) => api.advance(id, ms));
	advanceToNext = () => this.act((api, id) => api.advanceToNext(id));
	dropPending = (pendingId: number) => this.act((api, id) => api.dropPending(id, pendingId));
	stop = () => this.act((api, id) => api.stop(id));

	/** Deletes the selected instance, its log and snapshots. */
	async remove() {
		const id = this.selectedId;
		if (!id) return;
		await this.guard(() => this.conn.api.remove(id));
		this.selectedId = undefined;
		this.view = undefined;
		this.moment = undefined;
		this.watchId = undefined;
		await this.refreshList();
		const last = this.sessions.at(-1);
		if (last) await this.select(last.id);
	}

	toggleBreakpoint(kind: 'state' | 'transition', key: string, on?: boolean) {
		return this.act((api, id) => api.toggleBreakpoint(id, kind, key, on));
	}

	/** Sets (or, when all are set already, clears) breakpoints on the canvas selection. */
	async breakOnSelection() {
		const v = this.view;
		if (!v) return;
		const { states, transitions } = this.selection;
		const allSet = states.every((s) => v.breakpoints.states.includes(s)) && transitions.every((t) => v.breakpoints.transitions.includes(t));
		for (const s of states) await this.toggleBreakpoint('state', s, !allSet);
		for (const t of transitions) await this.toggleBreakpoint('transition', t, !allSet);
	}

	logPage(offset: number, limit: number, filter: LogFilter): Promise<{ total: number; rows: LogRow[] } | undefined> {
		return this.act((api, id) => api.logPage(id, offset, limit, filter));
	}

	/** Shows the moment after log entry `position` on the canvas. */
	async showMoment(position: number) {
		const m = await this.act((api, id) => api.at(id, position));
		if (m) this.moment = m;
	}

	/** Moves the shown moment by whole inputs (−1: the state before the previous input). */
	async stepMoment(delta: number) {
		const from = this.moment ? this.moment.inputs : (this.view?.inputs ?? 0);
		const m = await this.act((api, id) => api.atInput(id, from + delta));
		if (m) this.moment = m;
	}

	setRunMode(mode: RunMode) {
		if (mode === 'live' && !this.liveAllowed) return;
		this.runMode = mode;
		if (this.workflow) saveRunMode(this.workflow.id, mode);
	}

	backToLive() {
		this.moment = undefined;
	}

	/** "Restart from here": fork at the shown moment and select the new instance. */
	async restartFrom(position: number) {
		const newId = await this.act((api, id) => api.fork(id, position, { paused: true }));
		if (!newId) return;
		await this.refreshList();
		await this.select(newId);
	}

	async generateTests() {
		if (!this.workflow) return;
		this.pathsBusy = true;
		const payloads: Record<string, Record<string, unknown>[]> = structuredClone(this.samplePayloads);
		for (const [type, texts] of Object.entries(this.payloadHistory)) {
			payloads[type] = [...(payloads[type] ?? []), ...texts.flatMap((t) => {
				try {
					const p = JSON.parse(t);
					return p && typeof p === 'object' && !Array.isArray(p) ? [p] : [];
				} catch {
					return [];
				}
			})];
		}
		const paths = await this.guard(() => this.conn.api.generatePaths($state.snapshot(this.workflow!) as Workflow, { payloads }));
		this.pathsBusy = false;
		if (paths) this.paths = paths;
	}

	async exportTests(): Promise<string | undefined> {
		if (!this.workflow || !this.paths) return undefined;
		return this.guard(() => this.conn.api.exportVitest($state.snapshot(this.workflow!) as Workflow, $state.snapshot(this.paths!) as PathsResult));
	}

	highlightPath(p: TestPath | undefined) {
		this.hover = p ? { states: p.states, transitions: p.transitions } : { states: [], transitions: [] };
	}

	highlightState(state: string | undefined) {
		this.hover = state ? { states: [state], transitions: [] } : { states: [], transitions: [] };
	}

	async dispose() {
		this.disposed = true;
		if (this.timelineTimer !== undefined) clearTimeout(this.timelineTimer);
		this.timelineTimer = undefined;
		if (this.watchId !== undefined) await this.conn.api.unwatch(this.watchId);
	}
}

/** Switches the run mode of new instances of the open workflow, and remembers it for that workflow. */
export function saveRunMode(workflowId: string, mode: RunMode): void {
	try {
		globalThis.localStorage?.setItem(RUN_MODE_KEY + workflowId, mode);
	} catch {
		/* storage refused: the choice holds for this page only */
	}
}

function loadRunMode(workflowId: string): RunMode {
	try {
		return globalThis.localStorage?.getItem(RUN_MODE_KEY + workflowId) === 'live' ? 'live' : 'simulated';
	} catch {
		return 'simulated';
	}
}

function loadHistory(): Record<string, string[]> {
	try {
		const raw = globalThis.localStorage?.getItem(PAYLOAD_HISTORY_KEY);
		const v = raw ? JSON.parse(raw) : {};
		return v && typeof v === 'object' ? v : {};
	} catch {
		return {};
	}
}
