import { describe, expect, it } from 'vitest';
import { createInterpreter, replayInputs, type RecordedInput } from '../../src/lib/engine';
import { lintWorkflow, parseWorkflow, serializeWorkflow } from '../../src/lib/model';
import type { Workflow } from '../../src/lib/model/types';
import { recorder } from './helpers';

const doc = (extra: Partial<Workflow> = {}): Workflow => {
	const r = parseWorkflow({
		format: 'fsm-studio/workflow',
		version: 1,
		id: 'player',
		name: 'Player',
		type: 'parallel',
		context: { n: 0 },
		states: {
			playback: { initial: 'stopped', states: { stopped: { on: { PLAY: 'playing' } }, playing: { on: { STOP: 'stopped', END: 'ended' } }, ended: { type: 'final' } } },
			sound: { initial: 'on', states: { on: { on: { MUTE: 'off' } }, off: { on: { MUTE: 'on', DONE: 'gone' } }, gone: { type: 'final' } } }
		},
		on: { RESET: { target: ['playback.stopped', 'sound.on'], effects: [{ type: 'assign', set: { n: 'context.n + 1' } }] } },
		...extra
	});
	if (!r.ok) throw new Error(JSON.stringify(r.errors));
	return r.workflow;
};

describe('a parallel workflow (parallel root)', () => {
	it('parses without initial, keeps its type, and lints clean', () => {
		const w = doc();
		expect(w.type).toBe('parallel');
		expect(w.initial).toBeUndefined();
		expect(lintWorkflow(w)).toEqual([]);
		expect(serializeWorkflow(w)).toMatch(/"name": "Player",\n  "type": "parallel",\n  "context"/);
	});

	it('runs every top-level state at once', () => {
		const rec = recorder();
		const it = createInterpreter(doc(), { onEvent: rec.onEvent });
		it.start();
		expect(it.snapshot().value).toEqual({ playback: 'stopped', sound: 'on' });
		expect(rec.of('entered').map((e) => e.state)).toEqual(['playback', 'playback.stopped', 'sound', 'sound.on']);
		it.send('PLAY');
		it.send('MUTE');
		expect(it.snapshot().value).toEqual({ playback: 'playing', sound: 'off' });
		expect(it.enabledEvents().sort()).toEqual(['DONE', 'END', 'MUTE', 'RESET', 'STOP']);
	});

	it('takes the root’s own transitions into several regions', () => {
		const it = createInterpreter(doc());
		it.start();
		it.send('PLAY');
		it.send('MUTE');
		it.send('RESET');
		expect(it.snapshot()).toMatchObject({ value: { playback: 'stopped', sound: 'on' }, context: { n: 1 } });
	});

	it('is done when every region has reached a final state', () => {
		const it = createInterpreter(doc());
		it.start();
		it.send('PLAY');
		it.send('END');
		expect(it.snapshot().status).toBe('active');
		it.send('MUTE');
		it.send('DONE');
		expect(it.snapshot()).toMatchObject({ status: 'done', value: { playback: 'ended', sound: 'gone' } });
	});

	it('persists and replays', () => {
		const inputs: RecordedInput[] = [];
		const it = createInterpreter(doc(), { onEvent: (e) => e.kind === 'input' && inputs.push(e) });
		it.start();
		it.send('PLAY');
		it.send('MUTE');
		const p = it.persist();
		expect(p.configuration).toEqual(['playback.playing', 'sound.off']);
		expect(replayInputs(doc(), inputs, undefined, { startTime: 0 })).toEqual(p);
		const resumed = createInterpreter(doc(), { snapshot: p });
		resumed.start();
		resumed.send('STOP');
		expect(resumed.snapshot().value).toEqual({ playback: 'stopped', sound: 'off' });
	});

	it('an `initial` beside `"type": "parallel"` is reported, not silently obeyed', () => {
		const w = doc({ initial: 'sound' });
		expect(lintWorkflow(w).map((p) => [p.rule, p.path])).toEqual([['parallel-initial', ['initial']]]);
		const it = createInterpreter(w);
		it.start();
		expect(it.snapshot().value).toEqual({ playback: 'stopped', sound: 'on' });
	});

	it('refuses a root type that is not compound or parallel, and a compound root without initial', () => {
		const bad = parseWorkflow({ type: 'final', initial: 'a', states: { a: {} } });
		expect(!bad.ok && bad.errors[0].message).toMatch(/^type: expected one of "compound", "parallel"/);
		const none = parseWorkflow({ states: { a: {}, b: {} } });
		expect(!none.ok && none.errors[0].message).toBe('initial: missing — name the state the workflow starts in: one of "a", "b".');
		const empty = parseWorkflow({ type: 'parallel', states: {} });
		expect(!empty.ok && empty.errors[0].message).toMatch(/parallel workflow runs all its top-level states at once, but it has none yet/);
	});
});
