import { expect, test } from './fixtures';
import type { Page } from '@playwright/test';

// Issue 11, item 5, as a newcomer meets it: a workflow without positions (a 361-state JSON file,
// a Mermaid diagram) opens laid out — no state on top of another — not as a pile.

type Box = { id: string; x: number; y: number; w: number; h: number };
/** Every drawn state's box in flow coordinates (its transform and size), children excluded from their container. */
async function flowBoxes(page: Page): Promise<Box[]> {
	return page.locator('.svelte-flow__node').evaluateAll((ns) =>
		ns.map((n) => {
			const el = n as HTMLElement;
			const m = /translate\(\s*(-?[\d.]+)px,\s*(-?[\d.]+)px\)/.exec(el.style.transform);
			return { id: el.dataset.id ?? '', x: m ? Number(m[1]) : NaN, y: m ? Number(m[2]) : NaN, w: el.offsetWidth, h: el.offsetHeight };
		})
	);
}
function piled(list: Box[]): string[] {
	const out: string[] = [];
	for (let i = 0; i < list.length; i++)
		for (let j = i + 1; j < list.length; j++) {
			const [a, b] = [list[i], list[j]];
			if (b.id.startsWith(a.id + '.') || a.id.startsWith(b.id + '.')) continue;
			// siblings inside different containers have positions relative to their parent: compare same-parent states only
			if (a.id.split('.').slice(0, -1).join('.') !== b.id.split('.').slice(0, -1).join('.')) continue;
			if (a.x < b.x + b.w - 1 && b.x < a.x + a.w - 1 && a.y < b.y + b.h - 1 && b.y < a.y + a.h - 1) out.push(`${a.id} / ${b.id}`);
		}
	return out;
}

test('a 361-state JSON file without positions opens laid out, no two states on one another', async ({ page }) => {
	test.setTimeout(180_000);
	const states: Record<string, unknown> = {};
	for (let i = 0; i < 361; i++) states[`s${i}`] = { on: { NEXT: `s${(i + 1) % 361}`, JUMP: `s${(i * 7 + 3) % 361}` } };
	const wf = { format: 'fsm-studio/workflow', version: 1, id: 'big', name: 'Big import', initial: 's0', states };
	await page.goto('/');
	await page.getByTestId('import-file').setInputFiles({ name: 'big.json', mimeType: 'application/json', buffer: Buffer.from(JSON.stringify(wf)) });
	await page.waitForURL(/\/w\/[0-9a-f]+$/, { timeout: 60_000 });
	await expect(page.locator('.svelte-flow__node').first()).toBeVisible({ timeout: 90_000 });
	const list = await flowBoxes(page);
	expect(list.length).toBeGreaterThan(0);
	expect(list.every((b) => Number.isFinite(b.x) && Number.isFinite(b.y))).toBe(true);
	expect(piled(list)).toEqual([]);
	// spread out, not stacked at one spot
	expect(new Set(list.map((b) => `${Math.round(b.x)},${Math.round(b.y)}`)).size).toBe(list.length);
});

test('a Mermaid file opens laid out, nested states inside their parent, nothing piled', async ({ page }) => {
	test.setTimeout(90_000);
	const mmd = `stateDiagram-v2
    [*] --> Idle
    Idle --> Loading : FETCH
    Loading --> Ready : DONE
    Loading --> Failed : ERROR
    Failed --> Loading : RETRY
    Ready --> Editing : EDIT
    state Editing {
        [*] --> Typing
        Typing --> Validating : BLUR
        Validating --> Typing : INVALID
    }
    Editing --> Saving : SAVE
    Saving --> Ready : SAVED
    Ready --> [*]
`;
	await page.goto('/');
	await page.getByTestId('import-file').setInputFiles({ name: 'editor.mmd', mimeType: 'text/plain', buffer: Buffer.from(mmd) });
	await page.waitForURL(/\/w\/[0-9a-f]+$/, { timeout: 60_000 });
	await expect(page.locator('.svelte-flow__node[data-id="Idle"]')).toBeVisible({ timeout: 60_000 });
	const list = await flowBoxes(page);
	expect(list.length).toBeGreaterThanOrEqual(8);
	expect(piled(list)).toEqual([]);
	// the compound encloses its children on screen
	const box = (id: string) => page.locator(`.svelte-flow__node[data-id="${id}"]`).boundingBox();
	const parent = (await box('Editing'))!;
	for (const child of ['Editing.Typing', 'Editing.Validating']) {
		const c = (await box(child))!;
		expect(c.x >= parent.x && c.y >= parent.y && c.x + c.width <= parent.x + parent.width && c.y + c.height <= parent.y + parent.height, `${child} inside Editing`).toBe(true);
	}
});
