import { type Page } from '@playwright/test';
import { expect, test } from './fixtures';
import WebSocket from 'ws';
import { dragFromLibrary, newWorkflow, stateNode } from './designer-helpers';
import { startRelay, type Relay } from '../tests/collab/relay-server';

test.describe.configure({ mode: 'serial' });

let relay: Relay;
test.beforeAll(async () => {
	relay = await startRelay();
});
test.afterAll(async () => {
	await relay?.stop();
});

function watchErrors(page: Page, errors: string[]) {
	page.on('console', (m) => {
		if (m.type() === 'error' && !/WebSocket|ERR_INTERNET_DISCONNECTED|net::/.test(m.text())) errors.push(m.text());
	});
	page.on('pageerror', (e) => errors.push(e.message));
}

async function addNamedState(page: Page, name: string, x: number, y: number) {
	await dragFromLibrary(page, 'lib-atomic', x, y);
	const field = page.getByLabel('Name', { exact: true });
	await expect(field).toBeFocused();
	await field.fill(name);
	await field.press('Enter');
	await expect(stateNode(page, name)).toBeVisible();
}

test('two people edit live through an encrypted relay: cursors, offline merge, and a wrong key reads nothing', async ({ browser }) => {
	test.setTimeout(120_000);
	const errors: string[] = [];
	const ctxA = await browser.newContext({ viewport: { width: 1440, height: 900 } });
	const ctxB = await browser.newContext({ viewport: { width: 1440, height: 900 } });
	const a = await ctxA.newPage();
	const b = await ctxB.newPage();
	watchErrors(a, errors);
	watchErrors(b, errors);

	await newWorkflow(a);
	await addNamedState(a, 'AlphaSecretState', 300, 200);

	// start a room on the relay
	await a.getByTestId('collab-open').click();
	await a.getByTestId('collab-name').fill('Ana Lindqvist');
	await a.getByTestId('collab-name').press('Tab');
	await a.getByTestId('relay-url').fill(relay.url);
	await a.getByTestId('start-room').click();
	const link = await a.getByTestId('room-link').inputValue();
	expect(link).toContain('/room#');
	await expect(a.getByTestId('room-status')).toHaveText('connected');
	await a.getByRole('dialog').getByRole('button', { name: 'Close' }).click();

	// everything the relay forwards in this room, as its operator would see it
	const roomId = new URLSearchParams(new URL(link).hash.slice(1)).get('r')!;
	const seen: string[] = [];
	const seenBefore: string[] = [];
	const openTap = async (room: string) => {
		const ws = new WebSocket(relay.url);
		await new Promise((r) => ws.once('open', r));
		ws.send(JSON.stringify({ type: 'subscribe', topics: [`fsm-studio/${room}`] }));
		ws.on('message', (m) => seen.push(String(m)));
		return ws;
	};
	let tap = await openTap(roomId);

	// B opens the link: the workflow arrives, decrypted in B's browser
	await b.goto(new URL(link).pathname + new URL(link).hash);
	await b.waitForURL(/\/w\/[0-9a-f]+$/);
	await expect(stateNode(b, 'AlphaSecretState')).toBeVisible();

	// live edit: A adds a state, B sees it
	await addNamedState(a, 'BetaSecretState', 600, 200);
	await expect(stateNode(b, 'BetaSecretState')).toBeVisible();

	// presence: A's cursor on B's canvas, with A's name; A sees B in the room
	const box = (await a.locator('.svelte-flow__pane').boundingBox())!;
	await a.mouse.move(box.x + 200, box.y + 400, { steps: 5 });
	await a.mouse.move(box.x + 260, box.y + 420, { steps: 5 });
	await expect(b.getByTestId('remote-cursor').filter({ hasText: 'Ana' })).toBeVisible();
	await expect(a.getByRole('button', { name: /^Follow / })).toHaveCount(1);

	// the connection drops (the relay goes away): both keep editing, and it all merges when it is back
	tap.close();
	seenBefore.push(...seen.splice(0));
	await relay.stop();
	await expect(b.getByTestId('collab-bar')).toContainText(/Offline|Connecting/, { timeout: 15_000 });
	await addNamedState(b, 'GammaOffline', 400, 450);
	await addNamedState(a, 'DeltaWhileBAway', 800, 450);
	await a.waitForTimeout(300);
	await expect(stateNode(a, 'GammaOffline')).toHaveCount(0);
	relay = await startRelay(relay.port);
	tap = await openTap(roomId);
	await expect(stateNode(a, 'GammaOffline')).toBeVisible({ timeout: 20_000 });
	await expect(stateNode(b, 'DeltaWhileBAway')).toBeVisible();

	// a third person with the right room but a wrong key sees nothing readable
	const ctxC = await browser.newContext();
	const c = await ctxC.newPage();
	watchErrors(c, errors);
	const wrong = link.replace(/k=[A-Za-z0-9_-]{22}/, 'k=AAAAAAAAAAAAAAAAAAAAAA');
	await c.goto(new URL(wrong).pathname + new URL(wrong).hash);
	await c.waitForTimeout(300);
	await addNamedState(a, 'EpsilonAfterIntruder', 800, 200);
	await expect(c.getByTestId('wrong-key')).toBeVisible({ timeout: 15_000 });
	await expect(c.locator('body')).not.toContainText('AlphaSecretState');
	expect(c.url()).toContain('/room');

	// the relay carried plenty, and none of it is readable
	seen.push(...seenBefore);
	expect(seen.length).toBeGreaterThan(5);
	const all = seen.join('\n');
	for (const name of ['AlphaSecretState', 'BetaSecretState', 'GammaOffline', 'DeltaWhileBAway', 'EpsilonAfterIntruder', 'Ana Lindqvist']) {
		expect(all).not.toContain(name);
		for (const m of seen) {
			const data = JSON.parse(m).data as string | undefined;
			if (data) expect(Buffer.from(data, 'base64').toString('latin1')).not.toContain(name);
		}
	}
	tap.close();
	expect(errors).toEqual([]);
	await ctxA.close();
	await ctxB.close();
	await ctxC.close();
});
