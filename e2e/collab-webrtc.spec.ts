import { type Page } from '@playwright/test';
import { expect, test } from './fixtures';
import { dragFromLibrary, newWorkflow, stateNode } from './designer-helpers';
import { startRelay, type Relay } from '../tests/collab/relay-server';

// Peer to peer: the relay started here only introduces the two browsers (y-webrtc signaling);
// the document then goes over a WebRTC data channel between them, encrypted with the room key.
test.describe.configure({ mode: 'serial' });

let relay: Relay;
let stopped = false;
test.beforeAll(async () => {
	relay = await startRelay();
});
test.afterAll(async () => {
	if (!stopped) await relay?.stop();
});

async function addNamedState(page: Page, name: string, x: number, y: number) {
	await dragFromLibrary(page, 'lib-atomic', x, y);
	const field = page.getByLabel('Name', { exact: true });
	await expect(field).toBeFocused();
	await field.fill(name);
	await field.press('Enter');
	await expect(stateNode(page, name)).toBeVisible();
}

test('two browsers edit live peer to peer (WebRTC), introduced by a local signaling server', async ({ browser }) => {
	test.setTimeout(120_000);
	const errors: string[] = [];
	const ctxA = await browser.newContext();
	const ctxB = await browser.newContext();
	const a = await ctxA.newPage();
	const b = await ctxB.newPage();
	for (const p of [a, b]) {
		p.on('console', (m) => m.type() === 'error' && !/WebSocket|net::/.test(m.text()) && errors.push(m.text()));
		p.on('pageerror', (e) => errors.push(e.message));
	}
	await newWorkflow(a);
	await addNamedState(a, 'fromA', 300, 200);
	await a.getByTestId('collab-open').click();
	await a.getByTestId('collab-name').fill('Peer A');
	await a.getByTestId('collab-name').press('Tab');
	await a.getByRole('radio', { name: /Peer to peer/ }).check();
	await a.getByTestId('relay-url').fill(relay.url);
	await a.getByTestId('start-room').click();
	const link = await a.getByTestId('room-link').inputValue();
	expect(link).toContain('via=webrtc');
	await a.getByRole('dialog').getByRole('button', { name: 'Close' }).click();

	await b.goto(new URL(link).pathname + new URL(link).hash);
	await b.waitForURL(/\/w\/[0-9a-f]+$/);
	await expect(stateNode(b, 'fromA')).toBeVisible({ timeout: 30_000 });
	await addNamedState(b, 'fromB', 600, 300);
	await expect(stateNode(a, 'fromB')).toBeVisible({ timeout: 15_000 });
	// with the signaling server gone, edits still flow: they go over the peer connection
	await relay.stop();
	stopped = true;
	await addNamedState(a, 'noServer', 480, 120);
	await expect(stateNode(b, 'noServer')).toBeVisible({ timeout: 15_000 });
	expect(errors).toEqual([]);
	await ctxA.close();
	await ctxB.close();
});
