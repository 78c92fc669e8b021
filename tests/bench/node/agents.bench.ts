// Agents against the mock LLM server (in-process, real HTTP):
// - agents.success_rate: 1,000 coordinations of mixed strategies (sequential, parallel, consensus with
//   JSON answers, debate 3 × 2, hierarchical) while 10% of model calls fail — 429 (Retry-After 0),
//   500, a stalled stream (timeout) or malformed JSON — with each agent's fallback chain (three
//   providers) and JSON repair on. Failures are drawn per call from a seeded generator and scripted
//   on the mock, so a run is reproducible.
// - agents.overhead_ms: per coordination, wall time minus the time some model call was in flight
//   (the union of the chat service's call intervals), i.e. what the coordination itself costs.
import type { Report } from '../report';
import { startMockLlmServer, type MockRule } from '../../mocks/llm-server';
import { createExecutor } from '../../../src/lib/effects';
import { createAiHandlers } from '../../../src/lib/ai/handlers';
import { createChatService, type ChatService } from '../../../src/lib/ai/llm/chat';
import type { ProviderInfo } from '../../../src/lib/ai/settings/providers';
import type { EffectScope } from '../../../src/lib/engine/types';
import type { EffectSpec } from '../../../src/lib/model/types';
import { seededRandom } from '../../../src/lib/effects/random';

const STRATEGIES = ['sequential', 'parallel', 'consensus', 'debate', 'hierarchical'] as const;
type Strategy = (typeof STRATEGIES)[number];

function pct(xs: number[], p: number): number {
	const s = [...xs].sort((a, b) => a - b);
	return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))];
}

const esc = (s: string) => s.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');

/** The model calls a coordination makes, each as a regex that picks out its request (and only it). */
function callsOf(strategy: Strategy, tag: string): string[] {
	const t = esc(`[${tag}]`);
	const first = (agent: string) => `/You are ${agent}\\.[^]*${t}(?![^]*Debate round)/`;
	switch (strategy) {
		case 'debate':
			return ['Ann', 'Bob', 'Cid'].flatMap((a) => [first(a), `/You are ${a}\\.[^]*${t}[^]*Debate round 2 of(?![^]*Debate round 3)/`]);
		case 'hierarchical':
			// The supervisor's second turn carries W1's result (a tool result in every provider's format).
			return [`/You are Boss\\.[^]*${t}(?![^]*W1 checked)/`, `/You are W1\\.[^]*${t}/`, `/You are Boss\\.[^]*${t}[^]*W1 checked/`];
		default:
			return ['Ann', 'Bob', 'Cid'].map(first);
	}
}

function effectOf(strategy: Strategy, tag: string): Record<string, unknown> {
	const chain = { provider: 'p1', fallback: [{ provider: 'p2' }, { provider: 'p3' }] };
	const three = ['Ann', 'Bob', 'Cid'].map((name) => ({ name, ...chain }));
	const task = `Should we ship the release this week? [${tag}]`;
	const base = { type: 'coordinate_agents', task, timeoutMs: 1000, maxTokens: 200, stream: true };
	switch (strategy) {
		case 'consensus':
			return { ...base, strategy, agents: three, output: 'json', schema: { type: 'object', properties: { answer: { enum: ['yes', 'no'] } }, required: ['answer'] }, answerField: 'answer' };
		case 'hierarchical':
			return { ...base, strategy, agents: [{ name: 'Boss', ...chain }, { name: 'W1', ...chain }], maxSteps: 3 };
		default:
			return { ...base, strategy, agents: three };
	}
}

/** A failing reply of the given kind for a call whose answer is `json` (or text). */
function failure(kind: number, json: boolean): MockRule['reply'] | string {
	if (kind === 0) return { status: 429, message: 'Rate limit reached', retryAfter: '0' };
	if (kind === 1) return 'server-error';
	if (kind === 2) return { text: 'stalled', delayMs: 4000 };
	return json ? { text: '{"answer": "yes",' } : { status: 500, message: 'The server had an error' };
}

function rulesFor(strategy: Strategy, tag: string, rnd: () => number, failRate: number): MockRule[] {
	const rules: MockRule[] = [];
	const json = strategy === 'consensus';
	// Each request of a call (first try on p1, its retry after a 429, then p2, then p3) fails with probability failRate.
	// Rules with `times: 1` are used in order, so a second rule for a provider only meets a second request: the retry after a 429.
	for (const match of callsOf(strategy, tag))
		for (const flavor of ['openai', 'anthropic', 'google'] as const)
			for (let k = 0; k < 2; k++) {
				if (rnd() >= failRate) break;
				const kind = Math.floor(rnd() * 4);
				const f = failure(kind, json);
				rules.push({ match, flavor, times: 1, ...(typeof f === 'string' ? { scenario: f } : { reply: f }) });
				if (kind !== 0) break;
			}
	if (strategy === 'hierarchical') {
		rules.push({ match: 'You are W1.', reply: { text: 'W1 checked the tests: green.' } });
		rules.push({ match: `/You are Boss\\.[^]*W1 checked/`, reply: { text: 'Ship it: the tests are green.' } });
		rules.push({ match: 'You are Boss.', reply: { toolCalls: [{ name: 'delegate_to_W1', arguments: { task: `Check the tests [${tag}]` } }] } });
	}
	rules.push({ match: 'Debate round', reply: { text: 'yes' } });
	rules.push({ reply: json ? { json: { answer: 'yes' } } : { text: 'yes' } });
	return rules;
}

export default async function (report: Report) {
	const mock = await startMockLlmServer();
	const info = (id: string): ProviderInfo => ({ id, name: id, kind: 'openai', hasKey: true, createdAt: 0, updatedAt: 0 });
	/** A chat service whose providers p1, p2, p3 are the mock's OpenAI, Anthropic and Gemini routes of one session; it times every call. */
	function serviceFor(session: string, busy: [number, number][]): ChatService {
		const root = `${mock.url}/s/${session}`;
		const configs = {
			p1: { kind: 'openai' as const, baseUrl: `${root}/openai/v1`, apiKey: 'sk-bench' },
			p2: { kind: 'anthropic' as const, baseUrl: `${root}/anthropic`, apiKey: 'sk-ant-bench' },
			p3: { kind: 'google' as const, baseUrl: `${root}/google/v1beta`, apiKey: 'AIza-bench-0000000000000000000' }
		};
		const models = { p1: 'gpt-4o-mini', p2: 'claude-haiku-4-5', p3: 'gemini-2.0-flash' };
		const inner = createChatService({
			resolve: async (id) => ({ config: configs[id as keyof typeof configs], info: { ...info(id), kind: configs[id as keyof typeof configs].kind, defaultModel: models[id as keyof typeof models] } }),
			priceOverrides: async () => ({}),
			recordUsage: () => {},
			sleep: async () => {}
		});
		return {
			async chat(call) {
				const start = performance.now();
				try {
					return await inner.chat(call);
				} finally {
					busy.push([start, performance.now()]);
				}
			}
		};
	}
	const scope = (): EffectScope => ({
		context: {},
		event: { type: 'GO' },
		signal: new AbortController().signal,
		state: 'deciding',
		traceId: '0af7651916cd43dd8448eb211c80319c',
		send() {},
		emit() {},
		assign() {},
		report() {}
	});
	async function coordinate(strategy: Strategy, i: number, rnd: () => number, failRate: number, spec?: Record<string, unknown>) {
		const tag = spec ? 'same' : `${strategy.slice(0, 4)} c${i}`;
		const session = `agents-${i}-${failRate}`;
		mock.script(session, rulesFor(strategy, tag, rnd, failRate));
		const busy: [number, number][] = [];
		const ex = createExecutor({ handlers: createAiHandlers({ workspaceId: 'bench', chatService: serviceFor(session, busy) }) });
		const effect = spec ?? effectOf(strategy, tag);
		const t0 = performance.now();
		let ok = true;
		let error = '';
		try {
			await ex.run(effect as EffectSpec, scope());
		} catch (e) {
			ok = false;
			error = (e as Error).message;
		}
		const wall = performance.now() - t0;
		const seen = mock.requests(session);
		const requests = seen.length;
		const failed = seen.filter((r) => r.status >= 400 || r.aborted).length;
		mock.reset(session);
		return { ok, error, wall, model: union(busy), requests, failed };
	}

	try {
		// Warm up (module loading, the first connections, the price table).
		for (let i = 0; i < 10; i++) await coordinate(STRATEGIES[i % 5], -1 - i, seededRandom(i), 0);

		const rnd = seededRandom(14);
		const n = 1000;
		let ok = 0;
		let requests = 0;
		let failedRequests = 0;
		const failures: Record<string, number> = {};
		const errors: string[] = [];
		// Ten coordinations at a time, as several instances of a workspace would run.
		for (let i = 0; i < n; i += 10) {
			const batch = await Promise.all(Array.from({ length: 10 }, (_, k) => coordinate(STRATEGIES[(i + k) % 5], i + k, rnd, 0.1)));
			batch.forEach((r, k) => {
				requests += r.requests;
				failedRequests += r.failed;
				if (r.ok) ok++;
				else {
					const s = STRATEGIES[(i + k) % 5];
					failures[s] = (failures[s] ?? 0) + 1;
					if (errors.length < 3) errors.push(`${s}: ${r.error.slice(0, 200)}`);
				}
			});
		}
		report('agents.success_rate', ok / n, 'ratio', { coordinations: n, failedByStrategy: failures, requests, failedRequests, target: 0.995, ...(errors.length ? { examples: errors } : {}) });

		// Overhead: one at a time, no failures, so nothing else competes for the event loop; the
		// same effect objects each time, as a workflow's (their parameters are validated once);
		// garbage collected between coordinations, so a collection the mock server caused is not counted.
		const specs = Object.fromEntries(STRATEGIES.map((s) => [s, effectOf(s, 'same')]));
		const gc = (globalThis as { gc?: () => void }).gc;
		const overhead: number[] = [];
		for (let i = 0; i < 250; i++) {
			gc?.();
			const r = await coordinate(STRATEGIES[i % 5], 10_000 + i, rnd, 0, specs[STRATEGIES[i % 5]]);
			if (r.ok) overhead.push(r.wall - r.model);
		}
		report('agents.overhead_ms', pct(overhead, 50), 'ms', { p90: Math.round(pct(overhead, 90) * 1000) / 1000, coordinations: overhead.length, target: 2 });
	} finally {
		await mock.close();
	}
}

/** Total length of the union of intervals. */
function union(xs: [number, number][]): number {
	const s = [...xs].sort((a, b) => a[0] - b[0]);
	let total = 0;
	let end = -Infinity;
	for (const [a, b] of s) {
		if (b <= end) continue;
		total += b - Math.max(a, end);
		end = b;
	}
	return total;
}
