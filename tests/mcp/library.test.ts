/**
 * The node library's MCP group from the real catalog of the test server (connected through
 * the SDK), the call_tool effects its entries drop, and the checks of tool arguments against
 * a tool's input schema that the property editor shows.
 */
import 'fake-indexeddb/auto';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { AiDb, setAiDb } from '../../src/lib/store/ai-db';
import { McpDb, setMcpDb, saveServer, deleteServer } from '../../src/lib/mcp/store';
import { closeConnections, refreshCatalog } from '../../src/lib/mcp/client';
import { mcpLibraryEntries, mcpLibrarySource, resultKey } from '../../src/lib/mcp/library';
import { checkArguments } from '../../src/lib/mcp/json-schema';
import { effectKinds } from '../../src/lib/effects';
import { startTestServer, type TestServer } from './fixtures/mcp-test-server';

let mcp: TestServer;
beforeAll(async () => {
	mcp = await startTestServer();
});
afterAll(async () => {
	await closeConnections();
	await mcp.close();
});
beforeEach(() => {
	setAiDb(new AiDb({ name: `ai-${Math.random().toString(36).slice(2)}` }));
	setMcpDb(new McpDb({ name: `mcp-${Math.random().toString(36).slice(2)}` }));
});

describe('MCP tools in the node library', () => {
	it('lists the tools of connected, enabled servers as call_tool effects with arguments from each input schema', async () => {
		expect(await mcpLibrarySource.items()).toEqual([]);
		const s = await saveServer({ name: 'Test tools', url: mcp.url, auth: { kind: 'none' } });
		// saved but never connected: nothing to show yet
		expect(await mcpLibrarySource.items()).toEqual([]);
		await refreshCatalog(s.id);
		const items = await mcpLibrarySource.items();
		expect(items.map((i) => i.label)).toEqual(['Add numbers', 'weather', 'echo', 'chart', 'fail', 'slow', 'Ask a model with Test tools’s tools']);
		const weather = items.find((i) => i.label === 'weather')!;
		expect(weather.description).toBe('Test tools · weather: Weather forecast for a city.');
		// defaults where the schema gives them, an empty value for required fields without one
		expect(weather.drop.spec).toEqual({ type: 'call_tool', server: 'Test tools', tool: 'weather', arguments: { city: '', unit: 'celsius', days: 1, details: false }, assignTo: 'weather' });
		const add = items.find((i) => i.label === 'Add numbers')!;
		expect(add.drop.spec.arguments).toEqual({ a: 0, b: 0 });
		// every dropped effect is a valid call_tool for the executor
		for (const i of items) {
			const kind = effectKinds[i.drop.spec.type as 'call_tool' | 'call_llm'];
			const r = kind.schema.safeParse(i.drop.spec);
			expect(r.success, `${i.label}: ${JSON.stringify(r.error?.issues)}`).toBe(true);
		}

		const llm = items.at(-1)!;
		expect(llm.tone).toBe('ai');
		expect(llm.drop.spec).toMatchObject({ type: 'call_llm', prompt: '{{ event.text }}', assignTo: 'answer' });
		const tools = llm.drop.spec.tools as { name: string; effect: Record<string, unknown> }[];
		expect(tools.map((t) => t.name)).toEqual(['add', 'weather', 'echo', 'chart', 'fail', 'slow']);
		expect(tools[0].effect).toEqual({ type: 'call_tool', server: 'Test tools', tool: 'add', arguments: '{{ results.args }}' });

		// a switched-off server's tools leave the library; with two servers the labels say whose tool it is
		await saveServer({ id: s.id, name: 'Test tools', url: mcp.url, auth: { kind: 'none' }, enabled: false });
		expect(await mcpLibrarySource.items()).toEqual([]);
		await saveServer({ id: s.id, name: 'Test tools', url: mcp.url, auth: { kind: 'none' }, enabled: true });
		const other = await saveServer({ name: 'Second', url: mcp.url, auth: { kind: 'none' } });
		await refreshCatalog(other.id);
		const both = await mcpLibrarySource.items();
		expect(both.filter((i) => i.label.startsWith('Add numbers')).map((i) => i.label).sort()).toEqual(['Add numbers (Second)', 'Add numbers (Test tools)']);
		expect(new Set(both.map((i) => i.id)).size).toBe(both.length);
	});

	it('tells the library when servers change (saved, connected, removed)', async () => {
		let n = 0;
		const off = mcpLibrarySource.subscribe(() => n++);
		try {
			const s = await saveServer({ name: 'Watched', url: mcp.url, auth: { kind: 'none' } });
			await expect.poll(() => n).toBeGreaterThanOrEqual(1);
			const before = n;
			await refreshCatalog(s.id);
			await expect.poll(() => n).toBeGreaterThan(before);
			const mid = n;
			await deleteServer(s.id);
			await expect.poll(() => n).toBeGreaterThan(mid);
		} finally {
			off();
		}
		const after = n;
		await saveServer({ name: 'Unwatched', url: mcp.url, auth: { kind: 'none' } });
		await new Promise((r) => setTimeout(r, 100));
		expect(n).toBe(after);
	});

	it('names result keys after tools', () => {
		expect(resultKey('get-forecast')).toBe('getForecast');
		expect(resultKey('search_docs')).toBe('searchDocs');
		expect(resultKey('Add')).toBe('add');
		expect(resultKey('3d-render')).toBe('result_3dRender');
		expect(resultKey('???')).toBe('result');
		expect(mcpLibraryEntries([])).toEqual([]);
	});
});

describe('tool arguments against the input schema', () => {
	const schema = {
		type: 'object',
		properties: {
			city: { type: 'string', minLength: 1 },
			unit: { type: 'string', enum: ['celsius', 'fahrenheit'] },
			days: { type: 'integer', minimum: 1, maximum: 7 },
			details: { type: 'boolean' },
			tags: { type: 'array', items: { type: 'string' } },
			where: { type: 'object', properties: { lat: { type: 'number' } }, required: ['lat'] },
			note: { anyOf: [{ type: 'string' }, { type: 'null' }] }
		},
		required: ['city', 'days']
	};

	it('accepts good values and templates anywhere', () => {
		expect([...checkArguments(schema, { city: 'Oslo', days: 3, unit: 'celsius', details: true, tags: ['a'], where: { lat: 1.5 }, note: null })]).toEqual([]);
		expect([...checkArguments(schema, { city: '{{ event.city }}', days: '{{ event.days }}', where: '{{ context.where }}' })]).toEqual([]);
		expect([...checkArguments(schema, '{{ results.args }}')]).toEqual([]);
	});

	it('says what is wrong, field by field', () => {
		const m = checkArguments(schema, { city: '', days: 2.5, unit: 'kelvin', details: 'yes', tags: ['a', 3], where: {}, note: 4 });
		expect(Object.fromEntries(m)).toEqual({
			city: 'Required by the tool: fill this in.',
			days: 'Should be a whole number.',
			unit: 'Choose one of "celsius", "fahrenheit".',
			details: 'Should be true or false (or a {{ }} template).',
			'tags.1': 'Should be text (or a {{ }} template).',
			'where.lat': 'Required by the tool: fill this in.',
			note: 'Should be text (or a {{ }} template).'
		});
		expect(Object.fromEntries(checkArguments(schema, { city: 'Oslo', days: 9 }))).toEqual({ days: 'At most 7.' });
		expect(Object.fromEntries(checkArguments(schema, { city: 'Oslo' }))).toEqual({ days: 'Required by the tool: fill this in.' });
		expect(Object.fromEntries(checkArguments(schema, ['x']))).toEqual({ '': 'Should be an object (or a {{ }} template).' });
	});
});
