/** JSON → XState / SCXML / Mermaid → JSON keeps everything the target format can express. */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { exportXStateJson, importXState } from '../../src/lib/io/xstate';
import { exportScxml, importScxml } from '../../src/lib/io/scxml';
import { exportMermaid, importMermaid } from '../../src/lib/io/mermaid';
import { exportJson, importJson } from '../../src/lib/io/json';
import { examples } from '../../src/lib/examples';
import { ALL_FIELDS, arbWorkflow, keyOrder, semantic, type NormalOptions } from './helpers';
import type { Workflow } from '../../src/lib/model/types';
import type { ImportResult } from '../../src/lib/io/types';

const NUM_RUNS = 150;

function ok(r: ImportResult): Workflow {
	if (!r.ok) throw new Error(`import failed: ${JSON.stringify(r.errors)}`);
	return r.workflow;
}

const XSTATE: NormalOptions = { keep: ALL_FIELDS };
const SCXML: NormalOptions = {
	keep: new Set(['effects', 'entry', 'exit', 'invoke', 'output', 'description', 'reenter', 'context', 'name', 'wdescription']),
	mergeAssigns: true
};
const MERMAID: NormalOptions = { keep: new Set(['description', 'name']), firstTargetOnly: true, dropHistory: true };

describe('round trips with awkward state and event names', () => {
	for (const [name, exp, imp, opts] of [
		['XState', exportXStateJson, importXState, XSTATE],
		['SCXML', exportScxml, importScxml, SCXML],
		['Mermaid', exportMermaid, importMermaid, MERMAID]
	] as const) {
		it(`JSON → ${name} → JSON`, () => {
			fc.assert(
				fc.property(arbWorkflow(1, true), (w) => {
					const back = ok((imp as (t: string) => ImportResult)((exp as (w: Workflow) => { text: string })(w).text));
					expect(semantic(back, opts)).toEqual(semantic(w, opts));
				}),
				{ numRuns: Number(process.env.IO_AWKWARD_RUNS ?? 100) }
			);
		});
	}
});

describe('round trips', () => {
	it('JSON → JSON is exact', () => {
		fc.assert(
			fc.property(arbWorkflow(), (w) => {
				expect(ok(importJson(exportJson(w).text))).toEqual(ok(importJson(JSON.stringify(w))));
			}),
			{ numRuns: 50 }
		);
	});

	it('JSON → XState → JSON keeps everything (extras ride in meta["fsm-studio"])', () => {
		for (const ex of examples) expect(semantic(ok(importXState(exportXStateJson(ex.workflow).text)), XSTATE)).toEqual(semantic(ex.workflow, XSTATE));
		fc.assert(
			fc.property(arbWorkflow(), (w) => {
				const out = exportXStateJson(w);
				expect(out.lost).toEqual([]);
				expect(semantic(ok(importXState(out.text)), XSTATE)).toEqual(semantic(w, XSTATE));
			}),
			{ numRuns: NUM_RUNS }
		);
	});

	it('JSON → SCXML → JSON keeps states, transitions, guards, effects, delays, history, context', () => {
		for (const ex of examples) expect(semantic(ok(importScxml(exportScxml(ex.workflow).text)), SCXML)).toEqual(semantic(ex.workflow, SCXML));
		fc.assert(
			fc.property(arbWorkflow(), (w) => {
				const back = ok(importScxml(exportScxml(w).text));
				expect(semantic(back, SCXML)).toEqual(semantic(w, SCXML));
			}),
			{ numRuns: NUM_RUNS }
		);
	});

	it('JSON → Mermaid → JSON keeps states, nesting, parallel regions, finals, events, delays, guards, first targets', () => {
		for (const ex of examples) expect(semantic(ok(importMermaid(exportMermaid(ex.workflow).text)), MERMAID)).toEqual(semantic(ex.workflow, MERMAID));
		fc.assert(
			fc.property(arbWorkflow(), (w) => {
				const back = ok(importMermaid(exportMermaid(w).text));
				expect(semantic(back, MERMAID)).toEqual(semantic(w, MERMAID));
			}),
			{ numRuns: NUM_RUNS }
		);
	});
});

describe('round trips with event descriptors and a parallel root', () => {
	for (const [name, exp, imp, opts] of [
		['XState', exportXStateJson, importXState, XSTATE],
		['SCXML', exportScxml, importScxml, SCXML],
		['Mermaid', exportMermaid, importMermaid, MERMAID]
	] as const) {
		it(`JSON → ${name} → JSON keeps descriptors in their order, and the parallel root`, () => {
			for (const parallelRoot of [false, true]) {
				fc.assert(
					fc.property(arbWorkflow(1, false, { descriptors: true, parallelRoot }), (w) => {
						const back = ok((imp as (t: string) => ImportResult)((exp as (w: Workflow) => { text: string })(w).text));
						expect(semantic(back, opts)).toEqual(semantic(w, opts));
						// SCXML has no transitions on the document itself (they are listed as lost).
						const order = (x: Workflow) => Object.fromEntries(Object.entries(keyOrder(x)).filter(([p]) => name !== 'SCXML' || p !== ''));
						if (name !== 'Mermaid') expect(order(back)).toEqual(order(w));
					}),
					{ numRuns: 60 }
				);
			}
		});
	}
});
