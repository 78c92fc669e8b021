import { afterEach, describe, expect, it, vi } from 'vitest';
import { createExecutor } from '../../src/lib/effects';
import { createInterpreter } from '../../src/lib/engine';
import type { InstanceEvent, PersistedSnapshot } from '../../src/lib/engine/types';
import type { Workflow } from '../../src/lib/model/types';
import { examples } from '../../src/lib/examples';
import { VirtualClock } from '../../src/lib/sim/clock';
import { DebugSession } from '../../src/lib/sim/debug-session';
import { forkFromLog } from '../../src/lib/sim/fork';
import { player, ring } from './fixtures';

const door = examples.find((e) => e.id === 'smart-door')!.workflow as Workflow;
const inputsOf = (log: InstanceEvent[]) => log.filter((e) => e.kind === 'input').map((e) => (e as { event: { type: string } }).event.type);

afterEach(() => {
	vi.useRealTimers();
});

describe('debug session: pause, step and the pending queue', () => {
	it('queues events while paused and delivers exactly one per step', async () => {
		const s = new DebugSession(door, { paused: true }).start();
		s.send('OPEN');
		s.send('CLOSE');
		expect(s.snapshot().value).toBe('closed');
		expect(s.pending.map((p) => [p.kind, p.label])).toEqual([
			['event', 'OPEN'],
			['event', 'CLOSE']
		]);
		expect(await s.step()).toBe(true);
		expect(s.snapshot().value).toBe('open');
		expect(s.pending.map((p) => p.label)).toEqual(['CLOSE']);
		expect(s.paused).toBe(true);
		await s.step();
		expect(s.snapshot().value).toBe('closed');
		expect(await s.step()).toBe(false);
	});

	it('delivers immediately when running, and resume drains the queue in order', async () => {
		const s = new DebugSession(door).start();
		s.send('OPEN');
		expect(s.snapshot().value).toBe('open');
		s.pause();
		s.send('CLOSE');
		s.send('LOCK');
		expect(s.snapshot().value).toBe('open');
		await s.resume();
		expect(s.snapshot().value).toBe('locked');
		expect(inputsOf(s.log)).toEqual(['OPEN', 'CLOSE', 'LOCK']);
		expect(s.pending).toEqual([]);
	});

	it('can drop a pending event', async () => {
		const s = new DebugSession(door, { paused: true }).start();
		s.send('LOCK');
		s.dropPending(s.pending[0].id);
		await s.resume();
		expect(s.snapshot().value).toBe('closed');
	});
});

describe('debug session: virtual clock', () => {
	it('fires an after delay only when fast-forwarded past it', () => {
		const s = new DebugSession(door).start();
		s.send('OPEN');
		s.advance(4999);
		expect(s.snapshot().value).toBe('open');
		s.advance(1);
		expect(s.snapshot().value).toBe('closed');
		const t = s.log.find((e) => e.kind === 'transition' && e.transition === 'open|after:5000|0');
		expect(t?.time).toBe(5000);
	});

	it('jumps to the next timer', () => {
		const s = new DebugSession(door).start();
		s.send('OPEN');
		expect(s.persist().timers).toHaveLength(1);
		s.advanceToNext();
		expect(s.clock.now()).toBe(5000);
		expect(s.snapshot().value).toBe('closed');
	});

	it('holds a due timer in the queue while paused', async () => {
		const s = new DebugSession(door).start();
		s.send('OPEN');
		s.pause();
		s.advance(6000);
		expect(s.snapshot().value).toBe('open');
		expect(s.pending.map((p) => p.kind)).toEqual(['timer']);
		await s.step();
		expect(s.snapshot().value).toBe('closed');
	});

	it('does not fire timers on the wall clock (fake timers advanced by an hour)', () => {
		vi.useFakeTimers();
		const s = new DebugSession(door).start();
		s.send('OPEN');
		vi.advanceTimersByTime(3_600_000);
		expect(s.snapshot().value).toBe('open');
	});

	it('runs invoked effects on the virtual clock and holds their results while paused', async () => {
		const clock = new VirtualClock(0);
		const s = new DebugSession(player, { clock, runEffect: createExecutor({ clock }).run }).start();
		for (const t of ['PLAY', 'STOP', 'PLAY', 'STOP', 'PLAY', 'PAUSE', 'FINISH']) s.send(t);
		expect(s.snapshot().value).toBe('loading');
		s.pause();
		s.advance(100);
		// The delay's own timer is on the virtual clock too: held first, then its result.
		expect(s.pending.map((p) => p.kind)).toEqual(['timer']);
		await s.step();
		for (let i = 0; i < 10; i++) await Promise.resolve();
		expect(s.snapshot().value).toBe('loading');
		expect(s.pending.map((p) => p.kind)).toEqual(['effect']);
		await s.step();
		expect(s.snapshot().value).toBe('done');
		expect(s.snapshot().status).toBe('done');
		const spans = s.timeline.rows();
		expect(spans.map((r) => [r.effectType, r.status])).toEqual([['delay', 'ok']]);
	});
});

describe('debug session: breakpoints', () => {
	it('pauses after the macrostep that enters a state with a breakpoint', async () => {
		const s = new DebugSession(door).start();
		s.toggleStateBreakpoint('locked');
		s.send('LOCK');
		expect(s.snapshot().value).toBe('locked');
		expect(s.paused).toBe(true);
		expect(s.hit).toMatchObject({ kind: 'state', id: 'locked' });
		expect(s.log[s.hit!.position - 1]).toMatchObject({ kind: 'entered', state: 'locked' });
		s.send('UNLOCK');
		expect(s.snapshot().value).toBe('locked');
		await s.resume();
		expect(s.snapshot().value).toBe('closed');
		expect(s.paused).toBe(false);
	});

	it('pauses on a transition breakpoint, including one taken by a timer', () => {
		const s = new DebugSession(door).start();
		s.toggleTransitionBreakpoint('open|after:5000|0');
		s.send('OPEN');
		expect(s.paused).toBe(false);
		s.advance(5000);
		expect(s.snapshot().value).toBe('closed');
		expect(s.paused).toBe(true);
		expect(s.hit).toMatchObject({ kind: 'transition', id: 'open|after:5000|0' });
		s.send('OPEN');
		expect(s.snapshot().value).toBe('closed');
	});

	it('can be removed', () => {
		const s = new DebugSession(door).start();
		s.toggleStateBreakpoint('open');
		s.toggleStateBreakpoint('open');
		s.send('OPEN');
		expect(s.paused).toBe(false);
	});
});

describe('debug session: guards and probes', () => {
	it('tells whether a guarded event would pass without running it', () => {
		const s = new DebugSession(player).start();
		s.send('PLAY');
		s.send('PAUSE');
		const finish = s.probe('FINISH');
		expect(finish).toMatchObject({ passes: false, guarded: true });
		const resume = s.probe('RESUME');
		expect(resume).toMatchObject({ passes: true, guarded: false, transitions: ['paused|on:RESUME|0'] });
		expect(s.snapshot().value).toBe('paused');
		expect(inputsOf(s.log)).toEqual(['PLAY', 'PAUSE']);
	});

	it('probes a past moment read only: its enabled events and guards, not the live ones', () => {
		const s = new DebugSession(player).start();
		s.send('PLAY');
		const playing = s.position;
		s.send('PAUSE');
		const past = s.enabledAt(s.at(playing).snapshot, 0);
		const live = s.enabledEvents().map((type) => s.probe(type));
		expect(past.enabled.map((e) => e.type).sort()).not.toEqual(live.map((e) => e.type).sort());
		expect(past.enabled.map((e) => e.type)).toContain('PAUSE');
		expect(past.enabled.find((e) => e.type === 'PAUSE')).toMatchObject({ passes: true });
		expect(live.map((e) => e.type)).toContain('RESUME');
		// nothing was sent or recorded
		expect(s.snapshot().value).toBe('paused');
		expect(inputsOf(s.log)).toEqual(['PLAY', 'PAUSE']);
	});

	it('lists the wildcard descriptors of the active states', () => {
		const wf: Workflow = {
			format: 'fsm-studio/workflow',
			version: 1,
			id: 'w',
			name: 'w',
			initial: 'a',
			states: { a: { on: { GO: 'b', 'error.*': 'c' } }, b: { on: { '*': 'c' } }, c: { type: 'final' } }
		};
		const s = new DebugSession(wf).start();
		expect(s.enabledDescriptors()).toEqual(['error.*']);
		expect(s.probe('error.network')).toMatchObject({ passes: true, transitions: ['a|on:error.*|0'] });
		s.send('GO');
		expect(s.enabledDescriptors()).toEqual(['*']);
	});
});

describe('time travel', () => {
	it('rebuilds state and context at any log position', () => {
		const s = new DebugSession(door).start();
		const seen: { position: number; snap: PersistedSnapshot }[] = [];
		for (const t of ['OPEN', 'CLOSE', 'LOCK', 'UNLOCK', 'OPEN']) {
			s.send(t);
			seen.push({ position: s.position, snap: s.persist() });
		}
		for (const { position, snap } of seen) {
			const m = s.at(position);
			expect(m.snapshot.value).toEqual(snap.value);
			expect(m.snapshot.context).toEqual(snap.context);
		}
		// A position inside a macrostep shows the state after that macrostep's input.
		expect(s.at(1).snapshot.value).toBe('closed');
	});

	it('uses checkpoints: a jump into a long log replays at most `every` inputs', () => {
		const wf = ring(10);
		let created = 0;
		let sent = 0;
		const counting = (w: Workflow, o?: Parameters<typeof createInterpreter>[1]) => {
			created++;
			const it = createInterpreter(w, o);
			const send = it.send.bind(it);
			it.send = (e) => {
				sent++;
				send(e);
			};
			return it;
		};
		const s = new DebugSession(wf, { createInterpreter: counting, checkpointEvery: 100 }).start();
		const at: Record<number, unknown> = {};
		for (let i = 0; i < 2000; i++) {
			s.send('NEXT');
			if (i % 250 === 0) at[s.position] = s.snapshot().context;
		}
		sent = 0;
		for (const [pos, ctx] of Object.entries(at)) {
			expect(s.at(Number(pos)).snapshot.context).toEqual(ctx);
		}
		expect(sent).toBeLessThanOrEqual(Object.keys(at).length * 100);
		expect(created).toBeGreaterThan(0);
	});
});

describe('fork ("restart from here")', () => {
	it('starts a new instance whose log begins with the shared prefix and continues from that state', () => {
		const s = new DebugSession(door).start();
		for (const t of ['OPEN', 'CLOSE', 'LOCK', 'UNLOCK']) s.send(t);
		const closeInput = s.log.findIndex((e) => e.kind === 'input' && e.event.type === 'CLOSE') + 1;
		const f = s.fork(closeInput);
		const lockInput = s.log.findIndex((e) => e.kind === 'input' && e.event.type === 'LOCK');
		expect(f.log).toEqual(s.log.slice(0, lockInput));
		expect(f.snapshot()).toMatchObject({ value: 'closed', context: { opens: 1, locked: false } });
		f.start();
		f.send('OPEN');
		expect(f.snapshot()).toMatchObject({ value: 'open', context: { opens: 2 } });
		expect(inputsOf(f.log)).toEqual(['OPEN', 'CLOSE', 'OPEN']);
		// The original is untouched.
		expect(s.snapshot()).toMatchObject({ value: 'closed', context: { opens: 1, locked: false } });
		expect(inputsOf(s.log)).toEqual(['OPEN', 'CLOSE', 'LOCK', 'UNLOCK']);
	});

	it('re-arms a pending delay relative to its recorded start', () => {
		const s = new DebugSession(door).start();
		s.advance(1000);
		s.send('OPEN');
		s.advance(2000);
		s.send('CLOSE');
		const openInput = s.log.findIndex((e) => e.kind === 'input' && e.event.type === 'OPEN') + 1;
		const f = forkFromLog(door, s.log, openInput).start();
		expect(f.snapshot().value).toBe('open');
		// Opened at t=1000, so it closes by itself at t=6000.
		expect(f.persist().timers).toMatchObject([{ startedAt: 1000, delay: 5000 }]);
		f.clock.set(1000);
		f.advance(4999);
		expect(f.snapshot().value).toBe('open');
		f.advance(1);
		expect(f.snapshot().value).toBe('closed');
	});

	it('the shared prefix replays without re-running effects', () => {
		const clock = new VirtualClock(0);
		let runs = 0;
		const exec = createExecutor({ clock });
		const s = new DebugSession(player, {
			clock,
			runEffect: (e, scope) => {
				runs++;
				return exec.run(e, scope);
			}
		}).start();
		for (const t of ['PLAY', 'STOP', 'PLAY', 'STOP', 'PLAY', 'PAUSE', 'FINISH']) s.send(t);
		expect(runs).toBe(1);
		const f = s.fork(s.position, { runEffect: exec.run });
		expect(runs).toBe(1);
		expect(f.snapshot().value).toBe('loading');
	});
});

describe('coverage of a session', () => {
	it('counts visits and transitions of the live log', () => {
		const s = new DebugSession(door).start();
		for (const t of ['OPEN', 'CLOSE', 'OPEN']) s.send(t);
		s.advance(5000);
		const c = s.coverage();
		expect(c.states.open.visits).toBe(2);
		expect(c.states.closed.visits).toBe(3);
		expect(c.transitions['closed|on:OPEN|0']).toBe(2);
		expect(c.transitions['open|after:5000|0']).toBe(1);
		expect(c.unvisitedStates).toEqual(['locked']);
		expect(c.states.open.meanMs).toBe(2500);
	});
});

describe('effects see the live context', () => {
	it('an effect reading the context after an assign of its own sees the new value', async () => {
		const wf: Workflow = {
			format: 'fsm-studio/workflow',
			version: 1,
			id: 'ctx',
			name: 'ctx',
			initial: 'a',
			context: { n: 1 },
			states: {
				a: { on: { GO: 'b' } },
				b: {
					invoke: { type: 'sequence', effects: [{ type: 'delay', ms: 10 }, { type: 'assign', set: { n: 'context.n + 1' } }, { type: 'delay', ms: 10 }] },
					onDone: 'c'
				},
				c: {}
			}
		};
		const clock = new VirtualClock(0);
		let seen: unknown;
		const exec = createExecutor({ clock });
		const s = new DebugSession(wf, {
			clock,
			runEffect: (e, scope) =>
				exec.run(e, scope).then((v) => {
					seen = scope.context.n;
					return v;
				})
		}).start();
		s.send('GO');
		for (let i = 0; i < 5; i++) {
			s.advanceToNext();
			for (let k = 0; k < 20; k++) await Promise.resolve();
		}
		expect(s.snapshot().value).toBe('c');
		expect(s.snapshot().context).toEqual({ n: 2 });
		expect(seen).toBe(2);
	});
});
