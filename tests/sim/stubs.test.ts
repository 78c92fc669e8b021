import { describe, expect, it } from 'vitest';
import { createExecutor } from '../../src/lib/effects';
import { examples } from '../../src/lib/examples';
import { SimHost } from '../../src/lib/sim/host';
import { parseStubs, type StubConfig } from '../../src/lib/sim/stubs';

const triage = examples.find((e) => e.id === 'support-triage')!;
const ticket = { type: 'TICKET', ...triage.payloads.TICKET[0] };
const flush = async () => {
	for (let i = 0; i < 30; i++) await Promise.resolve();
};

function host() {
	const h = new SimHost({ executor: (o) => createExecutor({ ...o, seed: 1 }).run });
	return h;
}

describe('effect stubs in the simulator', () => {
	it('a stubbed call_llm that fails twice is retried and then answers; the timeline shows the attempts', async () => {
		const stubs: StubConfig = {
			call_llm: [
				{ delayMs: 100, error: { code: 'failed', message: 'model overloaded' } },
				{ delayMs: 100, error: { code: 'failed', message: 'model overloaded' } },
				{ delayMs: 100, output: { category: 'technical', urgency: 'low', summary: 'Crash.' } }
			],
			http: [{ delayMs: 50, output: { ok: true } }]
		};
		const h = host();
		await h.init({ persist: false });
		const id = await h.start(triage.workflow, { stubs });
		await h.send(id, ticket);
		expect((await h.view(id)).value).toBe('classifying');
		// Each attempt takes 100 ms; backoff waits at most 500 and 1000 ms.
		for (let i = 0; i < 20 && (await h.view(id)).value === 'classifying'; i++) {
			await h.advanceToNext(id);
			await flush();
		}
		const v = await h.view(id);
		expect(v.value).toBe('technical');
		expect(v.context).toMatchObject({ category: 'technical', summary: 'Crash.' });
		const { spans } = await h.timeline(id);
		const retry = spans.find((s) => s.effectType === 'retry')!;
		expect(retry.retries).toBe(2);
		expect(retry.status).toBe('ok');
		const attempts = spans.filter((s) => s.parentSpanId === retry.spanId);
		expect(attempts.map((a) => a.status)).toEqual(['error', 'error', 'ok']);
		expect(attempts[0].error).toContain('model overloaded');
		await h.advanceToNext(id);
		await flush();
		expect((await h.view(id)).value).toBe('answered');
	});

	it('leaving a state cancels its running (stubbed) invoke, and the timeline marks it cancelled', async () => {
		const h = host();
		await h.init({ persist: false });
		const id = await h.start(triage.workflow, {
			stubs: {
				call_llm: [{ output: { category: 'billing', urgency: 'low', summary: 'Double charge.' } }],
				'call_llm@billing': [{ delayMs: 60_000, progress: ['Dear', 'Dear customer'], output: 'Refunded.' }]
			}
		});
		await h.send(id, ticket);
		await flush();
		expect((await h.view(id)).value).toBe('billing');
		await h.advance(id, 25_000);
		await flush();
		let { spans } = await h.timeline(id);
		const drafting = spans.find((s) => s.state === 'billing' && s.effectType === 'call_llm')!;
		expect(drafting.status).toBe('running');
		expect(drafting.progress).toBe('Dear');
		await h.send(id, { type: 'RESET' });
		await flush();
		expect((await h.view(id)).value).toBe('waiting');
		({ spans } = await h.timeline(id));
		expect(spans.find((s) => s.spanId === drafting.spanId)!.status).toBe('cancelled');
	});

	it('rejects stubs that are not JSON, name no effect type, or have no steps', () => {
		expect(parseStubs('{').ok).toBe(false);
		expect(parseStubs('{"nope": [{}]}')).toMatchObject({ ok: false, message: expect.stringContaining('not an effect type') });
		expect(parseStubs('{"call_llm": []}').ok).toBe(false);
		expect(parseStubs('{"call_llm@billing": [{"output": "x"}]}')).toMatchObject({ ok: true });
		expect(parseStubs('')).toEqual({ ok: true, stubs: {} });
	});
});
