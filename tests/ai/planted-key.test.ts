import 'fake-indexeddb/auto';
import { describe, expect, inject, it, vi } from 'vitest';
import { createRuntime } from '$lib/runtime/runtime';
import { saveProvider, setWorkspaceDefault } from '$lib/ai/settings/providers';
import { diagnose } from '$lib/ai/diagnose';
import { providerConfig } from '$lib/ai/settings/providers';
import { exportWorkflow, encodeShareLink, type ExportFormat } from '$lib/io';
import { parseWorkflow } from '$lib/model';
import { EventStoreDb } from '$lib/store';
import type { AiDb } from '$lib/store/ai-db';
import { mockSession } from '../mocks/client';
import { freshAiDb } from './helpers';

// A recognisable key is planted in a provider; workflows then succeed, fail with a server
// that repeats the key in its error, use the cache, and are exported and shared. The key must
// be found nowhere: not in any export format, share link, file, log line, event, cache entry
// or error — nor in clear anywhere in IndexedDB.

const KEY = 'sk-PLANTED-7c0ffee-d00d-4f1e-b0b5-CANARY';
const base = inject('mockLlmUrl');

/** Every string in a value, binary decoded too. */
function strings(v: unknown, out: string[] = []): string[] {
	if (typeof v === 'string') out.push(v);
	else if (v instanceof ArrayBuffer || ArrayBuffer.isView(v)) {
		const b = v instanceof ArrayBuffer ? new Uint8Array(v) : new Uint8Array(v.buffer, v.byteOffset, v.byteLength);
		out.push(Buffer.from(b).toString('latin1'), Buffer.from(b).toString('utf8'));
	} else if (v instanceof Error) out.push(v.message, String(v.stack));
	else if (v && typeof v === 'object') for (const [k, x] of Object.entries(v)) out.push(k), strings(x, out);
	else out.push(String(v));
	return out;
}

async function dumpDb(db: { tables: { toArray(): Promise<unknown[]> }[] }): Promise<string> {
	const all: string[] = [];
	for (const t of db.tables) strings(await t.toArray(), all);
	return all.join('\n');
}

describe('a planted API key is found nowhere', () => {
	it('after runs that succeed, fail, hit the cache, and after every export, link and log', async () => {
		const ai: AiDb = freshAiDb();
		const s = mockSession(base);
		await s.script([{ match: 'please fail', scenario: 'echo-key' }]);
		await saveProvider({ id: 'main', name: 'Main', kind: 'openai', baseUrl: s.openai, apiKey: KEY, defaultModel: 'gpt-4o-mini' }, ai);
		await setWorkspaceDefault('planted', { providerId: 'main' }, ai);

		const logged: string[] = [];
		const spies = (['log', 'info', 'warn', 'error', 'debug'] as const).map((m) => vi.spyOn(console, m).mockImplementation((...a: unknown[]) => void logged.push(strings(a).join(' '))));

		const parsed = parseWorkflow({
			format: 'fsm-studio/workflow',
			version: 1,
			id: 'planted',
			name: 'Planted key',
			initial: 'idle',
			budget: { maxCostUsd: 5 },
			context: {},
			states: {
				idle: { on: { ASK: 'asking' } },
				asking: {
					invoke: { type: 'cache', ttlMs: 60000, effect: { type: 'call_llm', prompt: '{{ event.text }}', output: 'json', schema: { type: 'object', properties: { a: { type: 'string' } } }, assignTo: 'answer' } },
					onDone: 'idle',
					onError: { target: 'idle', effects: [{ type: 'assign', set: { error: 'event.error' } }] }
				}
			}
		});
		expect(parsed.ok).toBe(true);
		if (!parsed.ok) return;
		const wf = parsed.workflow;

		const rt = createRuntime({ workspaceId: 'planted' });
		await rt.loadWorkflow(wf);
		const id = await rt.createInstance('planted');
		let steps = 0;
		const step = async (text: string) => {
			steps++;
			await rt.send(id, { type: 'ASK', text });
			const settled = async () => {
				await rt.flush();
				return (await rt.getLog(id)).filter((e) => e.kind === 'input' && /^(done|error)\.invoke\./.test(e.type)).length;
			};
			await expect.poll(settled, { timeout: 8000 }).toBe(steps);
		};
		await step('hello');
		await step('hello'); // the cache answers this one
		await step('please fail');
		const summary = (await rt.getInstance(id)) as { context?: Record<string, unknown> };
		expect(String(summary.context?.error)).toMatch(/HTTP 401: Incorrect API key provided: \[key\]/);
		// the mock saw the key (so it was really sent) — in the header only
		const reqs = await s.requests();
		expect(reqs.filter((r) => r.auth === 'ok')).toHaveLength(2);
		expect(JSON.stringify(reqs)).not.toContain(KEY);

		// Test connection's diagnosis of the echoing server
		await s.script([{ scenario: 'echo-key' }]);
		const d = await diagnose((await providerConfig('main', ai)).config, { model: 'gpt-4o-mini' });

		await rt.flush();
		const log = await rt.exportLog(id);
		const events = await rt.getLog(id);
		const exports = await Promise.all((['json', 'mermaid', 'xstate-json', 'xstate-ts', 'scxml', 'typescript'] as ExportFormat[]).map(async (f) => (await exportWorkflow(wf, f)).text ?? JSON.stringify(await exportWorkflow(wf, f))));
		const links = await Promise.all([encodeShareLink(wf), encodeShareLink(wf, { passphrase: 'pw' })]);
		await rt.dispose();
		spies.forEach((sp) => sp.mockRestore());

		const workspace = new EventStoreDb('planted');
		const places: Record<string, string> = {
			'exported log (file)': log,
			events: strings(events).join('\n'),
			'every export format': exports.join('\n'),
			'share links': strings(links).join('\n'),
			'console output': logged.join('\n'),
			'test connection diagnosis': strings(d).join('\n'),
			'workspace database (events, inputs, snapshots, instances, llm cache …)': await dumpDb(workspace),
			'AI database (providers, vault, settings, usage)': await dumpDb(ai)
		};
		expect(d.summary).toMatch(/The key was refused/);
		expect(await workspace.llmCache.count()).toBeGreaterThan(0);
		expect(await ai.usage.count()).toBeGreaterThan(0);
		for (const [where, text] of Object.entries(places)) {
			if (where !== 'console output') expect(text.length, where).toBeGreaterThan(0);
			expect(text.includes(KEY), `the key was found in: ${where}`).toBe(false);
			expect(text.includes('CANARY'), `part of the key was found in: ${where}`).toBe(false);
		}
		workspace.close();
	});
});
