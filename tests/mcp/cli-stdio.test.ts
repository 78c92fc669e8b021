/**
 * `fsm-studio mcp` driven by the official SDK client over stdio: the real command, spawned
 * as a child process, on a folder of workflow files, with its event store on disk.
 */
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync, copyFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from '@modelcontextprotocol/client';
import { StdioClientTransport } from '@modelcontextprotocol/client/stdio';
import { mockSession } from '../mocks/client';
import { goodDraft } from '../assistant/helpers';

const root = join(import.meta.dirname, '../..');
const bin = join(root, 'bin/fsm-studio.js');

interface Result {
	content: { type: string; text?: string }[];
	structuredContent?: Record<string, unknown>;
	isError?: boolean;
}

let dir: string;
let flaky: Server;
let flakyUrl: string;
let hits = 0;

async function connect(env: Record<string, string> = {}) {
	const client = new Client({ name: 'cli-test', version: '1.0.0' });
	const cleanEnv: Record<string, string> = { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', ...env };
	const transport = new StdioClientTransport({ command: process.execPath, args: [bin, 'mcp', '--dir', dir], env: cleanEnv, stderr: 'pipe' });
	await client.connect(transport);
	return client;
}

async function call(client: Client, name: string, args: Record<string, unknown>): Promise<Result> {
	return (await client.callTool({ name, arguments: args })) as Result;
}

beforeAll(async () => {
	dir = mkdtempSync(join(tmpdir(), 'fsm-cli-'));
	copyFileSync(join(root, 'src/lib/examples/smart-door.json'), join(dir, 'smart-door.json'));
	writeFileSync(join(dir, 'broken.json'), '{ "format": "fsm-studio/workflow", "version": 1, "states": ');
	writeFileSync(join(dir, 'notes.txt'), 'not a workflow');
	// answers slowly twice (so a 150 ms timeout cuts it off), then at once
	flaky = createServer((_req, res) => {
		hits++;
		const delay = hits <= 2 ? 2000 : 0;
		const t = setTimeout(() => {
			res.setHeader('content-type', 'application/json');
			res.end(JSON.stringify({ ok: true, attempt: hits }));
		}, delay);
		res.on('close', () => clearTimeout(t));
	});
	await new Promise<void>((r) => flaky.listen(0, '127.0.0.1', r));
	const a = flaky.address();
	flakyUrl = `http://127.0.0.1:${typeof a === 'object' && a ? a.port : 0}/data`;
});

afterAll(async () => {
	flaky.closeAllConnections();
	await new Promise((r) => flaky.close(r));
	rmSync(dir, { recursive: true, force: true });
});

// tests that start server processes of their own (tsx compiles the sources at start) get a
// timeout that holds on a loaded machine
const SPAWN_MS = 90_000;

describe('fsm-studio mcp over stdio', () => {
	let shared: Client;
	beforeAll(async () => {
		shared = await connect();
	}, SPAWN_MS);
	afterAll(async () => {
		await shared?.close();
	});

	it('lists every tool with JSON Schema input and output', async () => {
		const client = shared;
		const { tools } = await client.listTools();
		const names = tools.map((t) => t.name).sort();
		expect(names).toEqual(
			[
				'call_llm',
				'coordinate_agents',
				'create_ai_workflow',
				'embed_text',
				'execute_effect_pipeline',
				'get_snapshot',
				'get_workflow',
				'list_workflows',
				'rag_pipeline',
				'run_workflow',
				'send_event'
			].sort()
		);
		for (const t of tools) {
			expect(t.inputSchema.type, t.name).toBe('object');
			expect(t.outputSchema?.type, t.name).toBe('object');
			expect(t.description?.length, t.name).toBeGreaterThan(20);
		}
		const run = tools.find((t) => t.name === 'run_workflow')!;
		expect(run.inputSchema.required).toContain('workflow');
	});

	it('runs a workflow from the folder, sends events, and resumes the instance from disk after a restart', async () => {
		let client = await connect();
		let instanceId: string;
		try {
			const list = await call(client, 'list_workflows', {});
			const wfs = (list.structuredContent as { workflows: { id: string; source: string }[] }).workflows;
			expect(wfs.map((w) => w.id)).toEqual(['smart-door']);
			expect(wfs[0].source).toBe('smart-door.json');

			const run = await call(client, 'run_workflow', { workflow: 'smart-door', events: ['OPEN'] });
			expect(run.isError).toBeFalsy();
			const s = run.structuredContent as { instanceId: string; value: unknown; context: { opens: number }; enabledEvents: string[]; status: string };
			expect(s.value).toBe('open');
			expect(s.context.opens).toBe(1);
			expect(s.status).toBe('active');
			expect(s.enabledEvents).toContain('CLOSE');
			instanceId = s.instanceId;

			const sent = await call(client, 'send_event', { instanceId, event: { type: 'CLOSE' } });
			expect((sent.structuredContent as { value: unknown }).value).toBe('closed');
			const sent2 = await call(client, 'send_event', { instanceId, event: 'LOCK' });
			expect((sent2.structuredContent as { value: unknown }).value).toBe('locked');
		} finally {
			await client.close();
		}
		// the event store is on disk: inputs as JSON lines
		const storeDir = join(dir, '.fsm-studio', 'instances');
		const log = readFileSync(join(storeDir, `${instanceId}.events.jsonl`), 'utf8').trim().split('\n').map((l) => JSON.parse(l));
		expect(log.filter((e) => e.kind === 'input').map((e) => e.event.type)).toEqual(['OPEN', 'CLOSE', 'LOCK']);
		expect(readdirSync(storeDir)).toContain(`${instanceId}.json`);

		// a new server process rebuilds the instance by replaying its inputs
		client = await connect();
		try {
			const snap = await call(client, 'get_snapshot', { instanceId });
			const s = snap.structuredContent as { value: unknown; context: { opens: number; locked: boolean }; inputs: number };
			expect(s.value).toBe('locked');
			expect(s.context).toMatchObject({ opens: 1, locked: true });
			expect(s.inputs).toBe(3);
			const unlocked = await call(client, 'send_event', { instanceId, event: 'UNLOCK' });
			expect((unlocked.structuredContent as { value: unknown }).value).toBe('closed');
			const missing = await call(client, 'get_snapshot', { instanceId: 'nope' });
			expect(missing.isError).toBe(true);
			expect(missing.content[0].text).toContain('There is no instance "nope"');
		} finally {
			await client.close();
		}
	}, SPAWN_MS);

	it('runs an inline workflow and reports an unknown workflow id with the known ones', async () => {
		const client = shared;
		const wf = {
			format: 'fsm-studio/workflow',
			version: 1,
			id: 'counter',
			name: 'Counter',
			initial: 'on',
			context: { n: 0 },
			states: { on: { on: { INC: { effects: [{ type: 'assign', set: { n: 'context.n + event.by' } }] } } } }
		};
		const r = await call(client, 'run_workflow', { workflow: wf, context: { n: 10 }, events: [{ type: 'INC', by: 5 }, { type: 'INC', by: 2 }] });
		expect((r.structuredContent as { context: { n: number } }).context.n).toBe(17);
		const bad = await call(client, 'run_workflow', { workflow: 'door' });
		expect(bad.isError).toBe(true);
		expect(bad.content[0].text).toContain('There is no workflow "door"');
		expect(bad.content[0].text).toContain('smart-door');
	});

	it('executes an effect pipeline with retry around timeout: two attempts time out, the third succeeds', async () => {
		const client = shared;
		hits = 0;
		const r = await call(client, 'execute_effect_pipeline', {
			effect: {
				type: 'retry',
				maxAttempts: 3,
				backoff: { initialMs: 10, factor: 1, jitter: 'none' },
				effect: { type: 'timeout', ms: 300, effect: { type: 'http', url: flakyUrl, assignTo: 'data' } }
			},
			context: { before: true }
		});
		expect(r.isError).toBeFalsy();
		const out = r.structuredContent as {
			ok: boolean;
			output: { ok: boolean; attempt: number };
			context: Record<string, unknown>;
			steps: { effect: string; type: string; phase: string; error?: string }[];
		};
		expect(out.ok).toBe(true);
		expect(out.output).toEqual({ ok: true, attempt: 3 });
		expect(out.context).toMatchObject({ before: true, data: { ok: true, attempt: 3 } });
		const retries = out.steps.filter((s) => s.type === 'retry' && s.phase === 'retry');
		expect(retries).toHaveLength(2);
		const timeouts = out.steps.filter((s) => s.type === 'timeout' && s.phase === 'error');
		expect(timeouts).toHaveLength(2);
		expect(timeouts[0].error).toMatch(/300/);
		expect(hits).toBe(3);

		// a tree that keeps failing reports why, as a tool error
		hits = -10;
		const fail = await call(client, 'execute_effect_pipeline', {
			effect: { type: 'retry', maxAttempts: 2, backoff: { initialMs: 1, jitter: 'none' }, effect: { type: 'timeout', ms: 50, effect: { type: 'http', url: flakyUrl } } }
		});
		expect(fail.isError).toBe(true);
		expect((fail.structuredContent as { ok: boolean; error: { code: string } }).error.code).toBe('timeout');
	});

	it('rejects bad arguments with the schema’s message', async () => {
		const client = shared;
		const r = await call(client, 'run_workflow', { events: 'OPEN' });
		expect(r.isError).toBe(true);
		const text = r.content[0].text ?? '';
		expect(text).toContain('Invalid arguments for tool run_workflow');
		expect(text).toMatch(/workflow/);
		expect(text).toMatch(/events/);
		const p = await call(client, 'execute_effect_pipeline', { effect: { kind: 'http' } });
		expect(p.isError).toBe(true);
		expect(p.content[0].text).toContain('Invalid arguments for tool execute_effect_pipeline');
		expect(p.content[0].text).toMatch(/effect\.type|type/);
		const params = await call(client, 'execute_effect_pipeline', { effect: { type: 'timeout', effect: { type: 'log', message: 'x' } } });
		expect(params.isError).toBe(true);
		expect((params.structuredContent as { error: { code: string; message: string } }).error).toMatchObject({ code: 'invalid_params' });
		expect((params.structuredContent as { error: { message: string } }).error.message).toContain('ms');
	});

	it('says clearly which environment variable to set when no model is configured, and still creates workflows from templates', async () => {
		const client = shared;
		const r = await call(client, 'call_llm', { prompt: 'Hello' });
		expect(r.isError).toBe(true);
		expect(r.content[0].text).toContain('OPENAI_API_KEY');
		expect(r.content[0].text).toContain('call_llm needs a language-model provider');
		const wf = await call(client, 'create_ai_workflow', { description: 'Triage support tickets and route billing questions to a human' });
		expect(wf.isError).toBeFalsy();
		const s = wf.structuredContent as { source: string; template: string; workflow: { states: Record<string, unknown> }; problems: string[] };
		expect(s.source).toBe('template');
		expect(s.template).toBe('triage');
		expect(Object.keys(s.workflow.states)).toContain('classifying');
		expect(s.problems).toEqual([]);
	});

	it('create_ai_workflow drafts through the assistant with the environment’s model, checked and laid out', async () => {
		const session = mockSession(inject('mockLlmUrl'));
		await session.script([{ reply: { json: { summary: 'Answers tickets.', workflow: goodDraft } } }]);
		const client = await connect({ OPENAI_API_KEY: 'sk-cli-secret-4321', OPENAI_BASE_URL: session.openai });
		try {
			const r = await call(client, 'create_ai_workflow', { description: 'Answer support tickets with a model, hand failures to a person', name: 'Ticket desk' });
			expect(r.isError, r.content[0]?.text).toBeFalsy();
			const s = r.structuredContent as { source: string; workflow: { name: string; states: Record<string, unknown>; layout?: Record<string, unknown> }; problems: string[] };
			expect(s.source).toBe('assistant');
			expect(s.workflow.name).toBe('Ticket desk');
			expect(Object.keys(s.workflow.states)).toEqual(['idle', 'answering', 'human', 'done']);
			expect(Object.keys(s.workflow.layout ?? {})).toEqual(expect.arrayContaining(['idle', 'answering', 'human', 'done']));
			const [req] = await session.requests();
			expect(JSON.stringify(req.body)).toContain('Answer support tickets with a model');
			// the drafted workflow runs as it is
			const run = await call(client, 'run_workflow', { workflow: s.workflow });
			expect((run.structuredContent as { value: unknown }).value).toBe('idle');
		} finally {
			await client.close();
		}
	}, SPAWN_MS);

	it('answers call_llm through the app’s provider layer with a key from the environment (never echoing the key)', async () => {
		const session = mockSession(inject('mockLlmUrl'));
		const client = await connect({ OPENAI_API_KEY: 'sk-cli-secret-9876', OPENAI_BASE_URL: session.openai, FSM_STUDIO_MODEL: 'gpt-test' });
		try {
			const r = await call(client, 'call_llm', { prompt: 'hello from the cli', temperature: 0 });
			expect(r.isError).toBeFalsy();
			expect((r.structuredContent as { text: string }).text).toBe('Mock answer to: hello from the cli');
			const [req] = await session.requests();
			expect((req.body as { model: string }).model).toBe('gpt-test');
			expect(req.headerNames).toContain('authorization');
			expect(JSON.stringify(r)).not.toContain('sk-cli-secret');
		} finally {
			await client.close();
		}
	}, SPAWN_MS);
});
