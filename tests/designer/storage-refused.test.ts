/**
 * Where the browser refuses this page storage (a cross-site frame with third-party storage
 * blocked, a frame sandboxed without allow-same-origin) the designer still opens — on a
 * scratch workflow kept in memory — and its checks run; the Run panel's simulator, whose
 * worker such a frame cannot start, says why instead of throwing.
 */
import 'fake-indexeddb/auto';
import { afterEach, describe, expect, it } from 'vitest';
import { DesignerSession } from '../../src/lib/designer/session.svelte';
import { resetLocalStorageState, storageRefusedNow } from '../../src/lib/designer/local-storage';
import { deferredSim, getSim, SimUnavailableError } from '../../src/lib/sim/client';
import { SimController } from '../../src/lib/sim/ui/sim-controller.svelte';
import type { Workflow } from '../../src/lib/model/types';


function refuseStorage() {
	Object.defineProperty(globalThis, 'localStorage', {
		configurable: true,
		get() {
			throw new DOMException("Failed to read the 'localStorage' property from 'Window': Access is denied for this document.", 'SecurityError');
		}
	});
}

afterEach(() => {
	delete (globalThis as { localStorage?: unknown }).localStorage;
	resetLocalStorageState();
});

describe('the designer where storage is refused', () => {
	it('is not a refusal where there is no localStorage at all (outside a browser)', () => {
		expect(storageRefusedNow()).toBeNull();
	});

	it('opens a scratch workflow in memory, says it is not saved, and finishes checking it', async () => {
		refuseStorage();
		const s = new DesignerSession('wf-refused');
		expect(s.storageRefused).toBe(true);
		await s.load();
		expect(s.missing).toBe(false);
		expect(s.workflow.name).toBe('Scratch workflow (not saved)');
		expect(Object.keys(s.workflow.states)).toEqual(['start']);
		expect(s.storageError).toMatch(/refuses storage to this page.*kept in this page only/);
		s.markDrawn();
		await expect.poll(() => s.linted, { timeout: 5000 }).toBe(true);
		await s.destroy();
	});

	it('uses the stored document where storage works', async () => {
		const s = new DesignerSession('wf-unknown-here');
		expect(s.storageRefused).toBe(false);
		await s.load();
		expect(s.missing).toBe(true);
		await s.destroy();
	});
});

describe('the simulator where its worker is refused', () => {
	it('getSim throws a SimUnavailableError in the user’s words', () => {
		// Node has no Worker: constructing it throws, as a sandboxed frame's does
		expect(() => getSim('nowhere')).toThrow(SimUnavailableError);
		expect(() => getSim('nowhere')).toThrow(/Runs cannot start here/);
	});

	it('a deferred simulator starts without throwing; the Run panel controller says why runs cannot start', async () => {
		const { api, ready, start } = deferredSim('nowhere-deferred');
		expect(() => start()).not.toThrow();
		await expect(ready).rejects.toThrow(/Runs cannot start here/);
		await expect(api.list('x')).rejects.toThrow(/Runs cannot start here/);
		const sim = new SimController({ api, ready, proxy: (fn) => fn });
		await sim.open({ format: 'fsm-studio/workflow', version: 1, id: 'w', name: 'w', initial: 'a', states: { a: {} } } as unknown as Workflow);
		expect(sim.unavailable).toMatch(/Runs cannot start here/);
	});
});
