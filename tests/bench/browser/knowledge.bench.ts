// First visit of the Knowledge page, in a cold browser context (no HTTP cache, no service
// worker, empty storage), median of 3:
//   knowledge.first_nav_ms       navigation until the app's navigation (the "Workflows" link) shows
//   knowledge.first_heading_ms   navigation until the page's first heading shows
//   knowledge.ready_ms           navigation until the page is usable (the first-base form, its worker started)
import type { Page } from '@playwright/test';
import type { Report } from '../report';

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

export default async function (page: Page, report: Report, base: string) {
	const browser = page.context().browser()!;
	const nav: number[] = [];
	const heading: number[] = [];
	const ready: number[] = [];
	for (let i = 0; i < 3; i++) {
		const ctx = await browser.newContext({ viewport: { width: 1440, height: 900 }, serviceWorkers: 'block' });
		const p = await ctx.newPage();
		const t0 = Date.now();
		await p.goto(base + '/knowledge', { waitUntil: 'commit' });
		const seen = (what: () => Promise<void>) => what().then(() => Date.now() - t0);
		const [n, h, r] = await Promise.all([
			seen(() => p.getByRole('link', { name: 'Workflows' }).first().waitFor({ timeout: 60_000 })),
			seen(() => p.getByRole('heading').first().waitFor({ timeout: 60_000 })),
			seen(() => p.getByRole('heading', { name: 'Create your first knowledge base' }).waitFor({ timeout: 60_000 }))
		]);
		nav.push(n);
		heading.push(h);
		ready.push(r);
		await ctx.close();
	}
	report('knowledge.first_nav_ms', median(nav), 'ms', { runs: nav });
	report('knowledge.first_heading_ms', median(heading), 'ms', { runs: heading });
	report('knowledge.ready_ms', median(ready), 'ms', { runs: ready });
}
