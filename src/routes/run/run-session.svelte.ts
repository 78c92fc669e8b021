import type { Workflow } from '$lib/model/types';
import { Comlink, getRuntime, type RuntimeClient } from '$lib/runtime/client';
import type { InstanceSummary, RuntimeUpdate, StoreError, StoredEvent } from '$lib/runtime/types';

const LOG_LIMIT = 50;
const LOG_INTERVAL = 250;

/**
 * State of the run page: one workflow, its instances in the runtime worker, the selected
 * instance and the newest part of its log (read from IndexedDB through the worker).
 */
export class RunSession {
	workflowId = $state<string | null>(null);
	instances = $state<InstanceSummary[]>([]);
	currentId = $state<string | null>(null);
	log = $state<StoredEvent[]>([]);
	storeError = $state<StoreError | null>(null);
	error = $state<string | null>(null);
	loading = $state(true);
	busy = $state(false);
	loadTest = $state<{ sent: number; ms: number } | null>(null);
	/** Another tab runs this workspace's instances. */
	waitingForOtherTab = $state(false);

	current = $derived(this.instances.find((i) => i.id === this.currentId) ?? null);

	private api: RuntimeClient | null = null;
	private subId: number | null = null;
	private logInFlight = false;
	private logAgain = false;
	private disposed = false;
	private logTimer: ReturnType<typeof setTimeout> | null = null;
	private lastLogRead = 0;

	async open(workflow: Workflow, preferredInstance?: string | null) {
		try {
			const api = (this.api = getRuntime());
			this.waitingForOtherTab = (await api.ownership()) === 'waiting';
			const restored = await api.ready();
			this.waitingForOtherTab = false;
			if (restored.errors.length) this.error = restored.errors.map((e) => e.message).join('\n');
			this.workflowId = await api.loadWorkflow(workflow);
			this.subId = await api.subscribe(Comlink.proxy((u: RuntimeUpdate) => this.onUpdate(u)));
			this.instances = await api.listInstances({ workflowId: this.workflowId });
			const pick = this.instances.find((i) => i.id === preferredInstance) ?? this.instances[0];
			if (pick) this.select(pick.id);
			else await this.newInstance();
		} catch (err) {
			this.error = message(err);
		} finally {
			this.loading = false;
		}
	}

	private onUpdate(u: RuntimeUpdate) {
		if (this.disposed) return;
		if ('storeError' in u) this.storeError = u.storeError ?? null;
		if (u.restoreErrors?.length) this.error = u.restoreErrors.map((e) => e.message).join('\n');
		let touched = false;
		if (u.removed.length) this.instances = this.instances.filter((i) => !u.removed.includes(i.id));
		if (u.instances.length) {
			const next = [...this.instances];
			for (const s of u.instances) {
				if (s.workflowId !== this.workflowId) continue;
				const at = next.findIndex((i) => i.id === s.id);
				if (at >= 0) next[at] = s;
				else next.unshift(s);
				if (s.id === this.currentId) touched = true;
			}
			next.sort((a, b) => b.createdAt - a.createdAt);
			this.instances = next;
		}
		if (touched) this.refreshLogSoon();
	}

	/** Update-driven log reads, at most ~5 per second: a load test must not keep the main thread busy. */
	private refreshLogSoon() {
		if (this.logTimer !== null) return;
		const wait = Math.max(0, LOG_INTERVAL - (performance.now() - this.lastLogRead));
		this.logTimer = setTimeout(() => {
			this.logTimer = null;
			this.refreshLog();
		}, wait);
	}

	select(id: string) {
		this.currentId = id;
		this.log = [];
		this.refreshLog();
	}

	/** Reads the newest log entries; coalesces calls while a read is in flight. */
	refreshLog() {
		if (!this.api || !this.currentId) return;
		if (this.logInFlight) {
			this.logAgain = true;
			return;
		}
		this.logInFlight = true;
		this.lastLogRead = performance.now();
		const id = this.currentId;
		this.api
			.getLog(id, { order: 'desc', limit: LOG_LIMIT })
			.then((rows) => {
				if (id === this.currentId) this.log = rows;
			})
			.catch((err) => (this.error = message(err)))
			.finally(() => {
				this.logInFlight = false;
				if (this.logAgain) {
					this.logAgain = false;
					this.refreshLog();
				}
			});
	}

	private async act<T>(fn: (api: RuntimeClient) => Promise<T>): Promise<T | undefined> {
		if (!this.api) return undefined;
		this.busy = true;
		try {
			return await fn(this.api);
		} catch (err) {
			this.error = message(err);
			return undefined;
		} finally {
			this.busy = false;
		}
	}

	private upsert(s: InstanceSummary) {
		const at = this.instances.findIndex((i) => i.id === s.id);
		if (at >= 0) this.instances[at] = s;
		else this.instances = [s, ...this.instances];
	}

	async send(type: string) {
		const id = this.currentId;
		if (!id) return;
		const s = await this.act((api) => api.send(id, { type }));
		if (s) this.upsert(s);
		this.refreshLog();
	}

	async newInstance() {
		const wf = this.workflowId;
		if (!wf) return;
		const id = await this.act(async (api) => {
			const id = await api.createInstance(wf);
			this.upsert(await api.getInstance(id));
			return id;
		});
		if (id) this.select(id);
	}

	/** Deletes the current instance (and its log) and starts a fresh one. */
	async reset() {
		const id = this.currentId;
		if (!id) return;
		await this.act((api) => api.deleteInstance(id));
		this.instances = this.instances.filter((i) => i.id !== id);
		await this.newInstance();
	}

	async toggleRunning() {
		const cur = this.current;
		if (!cur) return;
		const s = await this.act((api) => (cur.running ? api.stop(cur.id) : api.start(cur.id)));
		if (s) this.upsert(s);
		this.refreshLog();
	}

	async exportLog(): Promise<string | undefined> {
		const id = this.currentId;
		if (!id) return undefined;
		return this.act((api) => api.exportLog(id));
	}

	async retryWrites() {
		const ok = await this.act((api) => api.retryWrites());
		if (ok) this.storeError = null;
	}

	async runLoadTest(n: number) {
		const id = this.currentId;
		if (!id) return;
		this.loadTest = null;
		const r = await this.act((api) => api.pump(id, n));
		if (r) this.loadTest = { sent: r.sent, ms: r.ms };
		const s = await this.act((api) => api.getInstance(id));
		if (s) this.upsert(s);
		this.refreshLog();
	}

	dispose() {
		this.disposed = true;
		if (this.logTimer !== null) clearTimeout(this.logTimer);
		if (this.api && this.subId !== null) this.api.unsubscribe(this.subId).catch(() => {});
	}
}

function message(err: unknown): string {
	return err instanceof Error ? err.message : String(err);
}

/** A state value in words: `open`, or `door.open, light.on` for nested and parallel states. */
export function formatValue(v: unknown): string {
	if (v === null || v === undefined) return '—';
	if (typeof v === 'string') return v;
	const parts: string[] = [];
	const walk = (x: unknown, prefix: string) => {
		if (typeof x === 'string') parts.push(prefix + x);
		else if (x && typeof x === 'object') for (const [k, c] of Object.entries(x)) walk(c, `${prefix}${k}.`);
	};
	walk(v, '');
	return parts.join(', ');
}

/** One log row in words. */
export function describeEvent(r: StoredEvent): string {
	const p = (r.payload ?? {}) as Record<string, unknown>;
	switch (r.kind) {
		case 'input': {
			const { type, ...rest } = p;
			const extra = Object.keys(rest).length ? ' ' + JSON.stringify(rest) : '';
			return `${String(type ?? r.type)}${extra}`;
		}
		case 'transition': {
			const targets = (p.targets as string[] | undefined) ?? [];
			return `${p.source || '(root)'} → ${targets.length ? targets.join(', ') : '(stays)'} on ${String(p.event)}`;
		}
		case 'entered':
			return `entered ${String(p.state)}`;
		case 'exited':
			return `left ${String(p.state)}`;
		case 'effect':
			return `${String(p.effectType)} ${String(p.phase)}${p.error ? `: ${String(p.error)}` : ''}`;
		case 'emit':
			return `emitted ${r.type}`;
		case 'log':
			return String(p.message ?? '');
		case 'status': {
			const e = p.error as { message?: string } | undefined;
			return `status ${String(p.status)}${e?.message ? `: ${e.message}` : ''}`;
		}
	}
}

export function formatTime(t: number): string {
	const d = new Date(t);
	const pad = (n: number, w = 2) => String(n).padStart(w, '0');
	return `${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())}.${pad(d.getMilliseconds(), 3)}`;
}
