import { type Page } from '@playwright/test';
import { expect, test } from './fixtures';
import AxeBuilder from '@axe-core/playwright';

type Segment = { instanceId: string; seq: number; events: { kind: string; type: string; time: number }[] };

/** Reads the stored events straight from IndexedDB (not through the app), one per row. */
async function storedRows(page: Page) {
	return page.evaluate(
		() =>
			new Promise<{ instanceId: string; seq: number; kind: string; type: string; time: number }[]>((resolve, reject) => {
				const req = indexedDB.open('fsm-studio-ws-default');
				req.onerror = () => reject(req.error);
				req.onsuccess = () => {
					const db = req.result;
					const all = db.transaction('events').objectStore('events').getAll();
					all.onsuccess = () => {
						resolve(
							(all.result as Segment[]).flatMap((s) => s.events.map((e, i) => ({ instanceId: s.instanceId, seq: s.seq + i, kind: e.kind, type: e.type, time: e.time })))
						);
						db.close();
					};
					all.onerror = () => reject(all.error);
				};
			})
	);
}

const state = (page: Page) => page.getByTestId('current-state');

test('the smart door runs in the worker, logs to IndexedDB and is restored after a reload', async ({ page }) => {
	await page.goto('/run/smart-door');
	await expect(page.getByRole('heading', { name: 'Smart door' })).toBeVisible();
	await expect(state(page)).toHaveText('closed');
	await expect(page.getByRole('button', { name: 'Send OPEN' })).toBeEnabled();
	await expect(page.getByRole('button', { name: 'Send LOCK' })).toBeVisible();
	await expect(page.getByRole('button', { name: 'Send CLOSE' })).toHaveCount(0);

	// Lock: a state without timers, so the reload check does not race the clock.
	await page.getByRole('button', { name: 'Send LOCK' }).click();
	await expect(state(page)).toHaveText('locked');
	await expect(page.getByRole('button', { name: 'Send UNLOCK' })).toBeVisible();
	const log = page.getByTestId('event-log');
	await expect(log.locator('li').first()).toContainText('entered locked');
	await expect(log).toContainText('closed → locked on LOCK');

	await page.reload();
	await expect(state(page)).toHaveText('locked');
	await expect(page.getByTestId('inputs')).toHaveText('1');
	await expect(page.getByTestId('context')).toContainText('"locked": true');
	await expect(page.getByTestId('event-log')).toContainText('closed → locked on LOCK');

	await page.getByRole('button', { name: 'Send UNLOCK' }).click();
	await expect(state(page)).toHaveText('closed');
	await page.getByRole('button', { name: 'Send OPEN' }).click();
	await expect(state(page)).toHaveText('open');
	await expect(page.getByTestId('event-log').locator('li').first()).toContainText('Door opened 1 times');

	const rows = await storedRows(page);
	const inputs = rows.filter((r) => r.kind === 'input').map((r) => r.type);
	expect(inputs).toEqual(['LOCK', 'UNLOCK', 'OPEN']);
	expect(rows.map((r) => r.seq)).toEqual(rows.map((_, i) => i + 1));
	const openedAt = rows.find((r) => r.kind === 'input' && r.type === 'OPEN')!.time;

	// Reload while open: the `after 5000` timer is re-armed from when the door opened.
	await page.reload();
	await expect(state(page)).toHaveText(/open|closed/);
	await expect(state(page)).toHaveText('closed', { timeout: 15_000 });
	const after = await storedRows(page);
	const timer = after.filter((r) => r.kind === 'input').at(-1)!;
	expect(timer.type).not.toBe('OPEN');
	expect(timer.time - openedAt).toBeGreaterThanOrEqual(5000);
	expect(timer.time - openedAt).toBeLessThan(5000 + 1500);
});

test('reset starts a fresh instance and a new instance keeps the old one', async ({ page }) => {
	await page.goto('/run/smart-door');
	await expect(state(page)).toHaveText('closed');
	await page.getByRole('button', { name: 'Send LOCK' }).click();
	await expect(state(page)).toHaveText('locked');

	await page.getByRole('button', { name: 'New instance' }).click();
	await expect(state(page)).toHaveText('closed');
	await expect(page.getByTestId('inputs')).toHaveText('0');
	const picker = page.getByRole('combobox', { name: 'Instance' });
	await expect(picker.locator('option')).toHaveCount(2);
	await expect(picker.locator('option').nth(1)).toContainText('locked');

	const fresh = (await page.locator('dd code').textContent())!;
	await page.getByRole('button', { name: /^Reset/ }).click();
	await expect(page.locator('dd code')).not.toHaveText(fresh);
	await expect(state(page)).toHaveText('closed');
	// The reset instance is gone; the locked one is still there.
	await expect(picker.locator('option')).toHaveCount(2);
	await expect(picker.locator('option', { hasText: fresh })).toHaveCount(0);
	await expect(picker.locator('option', { hasText: 'locked' })).toHaveCount(1);
	await expect(page.getByTestId('event-log')).toContainText('entered closed');

	await page.reload();
	await expect(state(page)).toHaveText('closed');
	await page.getByRole('button', { name: 'Stop' }).click();
	await expect(page.getByTestId('status')).toHaveText('stopped');
	await expect(page.getByRole('button', { name: 'Send OPEN' })).toHaveCount(0);
	await page.reload();
	await expect(page.getByTestId('status')).toHaveText('stopped');
	await page.getByRole('button', { name: 'Start' }).click();
	await expect(page.getByRole('button', { name: 'Send OPEN' })).toBeVisible();
});

test('an unknown example says so', async ({ page }) => {
	await page.goto('/run/nope');
	await expect(page.getByRole('heading', { name: 'No such example' })).toBeVisible();
});

test('a second tab waits while the first runs the workspace, then takes over', async ({ page, context }) => {
	await page.goto('/run/smart-door');
	await expect(state(page)).toHaveText('closed');
	await page.getByRole('button', { name: 'Send LOCK' }).click();
	await expect(state(page)).toHaveText('locked');

	const second = await context.newPage();
	await second.goto('/run/smart-door');
	const waiting = second.getByRole('status').filter({ hasText: 'running this workspace' });
	await expect(waiting).toBeVisible();
	await expect(state(second)).toHaveCount(0);

	await page.close();
	await expect(state(second)).toHaveText('locked');
	await expect(waiting).toHaveCount(0);
	await second.getByRole('button', { name: 'Send UNLOCK' }).click();
	await expect(state(second)).toHaveText('closed');
});

test('a full disk reaches the user as a clear error, and retrying saves what was kept', async ({ page }) => {
	await page.goto('/run/smart-door');
	await expect(state(page)).toHaveText('closed');
	// Chromium here ignores quota overrides (CDP Storage.overrideQuotaForOrigin), so make the
	// worker's IndexedDB refuse writes the way a full origin does: the request throws a
	// DOMException named QuotaExceededError.
	const worker = page.workers().find((w) => w.url().includes('runtime.worker'));
	expect(worker, 'the runtime worker is running').toBeTruthy();
	await worker!.evaluate(() => {
		const g = self as unknown as { __diskFull: boolean };
		g.__diskFull = true;
		const add = IDBObjectStore.prototype.add;
		IDBObjectStore.prototype.add = function (this: IDBObjectStore, ...args: Parameters<IDBObjectStore['add']>) {
			if (g.__diskFull && this.name === 'events') throw new DOMException('The quota has been exceeded.', 'QuotaExceededError');
			return add.apply(this, args);
		};
	});

	await page.getByText('Load test', { exact: true }).click();
	await page.getByLabel('Number of events').fill('2000');
	await page.getByRole('button', { name: 'Run load test' }).click();
	const alert = page.getByRole('alert').filter({ hasText: 'Events are not being saved' });
	await expect(alert).toBeVisible();
	await expect(alert).toContainText('storage quota exceeded');
	await expect(page.getByTestId('load-result')).toContainText('Sent 2000 events');
	// The instance kept running in memory.
	await expect(page.getByTestId('inputs')).toHaveText('2000');

	await worker!.evaluate(() => {
		(self as unknown as { __diskFull: boolean }).__diskFull = false;
	});
	await alert.getByRole('button', { name: 'Retry saving' }).click();
	await expect(alert).toHaveCount(0);
	await page.reload();
	await expect(page.getByTestId('inputs')).toHaveText('2000');
	await expect(state(page)).toHaveText('closed');
});

test('the run page has no accessibility violations', async ({ page }) => {
	await page.goto('/run/smart-door');
	await expect(state(page)).toHaveText('closed');
	await page.getByRole('button', { name: 'Send OPEN' }).click();
	await expect(page.getByTestId('event-log')).toContainText('closed → open on OPEN');
	await page.getByText('Load test', { exact: true }).click();
	for (const colorScheme of ['light', 'dark'] as const) {
		await page.emulateMedia({ colorScheme });
		const results = await new AxeBuilder({ page }).include('main.run').analyze();
		expect(results.violations.map((v) => `${colorScheme} ${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`)).toEqual([]);
	}
});
