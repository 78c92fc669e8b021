import { type Page } from '@playwright/test';
import { test, expect } from './fixtures';
import { addProvider, watchConsole } from './llm-helpers';
import { workflowJson } from './designer-helpers';

// In-browser models (Settings → Providers → In this browser), driven in Chromium with real
// WebGPU (SwiftShader: no shader-f16, so only q4f32 builds are offered) and web-llm's engine
// replaced by the fake of src/lib/ai/webllm/fake-engine.ts (switched on by a Cache Storage
// flag that only tests create): download with progress, cancel, resume, finish, a call_llm
// on the model from the simulator's worker, delete.

const FLAG = 'test-only:fsm-studio-fake-webllm-engine';
const MODEL = 'SmolLM2-360M-Instruct-q4f32_1-MLC';

test.use({
	launchOptions: {
		executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
		args: ['--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run', '--enable-unsafe-webgpu', '--use-webgpu-adapter=swiftshader']
	}
});

/** Shards of the model in Cache Storage (what the fake has "downloaded"). */
const shards = (page: Page) => page.evaluate(async (m) => (await (await caches.open('webllm/model')).keys()).filter((r) => r.url.includes(m)).length, MODEL);

function workflow() {
	return {
		format: 'fsm-studio/workflow',
		version: 1,
		id: 'webllm-e2e',
		name: 'On my GPU',
		initial: 'ask',
		context: {},
		states: {
			ask: { invoke: { type: 'call_llm', provider: 'On my GPU', model: MODEL, prompt: 'Say hi in five words', assignTo: 'reply' }, onDone: 'done', onError: 'failed' },
			done: { type: 'final' },
			failed: { type: 'final' }
		}
	};
}

test('download an in-browser model with progress, cancel, resume, run a call_llm on it, delete it', async ({ page }) => {
	test.setTimeout(120_000);
	const c = watchConsole(page);
	await page.goto('/');
	await page.evaluate(async (flag) => {
		const cache = await caches.open(flag);
		await cache.put('/config', new Response(JSON.stringify({ shards: 12, shardMs: 350, shardBytes: 25_000_000, tokenMs: 40 })));
	}, FLAG);
	await addProvider(page, { preset: 'In this browser (WebGPU)', name: 'On my GPU' });
	// the OpenAI preset's model, filled in when the form opened, did not follow to an in-browser provider
	await expect(page.getByRole('list', { name: 'Configured providers' })).not.toContainText('gpt-4o-mini');
	const card = page.locator('section.webllm');
	await expect(card.getByText(/Models run on your GPU \(google swiftshader/)).toBeVisible({ timeout: 15_000 });
	await expect(card).toContainText('only the q4f32 builds are offered');
	const select = card.getByLabel('Model');
	await expect(select).toHaveValue(MODEL);
	// the q4f16 build needs shader-f16, which this GPU lacks
	expect(await select.locator('option').allTextContents()).not.toContainEqual(expect.stringContaining('q4f16'));
	await expect(card.getByText('None yet.')).toBeVisible();

	// start, see progress, cancel
	await card.getByRole('button', { name: 'Download' }).click();
	const bar = card.getByRole('progressbar', { name: 'Download progress' });
	await expect(bar).toBeVisible();
	await expect.poll(async () => Number(await bar.getAttribute('value')), { timeout: 10_000 }).toBeGreaterThanOrEqual(3 / 12);
	await expect(card.getByRole('group', { name: `Downloading ${MODEL}` })).toContainText(/\d+ % · Fetching param cache\[\d+\/12\]/);
	await card.getByRole('button', { name: 'Cancel' }).click();
	await expect(page.getByRole('status').getByText('Download cancelled.')).toBeVisible();
	await expect(bar).toHaveCount(0);
	await expect(card.getByText('None yet.')).toBeVisible();
	const kept = await shards(page);
	expect(kept).toBeGreaterThanOrEqual(3);
	expect(kept).toBeLessThan(12);
	// cancelled means stopped: no more shards arrive
	await page.waitForTimeout(1000);
	expect(await shards(page)).toBe(kept);

	// start again: it resumes from the shards already in the cache, and finishes
	await card.getByRole('button', { name: 'Download' }).click();
	await expect.poll(async () => Number((await bar.getAttribute('value').catch(() => null)) ?? 1), { timeout: 10_000 }).toBeGreaterThanOrEqual(kept / 12);
	await expect(page.getByRole('status').getByText(`${MODEL} is ready to use in this browser.`)).toBeVisible({ timeout: 20_000 });
	const item = card.getByRole('listitem').filter({ hasText: MODEL });
	await expect(item).toContainText('300 MB');
	await expect(card.getByRole('button', { name: 'Downloaded' })).toBeDisabled();
	expect(await shards(page)).toBe(12);
	await page.setViewportSize({ width: 1440, height: 900 });
	await card.scrollIntoViewIfNeeded();
	await page.screenshot({ path: 'test-results/llm-webllm-1440.png' });
	await page.setViewportSize({ width: 390, height: 844 });
	await card.scrollIntoViewIfNeeded();
	await page.screenshot({ path: 'test-results/llm-webllm-390.png' });

	// a workflow calls the model (from the simulator's worker, which finds it in the same cache)
	await page.setViewportSize({ width: 1440, height: 900 });
	await page.goto('/open');
	await page.getByTestId('paste-box').fill(JSON.stringify(workflow(), null, 2));
	await page.getByRole('button', { name: 'Show preview' }).click();
	await page.getByTestId('create-from-link').click();
	await page.waitForURL(/\/w\/[^/]+$/);
	const id = (await workflowJson(page)).id as string;
	await page.evaluate((id) => localStorage.setItem(`fsm-sim:run-mode:${id}`, 'live'), id);
	await page.reload();
	await page.getByRole('tab', { name: 'Run', exact: true }).click();
	await page.getByTestId('sim-start').click();
	await page.getByRole('tab', { name: 'Effects', exact: true }).click();
	await expect(page.getByTestId('sim-value')).not.toHaveText('ask', { timeout: 20_000 });
	// a failure says why in the assertion message
	expect(await page.getByTestId('sim-value').textContent(), (await page.getByTestId('sim-span-error').allTextContents()).join('\n')).toBe('done');
	await expect(page.getByTestId('sim-context')).toContainText(`Hello from ${MODEL} on this GPU. You said: Say hi in five words`);
	// tokens counted from the engine's usage chunk; a model on this machine costs nothing
	const total = page.getByTestId('ai-run-total');
	await expect(total).toHaveAttribute('data-cost', '0');
	// the usage arrives with the span's end, which can follow the state change by a frame
	await expect(total).toHaveAttribute('data-output', '13');
	await expect(total).toHaveAttribute('data-input', '9');

	// delete it: gone from the list and from Cache Storage
	await page.goto('/settings/providers');
	await expect(item).toBeVisible({ timeout: 15_000 });
	await item.getByRole('button', { name: `Delete ${MODEL}` }).click();
	await expect(page.getByRole('status').getByText(`Deleted ${MODEL} from this browser.`)).toBeVisible();
	await expect(card.getByText('None yet.')).toBeVisible();
	expect(await shards(page)).toBe(0);
	await expect(card.getByRole('button', { name: 'Download' })).toBeEnabled();
	c.check();
});
