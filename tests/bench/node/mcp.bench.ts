// MCP round trips of a trivial tool call, p50 over 200 calls after a warm-up, with the
// official SDK client: FSM Studio's own server over stdio (`fsm-studio mcp`, spawned as a
// child process, `list_workflows` on an empty folder), and the test MCP server over
// Streamable HTTP on localhost (`add`), as a workflow's `call_tool` reaches it.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client, StreamableHTTPClientTransport } from '@modelcontextprotocol/client';
import { StdioClientTransport } from '@modelcontextprotocol/client/stdio';
import type { Report } from '../report';
import { startTestServer } from '../../mcp/fixtures/mcp-test-server';

const WARMUP = 20;
const CALLS = 200;

function pct(xs: number[], p: number): number {
	const s = [...xs].sort((a, b) => a - b);
	return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))];
}

async function time(call: () => Promise<unknown>): Promise<number[]> {
	for (let i = 0; i < WARMUP; i++) await call();
	const out: number[] = [];
	for (let i = 0; i < CALLS; i++) {
		const t0 = performance.now();
		await call();
		out.push(performance.now() - t0);
	}
	return out;
}

export default async function (report: Report) {
	const root = join(import.meta.dirname, '../../..');
	const dir = mkdtempSync(join(tmpdir(), 'fsm-mcp-bench-'));
	const stdio = new Client({ name: 'bench', version: '1.0.0' });
	await stdio.connect(new StdioClientTransport({ command: process.execPath, args: [join(root, 'bin/fsm-studio.js'), 'mcp', '--dir', dir], env: { PATH: process.env.PATH ?? '' }, stderr: 'ignore' }));
	try {
		const ms = await time(async () => {
			const r = await stdio.callTool({ name: 'list_workflows', arguments: {} });
			if (r.isError) throw new Error('list_workflows failed');
		});
		report('mcp.stdio_call_ms', pct(ms, 50), 'ms', { p95: Math.round(pct(ms, 95) * 100) / 100, calls: CALLS });
	} finally {
		await stdio.close();
		rmSync(dir, { recursive: true, force: true });
	}

	const server = await startTestServer();
	const http = new Client({ name: 'bench', version: '1.0.0' });
	await http.connect(new StreamableHTTPClientTransport(new URL(server.url)));
	try {
		const ms = await time(async () => {
			const r = await http.callTool({ name: 'add', arguments: { a: 1, b: 2 } });
			if (r.isError) throw new Error('add failed');
		});
		report('mcp.http_call_ms', pct(ms, 50), 'ms', { p95: Math.round(pct(ms, 95) * 100) / 100, calls: CALLS });
	} finally {
		await http.close();
		await server.close();
	}
}
