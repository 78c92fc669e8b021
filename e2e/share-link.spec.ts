import { type Page } from '@playwright/test';
import { test, expect } from './fixtures';

/** Creates a workflow from a bundled example on the home page; returns its id. */
async function createExample(page: Page, name = 'Smart door'): Promise<string> {
	await page.goto('/');
	await page.getByRole('button', { name: new RegExp(`^${name}`) }).click();
	await page.waitForURL(/\/w\/[^/]+$/);
	return decodeURIComponent(new URL(page.url()).pathname.split('/w/')[1]);
}

async function makeLink(page: Page, id: string, protection?: { passphrase: string }): Promise<string> {
	await page.goto(`/open/share/${encodeURIComponent(id)}`);
	if (protection) {
		await page.getByLabel('Encrypted with a passphrase').check();
		await page.getByTestId('share-passphrase').fill(protection.passphrase);
	}
	await page.getByRole('button', { name: 'Create link' }).click();
	const link = await page.getByTestId('share-link').inputValue();
	expect(link).toContain('/open#');
	return link;
}

test('a link shared from one browser opens in a fresh one and creates a new workflow there', async ({ browser }) => {
	const sender = await browser.newContext();
	const a = await sender.newPage();
	const id = await createExample(a);
	const link = await makeLink(a, id);
	expect(link).toMatch(/\/open#z1\.[A-Za-z0-9_-]+$/);

	const receiver = await browser.newContext();
	const b = await receiver.newPage();
	await b.goto('/');
	// the list has loaded and is empty (a count of 0 also holds while it is still loading)
	await expect(b.getByText('No workflows yet.')).toBeVisible();
	await expect(b.getByTestId('workflow-card')).toHaveCount(0);
	await b.goto(link);
	await expect(b.getByTestId('preview-name')).toHaveText('Smart door');
	await expect(b.getByText('3 states')).toBeVisible();
	await expect(b.locator('.tree').getByText('locked', { exact: true })).toBeVisible();
	await b.getByTestId('create-from-link').click();
	await b.waitForURL(/\/w\/[^/]+$/);
	await b.goto('/');
	await expect(b.getByTestId('workflow-card')).toHaveCount(1);
	await expect(b.getByTestId('workflow-card')).toContainText('Smart door');
	await sender.close();
	await receiver.close();
});

test('an encrypted link: a wrong passphrase gives a clear error, the right one opens it', async ({ browser }) => {
	const sender = await browser.newContext();
	const a = await sender.newPage();
	const id = await createExample(a);
	const link = await makeLink(a, id, { passphrase: 'open sesame' });
	expect(link).toMatch(/\/open#p1\./);

	const receiver = await browser.newContext();
	const b = await receiver.newPage();
	await b.goto(link);
	await b.getByTestId('open-passphrase').fill('open says me');
	await b.getByRole('button', { name: 'Open' }).click();
	await expect(b.getByTestId('open-error')).toContainText('Wrong passphrase');
	await expect(b.getByTestId('preview-name')).toHaveCount(0);
	const other = await receiver.newPage();
	await other.goto('/');
	await expect(other.getByText('No workflows yet.')).toBeVisible();
	await other.close();
	await b.getByTestId('open-passphrase').fill('open sesame');
	await b.getByRole('button', { name: 'Open' }).click();
	await expect(b.getByTestId('preview-name')).toHaveText('Smart door');
	await sender.close();
	await receiver.close();
});

test('a damaged link says what is wrong', async ({ page }) => {
	await page.goto('/open#z1.this-is-not-deflate');
	await expect(page.getByTestId('open-error')).toContainText('damaged');
	await page.goto('/open#something-else');
	await expect(page.getByTestId('open-error')).toContainText('not an FSM Studio workflow link');
});

test('pasting a Mermaid diagram on /open shows a preview and creates a workflow', async ({ page }) => {
	await page.goto('/open');
	await page.getByTestId('paste-box').fill('stateDiagram-v2\n    [*] --> Idle\n    Idle --> Busy : START\n    Busy --> Idle : DONE [context.ok]\n');
	await page.getByRole('button', { name: 'Show preview' }).click();
	await expect(page.getByTestId('preview-name')).toHaveText('Imported diagram');
	await expect(page.getByText('2 states')).toBeVisible();
	await page.getByTestId('create-from-link').click();
	await page.waitForURL(/\/w\/[^/]+$/);
	await page.goto('/');
	await expect(page.getByTestId('workflow-card')).toHaveCount(1);
});

test('pasting typed XState code on /open reads it with the parser loaded on demand, and says what code was left out', async ({ page }) => {
	await page.goto('/open');
	const code = [
		"import { createMachine, assign } from 'xstate';",
		'// createMachine( in a comment is not the call',
		'type Ctx = { count: number };',
		'export const counter = createMachine<Ctx>({',
		"\tid: 'counter',",
		'\ttypes: {} as { context: Ctx; events: { type: \'INC\' } | { type: \'ui.*\' } },',
		"\tinitial: 'idle',",
		'\tcontext: { count: 0 },',
		'\tstates: {',
		"\t\tidle: { on: { INC: { target: 'busy', actions: assign<Ctx>({ count: ({ context }) => context.count + 1 }) } } },",
		"\t\tbusy: { on: { 'ui.*': 'idle' }, after: { 1000: { target: 'idle', guard: ({ event }) => /}/.test(String(event)) } } }",
		'\t}',
		'});'
	].join('\n');
	await page.getByTestId('paste-box').fill(code);
	await page.getByRole('button', { name: 'Show preview' }).click();
	await expect(page.getByTestId('preview-name')).toHaveText('counter');
	await expect(page.getByText('2 states')).toBeVisible();
	await page.getByText(/Not carried over/).click();
	await expect(page.getByText(/is code, not data/).first()).toBeVisible();
	await page.getByTestId('create-from-link').click();
	await page.waitForURL(/\/w\/[^/]+$/);
});

test('pasting something that is not a workflow says where the problem is', async ({ page }) => {
	await page.goto('/open');
	await page.getByTestId('paste-box').fill('<scxml xmlns="http://www.w3.org/2005/07/scxml">\n  <state id="a">\n    <transition event="GO" target="nowhere"/>\n  </state>\n</scxml>');
	await page.getByRole('button', { name: 'Show preview' }).click();
	await expect(page.getByTestId('open-error')).toContainText('Line 3: the target "nowhere" does not exist');
	// the text stays there to correct, and the corrected text previews
	const box = page.getByTestId('paste-box');
	await expect(box).toHaveValue(/target="nowhere"/);
	await box.fill((await box.inputValue()).replace('target="nowhere"', 'target="a"'));
	await page.getByRole('button', { name: 'Show preview' }).click();
	await expect(page.getByTestId('open-error')).toHaveCount(0);
	await expect(page.getByTestId('preview-name')).toBeVisible();
	await expect(page.getByTestId('create-from-link')).toBeEnabled();
});

test('plain garbage pasted on /open stays editable and can be replaced by a workflow', async ({ page }) => {
	await page.goto('/open');
	const box = page.getByTestId('paste-box');
	await box.fill('this is not a workflow {');
	await page.getByRole('button', { name: 'Show preview' }).click();
	await expect(page.getByRole('heading', { name: 'This could not be imported' })).toBeVisible();
	await expect(page.getByTestId('open-error')).not.toBeEmpty();
	await expect(box).toHaveValue('this is not a workflow {');
	await box.fill('stateDiagram-v2\n  [*] --> Idle\n  Idle --> Busy: GO');
	await page.getByRole('button', { name: 'Show preview' }).click();
	await expect(page.getByTestId('preview-name')).toBeVisible();
	await expect(page.getByTestId('open-error')).toHaveCount(0);
});

test('the share page for an id with no workflow says so and offers no share or export', async ({ page }) => {
	await page.goto('/open/share/doesnotexist');
	await expect(page.getByRole('heading', { name: 'There is no workflow here' })).toBeVisible();
	await expect(page.getByText(/deleted.*or the link is wrong/)).toBeVisible();
	await expect(page.getByRole('heading', { name: /Share and export/ })).toHaveCount(0);
	await expect(page.getByRole('button', { name: 'Create link' })).toHaveCount(0);
	await page.getByRole('link', { name: 'Back to all workflows' }).click();
	await page.waitForURL((u) => u.pathname === '/');
});

test('a workflow too big for a link says so and offers a file instead', async ({ page }) => {
	// Distinct, incompressible descriptions make the document far larger than a link holds.
	const states: Record<string, unknown> = {};
	let seed = 7;
	const noise = () => Array.from({ length: 60 }, () => ((seed = (seed * 48271) % 2147483647), (seed % 36).toString(36))).join('');
	for (let i = 0; i < 300; i++) states[`s${i}`] = { description: noise(), on: { NEXT: `s${(i + 1) % 300}` } };
	const doc = { format: 'fsm-studio/workflow', version: 1, id: 'big', name: 'Big one', initial: 's0', states };
	await page.goto('/open');
	await page.getByTestId('paste-box').fill(JSON.stringify(doc));
	await page.getByRole('button', { name: 'Show preview' }).click();
	await page.getByTestId('create-from-link').click();
	await page.waitForURL(/\/w\/[^/]+$/);
	const id = decodeURIComponent(new URL(page.url()).pathname.split('/w/')[1]);
	await page.goto(`/open/share/${encodeURIComponent(id)}`);
	await page.getByRole('button', { name: 'Create link' }).click();
	await expect(page.getByRole('alert')).toContainText('too big for a link');
	await expect(page.getByTestId('share-link')).toHaveCount(0);
	await page.addInitScript(() => delete (window as unknown as Record<string, unknown>).showSaveFilePicker);
	await page.evaluate(() => delete (window as unknown as Record<string, unknown>).showSaveFilePicker);
	const download = page.waitForEvent('download');
	await page.getByRole('button', { name: 'Save as a file instead' }).click();
	expect((await download).suggestedFilename()).toBe('big-one.fsm.json');
});

for (const scheme of ['light', 'dark'] as const) {
	test(`the open and share pages have no serious or critical axe violations (${scheme})`, async ({ page }) => {
		// four full axe passes and four page loads: past 60 s at load ~35 on 2 cores (as in a11y.spec).
		test.setTimeout(180_000);
		const { default: AxeBuilder } = await import('@axe-core/playwright');
		const serious = async () =>
			(await new AxeBuilder({ page }).analyze()).violations
				.filter((v) => v.impact === 'serious' || v.impact === 'critical')
				.map((v) => ({ id: v.id, help: v.help, nodes: v.nodes.slice(0, 3).map((n) => n.target.join(' ')) }));
		await page.emulateMedia({ colorScheme: scheme });
		const id = await createExample(page);
		await page.goto(`/open/share/${encodeURIComponent(id)}`);
		await page.getByLabel('Encrypted with a passphrase').check();
		expect(await serious()).toEqual([]);
		await page.getByTestId('share-passphrase').fill('x');
		await page.getByRole('button', { name: 'Create link' }).click();
		const link = await page.getByTestId('share-link').inputValue();
		await page.goto(link);
		expect(await serious()).toEqual([]);
		await page.getByTestId('open-passphrase').fill('x');
		await page.getByRole('button', { name: 'Open' }).click();
		await expect(page.getByTestId('preview-name')).toHaveText('Smart door');
		expect(await serious()).toEqual([]);
		await page.goto('/open');
		expect(await serious()).toEqual([]);
	});
}
