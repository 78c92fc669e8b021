import type { Page } from '@playwright/test';
import type { Report } from '../report';

interface BenchWindow {
	__fsmBench: {
		benchAppend(n?: number, burst?: number): Promise<{ events: number; ms: number; eventsPerSecond: number; transactions: number }>;
		benchReplay(n?: number): Promise<{
			inputs: number;
			rows: number;
			buildMs: number;
			fullMs: number;
			fullReadMs: number;
			fullReplayMs: number;
			snapshotMs: number;
			restoreMs: number;
			matchesLive: boolean | null;
		}>;
	};
}

/** store.append and store.replay_100k_ms, measured in the runtime's worker in Chromium. */
export default async function (page: Page, report: Report, baseUrl: string) {
	page.setDefaultTimeout(300_000);
	await page.goto(`${baseUrl}/run/bench`);
	await page.waitForFunction(() => '__fsmBench' in window);

	// Warm-up (JIT, IndexedDB backing store), then the measured run.
	await page.evaluate(() => (window as unknown as BenchWindow).__fsmBench.benchAppend(20_000));
	const append = await page.evaluate(() => (window as unknown as BenchWindow).__fsmBench.benchAppend(200_000));
	report('store.append', append.eventsPerSecond, 'events/s', { events: append.events, transactions: append.transactions });

	const r = await page.evaluate(() => (window as unknown as BenchWindow).__fsmBench.benchReplay(100_000));
	if (!r.matchesLive) throw new Error('Replay did not rebuild the live state.');
	report('store.replay_100k_ms', r.fullMs, 'ms', {
		inputs: r.inputs,
		rows: r.rows,
		readMs: Math.round(r.fullReadMs),
		replayMs: Math.round(r.fullReplayMs)
	});
	report('store.replay_100k_from_snapshot_ms', r.snapshotMs, 'ms');
	report('store.restore_100k_ms', r.restoreMs, 'ms');
	report('runtime.pump_100k_persisted_ms', r.buildMs, 'ms', { rows: r.rows });
}
