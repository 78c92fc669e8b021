// Worker thread of the differential test: imports one exported module (plain Node, no
// Vitest transform), runs the script and posts the trace back. The thread ends afterwards,
// so 200 copies of the runtime never share one heap.
import { parentPort, workerData } from 'node:worker_threads';
import { trace } from './trace-harness.mjs';

const { moduleUrl, script } = workerData;
try {
	const mod = await import(moduleUrl);
	parentPort.postMessage({ ok: true, trace: await trace(mod.createWorkflow, script) });
} catch (e) {
	parentPort.postMessage({ ok: false, error: String(e && e.stack ? e.stack : e) });
}
