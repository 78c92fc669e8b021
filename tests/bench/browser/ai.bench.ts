// Language models in the Run panel, in Chromium against the mock LLM server (real HTTP, SSE):
//   ai.browser_stream_long_tasks     main-thread long tasks (> 50 ms) while a 2,000-token stream is
//                                    relayed from the simulator's worker into the Run panel (goal 0)
//   ai.browser_stream_longest_task_ms the longest main-thread task in that window
import type { Page } from '@playwright/test';
import type { Report } from '../report';
import { startMockLlmServer } from '../../mocks/llm-server';
import { mockSession } from '../../mocks/client';

// one-word deltas; the mock counts about 0.75 token per "wN " word, so this is ≈ 2,000 tokens
const WORDS = 2700;

function workflow() {
	return {
		format: 'fsm-studio/workflow',
		version: 1,
		id: 'bench-ai-stream',
		name: 'Stream 2000 tokens',
		initial: 'write',
		context: {},
		states: {
			write: { invoke: { type: 'call_llm', provider: 'OpenAI', prompt: 'Write a long story', assignTo: 'story' }, onDone: 'done', onError: 'failed' },
			done: { type: 'final' },
			failed: { type: 'final' }
		}
	};
}

export default async function (page: Page, report: Report, base: string) {
	const mock = await startMockLlmServer({ port: 0 });
	try {
		const s = mockSession(mock.url);
		// ≈ 2,000 tokens in 2,700 one-word deltas, 2 ms apart
		await s.script([{ match: 'Write a long story', reply: { text: Array.from({ length: WORDS }, (_, i) => `w${i % 10} `).join(''), deltaChars: 3, delayMs: 2 } }]);
		await page.addInitScript(() => {
			const w = window as unknown as { __longTasks: { start: number; duration: number }[] };
			w.__longTasks = [];
			new PerformanceObserver((l) => {
				for (const e of l.getEntries()) w.__longTasks.push({ start: e.startTime, duration: e.duration });
			}).observe({ type: 'longtask', buffered: true });
		});
		// a provider, through Settings
		await page.goto(base + '/settings/providers');
		await page.getByRole('button', { name: 'Add provider' }).click();
		const form = page.getByRole('form');
		await form.getByRole('radio', { name: 'OpenAI', exact: true }).check();
		await form.getByLabel(/Base URL/).fill(s.openai);
		await form.getByLabel(/API key/).fill('sk-bench-1');
		await form.getByRole('button', { name: 'Save' }).click();
		await page.getByRole('list', { name: 'Configured providers' }).getByText('OpenAI', { exact: true }).waitFor();
		// the workflow, live, in the designer
		await page.goto(base + '/open');
		await page.getByTestId('paste-box').fill(JSON.stringify(workflow()));
		await page.getByRole('button', { name: 'Show preview' }).click();
		await page.getByTestId('create-from-link').click();
		await page.waitForURL(/\/w\/[^/]+$/, { timeout: 60_000 });
		const id = await page.evaluate(() => location.pathname.split('/').pop()!);
		await page.evaluate((id) => localStorage.setItem(`fsm-sim:run-mode:${id}`, 'live'), id);
		// the designer remembers the mode per workflow id (the document's id, read from the code view otherwise)
		await page.reload();
		await page.getByRole('tab', { name: 'Run', exact: true }).click();
		await page.getByRole('tab', { name: 'Effects', exact: true }).click();
		await page.waitForTimeout(1000); // let start-up work settle
		const t0 = await page.evaluate(() => performance.now());
		const wall = Date.now();
		await page.getByTestId('sim-start').click();
		await page.getByTestId('sim-span-running').waitFor({ timeout: 30_000 });
		await page.getByTestId('sim-value').filter({ hasText: /^(done|failed)$/ }).waitFor({ timeout: 120_000 });
		const t1 = await page.evaluate(() => performance.now());
		const state = await page.getByTestId('sim-value').textContent();
		// the totals follow the final view on the next timeline refresh (≤ 200 ms): wait for them
		await page.waitForFunction(() => Number(document.querySelector('[data-testid="ai-run-total"]')?.getAttribute('data-output')) > 0, undefined, { timeout: 10_000 }).catch(() => {});
		const out = Number(await page.getByTestId('ai-run-total').getAttribute('data-output'));
		const tasks = (await page.evaluate(() => (window as unknown as { __longTasks: { start: number; duration: number }[] }).__longTasks)).filter((t) => t.start >= t0 && t.start <= t1);
		const longest = tasks.reduce((m, t) => Math.max(m, t.duration), 0);
		const extra = { tokens: out, state, streamMs: Math.round(t1 - t0), wallMs: Date.now() - wall, durations: tasks.map((t) => Math.round(t.duration)), goal: 0 };
		report('ai.browser_stream_long_tasks', tasks.length, 'tasks', extra);
		report('ai.browser_stream_longest_task_ms', Math.round(longest), 'ms', { tokens: out, state });
	} finally {
		await mock.close();
	}
}
