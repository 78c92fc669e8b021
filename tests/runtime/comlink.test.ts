import 'fake-indexeddb/auto';
import { afterEach, describe, expect, it } from 'vitest';
import Dexie from 'dexie';
import { databaseName } from '../../src/lib/store';
import * as Comlink from 'comlink';
import { createRuntime, type RuntimeApi, type RuntimeUpdate } from '../../src/lib/runtime';
import { examples } from '../../src/lib/examples';
import { FakeClock } from './fake-clock';

const door = examples.find((e) => e.id === 'smart-door')!.workflow;
const cleanup: (() => Promise<void> | void)[] = [];
afterEach(async () => {
	for (const f of cleanup.splice(0).reverse()) await f();
});

describe('the runtime over Comlink', () => {
	it('every method works through a message port (structured clone), callbacks through Comlink.proxy', async () => {
		const ws = `comlink-${Date.now()}`;
		const clock = new FakeClock();
		const runtime = createRuntime({ workspaceId: ws, clock });
		const { port1, port2 } = new MessageChannel();
		Comlink.expose(runtime, port1);
		const rt = Comlink.wrap<RuntimeApi>(port2);
		cleanup.push(async () => {
			rt[Comlink.releaseProxy]();
			port1.close();
			port2.close();
			await runtime.dispose();
			await Dexie.delete(databaseName(ws));
		});

		expect(await rt.ownership()).toBe('unsupported');
		expect((await rt.ready()).errors).toEqual([]);
		const wf = await rt.loadWorkflow(door);
		const id = await rt.createInstance(wf);
		const updates: RuntimeUpdate[] = [];
		const sub = await rt.subscribe(Comlink.proxy((u: RuntimeUpdate) => void updates.push(u)), { events: [id] });
		expect((await rt.send(id, { type: 'OPEN' })).value).toBe('open');
		expect(await rt.enabledEvents(id)).toEqual(['CLOSE']);
		expect((await rt.getSnapshot(id)).context).toMatchObject({ opens: 1 });
		expect((await rt.sendMany(id, ['CLOSE', 'OPEN'])).sent).toBe(2);
		expect((await rt.pump(id, 3)).sent).toBe(3);
		expect((await rt.listInstances()).map((i) => i.id)).toEqual([id]);
		expect((await rt.getInstance(id)).inputs).toBe(6);
		expect(await rt.flush()).toBe(true);
		expect((await rt.getLog(id, { kinds: ['input'] })).map((r) => r.type)).toEqual(['OPEN', 'CLOSE', 'OPEN', 'CLOSE', 'OPEN', 'CLOSE']);
		expect((await rt.exportLog(id)).split('\n').length).toBeGreaterThan(6);
		const replay = await rt.replay(id, { full: true });
		expect(replay).toMatchObject({ inputs: 6, matchesLive: true });
		await rt.watch(sub, []);
		expect((await rt.stop(id)).running).toBe(false);
		expect((await rt.start(id)).running).toBe(true);
		expect(await rt.retryWrites()).toBe(true);
		// The updates go out on the injected clock; then they cross the port.
		clock.advance(16);
		for (let i = 0; i < 100 && updates.length === 0; i++) await new Promise((r) => setImmediate(r));
		expect(updates[0].instances.map((i) => i.id)).toEqual([id]);
		expect(updates.flatMap((u) => u.events?.[id] ?? []).filter((e) => e.kind === 'input')).toHaveLength(6);
		await rt.unsubscribe(sub);
		await rt.deleteInstance(id);
		expect(await rt.listInstances()).toEqual([]);
	});
});
