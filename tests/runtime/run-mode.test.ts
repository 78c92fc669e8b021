import 'fake-indexeddb/auto';
import Dexie from 'dexie';
import { databaseName } from '../../src/lib/store';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { Workflow } from '../../src/lib/model/types';
import { createRuntime, type Runtime } from '../../src/lib/runtime';
import { FakeClock } from './fake-clock';

// The handlers the AI and MCP layers register for a workspace (the real ones need providers).
const calls: string[] = [];
vi.mock('../../src/lib/ai/handlers', () => ({
	createAiHandlers: ({ workspaceId }: { workspaceId: string }) => ({
		call_llm: (p: { prompt: string }) => {
			calls.push(`llm ${workspaceId} ${p.prompt}`);
			return 'from the model';
		}
	})
}));
vi.mock('../../src/lib/mcp/handlers', () => ({
	createMcpHandlers: ({ workspaceId }: { workspaceId: string }) => ({
		call_tool: (p: { tool: string }) => {
			calls.push(`tool ${workspaceId} ${p.tool}`);
			return { content: [{ type: 'text', text: 'from the tool' }] };
		}
	})
}));

const wf: Workflow = {
	format: 'fsm-studio/workflow',
	version: 1,
	id: 'ask',
	name: 'Ask',
	initial: 'asking',
	context: {},
	states: {
		asking: { invoke: { type: 'call_llm', prompt: 'hello', assignTo: 'answer' }, onDone: 'tooling' },
		tooling: { invoke: { type: 'call_tool', tool: 'search', assignTo: 'tool' }, onDone: 'done' },
		done: { type: 'final' }
	}
} as Workflow;

const open: Runtime[] = [];
const dbs: string[] = [];
afterEach(async () => {
	for (const rt of open.splice(0)) await rt.dispose();
	for (const name of dbs.splice(0)) await Dexie.delete(name);
	calls.length = 0;
});
function runtime(workspaceId: string) {
	dbs.push(databaseName(workspaceId));
	const rt = createRuntime({ workspaceId, clock: new FakeClock() });
	open.push(rt);
	return rt;
}
async function until(rt: Runtime, id: string, status: string) {
	for (let i = 0; i < 50 && (await rt.getInstance(id)).status !== status; i++) await Promise.resolve();
	return rt.getInstance(id);
}

describe('runtime run modes and handlers', () => {
	it('registers the workspace’s AI and MCP handlers with live runs (the default)', async () => {
		const workspaceId = `rt-modes-${Date.now()}`;
		const rt = runtime(workspaceId);
		const id = await rt.createInstance(await rt.loadWorkflow(wf));
		const s = await until(rt, id, 'done');
		expect(s).toMatchObject({ status: 'done', mode: 'live', context: { answer: 'from the model', tool: { content: [{ text: 'from the tool' }] } } });
		expect(calls).toEqual([`llm ${workspaceId} hello`, `tool ${workspaceId} search`]);
		const log = await rt.getLog(id);
		expect(log[0]).toMatchObject({ seq: 1, kind: 'log', payload: { data: { runMode: 'live' } } });
	});

	it('a simulated run answers the same effects without calling them, and keeps its mode after a reload', async () => {
		const workspaceId = `rt-modes-sim-${Date.now()}`;
		const rt = runtime(workspaceId);
		const id = await rt.createInstance(await rt.loadWorkflow(wf), { mode: 'simulated' });
		const s = await until(rt, id, 'done');
		expect(s.mode).toBe('simulated');
		expect(calls).toEqual([]);
		expect(String(s.context.answer)).toMatch(/^Simulated answer/);
		expect((await rt.getLog(id))[0]).toMatchObject({ kind: 'log', payload: { data: { runMode: 'simulated' } } });
		await rt.flush();
		await rt.dispose();
		open.pop();
		const again = createRuntime({ workspaceId, clock: new FakeClock() });
		open.push(again);
		expect((await again.getInstance(id)).mode).toBe('simulated');
	});
});
