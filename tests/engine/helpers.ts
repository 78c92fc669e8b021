import type { StateNodeSpec, TransitionConfig, Workflow } from '../../src/lib/model/types';
import type { Clock, InstanceEvent } from '../../src/lib/engine';

/** Build a workflow document from states (tests only). */
export function wf(
	states: Record<string, StateNodeSpec>,
	extra: { initial?: string; context?: Record<string, unknown>; on?: Record<string, TransitionConfig> } = {}
): Workflow {
	return {
		format: 'fsm-studio/workflow',
		version: 1,
		id: 'test',
		name: 'Test',
		initial: extra.initial ?? Object.keys(states)[0],
		context: extra.context,
		on: extra.on,
		states
	};
}

/** A manual clock: time moves only when the test says so; timers fire in due order. */
export class ManualClock implements Clock {
	time = 0;
	private next = 1;
	private timers = new Map<number, { due: number; fn: () => void }>();
	now(): number {
		return this.time;
	}
	setTimeout(fn: () => void, ms: number): unknown {
		const id = this.next++;
		this.timers.set(id, { due: this.time + ms, fn });
		return id;
	}
	clearTimeout(handle: unknown): void {
		this.timers.delete(handle as number);
	}
	get pending(): number {
		return this.timers.size;
	}
	/** Advance time, firing due timers in order of due time. */
	advance(ms: number): void {
		const until = this.time + ms;
		for (;;) {
			let best: [number, { due: number; fn: () => void }] | undefined;
			for (const e of this.timers) if (e[1].due <= until && (!best || e[1].due < best[1].due)) best = e;
			if (!best) break;
			this.timers.delete(best[0]);
			this.time = best[1].due;
			best[1].fn();
		}
		this.time = until;
	}
}

/** Collect onEvent output. */
export function recorder(): { events: InstanceEvent[]; onEvent: (e: InstanceEvent) => void; of: <K extends InstanceEvent['kind']>(k: K) => Extract<InstanceEvent, { kind: K }>[] } {
	const events: InstanceEvent[] = [];
	return {
		events,
		onEvent: (e) => events.push(e),
		of: (k) => events.filter((e) => e.kind === k) as never
	};
}

/** Let pending promise callbacks run. */
export async function flush(): Promise<void> {
	for (let i = 0; i < 5; i++) await Promise.resolve();
}
