// Runs a workflow instance on a script of sends and clock advances and records what can be
// observed. Plain JavaScript so that the differential test's worker threads (outside Vitest)
// and the test itself use the very same harness.

/** A manual clock: time moves only when the script says so; timers fire in due order. */
export class ManualClock {
	time = 0;
	next = 1;
	timers = new Map();
	now() {
		return this.time;
	}
	setTimeout(fn, ms) {
		const id = this.next++;
		this.timers.set(id, { due: this.time + ms, fn });
		return id;
	}
	clearTimeout(handle) {
		this.timers.delete(handle);
	}
	advance(ms) {
		const until = this.time + ms;
		for (;;) {
			let best;
			for (const e of this.timers) if (e[1].due <= until && (!best || e[1].due < best[1].due || (e[1].due === best[1].due && e[0] < best[0]))) best = e;
			if (!best) break;
			this.timers.delete(best[0]);
			this.time = best[1].due;
			best[1].fn();
		}
		this.time = until;
	}
}

/** Everything observable, minus telemetry ids (counters that differ between module copies). */
function observable(e) {
	if (e.kind === 'effect') return { kind: e.kind, time: e.time, phase: e.phase, effect: e.effect, effectType: e.effectType, state: e.state, error: e.error, data: e.data };
	return e;
}

/** Lets promise continuations (async effects settling) run before the next step. */
const settle = () => new Promise((resolve) => setTimeout(resolve, 0));

/** `create({ clock, onEvent })` makes an instance; returns its snapshots after every step and all its events. */
export async function trace(create, script) {
	const clock = new ManualClock();
	const events = [];
	const inst = create({ clock, onEvent: (e) => events.push(observable(e)) });
	const snapshots = [];
	const snap = () => {
		const s = inst.snapshot();
		snapshots.push(JSON.parse(JSON.stringify({ value: s.value, context: s.context, status: s.status, error: s.error, output: s.output })));
	};
	inst.start();
	await settle();
	snap();
	for (const step of script) {
		if (step.kind === 'send') inst.send({ type: step.event, x: step.x });
		else clock.advance(step.ms);
		await settle();
		snap();
	}
	inst.stop();
	return { snapshots, events: JSON.parse(JSON.stringify(events)) };
}
