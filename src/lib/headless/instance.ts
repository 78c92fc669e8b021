/**
 * One workflow instance run headless (Node): the engine and the effects executor, with a
 * way to wait until the effects an event started have settled — what scripts, CI and MCP
 * clients need before they read the result.
 */
import { createInterpreter } from '../engine';
import type { Clock, EventObject, InstanceEvent, PersistedSnapshot, RunEffect } from '../engine/types';
import { createExecutor } from '../effects/executor';
import type { EffectHandler } from '../effects/types';
import type { SharedResilience } from '../effects/resilience';
import type { EngineInterpreter } from '../engine/interpreter';
import type { Workflow } from '../model/types';
import type { InstanceInfo } from '../mcp/server/host';

export interface HeadlessInstanceOptions {
	id: string;
	/** The workflow as this instance runs it (context overrides already applied). */
	workflow: Workflow;
	handlers?: Record<string, EffectHandler<never>>;
	clock?: Clock;
	shared?: SharedResilience;
	/** Every engine event (inputs, transitions, effect telemetry, logs …), e.g. to append to a log. */
	onEvent?: (e: InstanceEvent) => void;
	/** Resume from here instead of entering the initial state. */
	snapshot?: PersistedSnapshot;
}

const realClock: Clock = {
	now: () => Date.now(),
	setTimeout: (fn, ms) => setTimeout(fn, ms),
	clearTimeout: (h) => clearTimeout(h as ReturnType<typeof setTimeout>)
};

const macrotask = () => new Promise<void>((r) => setTimeout(r, 0));

export class HeadlessInstance {
	readonly id: string;
	readonly workflow: Workflow;
	private readonly interp: EngineInterpreter;
	private inflight = 0;
	private wake: (() => void)[] = [];
	private inputs = 0;
	private timers = new Set<unknown>();
	private readonly clock: Clock;

	constructor(o: HeadlessInstanceOptions) {
		this.id = o.id;
		this.workflow = o.workflow;
		const base = o.clock ?? realClock;
		// Timers are tracked so that stop() leaves nothing that keeps a process alive.
		this.clock = {
			now: () => base.now(),
			setTimeout: (fn, ms) => {
				const h: unknown = base.setTimeout(() => {
					this.timers.delete(h);
					fn();
				}, ms);
				this.timers.add(h);
				return h;
			},
			clearTimeout: (h) => {
				this.timers.delete(h);
				base.clearTimeout(h);
			}
		};
		const run = createExecutor({ clock: this.clock, handlers: o.handlers, shared: o.shared }).run;
		const runEffect: RunEffect = (effect, scope) => {
			this.inflight++;
			const p = run(effect, scope);
			const done = () => {
				this.inflight--;
				for (const w of this.wake.splice(0)) w();
			};
			p.then(done, done);
			return p;
		};
		this.inputs = o.snapshot?.seq ?? 0;
		this.interp = createInterpreter(o.workflow, {
			clock: this.clock,
			runEffect,
			...(o.snapshot ? { snapshot: { ...o.snapshot, status: o.snapshot.status === 'stopped' ? 'active' : o.snapshot.status } } : {}),
			onEvent: (e) => {
				if (e.kind === 'input') this.inputs = e.seq;
				o.onEvent?.(e);
			}
		});
	}

	start(): void {
		this.interp.start();
	}

	send(event: EventObject): void {
		this.interp.send(event);
	}

	/** Effects still running. */
	get running(): number {
		return this.inflight;
	}

	/**
	 * Resolves once no effect is running (their results applied), or after `maxMs`.
	 * Delayed transitions (`after`) are not waited for. Returns whether it settled.
	 */
	async settle(maxMs = 30_000): Promise<boolean> {
		const deadline = Date.now() + maxMs;
		for (;;) {
			await macrotask();
			if (this.inflight === 0) {
				// results are queued as inputs: let them apply, then look again
				await macrotask();
				if (this.inflight === 0) return true;
			}
			const left = deadline - Date.now();
			if (left <= 0) return false;
			await new Promise<void>((r) => {
				const t = setTimeout(r, left);
				this.wake.push(() => {
					clearTimeout(t);
					r();
				});
			});
		}
	}

	info(): InstanceInfo {
		const s = this.interp.snapshot();
		const info: InstanceInfo = {
			instanceId: this.id,
			workflowId: this.workflow.id,
			status: s.status,
			value: s.value,
			context: s.context,
			enabledEvents: s.status === 'active' ? this.interp.enabledEvents() : [],
			inputs: this.inputs
		};
		if (s.output !== undefined) info.output = s.output;
		if (s.error) info.error = s.error;
		return info;
	}

	persist(): PersistedSnapshot {
		return this.interp.persist();
	}

	/** Stops the instance: running effects are cancelled and no timer is left behind. */
	stop(): void {
		this.interp.stop();
		for (const h of this.timers) this.clock.clearTimeout(h);
		this.timers.clear();
	}
}
