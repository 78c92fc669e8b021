/**
 * Transition labels on the canvas: none sits on another (the triage example has sixteen, many
 * crossing in the middle), and a guard is shown as its expression, shortened, not as "[?]".
 */
import { expect, test } from './fixtures';

test('the triage example’s transition labels never overlap, and guards read as expressions', async ({ page }) => {
	await page.setViewportSize({ width: 1440, height: 900 });
	await page.goto('/');
	await page.getByRole('button', { name: /^Support ticket triage/ }).click();
	await page.waitForURL(/\/w\/[^/]+$/);
	const labels = page.locator('.transition-label');
	await expect(labels).toHaveCount(16);
	const ticket = labels.filter({ hasText: 'TICKET' });
	await expect(ticket.locator('.guard')).toHaveText('[$exists(event.text) and…]');
	await expect(ticket.locator('.guard')).toHaveAttribute('title', /^Guard: \$exists\(event\.text\)/);
	await expect(labels.filter({ hasText: '[?]' })).toHaveCount(0);
	// Placement settles once the states are measured.
	await expect
		.poll(async () => {
			const boxes = await labels.evaluateAll((els) => els.map((e) => e.getBoundingClientRect()).map((r) => ({ x: r.x, y: r.y, w: r.width, h: r.height })));
			const hits: string[] = [];
			for (let i = 0; i < boxes.length; i++)
				for (let j = i + 1; j < boxes.length; j++) {
					const a = boxes[i], b = boxes[j];
					if (a.x < b.x + b.w - 1 && b.x < a.x + a.w - 1 && a.y < b.y + b.h - 1 && b.y < a.y + a.h - 1) hits.push(`${i}/${j}`);
				}
			return hits;
		})
		.toEqual([]);
	// Clicking any label selects its transition (nothing covers it).
	await labels.filter({ hasText: 'onError' }).first().click();
	await expect(page.getByRole('heading', { name: /Transition/ }).first()).toBeVisible();
});
