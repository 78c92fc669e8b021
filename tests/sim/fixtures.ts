import type { Workflow } from '../../src/lib/model/types';

const base = { format: 'fsm-studio/workflow', version: 1 } as const;

/** Nested + parallel states, history, a context guard that needs 3 rounds, a delay, an invoke. */
export const player: Workflow = {
	...base,
	id: 'player',
	name: 'Player',
	initial: 'idle',
	context: { plays: 0 },
	on: { RESET: { target: '.idle', effects: [{ type: 'assign', set: { plays: '0' } }] } },
	states: {
		idle: { on: { PLAY: { target: 'playing', effects: [{ type: 'assign', set: { plays: 'context.plays + 1' } }] } } },
		playing: {
			type: 'parallel',
			on: { STOP: 'idle', PAUSE: 'paused' },
			states: {
				audio: {
					initial: 'normal',
					states: { normal: { on: { MUTE: 'muted' } }, muted: { on: { UNMUTE: 'normal' } }, hist: { type: 'history', history: 'shallow' } }
				},
				video: { initial: 'sd', states: { sd: { on: { HD: 'hd' } }, hd: { after: { '3000': 'sd' } } } }
			}
		},
		paused: {
			on: {
				RESUME: 'playing',
				FINISH: [{ target: 'loading', guard: 'context.plays >= 3' }]
			}
		},
		loading: { invoke: { type: 'delay', ms: 100 }, onDone: 'done', onError: 'idle' },
		done: { type: 'final' }
	}
};

/** A chain of n states: s0 → s1 → … → s(n-1), each with NEXT; the last is final. */
export function chain(n: number): Workflow {
	const states: Workflow['states'] = {};
	for (let i = 0; i < n; i++) states[`s${i}`] = i === n - 1 ? { type: 'final' } : { on: { NEXT: `s${i + 1}` } };
	return { ...base, id: `chain-${n}`, name: `Chain ${n}`, initial: 's0', states };
}

/** A ring of n states: NEXT moves on, BACK goes back to s0; the run panel bench uses it. */
export function ring(n: number): Workflow {
	const states: Workflow['states'] = {};
	for (let i = 0; i < n; i++) states[`s${i}`] = { on: { NEXT: { target: `s${(i + 1) % n}`, effects: [{ type: 'assign', set: { n: 'context.n + 1' } }] }, BACK: 's0' } };
	return { ...base, id: `ring-${n}`, name: `Ring ${n}`, initial: 's0', context: { n: 0 }, states };
}
