// Simulator figures, measured in Chromium on the production build:
//   sim.events_per_s   events the simulator worker processes per second while the designer
//                      shows the run panel (live view pushes, canvas highlighting) on a
//                      100-state workflow, with the longest main-thread task in that window
//   sim.timetravel_ms  click log entry 50,000 of a 100,000-entry log until the canvas shows
//                      that moment (worker replay from the nearest checkpoint + drawing)
import type { Page } from '@playwright/test';
import type { Report } from '../report';

/** A ring of n states laid out in a grid: NEXT moves on (counting in the context), BACK returns to s0. */
export function ringWorkflow(n = 100) {
	const states: Record<string, unknown> = {};
	const layout: Record<string, { x: number; y: number }> = {};
	for (let i = 0; i < n; i++) {
		states[`s${i}`] = { on: { NEXT: { target: `s${(i + 1) % n}`, effects: [{ type: 'assign', set: { n: 'context.n + 1' } }] }, BACK: 's0' } };
		layout[`s${i}`] = { x: (i % 10) * 260, y: Math.floor(i / 10) * 160 };
	}
	return { format: 'fsm-studio/workflow', version: 1, id: `ring-${n}`, name: `Ring ${n}`, initial: 's0', context: { n: 0 }, states, layout };
}

// Strings, not functions: the TS loader would add helpers the page does not have.
const observeLongTasks = `(() => {
	window.__longTasks = [];
	new PerformanceObserver((list) => {
		for (const e of list.getEntries()) window.__longTasks.push({ start: e.startTime, duration: e.duration });
	}).observe({ type: 'longtask', buffered: true });
})()`;

async function runLoad(page: Page, n: number) {
	await page.getByTestId('sim-load-count').fill(String(n));
	const from = (await page.evaluate('performance.now()')) as number;
	await page.getByTestId('sim-load-run').click();
	const result = page.getByTestId('sim-load-result');
	await result.waitFor({ state: 'visible', timeout: 300_000 });
	const to = (await page.evaluate('performance.now()')) as number;
	const perSecond = Number(await result.getAttribute('data-per-second'));
	const sent = Number(await result.getAttribute('data-sent'));
	const tasks = (await page.evaluate('window.__longTasks')) as { start: number; duration: number }[];
	const inWindow = tasks.filter((t) => t.start + t.duration >= from && t.start <= to);
	return { perSecond, sent, ms: to - from, longestTask: Math.max(0, ...inWindow.map((t) => t.duration)), longTasks: inWindow.length };
}

export default async function (page: Page, report: Report, base: string) {
	page.setDefaultTimeout(300_000);
	await page.addInitScript(observeLongTasks);
	await page.goto(base + '/');
	await page.getByTestId('import-file').setInputFiles({
		name: 'ring.json',
		mimeType: 'application/json',
		buffer: Buffer.from(JSON.stringify(ringWorkflow(100)))
	});
	await page.waitForURL(/\/w\/[^/]+$/, { timeout: 60_000 });
	await page.waitForSelector('.svelte-flow__node', { state: 'visible', timeout: 60_000 });
	await page.getByRole('tab', { name: 'Run', exact: true }).click();
	await page.getByTestId('sim-start').click();
	await page.locator('.svelte-flow__node .state.active').first().waitFor();
	await page.getByRole('button', { name: 'Load test' }).click();
	// The event log tab open too: it follows the tail while the load runs.
	await page.getByRole('tab', { name: 'Event log' }).click();

	await runLoad(page, 5_000); // warm-up (JIT, IndexedDB)
	const runs = [];
	for (let i = 0; i < 3; i++) runs.push(await runLoad(page, 25_000));
	const median = [...runs].sort((a, b) => a.perSecond - b.perSecond)[1];
	report('sim.events_per_s', median.perSecond, 'events/s', {
		runs: runs.map((r) => r.perSecond),
		eventsPerRun: median.sent,
		longestMainThreadTaskMs: Math.round(Math.max(...runs.map((r) => r.longestTask))),
		longTasks: runs.reduce((n, r) => n + r.longTasks, 0),
		limit: 10_000,
		longTaskLimitMs: 50
	});

	// A fresh instance with a 100,000-entry log (a few entries to start, then each NEXT logs
	// input, exited, transition and entered).
	await page.getByTestId('sim-start').click();
	await page.waitForFunction(() => Number(document.querySelector('[data-testid="sim-log-count"]')?.textContent?.split(' ')[0]) < 10);
	await runLoad(page, 25_000);
	const size = async () => Number((await page.getByTestId('sim-log-count').textContent())?.split(' ')[0]);
	await page.waitForFunction(() => Number(document.querySelector('[data-testid="sim-log-count"]')?.textContent?.split(' ')[0]) >= 100_000);
	const total = await size();

	// Scroll the virtualised log to entry 50,000, then time click → canvas showing that moment.
	const target = 50_000;
	await page.getByRole('listbox', { name: 'Event log' }).evaluate((el, pos) => (el.scrollTop = (pos - 5) * 24), target);
	const row = page.locator(`[data-testid="sim-log-row"][data-position="${target}"]`);
	await row.waitFor();
	const ms = (await page.evaluate(
		`new Promise((resolve) => {
			const row = document.querySelector('[data-testid="sim-log-row"][data-position="${target}"]');
			const t0 = performance.now();
			row.click();
			const check = () => {
				const host = document.querySelector('[data-sim-moment="${target}"]');
				const drawn = document.querySelector('.svelte-flow__node .state.sim-moment');
				if (host && drawn) requestAnimationFrame(() => resolve(performance.now() - t0));
				else requestAnimationFrame(check);
			};
			check();
		})`
	)) as number;
	const replayText = (await page.getByTestId('sim-moment').textContent()) ?? '';
	const workerMs = Number(/replayed in ([\d.]+) ms/.exec(replayText)?.[1] ?? NaN);
	report('sim.timetravel_ms', ms, 'ms', { position: target, logSize: total, workerReplayMs: workerMs, limit: 200 });
}
