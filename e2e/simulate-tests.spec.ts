import { readFileSync } from 'node:fs';
import { expect, test } from './fixtures';

test('generated tests: paths to every state, hover highlights them, export as a Vitest file', async ({ page }) => {
	await page.goto('/');
	await page.getByRole('button', { name: /^Traffic light/ }).click();
	await page.waitForURL(/\/w\/[^/]+$/);
	await expect(page.locator('.svelte-flow')).toBeVisible();
	await page.getByRole('tab', { name: 'Tests' }).click();
	await page.getByTestId('sim-generate').click();
	const paths = page.getByTestId('sim-path');
	await expect(paths.first()).toBeVisible();
	await expect(page.getByTestId('sim-tests')).not.toContainText('Not covered');

	// Hovering the path to the walk signal highlights the states it goes through.
	const walk = paths.filter({ hasText: 'Reach operating.red.walk' });
	await walk.hover();
	await expect(page.locator('[data-state="operating.red.walk"]')).toHaveClass(/sim-highlight/);
	await expect(page.locator('[data-state="maintenance"]')).not.toHaveClass(/sim-highlight/);

	const download = page.waitForEvent('download');
	await page.getByTestId('sim-export').click();
	const file = await download;
	expect(file.suggestedFilename()).toBe('traffic-light.test.ts');
	const text = readFileSync((await file.path())!, 'utf8');
	expect(text).toContain("import { createInterpreter } from '$lib/engine';");
	expect(text).toContain('describe("Traffic light: shortest path to every state"');
	expect((text.match(/^\tit\(/gm) ?? []).length).toBe(await paths.count());
});
