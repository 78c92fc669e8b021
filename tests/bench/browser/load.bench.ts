// First-load figures, each in a cold browser context (no HTTP cache, no service worker):
//   load.home_kb_gzip              JavaScript the home page fetches until it is usable (gzip kB)
//   load.designer_kb_gzip          JavaScript the designer fetches until the first state is drawn
//   load.designer_first_state_ms   navigation to the designer until its first state is drawn
// Sizes are the gzip size of every script (workers included) the page requested, compressed
// here with zlib level 9, so the figure does not depend on how the server compresses.
import { gzipSync } from 'node:zlib';
import type { Browser, BrowserContext, Page, Response } from '@playwright/test';
import type { Report } from '../report';

interface Fetched {
	url: string;
	gzip: number;
}

/** Records every script the context fetches (pages and workers). */
function recordScripts(context: BrowserContext) {
	const seen = new Map<string, Promise<Fetched | null>>();
	const onResponse = (r: Response) => {
		const url = r.url();
		if (seen.has(url)) return;
		const type = r.request().resourceType();
		const isJs = /\.m?js(\?|$)/.test(new URL(url).pathname) || type === 'script';
		if (!isJs || r.status() >= 400) return;
		seen.set(
			url,
			r.body().then(
				(b) => ({ url, gzip: gzipSync(b, { level: 9 }).length }),
				() => null
			)
		);
	};
	context.on('response', onResponse);
	return {
		async total() {
			const all = (await Promise.all(seen.values())).filter((x): x is Fetched => !!x);
			return { kb: all.reduce((s, f) => s + f.gzip, 0) / 1024, files: all.sort((a, b) => b.gzip - a.gzip) };
		},
		stop() {
			context.off('response', onResponse);
		}
	};
}

async function coldContext(browser: Browser): Promise<BrowserContext> {
	return browser.newContext({ viewport: { width: 1440, height: 900 }, serviceWorkers: 'block' });
}

function top(files: Fetched[]) {
	return files.slice(0, 6).map((f) => `${new URL(f.url).pathname.split('/').pop()} ${(f.gzip / 1024).toFixed(1)}`);
}

export default async function (page: Page, report: Report, base: string) {
	const browser = page.context().browser()!;

	// home, cold
	{
		const ctx = await coldContext(browser);
		const rec = recordScripts(ctx);
		const p = await ctx.newPage();
		await p.goto(base + '/');
		await p.getByRole('heading', { name: /workflows/i }).first().waitFor();
		await p.waitForLoadState('networkidle');
		const { kb, files } = await rec.total();
		report('load.home_kb_gzip', kb, 'kB', { files: files.length, largest: top(files), limit: 100 });
		await ctx.close();
	}

	// designer, cold: a workflow is created first (in a context that then shares its storage)
	{
		const ctx = await coldContext(browser);
		const p = await ctx.newPage();
		await p.goto(base + '/');
		await p.getByRole('button', { name: /support ticket triage/i }).first().click();
		await p.waitForURL(/\/w\/[0-9a-f]+$/);
		await p.locator('.svelte-flow__node').first().waitFor();
		const url = p.url();
		const state = await ctx.storageState({ indexedDB: true });
		await ctx.close();

		const runs: number[] = [];
		let last: { kb: number; files: Fetched[] } | undefined;
		for (let i = 0; i < 3; i++) {
			const cold = await browser.newContext({ viewport: { width: 1440, height: 900 }, serviceWorkers: 'block', storageState: state });
			const rec = recordScripts(cold);
			const q = await cold.newPage();
			const t0 = Date.now();
			await q.goto(url);
			await q.locator('.svelte-flow__node').first().waitFor({ state: 'visible' });
			runs.push(Date.now() - t0);
			rec.stop();
			last = await rec.total();
			await cold.close();
		}
		runs.sort((a, b) => a - b);
		report('load.designer_kb_gzip', last!.kb, 'kB', { files: last!.files.length, largest: top(last!.files), limit: 250 });
		report('load.designer_first_state_ms', runs[1], 'ms', { runs });
	}
}
