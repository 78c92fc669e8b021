import 'fake-indexeddb/auto';
import { afterEach, describe, expect, it } from 'vitest';
import Dexie from 'dexie';
import { databaseName } from '../../src/lib/store';
import { createRuntime, type Runtime } from '../../src/lib/runtime';
import { examples } from '../../src/lib/examples';
import type { Workflow } from '../../src/lib/model/types';
import { FakeClock } from './fake-clock';

const door = examples.find((e) => e.id === 'smart-door')!.workflow;
const open: Runtime[] = [];
const dbs: string[] = [];
let n = 0;
function workspace() {
	const id = `restore${++n}-${Date.now()}`;
	dbs.push(databaseName(id));
	return id;
}
function runtime(opts: Parameters<typeof createRuntime>[0]) {
	const rt = createRuntime(opts);
	open.push(rt);
	return rt;
}
afterEach(async () => {
	for (const rt of open.splice(0)) await rt.dispose();
	for (const name of dbs.splice(0)) await Dexie.delete(name);
});

/** A workflow exercising history, parallel regions, guards, assign and timers. */
const player: Workflow = {
	format: 'fsm-studio/workflow',
	version: 1,
	id: 'player',
	name: 'Player',
	initial: 'on',
	context: { plays: 0, volume: 5 },
	states: {
		on: {
			type: 'parallel',
			states: {
				playback: {
					initial: 'stopped',
					states: {
						stopped: { on: { PLAY: { target: 'playing', effects: [{ type: 'assign', set: { plays: 'context.plays + 1' } }] } } },
						playing: { after: { '3000': 'stopped' }, on: { PAUSE: 'paused', STOP: 'stopped' } },
						paused: { on: { PLAY: 'playing', STOP: 'stopped' } },
						hist: { type: 'history', history: 'deep' }
					}
				},
				sound: {
					initial: 'normal',
					states: {
						normal: { on: { UP: { guard: 'context.volume < 10', effects: [{ type: 'assign', set: { volume: 'context.volume + 1' } }] }, MUTE: 'muted' } },
						muted: { on: { MUTE: 'normal' } }
					}
				}
			},
			on: { OFF: 'off' }
		},
		off: { on: { ON: 'on.playback.hist' } }
	}
};

describe('restore and replay', () => {
	it('a new runtime on the same workspace resumes every instance where it was, timers re-armed from their start', async () => {
		const ws = workspace();
		const clock = new FakeClock();
		const rt1 = runtime({ workspaceId: ws, clock, snapshotEvery: 3 });
		const wf = await rt1.loadWorkflow(door);
		const a = await rt1.createInstance(wf, { id: 'a' });
		const b = await rt1.createInstance(wf, { id: 'b' });
		const c = await rt1.createInstance(wf, { id: 'c' });
		await rt1.sendMany(a, ['OPEN', 'CLOSE', 'OPEN', 'CLOSE', 'LOCK', 'UNLOCK', 'OPEN']);
		await rt1.send(b, 'LOCK');
		await rt1.stop(c);
		const before = await rt1.listInstances();
		clock.advance(2000);
		await rt1.dispose();

		const rt2 = runtime({ workspaceId: ws, clock });
		const { restored, errors } = await rt2.ready();
		expect(errors).toEqual([]);
		expect(restored).toBe(3);
		const after = await rt2.listInstances();
		const pick = (l: typeof after) => l.map(({ id, value, context, inputs, running, status }) => ({ id, value, context, inputs, running, status }));
		expect(pick(after)).toEqual(pick(before));
		expect(after.find((i) => i.id === 'a')).toMatchObject({ value: 'open', running: true, inputs: 7 });
		expect(after.find((i) => i.id === 'c')).toMatchObject({ running: false, status: 'stopped' });

		// The door opened at t0 closes at t0 + 5000: 3000 ms after the reload, not 5000.
		clock.advance(2999);
		expect((await rt2.getInstance(a)).value).toBe('open');
		clock.advance(1);
		expect((await rt2.getInstance(a)).value).toBe('closed');
		// The log continues without a gap.
		const log = await rt2.getLog(a);
		expect(log.map((r) => r.seq)).toEqual(log.map((_, i) => i + 1));
		expect((await rt2.getLog(a, { kinds: ['input'] })).length).toBe(8);
		// And sending works after the restore.
		await rt2.send(b, 'UNLOCK');
		expect((await rt2.getInstance(b)).value).toBe('closed');
	});

	it('restores many instances (read ahead) each to its own state', async () => {
		const ws = workspace();
		const clock = new FakeClock();
		const rt1 = runtime({ workspaceId: ws, clock });
		const wf = await rt1.loadWorkflow(door);
		for (let i = 0; i < 40; i++) {
			const id = await rt1.createInstance(wf, { id: `d${i}`, start: i % 10 !== 9 });
			if (i % 10 === 9) continue;
			for (let k = 0; k < i; k++) await rt1.send(id, k % 2 ? 'CLOSE' : 'OPEN');
			if (i % 3 === 0) await rt1.send(id, 'LOCK');
		}
		const before = await rt1.listInstances();
		await rt1.dispose();
		const rt2 = runtime({ workspaceId: ws, clock });
		const { restored, errors } = await rt2.ready();
		expect(errors).toEqual([]);
		expect(restored).toBe(36);
		const pick = (l: typeof before) => l.map(({ id, value, context, inputs, running, status }) => ({ id, value, context, inputs, running, status }));
		expect(pick(await rt2.listInstances())).toEqual(pick(before));
	});

	it('replay from the latest snapshot and from seq 0 both rebuild exactly the live state', async () => {
		const clock = new FakeClock();
		const rt = runtime({ workspaceId: workspace(), clock, snapshotEvery: 50 });
		const id = await rt.createInstance(await rt.loadWorkflow(player));
		const events = ['PLAY', 'UP', 'PAUSE', 'MUTE', 'OFF', 'ON', 'PLAY', 'UP', 'MUTE', 'STOP', 'UP', 'PLAY'];
		let seed = 7;
		for (let i = 0; i < 400; i++) {
			seed = (seed * 1103515245 + 12345) % 2 ** 31;
			await rt.send(id, events[seed % events.length]);
			if (seed % 5 === 0) clock.advance(1000 + (seed % 3000));
		}
		const live = await rt.getSnapshot(id);
		const fromSnap = await rt.replay(id);
		expect(fromSnap.fromSnapshot).toBe(true);
		expect(fromSnap.inputs).toBeLessThan(60);
		expect(fromSnap.matchesLive).toBe(true);
		const full = await rt.replay(id, { full: true });
		expect(full.fromSnapshot).toBe(false);
		expect(full.inputs).toBe((await rt.getInstance(id)).inputs);
		expect(full.matchesLive).toBe(true);
		expect(full.snapshot.value).toEqual(live.value);
		expect(full.snapshot.context).toEqual(live.context);
		expect(full.persisted.timers).toEqual(fromSnap.persisted.timers);
	});

	it('replay notices a log that does not match the live state', async () => {
		const clock = new FakeClock();
		const ws = workspace();
		const rt = runtime({ workspaceId: ws, clock });
		const id = await rt.createInstance(await rt.loadWorkflow(door));
		await rt.sendMany(id, ['OPEN', 'CLOSE', 'OPEN']);
		await rt.flush();
		// Tamper with the stored log: the second input becomes a LOCK.
		const db = new Dexie(databaseName(ws));
		await db.open();
		await db.table('inputs').where('[instanceId+seq]').between([id, 0], [id, Infinity]).modify((seg: { seq: number; events: { type: string }[] }) => {
			seg.events[2 - seg.seq] = { type: 'LOCK' };
		});
		db.close();
		expect((await rt.replay(id, { full: true })).matchesLive).toBe(false);
	});
});

describe('instance summaries', () => {
	it('keeps the registry summary current enough for a list without replay', async () => {
		const ws = workspace();
		const clock = new FakeClock();
		const rt1 = runtime({ workspaceId: ws, clock });
		const id = await rt1.createInstance(await rt1.loadWorkflow(door));
		await rt1.sendMany(id, ['OPEN', 'CLOSE', 'LOCK']);
		await rt1.dispose();
		const store = (await import('../../src/lib/store')).createEventStore({ workspaceId: ws });
		await store.ready;
		expect(store.getInstance(id)).toMatchObject({ value: 'locked', inputs: 3, running: true, status: 'active', context: { opens: 1, locked: true } });
		store.db.close();
	});
});
