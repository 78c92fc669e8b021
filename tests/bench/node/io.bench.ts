// io benchmarks: exporting a 500-state workflow to TypeScript (and the other formats), and
// how long a share link for it is.
import type { Report } from '../report';
import type { StateNodeSpec, Workflow } from '../../../src/lib/model/types';
import { exportTypeScript } from '../../../src/lib/io/typescript';
import { exportMermaid, importMermaid } from '../../../src/lib/io/mermaid';
import { exportScxml, importScxml } from '../../../src/lib/io/scxml';
import { exportXStateJson } from '../../../src/lib/io/xstate';
import { encodeShareLink, decodeShareLink, MAX_LINK_CHARS } from '../../../src/lib/io/share-link';
import { parseWorkflow } from '../../../src/lib/model';
import { runIrp } from '../../io/tools/irp';

/** 25 compound steps of 20 states each: guarded transitions, assigns, logs, delays. */
function workflow500(): Workflow {
	const states: Record<string, StateNodeSpec> = {};
	for (let g = 0; g < 25; g++) {
		const children: Record<string, StateNodeSpec> = {};
		for (let i = 0; i < 20; i++) {
			const next = i < 19 ? `task${i + 1}` : undefined;
			const child: StateNodeSpec = {
				entry: [{ type: 'assign', set: { steps: 'context.steps + 1' } }],
				on: {
					...(next ? { NEXT: [{ target: next, guard: `context.steps > ${i}` }, { target: next, effects: [{ type: 'log', message: `skipped guard at ${g}.${i}: {{ context.steps }}` }] }] } : {}),
					...(i > 0 ? { BACK: `task${i - 1}` } : {})
				}
			};
			if (i % 5 === 0 && next) child.after = { '1000': next };
			if (!next) child.type = 'final';
			children[`task${i}`] = child;
		}
		states[`stage${g}`] = { initial: 'task0', states: children, onDone: g < 24 ? `stage${g + 1}` : 'finished', on: { ABORT: 'finished' } };
	}
	states.finished = { type: 'final' };
	const w: Workflow = { format: 'fsm-studio/workflow', version: 1, id: 'bench-500', name: 'Bench 500', initial: 'stage0', context: { steps: 0 }, states };
	const p = parseWorkflow(w);
	if (!p.ok) throw new Error(`bench workflow is invalid: ${JSON.stringify(p.errors.slice(0, 3))}`);
	return p.workflow;
}

function median(fn: () => void, runs: number): number {
	const times: number[] = [];
	for (let i = 0; i < runs; i++) {
		const t = performance.now();
		fn();
		times.push(performance.now() - t);
	}
	times.sort((a, b) => a - b);
	return times[Math.floor(times.length / 2)];
}

export default async function (report: Report) {
	const w = workflow500();
	for (let i = 0; i < 3; i++) exportTypeScript(w); // warm up
	let size = 0;
	report('io.export_ts_ms', median(() => (size = exportTypeScript(w).text.length), 15), 'ms', { states: 501, bytes: size });
	report('io.export_mermaid_ms', median(() => exportMermaid(w), 15), 'ms');
	report('io.export_scxml_ms', median(() => exportScxml(w), 15), 'ms');
	report('io.export_xstate_ms', median(() => exportXStateJson(w), 15), 'ms');
	const scxml = exportScxml(w).text;
	const mermaid = exportMermaid(w).text;
	report('io.import_scxml_500_ms', median(() => importScxml(scxml), 10), 'ms');
	report('io.import_mermaid_500_ms', median(() => importMermaid(mermaid), 10), 'ms');

	const link = await encodeShareLink(w, { baseUrl: 'https://studio.example/open' });
	const length = link.ok ? link.length : link.reason === 'too-big' ? link.length + 'https://studio.example/open#'.length : NaN;
	report('io.link_bytes_500', length, 'bytes', { fitsInLink: link.ok, limit: MAX_LINK_CHARS });
	const t = performance.now();
	const plain = await encodeShareLink(w);
	if (plain.ok || plain.reason === 'too-big') {
		// decoding speed on the fragment (the size limit only applies when making links)
		const { deflateSync } = await import('fflate');
		const { toBase64Url } = await import('../../../src/lib/io/share-link');
		const { serializeWorkflow } = await import('../../../src/lib/model');
		const frag = `z1.${toBase64Url(deflateSync(new TextEncoder().encode(serializeWorkflow(w)), { level: 9 }))}`;
		const t2 = performance.now();
		const back = await decodeShareLink(frag);
		if (!back.ok) throw new Error('link decode failed');
		report('io.link_decode_500_ms', performance.now() - t2, 'ms');
	}
	void t;

	// W3C SCXML conformance tests (ECMAScript version): imported cleanly / pass / fail.
	const t3 = performance.now();
	const irp = await runIrp();
	report('io.scxml_irp_pass', irp.pass, 'tests', {
		total: irp.total,
		importedCleanly: irp.clean,
		pass: irp.pass,
		fail: irp.fail,
		lossy: irp.lossy,
		lossyOnlyByEcmascript: irp.lossyEcmascript,
		rejected: irp.rejected,
		ms: Math.round(performance.now() - t3)
	});
}
