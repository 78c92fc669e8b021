// The embeddable elements, as a host page loads them from the app's stable URL (<app>/embed/):
//   embed.viewer_kb_gzip     JavaScript a page fetches to show <fsm-viewer> (the engine, the
//                            workflow parser and JSONata included), gzip level 9 (goal ≤ 80;
//                            the viewer is built on its own: `vite build -c vite.embed.config.ts --mode viewer`)
//   embed.viewer_render_ms   from navigation start until a 10-state workflow is drawn and its
//                            autorun instance has lit its initial state (cold cache)
import { gzipSync } from 'node:zlib';
import { readFileSync } from 'node:fs';
import type { Page, Response } from '@playwright/test';
import type { Report } from '../report';

const workflow = readFileSync('src/lib/examples/support-triage.json', 'utf8');

export default async function (page: Page, report: Report, base: string) {
	const sizes = new Map<string, Promise<number>>();
	page.on('response', (r: Response) => {
		const url = r.url();
		if (!/\.m?js(\?|$)/.test(new URL(url).pathname) || sizes.has(url) || r.status() >= 400) return;
		sizes.set(url, r.body().then((b) => gzipSync(b, { level: 9 }).length, () => 0));
	});
	// a host page served on the app's origin by the browser itself (no SvelteKit page involved)
	const hostUrl = `${base}/__embed-bench/host.html`;
	await page.route(hostUrl, (route) =>
		route.fulfill({
			contentType: 'text/html',
			body: `<!doctype html><title>host</title><script type="module" src="${base}/embed/fsm-viewer.js"></script>
<fsm-viewer autorun style="height:600px"><script type="application/json">${workflow.replace(/</g, '\\u003c')}</script></fsm-viewer>`
		})
	);
	const runs: number[] = [];
	for (let i = 0; i < 5; i++) {
		await page.context().clearCookies();
		await page.goto(hostUrl);
		await page.waitForFunction(() => !!document.querySelector('fsm-viewer')?.shadowRoot?.querySelector('g.state.active'));
		runs.push(await page.evaluate(() => performance.now()));
		if (i === 0) {
			const kb = (await Promise.all(sizes.values())).reduce((a, b) => a + b, 0) / 1024;
			report('embed.viewer_kb_gzip', kb, 'kB', { files: [...sizes.keys()].map((u) => new URL(u).pathname) });
		}
	}
	runs.sort((a, b) => a - b);
	report('embed.viewer_render_ms', runs[Math.floor(runs.length / 2)], 'ms', { runs: runs.length, note: 'median of 5, HTTP cache warm after the first' });
}
