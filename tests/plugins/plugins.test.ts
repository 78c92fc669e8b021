import 'fake-indexeddb/auto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createExecutor } from '$lib/effects';
import type { EffectHandler } from '$lib/effects/types';
import { simulatedHandlers } from '$lib/effects/simulated';
import { createInterpreter } from '$lib/engine';
import type { InstanceEvent } from '$lib/engine/types';
import type { Workflow } from '$lib/model/types';
import { allKinds, checkCandidate } from '$lib/assistant';
import {
	clearOutput, createPluginSink, declaredHandlers, extensionsDb, kindInfo, pluginOutput, readDeclaredKind, refreshKinds, saveKind, setPlugin,
	verifyAuditTrail, withDeclaredKinds, DEFAULT_AUDIT, DEFAULT_LOGGER, type DeclaredKind
} from '$lib/plugins';

let server: Server;
let base = '';
const seen: { method?: string; url?: string; headers: Record<string, unknown>; body: string }[] = [];
beforeAll(async () => {
	server = createServer((req, res) => {
		let body = '';
		req.on('data', (d) => (body += d));
		req.on('end', () => {
			seen.push({ method: req.method, url: req.url, headers: req.headers, body });
			const u = new URL(req.url!, 'http://x');
			if (u.pathname === '/down') {
				res.writeHead(503, { 'content-type': 'text/plain' });
				return res.end('maintenance');
			}
			res.writeHead(200, { 'content-type': 'application/json' });
			res.end(JSON.stringify({ current: { temperature: u.searchParams.get('units') === 'fahrenheit' ? 68 : 20 }, city: u.searchParams.get('city') }));
		});
	});
	await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
	base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise<void>((r) => server.close(() => r())));

const weather = () => ({
	format: 'fsm-studio/effect-kind',
	version: 1,
	type: 'weather_lookup',
	label: 'Weather lookup',
	description: 'Current temperature for a city.',
	params: {
		type: 'object',
		properties: { city: { type: 'string', minLength: 1 }, units: { type: 'string', enum: ['celsius', 'fahrenheit'], default: 'celsius' } },
		required: ['city']
	},
	request: { method: 'GET', url: `${base}/weather?city={{ $encodeUrlComponent(params.city) }}&units={{ params.units }}`, headers: { 'x-app': 'fsm-{{ params.units }}' } },
	result: '{ "city": params.city, "temperature": body.current.temperature, "status": status }'
});

function kind(def: unknown = weather()): DeclaredKind {
	const r = readDeclaredKind(def);
	if (!r.ok) throw new Error(r.errors.join('; '));
	return r.kind;
}

const flow = (effect: Record<string, unknown>): Workflow =>
	({
		format: 'fsm-studio/workflow',
		version: 1,
		id: 'w',
		name: 'Weather',
		initial: 'idle',
		context: { result: null, error: null },
		states: {
			idle: { on: { ASK: 'asking' } },
			asking: { invoke: effect, onDone: { target: 'done', effects: [{ type: 'assign', set: { result: 'event.output' } }] }, onError: { target: 'failed', effects: [{ type: 'assign', set: { error: 'event.error' } }] } },
			done: { type: 'final' },
			failed: { type: 'final' }
		}
	}) as unknown as Workflow;

async function runOnce(wf: Workflow, handlers: Record<string, unknown>, event: Record<string, unknown>, onEvent?: (e: InstanceEvent) => void) {
	const it = createInterpreter(wf, { runEffect: createExecutor({ handlers: handlers as never }).run, ...(onEvent ? { onEvent } : {}) });
	it.start();
	it.send({ type: 'ASK', ...event });
	for (let i = 0; i < 200 && it.snapshot().status === 'active'; i++) await new Promise((r) => setTimeout(r, 10));
	return it.snapshot();
}

describe('effect kinds declared as data', () => {
	it('run against a local HTTP server: parameters from the effect (templates resolved), defaults filled, the result mapped', async () => {
		seen.length = 0;
		const snap = await runOnce(flow({ type: 'weather_lookup', city: '{{ event.city }}' }), declaredHandlers([kind()]), { city: 'São Paulo' });
		expect(snap.value).toBe('done');
		expect(snap.context.result).toEqual({ city: 'São Paulo', temperature: 20, status: 200 });
		expect(seen).toHaveLength(1);
		expect(seen[0].url).toBe('/weather?city=S%C3%A3o%20Paulo&units=celsius');
		expect(seen[0].headers['x-app']).toBe('fsm-celsius');
	});

	it('parameters that break the schema fail before any request, with the field and the reason', async () => {
		seen.length = 0;
		const snap = await runOnce(flow({ type: 'weather_lookup', city: 'Oslo', units: 'kelvin' }), declaredHandlers([kind()]), {});
		expect(snap.value).toBe('failed');
		expect(String(snap.context.error)).toMatch(/Weather lookup: units — /);
		expect(seen).toHaveLength(0);
	});

	it('a server error is an http_status failure the workflow can route on', async () => {
		const def = { ...weather(), type: 'status_check', label: 'Status check', request: { method: 'POST', url: `${base}/down`, body: { probe: '{{ params.city }}' } }, result: undefined };
		const snap = await runOnce(flow({ type: 'status_check', city: 'x' }), declaredHandlers([kind(def)]), {});
		expect(snap.value).toBe('failed');
		expect(String(snap.context.error)).toMatch(/Status check: 127\.0\.0\.1:\d+ answered 503 — maintenance/);
		expect(seen.at(-1)).toMatchObject({ method: 'POST', body: '{"probe":"x"}' });
	});

	it('bad declarations are refused in the user’s words: built-in names, broken templates and mappings, other schemes', () => {
		const errs = (d: unknown) => {
			const r = readDeclaredKind(d);
			return r.ok ? [] : r.errors;
		};
		expect(errs({ ...weather(), type: 'http' })).toEqual(['type: That name is a built-in effect kind; choose another']);
		expect(errs({ ...weather(), request: { url: `${base}/{{ params.( }}` } }).join(' ')).toMatch(/request\.url: the template/);
		expect(errs({ ...weather(), result: '{ "a": ' }).join(' ')).toMatch(/result: the mapping does not parse/);
		expect(errs({ ...weather(), request: { url: 'file:///etc/passwd' } })).toEqual(['request.url: must start with http:// or https://']);
		expect(errs({ ...weather(), type: 'Bad Name' }).join(' ')).toMatch(/lower-case letters/);
	});

	it('appear to the assistant like built-ins: drafts using them are checked against their schema', () => {
		const kinds = allKinds([kindInfo(kind())]);
		const wf = flow({ type: 'weather_lookup', units: 'celsius' });
		const c = checkCandidate(wf, kinds);
		expect(c.errors.map((e) => e.message).join(' ')).toMatch(/weather_lookup\): must have required property 'city'|city/);
		expect(checkCandidate(flow({ type: 'weather_lookup', city: 'Rome' }), kinds).errors).toEqual([]);
		expect(checkCandidate(flow({ type: 'weather_lookup', city: 'Rome' }), allKinds()).errors[0].rule).toBe('unknown-effect');
	});

	it('stored in the workspace, they join the live handlers of runs started afterwards; simulated runs answer them without a request', async () => {
		await saveKind(weather(), 'kinds-ws');
		await refreshKinds('kinds-ws');
		const live = withDeclaredKinds({ call_llm: (() => 'x') as unknown as EffectHandler<never> }, 'kinds-ws');
		expect(Object.keys(live).sort()).toEqual(['call_llm', 'weather_lookup']);
		seen.length = 0;
		const snap = await runOnce(flow({ type: 'weather_lookup', city: 'Lima', units: 'fahrenheit' }), { ...live }, {});
		expect(snap.context.result).toMatchObject({ temperature: 68 });
		const sim = await runOnce(flow({ type: 'weather_lookup', city: 'Lima' }), simulatedHandlers(Object.keys(live)), {});
		expect(sim.value).toBe('done');
		expect(seen).toHaveLength(1);
		// a second kind declared later is there for the next run
		await saveKind({ ...weather(), type: 'weather_forecast', label: 'Forecast' }, 'kinds-ws');
		await refreshKinds('kinds-ws');
		expect(Object.keys(live)).toContain('weather_forecast');
	});
});

describe('Logger and Audit', () => {
	async function observedRun(ws: string) {
		const sink = createPluginSink({ workspaceId: ws, interval: 5 });
		const wf = flow({ type: 'weather_lookup', city: 'Bern' });
		const snap = await runOnce(wf, declaredHandlers([kind()]), {}, (e) => sink.observe({ instanceId: 'i-1', workflowId: 'w', workflowName: 'Weather', mode: 'live' }, e));
		await sink.close();
		return snap;
	}

	it('when enabled, observe every transition and effect of a run; the audit trail is a verifiable chain', async () => {
		await setPlugin('logger', true, DEFAULT_LOGGER, 'obs');
		await setPlugin('audit', true, DEFAULT_AUDIT, 'obs');
		const snap = await observedRun('obs');
		expect(snap.value).toBe('done');
		const log = (await pluginOutput('logger', 100, 'obs')).reverse();
		expect(log.map((l) => l.message)).toEqual(['idle —ASK→ asking', expect.stringMatching(/^weather_lookup done in asking in \d+ ms$/), 'asking —done.invoke.asking→ done', 'status done']);
		expect(log[0]).toMatchObject({ instanceId: 'i-1', workflowName: 'Weather', mode: 'live', kind: 'transition' });
		const audit = (await pluginOutput('audit', 100, 'obs')).reverse();
		expect(audit.map((a) => a.message)).toEqual(['idle —ASK→ asking', 'asking —done.invoke.asking→ done', 'run done']);
		expect(await verifyAuditTrail('obs')).toEqual({ entries: 3, brokenAt: -1 });
		// a second run extends the same chain
		await observedRun('obs');
		expect(await verifyAuditTrail('obs')).toEqual({ entries: 6, brokenAt: -1 });
		// editing an entry breaks the chain there
		const db = extensionsDb('obs');
		const rows = await db.output.where('plugin').equals('audit').toArray();
		await db.output.update(rows[3].id!, { message: 'nothing happened' });
		expect((await verifyAuditTrail('obs')).brokenAt).toBe(3);
		await clearOutput('audit', 'obs');
		expect(await verifyAuditTrail('obs')).toEqual({ entries: 0, brokenAt: -1 });
	});

	it('audit records outside effects and emitted events only when asked; the logger’s detail decides what it keeps', async () => {
		await setPlugin('logger', true, { ...DEFAULT_LOGGER, detail: 'transitions' }, 'obs2');
		await setPlugin('audit', true, { ...DEFAULT_AUDIT, transitions: false, effects: ['weather_lookup'], actor: 'ana' }, 'obs2');
		await observedRun('obs2');
		const log = (await pluginOutput('logger', 100, 'obs2')).map((l) => l.message);
		expect(log.some((m) => m.includes('weather_lookup'))).toBe(false);
		const audit = await pluginOutput('audit', 100, 'obs2');
		expect(audit.map((a) => a.message)).toEqual(['run done', 'weather_lookup done in asking']);
		expect(audit[1].data).toMatchObject({ actor: 'ana' });
	});

	it('off: nothing is recorded', async () => {
		await setPlugin('logger', false, DEFAULT_LOGGER, 'obs3');
		await observedRun('obs3');
		expect(await pluginOutput('logger', 100, 'obs3')).toEqual([]);
		expect(await pluginOutput('audit', 100, 'obs3')).toEqual([]);
	});
});
