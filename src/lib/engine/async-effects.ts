/**
 * The async half of the engine: effects it hands to `runEffect` (a state's `invoke`, and
 * entry/exit/transition effects that are not built-ins). Each runs in a scope owned by a
 * state: leaving the state aborts it (its AbortSignal fires) and drops whatever it still
 * reports. Results come back as inputs on the instance's queue — `done.invoke.<state>`,
 * `error.invoke.<state>` / `error.effect.<state>`, `fsm.assign`, `fsm.send`, `fsm.cancel` —
 * so that they are recorded and a replay (which starts no effects) rebuilds the same state.
 */
import type { EffectSpec } from '../model/types';
import { doneInvokeEvent, errorEffectEvent, errorInvokeEvent } from '../model/events';
import type { CompiledEffect, StateNode } from './compile';
import type { Clock, EffectScope, EventObject, InstanceEvent, RunEffect } from './types';

/** One running effect; it is also the origin of the inputs it sends. */
export interface ScopeRecord {
	controller: AbortController;
	cancelled: boolean;
	/** The state whose exit aborts it (null: only the end of the instance does). */
	state: StateNode | null;
}

/** What a running effect needs from its instance. */
export interface AsyncHost {
	readonly clock: Clock;
	/** The instance's context as an effect sees it now. */
	context(): Record<string, unknown>;
	traceId(): string;
	/** Puts an input on the instance's queue, with the scope as its origin. */
	enqueue(event: EventObject, origin: ScopeRecord): void;
	report(e: InstanceEvent): void;
	/** A failure outside any macrostep (a listener threw while a result was delivered). */
	failOutside(e: unknown): void;
}

export function errorMessage(err: unknown): string {
	if (err instanceof Error) return err.message;
	if (err && typeof err === 'object' && typeof (err as { message?: unknown }).message === 'string') return (err as { message: string }).message;
	return String(err);
}

export class RunningEffects {
	/** Running scopes per owning state's index (-1: instance level). */
	private readonly byState = new Map<number, ScopeRecord[]>();

	constructor(
		private readonly host: AsyncHost,
		private readonly run: RunEffect
	) {}

	/**
	 * Hands an effect to runEffect. `state` owns the scope; `owner` is the state it is
	 * reported under (its results are `done.invoke.<owner>` / `error.*.<owner>`).
	 */
	start(eff: CompiledEffect, event: EventObject, state: StateNode | null, owner: StateNode | null, isInvoke: boolean): void {
		const host = this.host;
		const path = owner ? owner.path : '';
		const rec: ScopeRecord = { controller: new AbortController(), cancelled: false, state };
		const key = state ? state.index : -1;
		let list = this.byState.get(key);
		if (!list) this.byState.set(key, (list = []));
		list.push(rec);
		const scope: EffectScope = {
			get context() {
				return host.context();
			},
			event,
			signal: rec.controller.signal,
			state: owner?.path,
			traceId: host.traceId(),
			send: (e) => {
				if (!rec.cancelled) host.enqueue(e, rec);
			},
			emit: (e) => {
				if (!rec.cancelled) host.report({ kind: 'emit', time: host.clock.now(), event: e });
			},
			assign: (patch) => {
				if (!rec.cancelled) host.enqueue({ type: 'fsm.assign', patch }, rec);
			},
			sendLater: (e, delay, id) => {
				if (!rec.cancelled) host.enqueue(id === undefined ? { type: 'fsm.send', event: e, delay } : { type: 'fsm.send', event: e, delay, id }, rec);
			},
			cancelSend: (id) => {
				if (!rec.cancelled) host.enqueue({ type: 'fsm.cancel', sendid: id }, rec);
			},
			report: (e) => host.report(e)
		};
		let p: Promise<unknown>;
		try {
			p = Promise.resolve(this.run(eff.spec as EffectSpec, scope));
		} catch (e) {
			p = Promise.reject(e);
		}
		p.then(
			(output) => {
				if (rec.cancelled) return;
				if (!isInvoke) return this.settle(rec);
				host.enqueue({ type: doneInvokeEvent(path), output }, rec);
			},
			(err: unknown) => {
				if (rec.cancelled) return;
				host.enqueue({ type: isInvoke ? errorInvokeEvent(path) : errorEffectEvent(path), error: errorMessage(err), effect: eff.label }, rec);
			}
		).catch((e: unknown) => host.failOutside(e));
	}

	/** The effect behind a scope has ended: forget it without aborting it. */
	settle(rec: ScopeRecord): void {
		rec.cancelled = true;
		const l = this.byState.get(rec.state ? rec.state.index : -1);
		if (!l) return;
		const i = l.indexOf(rec);
		if (i >= 0) l.splice(i, 1);
	}

	/** The state was left: abort what it owns. */
	abortState(s: StateNode): void {
		const list = this.byState.get(s.index);
		if (!list) return;
		this.byState.delete(s.index);
		for (const rec of list) this.abort(rec);
	}

	/** The instance ended or was stopped: abort everything. */
	abortAll(): void {
		const all = [...this.byState.values()];
		this.byState.clear();
		for (const list of all) for (const rec of list) this.abort(rec);
	}

	private abort(rec: ScopeRecord): void {
		rec.cancelled = true;
		try {
			rec.controller.abort();
		} catch (e) {
			this.host.report({ kind: 'log', time: this.host.clock.now(), message: `An abort listener threw: ${errorMessage(e)}` });
		}
	}
}
