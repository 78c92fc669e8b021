import { describe, expect, it } from 'vitest';
import { createInterpreter, compile } from '../../src/lib/engine';
import door from '../../src/lib/examples/smart-door.json';
import type { Workflow } from '../../src/lib/model/types';
import { ManualClock, wf } from './helpers';

describe('basics', () => {
	it('runs the smart door', () => {
		const clock = new ManualClock();
		const it = createInterpreter(door as Workflow, { clock });
		it.start();
		expect(it.snapshot()).toEqual({ value: 'closed', context: { opens: 0, locked: false }, status: 'active' });
		it.send('OPEN');
		expect(it.snapshot().value).toBe('open');
		expect(it.snapshot().context.opens).toBe(1);
		clock.advance(5000);
		expect(it.snapshot().value).toBe('closed');
		it.send('LOCK');
		it.send('OPEN');
		expect(it.snapshot().value).toBe('locked');
		expect(it.snapshot().context).toEqual({ opens: 1, locked: true });
		it.send({ type: 'UNLOCK' });
		it.send('OPEN');
		expect(it.snapshot().context).toEqual({ opens: 2, locked: false });
	});

	it('defers events sent before start and ignores them after stop', () => {
		const it = createInterpreter(wf({ a: { on: { GO: 'b' } }, b: { on: { GO: 'a' } } }));
		it.send('GO');
		it.start();
		expect(it.snapshot().value).toBe('b');
		it.stop();
		it.send('GO');
		expect(it.snapshot()).toMatchObject({ value: 'b', status: 'stopped' });
	});

	it('shares one compiled machine between instances without sharing their state', () => {
		const m = compile(wf({ a: { on: { GO: { target: 'b', effects: [{ type: 'assign', set: { n: 'context.n + 1' } }] } } }, b: {} }, { context: { n: 0 } }));
		const i1 = createInterpreter(m);
		const i2 = createInterpreter(m);
		i1.start();
		i2.start();
		i1.send('GO');
		expect(i1.snapshot()).toMatchObject({ value: 'b', context: { n: 1 } });
		expect(i2.snapshot()).toMatchObject({ value: 'a', context: { n: 0 } });
	});

	it('notifies subscribers once per processed input', () => {
		const it = createInterpreter(wf({ a: { on: { GO: 'b' } }, b: { on: { GO: 'a' } } }));
		const seen: unknown[] = [];
		const off = it.subscribe((s) => seen.push(s.value));
		it.start();
		it.send('GO');
		it.send('NOPE');
		off();
		it.send('GO');
		expect(seen).toEqual(['a', 'b', 'b']);
		expect(it.snapshot().value).toBe('a');
	});

	it('lists the events enabled in the active configuration', () => {
		const it = createInterpreter(door as Workflow);
		it.start();
		expect(it.enabledEvents().sort()).toEqual(['LOCK', 'OPEN']);
	});

	it('stop called by a listener in the middle of a macrostep arms nothing afterwards', () => {
		const clock = new ManualClock();
		let it: ReturnType<typeof createInterpreter>;
		it = createInterpreter(wf({ a: { on: { GO: 'b' } }, b: { after: { '100': 'a' }, invoke: { type: 'delay', ms: 5 } } }), {
			clock,
			onEvent: (e) => {
				if (e.kind === 'entered' && e.state === 'b') it.stop();
			}
		});
		it.start();
		it.send('GO');
		expect(it.snapshot().status).toBe('stopped');
		expect(clock.pending).toBe(0);
	});

	it('does not report the initial entry as a transition', () => {
		const kinds: string[] = [];
		const it = createInterpreter(wf({ a: {} }), { onEvent: (e) => kinds.push(e.kind) });
		it.start();
		expect(kinds).toEqual(['status', 'entered']);
	});
});
