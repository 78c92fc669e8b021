import { expect, test } from './fixtures';

declare global {
	interface Window {
		__longTasks: { start: number; duration: number }[];
	}
}

test('the main thread has no long task while the worker processes 100,000 events', async ({ page }) => {
	test.setTimeout(240_000);
	await page.addInitScript(() => {
		window.__longTasks = [];
		new PerformanceObserver((list) => {
			for (const e of list.getEntries()) window.__longTasks.push({ start: e.startTime, duration: e.duration });
		}).observe({ type: 'longtask', buffered: true });
	});
	await page.goto('/run/smart-door');
	await expect(page.getByTestId('current-state')).toHaveText('closed');
	const instanceId = (await page.locator('dd code').textContent())!;

	await page.getByText('Load test', { exact: true }).click();
	await page.getByLabel('Number of events').fill('100000');
	// Let the page settle, then watch only the load test's window.
	await page.waitForTimeout(500);
	const from = await page.evaluate(() => performance.now());
	await page.getByRole('button', { name: 'Run load test' }).click();
	await expect(page.getByTestId('load-result')).toContainText('Sent 100000 events', { timeout: 200_000 });

	// Every input reached IndexedDB (the store may still be writing the tail). Input segments
	// hold consecutive input seqs, so the highest `last` is the number of stored inputs; one
	// key-cursor step reads it without deserialising 100,000 events on the main thread.
	const countInputs = () =>
		page.evaluate(
			(id) =>
				new Promise<number>((resolve, reject) => {
					const req = indexedDB.open('fsm-studio-ws-default');
					req.onerror = () => reject(req.error);
					req.onsuccess = () => {
						const db = req.result;
						const index = db.transaction('inputs').objectStore('inputs').index('[instanceId+last]');
						const c = index.openKeyCursor(IDBKeyRange.bound([id, 0], [id, Infinity]), 'prev');
						c.onsuccess = () => {
							resolve(c.result ? ((c.result.key as [string, number])[1]) : 0);
							db.close();
						};
						c.onerror = () => reject(c.error);
					};
				}),
			instanceId
		);
	await expect.poll(countInputs, { timeout: 60_000 }).toBe(100_000);
	const to = await page.evaluate(() => performance.now());

	await expect(page.getByTestId('inputs')).toHaveText('100000');
	await page.getByText('Context', { exact: true }).click();
	await expect(page.getByTestId('context')).toContainText('"opens": 50000');

	const longTasks = await page.evaluate(
		([a, b]) => window.__longTasks.filter((t) => t.start + t.duration >= a && t.start <= b),
		[from, to]
	);
	console.log(`main-thread long tasks during the load test: ${JSON.stringify(longTasks)}; window ${Math.round(from)}–${Math.round(to)} ms`);
	expect(longTasks.filter((t) => t.duration > 50)).toEqual([]);
});
