// Browser benchmarks: serves the production build with `vite preview`, drives Debian's
// Chromium (CHROMIUM_PATH overrides) and runs every tests/bench/browser/*.bench.ts,
// printing one JSON object per line.
import { readdirSync } from 'node:fs';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { join, dirname } from 'node:path';
import { spawn } from 'node:child_process';
import { chromium, type Page } from '@playwright/test';
import { printReport, type Report } from './report';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const dir = join(root, 'tests', 'bench', 'browser');
const port = Number(process.env.BENCH_PORT || 4183);
// A server already on the port would be measured instead of this build: refuse.
try {
	await fetch(`http://localhost:${port}`);
	throw new Error(`port ${port} is already in use (a stale preview server?); stop it or set BENCH_PORT`);
} catch (e) {
	if (e instanceof Error && e.message.startsWith('port ')) throw e;
}
// Spawn vite itself (not through npx) in its own process group, so killing the group
// leaves no preview server behind to answer the next run with a stale build.
const server = spawn(join(root, 'node_modules', '.bin', 'vite'), ['preview', '--port', String(port), '--strictPort'], {
	cwd: root,
	stdio: 'ignore',
	detached: true
});
const stopServer = () => {
	try {
		if (server.pid) process.kill(-server.pid, 'SIGTERM');
	} catch {
		/* already gone */
	}
};
process.on('exit', stopServer);
const base = `http://localhost:${port}`;

async function waitForServer() {
	for (let i = 0; i < 100; i++) {
		try {
			const r = await fetch(base);
			if (r.ok) return;
		} catch {
			/* not up yet */
		}
		await new Promise((r) => setTimeout(r, 200));
	}
	throw new Error('vite preview did not start');
}

const filters = process.argv.slice(2);
try {
	await waitForServer();
	const executablePath = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
	const browser = await chromium.launch({
		executablePath: executablePath || undefined,
		args: ['--no-sandbox', '--disable-dev-shm-usage', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run']
	});
	const report = printReport();
	const files = readdirSync(dir)
		.filter((f) => f.endsWith('.bench.ts'))
		.filter((f) => filters.length === 0 || filters.some((x) => f.includes(x)))
		.sort();
	for (const f of files) {
		const context = await browser.newContext({ viewport: { width: 1400, height: 900 } });
		const page = await context.newPage();
		const mod = (await import(pathToFileURL(join(dir, f)).href)) as {
			default: (page: Page, report: Report, base: string) => Promise<void>;
		};
		await mod.default(page, report, base);
		await context.close();
	}
	await browser.close();
} finally {
	stopServer();
}
