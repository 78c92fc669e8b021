import { cancelledError } from './errors';

/**
 * Internal cancellation tree. Cheaper than one AbortController per effect: listeners are
 * a Set, and a real AbortSignal is only made when a handler asks for one (`signal`).
 */
export interface Cancellation {
	readonly aborted: boolean;
	readonly reason: unknown;
	/** Calls `fn` once when aborted (at once if already aborted). Returns an unsubscribe. */
	onAbort(fn: (reason: unknown) => void): () => void;
	/** A standard AbortSignal that follows this cancellation. */
	readonly signal: AbortSignal;
}

const noop = () => {};

/** Wraps the engine's AbortSignal; subscribes to it only when something async needs it. */
export class SignalCancellation implements Cancellation {
	constructor(readonly signal: AbortSignal) {}
	get aborted() {
		return this.signal.aborted;
	}
	get reason() {
		return this.signal.reason;
	}
	onAbort(fn: (reason: unknown) => void): () => void {
		if (this.signal.aborted) {
			fn(this.signal.reason);
			return noop;
		}
		const l = () => fn(this.signal.reason);
		this.signal.addEventListener('abort', l, { once: true });
		return () => this.signal.removeEventListener('abort', l);
	}
}

/**
 * A child cancellation: aborted by its parent or by `abort()` (race losers, timeouts).
 * It links to its parent only when someone listens, so a branch that runs synchronously
 * costs one small object; `dispose()` detaches it once its work has settled.
 */
export class ChildCancellation implements Cancellation {
	private own = false;
	private ownReason: unknown = undefined;
	private detached = false;
	private listeners: Set<(r: unknown) => void> | null = null;
	private controller: AbortController | null = null;
	private unlink: (() => void) | null = null;
	constructor(private readonly parent: Cancellation) {}
	get aborted(): boolean {
		return this.own || (!this.detached && this.parent.aborted);
	}
	get reason(): unknown {
		return this.own ? this.ownReason : this.parent.reason;
	}
	private link() {
		if (!this.unlink && !this.detached && !this.own) this.unlink = this.parent.onAbort((r) => this.abort(r));
	}
	onAbort(fn: (reason: unknown) => void): () => void {
		if (this.aborted) {
			fn(this.reason);
			return noop;
		}
		this.link();
		(this.listeners ??= new Set()).add(fn);
		return () => this.listeners?.delete(fn);
	}
	abort(reason?: unknown): void {
		if (this.own) return;
		const r = reason ?? (!this.detached && this.parent.aborted ? this.parent.reason : cancelledError());
		this.own = true;
		this.ownReason = r;
		this.unlink?.();
		this.unlink = null;
		this.controller?.abort(r);
		const ls = this.listeners;
		this.listeners = null;
		if (ls) for (const fn of ls) fn(r);
	}
	/** Stops following the parent (call when the child's work has settled). */
	dispose(): void {
		this.detached = true;
		this.unlink?.();
		this.unlink = null;
		this.listeners = null;
	}
	fork(): ChildCancellation {
		return new ChildCancellation(this);
	}
	get signal(): AbortSignal {
		if (!this.controller) {
			this.controller = new AbortController();
			if (this.aborted) this.controller.abort(this.reason);
			else this.link();
		}
		return this.controller.signal;
	}
}

/**
 * Settles with `p`, or rejects as cancelled as soon as `c` aborts — so an effect whose
 * handler ignores its signal still ends (and is recorded) when its state is left.
 */
export function raceAbort<T>(p: PromiseLike<T>, c: Cancellation): Promise<T> {
	if (c.aborted) return Promise.reject(cancelledError(c.reason));
	return new Promise<T>((resolve, reject) => {
		const off = c.onAbort((r) => reject(cancelledError(r)));
		p.then(
			(v) => {
				off();
				resolve(v);
			},
			(e) => {
				off();
				reject(e);
			}
		);
	});
}
