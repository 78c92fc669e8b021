import { describe, expect, it } from 'vitest';
import { createInterpreter } from '../../src/lib/engine';
import type { EffectSpec } from '../../src/lib/model/types';
import { recorder, wf } from './helpers';

const log = (m: string): EffectSpec[] => [{ type: 'log', message: m }];

const player = () =>
	wf({
		player: {
			type: 'parallel',
			entry: log('enter player'),
			states: {
				sound: {
					initial: 'muted',
					entry: log('enter sound'),
					states: { muted: { on: { TOGGLE_SOUND: 'loud' } }, loud: { on: { TOGGLE_SOUND: 'muted' } } }
				},
				video: {
					initial: 'paused',
					entry: log('enter video'),
					states: {
						paused: { on: { PLAY: 'playing' } },
						playing: { on: { PAUSE: 'paused', STOP: '#off' } }
					}
				}
			},
			on: { BOTH: {} }
		},
		off: { id: 'off' }
	});

describe('parallel states', () => {
	it('enters every region in document order and reports the StateValue shape', () => {
		const rec = recorder();
		const it = createInterpreter(player(), { onEvent: rec.onEvent });
		it.start();
		expect(it.snapshot().value).toEqual({ player: { sound: 'muted', video: 'paused' } });
		expect(rec.of('log').map((l) => l.message)).toEqual(['enter player', 'enter sound', 'enter video']);
	});

	it('moves regions independently', () => {
		const it = createInterpreter(player());
		it.start();
		it.send('PLAY');
		it.send('TOGGLE_SOUND');
		expect(it.snapshot().value).toEqual({ player: { sound: 'loud', video: 'playing' } });
		expect(it.enabledEvents().sort()).toEqual(['BOTH', 'PAUSE', 'STOP', 'TOGGLE_SOUND']);
	});

	it('takes one transition per region for the same event', () => {
		const it = createInterpreter(
			wf({
				p: {
					type: 'parallel',
					states: {
						a: { initial: 'x', states: { x: { on: { GO: 'y' } }, y: {} } },
						b: { initial: 'x', states: { x: { on: { GO: 'y' } }, y: {} } }
					}
				}
			})
		);
		it.start();
		it.send('GO');
		expect(it.snapshot().value).toEqual({ p: { a: 'y', b: 'y' } });
	});

	it('leaves all regions when one of them exits the parallel state', () => {
		const rec = recorder();
		const it = createInterpreter(player(), { onEvent: rec.onEvent });
		it.start();
		it.send('PLAY');
		rec.events.length = 0;
		it.send('STOP');
		expect(it.snapshot().value).toBe('off');
		expect(rec.of('exited').map((e) => e.state)).toEqual(['player.video.playing', 'player.video', 'player.sound.muted', 'player.sound', 'player']);
	});

	it('resolves conflicts: a transition leaving the parallel state preempts a later one', () => {
		const it = createInterpreter(
			wf({
				p: {
					type: 'parallel',
					states: {
						a: { initial: 'x', states: { x: { on: { GO: '#out' } } } },
						b: { initial: 'x', states: { x: { on: { GO: 'y' } }, y: {} } }
					}
				},
				out: { id: 'out' }
			})
		);
		it.start();
		it.send('GO');
		expect(it.snapshot().value).toBe('out');
	});

	it('enters the other regions by default when targeting a deep state in one region', () => {
		const it = createInterpreter(
			wf({
				start: { on: { GO: 'p.b.y' } },
				p: {
					type: 'parallel',
					states: {
						a: { initial: 'x', states: { x: {}, z: {} } },
						b: { initial: 'x', states: { x: {}, y: {} } }
					}
				}
			})
		);
		it.start();
		it.send('GO');
		expect(it.snapshot().value).toEqual({ p: { a: 'x', b: 'y' } });
	});
});
