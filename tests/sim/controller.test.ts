import { describe, expect, it } from 'vitest';
import type { Workflow } from '../../src/lib/model/types';
import { examples } from '../../src/lib/examples';
import { SimHost } from '../../src/lib/sim/host';
import { SimController, type SimConnection } from '../../src/lib/sim/ui/sim-controller.svelte';
import { FakeClock } from '../runtime/fake-clock';

const door = examples.find((e) => e.id === 'smart-door')!.workflow as Workflow;

function connect() {
	// Views are pushed on this clock: the test moves it (no waiting on the wall clock).
	const clock = new FakeClock();
	const host = new SimHost({ pushEvery: 1, clock });
	const conn: SimConnection = { api: host, proxy: (fn) => fn, ready: host.init({ persist: false }) };
	const sim = new SimController(conn);
	/** Moves the push clock a millisecond at a time until `check` holds. */
	const until = async (check: () => boolean, what: string) => {
		for (let i = 0; i < 50; i++) {
			if (check()) return;
			clock.advance(1);
			await new Promise((r) => setImmediate(r));
		}
		throw new Error(`never saw ${what}`);
	};
	const close = async () => {
		await sim.dispose();
		await host.close();
	};
	return { sim, until, close };
}

describe('run panel controller (against the worker host, in process)', () => {
	it('starts an instance, sends events with payloads, and lights the active state', async () => {
		const { sim, until, close } = connect();
		await sim.open(door);
		await sim.startInstance();
		await until(() => sim.view?.value === 'closed', 'the first view');
		expect(sim.overlay.activeStates).toEqual(['closed']);
		expect(sim.view!.enabled.map((e) => e.type)).toEqual(['OPEN', 'LOCK']);

		await sim.send('OPEN', '{ "by": "ana" }');
		await until(() => sim.view?.value === 'open', 'OPEN');
		expect(sim.payloadHistory.OPEN).toEqual(['{ "by": "ana" }']);
		expect(sim.overlay.activeTransitions).toEqual(['closed|on:OPEN|0']);

		await sim.send('CLOSE', '{ nope');
		expect(sim.error).toMatch(/not valid JSON/);
		await sim.send('CLOSE', '[1]');
		expect(sim.error).toMatch(/must be a JSON object/);
		expect(sim.view!.value).toBe('open');
		await close();
	});

	it('shows a past moment, restarts from it, and generates and exports tests', async () => {
		const { sim, until, close } = connect();
		await sim.open(door);
		await sim.startInstance();
		await sim.send('OPEN');
		await sim.send('CLOSE');
		await until(() => sim.view?.value === 'closed' && sim.view.inputs === 2, 'two inputs');
		const page = await sim.logPage(0, 100, { kinds: ['input'] });
		const open = page!.rows[0].position;
		await sim.showMoment(open);
		expect(sim.moment?.value).toBe('open');
		expect(sim.overlay.activeStates).toEqual(['open']);
		expect(sim.overlay.moment).toEqual({ position: open });
		expect(sim.overlay.activeTransitions).toEqual(['closed|on:OPEN|0']);
		await sim.stepMoment(1);
		expect(sim.moment).toMatchObject({ inputs: 2, value: 'closed' });
		await sim.stepMoment(-2);
		expect(sim.moment).toMatchObject({ inputs: 0, value: 'closed', context: { opens: 0 } });
		await sim.stepMoment(1);
		expect(sim.moment).toMatchObject({ inputs: 1, value: 'open' });
		await sim.showMoment(open);

		const first = sim.selectedId;
		await sim.restartFrom(open);
		expect(sim.selectedId).not.toBe(first);
		expect(sim.sessions).toHaveLength(2);
		await until(() => sim.view?.id === sim.selectedId && sim.view?.value === 'open', 'the forked view');
		expect(sim.moment).toBeUndefined();
		expect(sim.view!.forkOf).toEqual({ id: first, position: open });

		await sim.generateTests();
		expect(sim.paths!.uncoveredTransitions).toEqual([]);
		const text = await sim.exportTests();
		expect(text).toContain("import { createInterpreter } from '$lib/engine';");
		sim.highlightPath(sim.paths!.statePaths.find((p) => p.id === 'state:locked'));
		expect(sim.overlay.highlightStates).toContain('locked');
		await close();
	});

	it('refuses stubs that are not valid', async () => {
		const { sim, until, close } = connect();
		await sim.open(door);
		sim.stubsText = '{"teleport": [{}]}';
		await sim.startInstance();
		expect(sim.error).toMatch(/not an effect type/);
		expect(sim.sessions).toHaveLength(0);
		await close();
	});
});
