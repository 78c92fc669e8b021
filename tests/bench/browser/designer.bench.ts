// Designer figures on a big workflow (500 states, 1,000 transitions):
//   designer.open_500_ms      navigation to the designer until the canvas has drawn its states
//   designer.pan_500_p95_ms   95th percentile frame time while panning across it
import type { Page } from '@playwright/test';
import type { Report } from '../report';

export function bigWorkflow(states = 500, perState = 2) {
	const cols = 25;
	const s: Record<string, unknown> = {};
	const layout: Record<string, { x: number; y: number }> = {};
	for (let i = 0; i < states; i++) {
		const on: Record<string, string> = {};
		for (let k = 0; k < perState; k++) on[`E${k}_${i}`] = `s${(i + 1 + k * 6) % states}`;
		s[`s${i}`] = i % 10 === 9 ? { entry: [{ type: 'log', message: `at ${i}` }], on } : { on };
		layout[`s${i}`] = { x: (i % cols) * 280, y: Math.floor(i / cols) * 180 };
	}
	return { format: 'fsm-studio/workflow', version: 1, id: 'big', name: `Big ${states}`, initial: 's0', states: s, layout };
}

function percentile(xs: number[], p: number) {
	const a = [...xs].sort((x, y) => x - y);
	return a[Math.min(a.length - 1, Math.floor((p / 100) * a.length))];
}

async function drawn(page: Page) {
	await page.waitForSelector('.svelte-flow__node', { state: 'visible', timeout: 60_000 });
	await page.waitForSelector('.svelte-flow__edge', { state: 'attached', timeout: 60_000 });
	// two frames: the drawn frame has been painted
	await page.evaluate(`new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(() => r(null))))`);
}

export default async function (page: Page, report: Report, base: string) {
	await page.goto(base + '/');
	await page.getByTestId('import-file').setInputFiles({
		name: 'big.json',
		mimeType: 'application/json',
		buffer: Buffer.from(JSON.stringify(bigWorkflow()))
	});
	await page.waitForURL(/\/w\/[0-9a-f]+$/, { timeout: 60_000 });
	const url = page.url();
	await drawn(page);

	const times: number[] = [];
	for (let i = 0; i < 5; i++) {
		await page.goto(base + '/');
		await page.waitForSelector('[data-testid="workflow-card"]');
		const t0 = Date.now();
		await page.goto(url);
		await drawn(page);
		times.push(Date.now() - t0);
	}
	const nodes = await page.locator('.svelte-flow__node').count();
	const edges = await page.locator('.svelte-flow__edge').count();
	report('designer.open_500_ms', percentile(times, 50), 'ms', { runs: times, drawnNodes: nodes, drawnEdges: edges, limit: 2000 });

	// pan across the workflow while recording frame times
	await page.getByRole('button', { name: /zoom in/i }).click();
	await page.getByRole('button', { name: /zoom in/i }).click();
	await page.waitForTimeout(300);
	const pane = (await page.locator('.svelte-flow__pane').boundingBox())!;
	// a string, not a function: the TS loader would add helpers the page does not have
	await page.evaluate(`(() => {
		window.__frames = [];
		window.__stop = false;
		let last = performance.now();
		const tick = (t) => {
			window.__frames.push(t - last);
			last = t;
			if (!window.__stop) requestAnimationFrame(tick);
		};
		requestAnimationFrame(tick);
	})()`);
	// pan with the wheel (panOnScroll), like a trackpad: a drag could start on a state and move it
	await page.mouse.move(pane.x + pane.width / 2, pane.y + pane.height / 2);
	const transform = () => page.locator('.svelte-flow__viewport').evaluate((e) => getComputedStyle(e).transform);
	const before = await transform();
	for (let round = 0; round < 3; round++) {
		for (let i = 0; i < 60; i++) {
			await page.mouse.wheel(round % 2 ? -24 : 24, round % 2 ? -12 : 12);
			await page.waitForTimeout(8);
		}
	}
	const frames = (await page.evaluate(`(() => { window.__stop = true; return window.__frames.slice(2); })()`)) as number[];
	const after = await transform();
	if (after === before) throw new Error('the view did not move: nothing was panned');
	report('designer.pan_500_p95_ms', percentile(frames, 95), 'ms', { frames: frames.length, median: percentile(frames, 50), drawnNodes: await page.locator('.svelte-flow__node').count(), limit: 33 });
}
