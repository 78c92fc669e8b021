import 'fake-indexeddb/auto';
import { describe, expect, it } from 'vitest';
import { SimHost } from '$lib/sim/host';
import { createPluginSink, pluginOutput, setPlugin, verifyAuditTrail, DEFAULT_AUDIT, DEFAULT_LOGGER } from '$lib/plugins';
import type { Workflow } from '$lib/model/types';

// The simulator's host hands every event of every session to the workspace's plugins: the
// Logger and Audit see a run of the designer's Run panel.

const wf = {
	format: 'fsm-studio/workflow',
	version: 1,
	id: 'door-plugins',
	name: 'Door',
	initial: 'closed',
	states: { closed: { on: { OPEN: 'open' } }, open: { on: { CLOSE: 'closed', BREAK: 'broken' } }, broken: { type: 'final' } }
} as unknown as Workflow;

describe('plugins in the simulator', () => {
	it('the Logger and Audit record the transitions of a simulated run', async () => {
		const ws = `sim-plugins-${Math.random().toString(36).slice(2)}`;
		await setPlugin('logger', true, { ...DEFAULT_LOGGER, detail: 'transitions' }, ws);
		await setPlugin('audit', true, { ...DEFAULT_AUDIT }, ws);
		const sinks: ReturnType<typeof createPluginSink>[] = [];
		const host = new SimHost({
			plugins: (w) => {
				const s = createPluginSink({ workspaceId: w, interval: 5 });
				sinks.push(s);
				return s;
			}
		});
		await host.init({ workspaceId: ws, persist: false });
		const id = await host.start(wf);
		await host.send(id, { type: 'OPEN' });
		await host.send(id, { type: 'BREAK' });
		expect(sinks).toHaveLength(1);
		await sinks[0].flush();
		const log = (await pluginOutput('logger', 100, ws)).reverse();
		expect(log.every((l) => l.instanceId === id && l.workflowName === 'Door')).toBe(true);
		const text = log.map((l) => l.message).join('\n');
		expect(text).toMatch(/closed.*open/);
		expect(text).toMatch(/open.*broken/);
		const trail = await verifyAuditTrail(ws);
		expect(trail.entries).toBeGreaterThanOrEqual(2);
		expect(trail.brokenAt).toBe(-1);
		await host.close();
		await sinks[0].close();
	});
});
