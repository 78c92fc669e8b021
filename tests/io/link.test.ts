/** Share links: round trip, encryption, size limit, and what never travels in a link. */
import { describe, expect, it } from 'vitest';
import { decodeShareLink, encodeShareLink, fromBase64Url, linkMode, MAX_LINK_CHARS, toBase64Url } from '../../src/lib/io/share-link';
import { examples } from '../../src/lib/examples';
import type { Workflow } from '../../src/lib/model/types';
import { randomWorkflow } from './helpers';
import fc from 'fast-check';

const door = examples.find((e) => e.id === 'smart-door')!.workflow;

describe('share links', () => {
	it('base64url round-trips any bytes', () => {
		fc.assert(fc.property(fc.uint8Array({ maxLength: 300 }), (b) => {
			expect(fromBase64Url(toBase64Url(b))).toEqual(b);
		}));
		expect(fromBase64Url('ab$c')).toBeUndefined();
	});

	it('a plain link opens to the same workflow, and the fragment is all there is', async () => {
		const r = await encodeShareLink(door);
		expect(r.ok).toBe(true);
		if (!r.ok) return;
		expect(r.url).toMatch(/^\/open#z1\.[A-Za-z0-9_-]+$/);
		expect(linkMode(r.url)).toBe('plain');
		const back = await decodeShareLink(`https://studio.example/open#${r.fragment}`);
		expect(back.ok && back.workflow).toEqual(door);
	});

	it('a passphrase link needs the passphrase, and a wrong one gives a clear error', async () => {
		const r = await encodeShareLink(door, { passphrase: 'correct horse' });
		if (!r.ok) throw new Error(r.message);
		expect(r.fragment.startsWith('p1.')).toBe(true);
		expect(r.fragment).not.toContain(toBase64Url(new TextEncoder().encode('Smart door')).slice(0, 8));
		const none = await decodeShareLink(r.url);
		expect(none).toMatchObject({ ok: false, needsPassphrase: true, errors: [{ message: expect.stringMatching(/protected by a passphrase/) }] });
		const wrong = await decodeShareLink(r.url, { passphrase: 'wrong horse' });
		expect(wrong).toMatchObject({ ok: false, needsPassphrase: true, errors: [{ message: expect.stringMatching(/Wrong passphrase/) }] });
		const right = await decodeShareLink(r.url, { passphrase: 'correct horse' });
		expect(right.ok && right.workflow).toEqual(door);
	});

	it('a random-key link carries its key after the data; without it, it says so', async () => {
		const r = await encodeShareLink(door, { randomKey: true });
		if (!r.ok) throw new Error(r.message);
		expect(r.fragment.split('.')).toHaveLength(3);
		expect((await decodeShareLink(r.url)).ok).toBe(true);
		const cut = r.url.slice(0, r.url.lastIndexOf('.'));
		expect(await decodeShareLink(cut)).toMatchObject({ ok: false, errors: [{ message: expect.stringMatching(/missing its key/) }] });
	});

	it('never carries API keys, secrets, run logs or settings', async () => {
		const w: Workflow = {
			...door,
			meta: { settings: { theme: 'dark' }, runs: [{ id: 1 }], runLog: ['x'], secrets: { OPENAI: 'sk-aaaaaaaaaaaaaaaaaaaaaaaa' }, author: 'Ann' },
			states: {
				...door.states,
				ask: {
					invoke: { type: 'call_llm', prompt: 'hi', apiKey: 'sk-proj-abcdefghijklmnopqrstuv' },
					entry: [{ type: 'http', url: 'https://api.example/x', headers: { Authorization: 'Bearer abc', Accept: 'json' } }],
					meta: { note: 'token is sk-ant-abcdefghijklmnopqrstuvwxyz', apiKeys: ['k'] }
				}
			}
		};
		const r = await encodeShareLink(w);
		if (!r.ok) throw new Error(r.message);
		expect(r.removed.sort()).toEqual(['meta.runLog', 'meta.runs', 'meta.secrets', 'meta.settings', 'states.ask.entry.0.headers.Authorization', 'states.ask.invoke.apiKey', 'states.ask.meta.apiKeys', 'states.ask.meta.note'].sort());
		const back = await decodeShareLink(r.url);
		if (!back.ok) throw new Error(JSON.stringify(back.errors));
		const text = JSON.stringify(back.workflow);
		expect(text).not.toMatch(/sk-|Bearer|runLog|settings|secrets|apiKey/);
		expect(back.workflow.meta).toEqual({ author: 'Ann' });
		expect(back.workflow.states.ask.entry![0]).toEqual({ type: 'http', url: 'https://api.example/x', headers: { Accept: 'json' } });
	});

	it('a crafted link cannot plant credentials either: they are stripped on opening', async () => {
		const { deflateSync } = await import('fflate');
		const w = { ...door, meta: { settings: { apiKey: 'x' } } };
		const frag = `z1.${toBase64Url(deflateSync(new TextEncoder().encode(JSON.stringify(w))))}`;
		const back = await decodeShareLink(frag);
		expect(back.ok && back.workflow.meta).toBeUndefined();
		expect(back.ok && back.removed).toEqual(['meta.settings']);
	});

	it('a workflow too big for a link says so and offers a file', async () => {
		const big = randomWorkflow(1, 60);
		for (let i = 0; i < 400; i++) big.states[`extra state number ${i}`] = { description: `${i} ${Math.random()}`, on: { [`E${i}`]: big.initial! } };
		const r = await encodeShareLink(big);
		expect(r.ok).toBe(false);
		if (r.ok || r.reason !== 'too-big') throw new Error('expected too-big');
		expect(r.length).toBeGreaterThan(MAX_LINK_CHARS);
		expect(r.message).toMatch(/too big for a link.*as a file/);
	});
});
