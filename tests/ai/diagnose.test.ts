import { describe, expect, inject, it } from 'vitest';
import { diagnose, localServerOf } from '$lib/ai/diagnose';
import { mockSession } from '../mocks/client';

const base = inject('mockLlmUrl');

describe('Test connection', () => {
	it('connected: lists the models and makes a one-word call', async () => {
		const s = mockSession(base);
		const d = await diagnose({ kind: 'openai', baseUrl: s.openai, apiKey: 'sk-ok' }, { origin: 'http://localhost:4173' });
		expect(d).toMatchObject({ ok: true, models: ['gpt-4.1-nano', 'gpt-4o-mini'] });
		expect(d.summary).toMatch(/^Connected: gpt-4.1-nano answered/);
	});
	it('a bad key: says so and how to get one, without the key', async () => {
		const s = mockSession(base);
		for (const kind of ['openai', 'anthropic', 'google'] as const) {
			const url = kind === 'openai' ? s.openai : kind === 'anthropic' ? s.anthropic : s.google;
			const d = await diagnose({ kind, baseUrl: url, apiKey: 'sk-bad-SECRET-123456' }, { origin: 'http://localhost' });
			expect(d.ok).toBe(false);
			expect(d.summary).toMatch(/The key was refused/);
			expect(JSON.stringify(d)).not.toContain('sk-bad-SECRET-123456');
		}
	});
	it('rate limited, forbidden and the Anthropic organisation that forbids browsers', async () => {
		const s = mockSession(base);
		expect((await diagnose({ kind: 'openai', baseUrl: s.openai, apiKey: 'k' }, { model: 'gpt-4o-mini@rate-limited' })).summary).toMatch(/rate limiting/);
		expect((await diagnose({ kind: 'openai', baseUrl: s.openai, apiKey: 'k' }, { model: 'gpt-4o-mini@forbidden' })).summary).toMatch(/may not do this \(HTTP 403\)/);
		const org = await diagnose({ kind: 'anthropic', baseUrl: s.anthropic, apiKey: 'k' }, { model: 'claude-haiku-4-5@org-no-browser' });
		expect(org.summary).toBe('Your Anthropic organisation does not allow calls from a browser.');
	});
	it('no key for a cloud provider', async () => {
		expect((await diagnose({ kind: 'anthropic' })).summary).toBe('No API key.');
	});
	it('mixed content: an http LAN server from an https page', async () => {
		const d = await diagnose({ kind: 'openai-compatible', baseUrl: 'http://192.168.1.20:11434/v1' }, { origin: 'https://studio.example.com' });
		expect(d.summary).toMatch(/mixed content/);
	});
	it('CORS: the server is up (the opaque probe gets through) — the exact fix for Ollama, LM Studio, llama.cpp', async () => {
		const up = async () => true;
		const ollama = await diagnose({ kind: 'openai-compatible', baseUrl: 'http://localhost:11434/v1' }, { origin: 'https://studio.example.com', probe: up, model: 'llama3.2' });
		// Node's fetch cannot reach it, like a browser blocked by CORS; the probe says the server is up
		expect(ollama.summary).toBe('localhost:11434 is running but refuses requests from this page (CORS).');
		expect(ollama.command).toBe('OLLAMA_ORIGINS="https://studio.example.com" ollama serve');
		expect(ollama.fix.join(' ')).toMatch(/Local network access/);
		const lms = await diagnose({ kind: 'openai-compatible', baseUrl: 'http://localhost:1234/v1' }, { origin: 'http://localhost:5173', probe: up, model: 'm' });
		expect(lms.command).toBe('lms server start --cors');
		const down = await diagnose({ kind: 'openai-compatible', baseUrl: 'http://localhost:8080/v1' }, { origin: 'http://localhost:5173', probe: async () => false, model: 'm' });
		expect(down.summary).toBe('Nothing answers at http://localhost:8080/v1.');
		expect(down.fix[0]).toMatch(/llama-server/);
	});
	it('recognises local servers by port', () => {
		expect(localServerOf('http://localhost:11434/v1')).toBe('ollama');
		expect(localServerOf('http://127.0.0.1:1234/v1')).toBe('lmstudio');
		expect(localServerOf('http://localhost:8080/v1')).toBe('llamacpp');
		expect(localServerOf('https://api.openai.com/v1')).toBeUndefined();
	});
});
