import { type Page } from '@playwright/test';
import { expect, test } from './fixtures';

/** Opens a bundled example in the designer and the simulator's Run tab. */
export async function openExample(page: Page, name: string) {
	await page.goto('/');
	await page.getByRole('button', { name: new RegExp(`^${name}`) }).click();
	await page.waitForURL(/\/w\/[^/]+$/);
	await expect(page.locator('.svelte-flow')).toBeVisible();
	await page.getByRole('tab', { name: 'Run', exact: true }).click();
	await expect(page.getByTestId('sim-run-panel')).toBeVisible();
}

const activeOnCanvas = (page: Page) => page.locator('.svelte-flow__node .state.active');
const value = (page: Page) => page.getByTestId('sim-value');
const send = (page: Page, type: string) => page.getByTestId(`sim-send-${type}`).click();

/** The log rows' texts (the log is short enough to be fully rendered). */
async function logTexts(page: Page) {
	await page.getByRole('listbox', { name: 'Event log' }).evaluate((el) => (el.scrollTop = 0));
	await expect(page.locator('[data-testid="sim-log-row"][data-position="1"]')).toBeVisible();
	return page.getByTestId('sim-log-row').evaluateAll((rows) =>
		rows
			.map((r) => [Number((r as HTMLElement).dataset.position), `${r.querySelector('.k')?.textContent} ${r.querySelector('.d')?.textContent}`] as const)
			.sort((a, b) => a[0] - b[0])
	);
}

test('run the door step by step, break, fast-forward, travel back in time, restart from there, reload and continue', async ({ page }) => {
	await openExample(page, 'Smart door');

	// Start paused: events wait in the queue until stepped.
	await page.getByTestId('sim-start-paused').click();
	await expect(value(page)).toHaveText('closed');
	await expect(page.locator('[data-state="closed"]')).toHaveClass(/active/);
	await expect(page.getByTestId('sim-run-state')).toHaveText('paused');
	await send(page, 'OPEN');
	await expect(page.getByTestId('sim-pending')).toContainText('OPEN');
	await expect(value(page)).toHaveText('closed');
	await page.getByTestId('sim-step').click();
	await expect(value(page)).toHaveText('open');
	await expect(page.locator('[data-state="open"]')).toHaveClass(/active/);
	await expect(activeOnCanvas(page)).toHaveCount(1);
	// The transition just taken is marked on the canvas too.
	await expect(page.locator('.svelte-flow__edge[data-id="closed|on:OPEN|0"] .transition-path')).toHaveClass(/sim-taken/);
	await expect(page.getByTestId('sim-context')).toContainText(/opens:\s*1(?!\d)/);

	// Fast-forward the virtual clock: the door closes by itself after 5 s, not before.
	await page.getByTestId('sim-resume').click();
	await expect(page.getByTestId('sim-run-state')).toHaveText('running');
	await page.getByTestId('sim-ff-ms').fill('4999');
	await page.getByTestId('sim-ff').click();
	await expect(page.getByTestId('sim-now')).toHaveText('5.0 s');
	await expect(value(page)).toHaveText('open');
	await page.getByTestId('sim-ff-ms').fill('1');
	await page.getByTestId('sim-ff').click();
	await expect(value(page)).toHaveText('closed');
	await expect(page.locator('[data-state="closed"]')).toHaveClass(/active/);

	// A breakpoint on "locked" pauses the run when it is reached.
	// Set it from the canvas: select the state, then "Toggle breakpoint on the selection".
	// (keyboard: the node may sit under the minimap in a small viewport)
	await page.locator('.svelte-flow__node[data-id="locked"]').focus();
	await page.keyboard.press('Enter');
	await expect(page.locator('.svelte-flow__node[data-id="locked"]')).toHaveClass(/selected/);
	await page.getByRole('tab', { name: 'Run', exact: true }).click();
	await page.getByTestId('sim-break-selection').click();
	await expect(page.locator('[data-state="locked"]')).toHaveClass(/sim-breakpoint/);
	await page.getByRole('button', { name: /^Breakpoints/ }).click();
	await expect(page.getByTestId('sim-bp-state-locked')).toBeChecked();
	await send(page, 'LOCK');
	await expect(page.getByTestId('sim-breakpoint-hit')).toContainText('locked');
	await expect(page.getByTestId('sim-run-state')).toHaveText('paused');
	await expect(value(page)).toHaveText('locked');
	await send(page, 'UNLOCK');
	await expect(page.getByTestId('sim-pending')).toContainText('UNLOCK');
	await page.getByTestId('sim-resume').click();
	await expect(value(page)).toHaveText('closed');

	// Time travel: click the old OPEN input in the log; the canvas shows that moment.
	await page.getByRole('tab', { name: 'Event log' }).click();
	const before = await logTexts(page);
	const openRow = before.find(([, t]) => /input #1 OPEN/.test(t))!;
	expect(openRow).toBeTruthy();
	await page.locator(`[data-testid="sim-log-row"][data-position="${openRow[0]}"]`).click();
	await expect(page.getByTestId('sim-moment')).toContainText(`#${openRow[0]}`);
	await expect(page.locator('[data-state="open"]')).toHaveClass(/active/);
	await expect(page.locator('[data-state="open"]')).toHaveClass(/sim-moment/);
	await expect(page.locator('[data-state="closed"]')).not.toHaveClass(/active/);
	await expect(value(page)).toHaveText('open');
	// Step through time input by input, and back.
	await page.getByTestId('sim-moment-prev').click();
	await expect(value(page)).toHaveText('closed');
	await expect(page.locator('[data-state="closed"]')).toHaveClass(/sim-moment/);
	await page.getByTestId('sim-moment-next').click();
	await expect(value(page)).toHaveText('open');

	// Restart from there: a new instance whose log starts with the shared prefix.
	await page.getByTestId('sim-restart-here').click();
	await expect(page.getByTestId('sim-instance').locator('option')).toHaveCount(2);
	await expect(page.getByTestId('sim-instance').locator('option:checked')).toContainText('restarted');
	await expect(value(page)).toHaveText('open');
	await expect(page.getByTestId('sim-moment')).toHaveCount(0);
	const forked = await logTexts(page);
	const prefixEnd = before.findIndex(([, t]) => /input #2 /.test(t));
	expect(prefixEnd).toBeGreaterThan(0);
	expect(forked.slice(0, prefixEnd)).toEqual(before.slice(0, prefixEnd));
	expect(forked.length).toBe(prefixEnd);

	// The new instance continues on its own: close it, then reload mid-run.
	await page.getByTestId('sim-resume').click();
	await send(page, 'CLOSE');
	await expect(value(page)).toHaveText('closed');
	await send(page, 'OPEN');
	await expect(value(page)).toHaveText('open');
	await expect(page.getByTestId('sim-context')).toContainText(/opens:\s*2(?!\d)/);

	// Coverage heat map of this instance: "locked" was never reached, so it is dimmed.
	await page.getByRole('tab', { name: 'Coverage' }).click();
	await page.getByTestId('sim-coverage-toggle').check();
	await expect(page.locator('[data-state="locked"]')).toHaveClass(/sim-unvisited/);
	await expect(page.locator('[data-state="open"]')).toHaveClass(/sim-heat-/);
	await expect(page.locator('.svelte-flow__node[data-id="open"]')).toContainText('×2');

	await page.reload();
	await page.getByRole('tab', { name: 'Run', exact: true }).click();
	await expect(page.getByTestId('sim-instance').locator('option')).toHaveCount(2);
	await expect(value(page)).toHaveText('open');
	await expect(page.locator('[data-state="open"]')).toHaveClass(/active/);
	await expect(page.getByTestId('sim-context')).toContainText(/opens:\s*2(?!\d)/);
	// Its pending delay was re-armed: fast-forward and it closes; then it keeps running.
	await page.getByTestId('sim-next').click();
	await expect(value(page)).toHaveText('closed');
	await send(page, 'LOCK');
	await expect(value(page)).toHaveText('locked');
});

test('the run panel shows nested states one dotted line per leaf, says why built-in effects are not on the Effects tab, and marks its disclosures', async ({ page }) => {
	await openExample(page, 'Media player');
	// "Simulated effect results" is a visible disclosure: a chevron, collapsed, then open.
	const stubs = page.getByTestId('sim-stubs-toggle');
	await expect(stubs.locator('.chevron')).toBeVisible();
	await expect(stubs).toHaveAttribute('aria-expanded', 'false');
	await stubs.click();
	await expect(stubs).toHaveAttribute('aria-expanded', 'true');
	await expect(page.getByTestId('sim-stubs')).toBeVisible();
	await stubs.click();
	await expect(page.getByTestId('sim-stubs')).toHaveCount(0);

	await page.getByTestId('sim-start').click();
	await expect(value(page)).toHaveText('off');
	await send(page, 'POWER');
	await expect(value(page).locator('.leaf')).toHaveText(['on.playback.stopped', 'on.sound.audible.normal']);
	await expect(value(page)).not.toContainText('{');

	await openExample(page, 'Smart door');
	await page.getByTestId('sim-start').click();
	await send(page, 'OPEN');
	await expect(value(page)).toHaveText('open');
	await page.getByRole('tab', { name: 'Effects' }).click();
	await expect(page.getByTestId('sim-timeline-empty')).toContainText('No long-running effect has run');
	await expect(page.getByTestId('sim-timeline-empty')).toContainText('Event log');
});
