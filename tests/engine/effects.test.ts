import { describe, expect, it } from 'vitest';
import { createInterpreter } from '../../src/lib/engine';
import { recorder, wf } from './helpers';

describe('built-in effects', () => {
	it('assign evaluates every expression against the context before the effect', () => {
		const it = createInterpreter(
			wf(
				{
					a: {
						on: {
							SWAP: { effects: [{ type: 'assign', set: { x: 'context.y', y: 'context.x' } }] },
							SET: { effects: [{ type: 'assign', set: { x: 'event.value', label: '"x=" & event.value' } }] }
						}
					}
				},
				{ context: { x: 1, y: 2 } }
			)
		);
		it.start();
		const before = it.snapshot().context;
		it.send('SWAP');
		expect(it.snapshot().context).toEqual({ x: 2, y: 1 });
		expect(before).toEqual({ x: 1, y: 2 }); // earlier snapshots are not mutated
		it.send({ type: 'SET', value: 7 });
		expect(it.snapshot().context).toEqual({ x: 7, y: 1, label: 'x=7' });
	});

	it('entry, exit and transition effects see the context as updated by earlier effects', () => {
		const rec = recorder();
		const it = createInterpreter(
			wf(
				{
					a: {
						exit: [{ type: 'assign', set: { trail: 'context.trail & "x"' } }],
						on: { GO: { target: 'b', effects: [{ type: 'assign', set: { trail: 'context.trail & "t"' } }] } }
					},
					b: { entry: [{ type: 'assign', set: { trail: 'context.trail & "e"' } }, { type: 'log', message: 'trail {{ context.trail }}' }] }
				},
				{ context: { trail: '' } }
			),
			{ onEvent: rec.onEvent }
		);
		it.start();
		it.send('GO');
		expect(it.snapshot().context.trail).toBe('xte');
		expect(rec.of('log').map((l) => l.message)).toEqual(['trail xte']);
	});

	it('raise queues an internal event processed before the next external event', () => {
		const it = createInterpreter(
			wf(
				{
					a: { on: { GO: { target: 'b', effects: [{ type: 'raise', event: { type: 'NEXT', n: '{{ event.n * 2 }}' } }] } } },
					b: { on: { NEXT: { target: 'c', effects: [{ type: 'assign', set: { n: 'event.n' } }] }, OTHER: 'x' } },
					c: { on: { OTHER: 'd' } },
					d: {},
					x: {}
				},
				{ context: {} }
			)
		);
		it.start();
		it.send({ type: 'GO', n: 21 });
		expect(it.snapshot()).toMatchObject({ value: 'c', context: { n: 42 } });
	});

	it('run to completion: an event sent while processing waits for the macrostep to end', () => {
		let it: ReturnType<typeof createInterpreter>;
		const seen: string[] = [];
		it = createInterpreter(wf({ a: { on: { GO: 'b' } }, b: { on: { NEXT: 'c' }, always: { target: 'c2', guard: 'false' } }, c: {}, c2: {} }), {
			onEvent: (e) => {
				if (e.kind === 'entered' && e.state === 'b') it.send('NEXT');
				if (e.kind === 'input') seen.push(e.event.type);
			}
		});
		it.start();
		it.send('GO');
		expect(seen).toEqual(['GO', 'NEXT']);
		expect(it.snapshot().value).toBe('c');
	});

	it('emit goes to onEvent as kind "emit" with templates filled in', () => {
		const rec = recorder();
		const it = createInterpreter(
			wf({ a: { on: { PING: { effects: [{ type: 'emit', event: { type: 'PONG', to: '{{ event.from }}', text: 'hi {{ event.from }}' } }] } } } }),
			{ onEvent: rec.onEvent }
		);
		it.start();
		it.send({ type: 'PING', from: 7 });
		expect(rec.of('emit').map((e) => e.event)).toEqual([{ type: 'PONG', to: 7, text: 'hi 7' }]);
	});

	it('log renders its message template', () => {
		const rec = recorder();
		const it = createInterpreter(wf({ a: { entry: [{ type: 'log', message: 'hello {{ context.who }}' }] } }, { context: { who: 'world' } }), {
			onEvent: rec.onEvent
		});
		it.start();
		expect(rec.of('log').map((l) => l.message)).toEqual(['hello world']);
	});
});
