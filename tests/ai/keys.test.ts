import 'fake-indexeddb/auto';
import { describe, expect, it } from 'vitest';
import { saveProvider, listProviders, providerConfig, deleteProvider, providerHeaders } from '$lib/ai/settings/providers';
import { vaultKey } from '$lib/ai/keys/vault';
import { AiDb } from '$lib/store/ai-db';
import { freshAiDb } from './helpers';

const KEY = 'sk-PLANTED-canary-7f3a9c2e1b';

/** Every byte the AI database holds, as text (strings, numbers, binary decoded as latin1 and utf8). */
async function dump(db: AiDb): Promise<string> {
	const out: string[] = [];
	const walk = (v: unknown) => {
		if (v instanceof ArrayBuffer || ArrayBuffer.isView(v)) {
			const bytes = v instanceof ArrayBuffer ? new Uint8Array(v) : new Uint8Array(v.buffer, v.byteOffset, v.byteLength);
			out.push(Buffer.from(bytes).toString('latin1'), Buffer.from(bytes).toString('utf8'));
		} else if (v && typeof v === 'object') for (const x of Object.values(v)) walk(x);
		else out.push(String(v));
	};
	for (const t of db.tables) walk(await t.toArray());
	return out.join('\n');
}

describe('provider keys', () => {
	it('are stored encrypted: the database never holds the key in clear', async () => {
		const db = freshAiDb();
		await saveProvider({ id: 'p', name: 'OpenAI', kind: 'openai', apiKey: KEY, headers: { 'x-team': 'secret-header-value' } }, db);
		const all = await dump(db);
		expect(all).not.toContain(KEY);
		expect(all).not.toContain('secret-header-value');
		expect((await providerConfig('p', db)).config).toEqual({ kind: 'openai', apiKey: KEY, headers: { 'x-team': 'secret-header-value' } });
		expect(await providerHeaders('p', db)).toEqual({ 'x-team': 'secret-header-value' });
	});

	it('listing providers gives no secret, only a hint', async () => {
		const db = freshAiDb();
		await saveProvider({ id: 'p', name: 'OpenAI', kind: 'openai', apiKey: KEY }, db);
		const [p] = await listProviders(db);
		expect(JSON.stringify(p)).not.toContain(KEY);
		expect(p).toMatchObject({ hasKey: true, keyHint: '9c2e1b'.slice(-4) });
		expect('secret' in p).toBe(false);
	});

	it('the vault key is a non-extractable AES-GCM key', async () => {
		const db = freshAiDb();
		const k = await vaultKey(db);
		expect(k.extractable).toBe(false);
		expect(k.algorithm).toMatchObject({ name: 'AES-GCM', length: 256 });
		await expect(crypto.subtle.exportKey('raw', k)).rejects.toThrow();
	});

	it('keeps the key when other fields change, removes it on request, deletes providers', async () => {
		const db = freshAiDb();
		await saveProvider({ id: 'p', name: 'OpenAI', kind: 'openai', apiKey: KEY }, db);
		await saveProvider({ id: 'p', name: 'OpenAI (work)', kind: 'openai', defaultModel: 'gpt-4o-mini' }, db);
		expect((await providerConfig('p', db)).config.apiKey).toBe(KEY);
		await saveProvider({ id: 'p', name: 'OpenAI (work)', kind: 'openai', apiKey: null }, db);
		expect((await providerConfig('p', db)).config.apiKey).toBeUndefined();
		await deleteProvider('p', db);
		await expect(providerConfig('p', db)).rejects.toThrow(/There is no provider "p"/);
	});

	it('a key sealed in one database cannot be opened with another vault', async () => {
		const a = freshAiDb();
		await saveProvider({ id: 'p', name: 'OpenAI', kind: 'openai', apiKey: KEY }, a);
		const rec = await a.providers.get('p');
		const b = freshAiDb();
		await b.providers.put(rec!);
		await expect(providerConfig('p', b)).rejects.toThrow(/can no longer be decrypted/);
	});

	it('refuses bad input in words', async () => {
		const db = freshAiDb();
		await expect(saveProvider({ name: ' ', kind: 'openai' }, db)).rejects.toThrow('Give the provider a name.');
		await expect(saveProvider({ name: 'x', kind: 'openai-compatible' }, db)).rejects.toThrow(/needs a base URL/);
		await expect(saveProvider({ name: 'x', kind: 'openai', baseUrl: 'ftp://x' }, db)).rejects.toThrow(/is not a web address/);
	});
});
