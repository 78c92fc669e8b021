/**
 * Exports checked by Mermaid itself: `mermaid.parse` accepts every export, and what Mermaid
 * reads from it (states, groups, regions, start and end markers, arrows and their labels,
 * notes, the title) is exactly what the workflow says, minus what the exporter lists as lost.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { exportMermaid, importMermaid } from '../../src/lib/io/mermaid';
import { examples } from '../../src/lib/examples';
import type { Workflow } from '../../src/lib/model/types';
import { keyOrder, randomWorkflow, semantic, type RandomOptions } from './helpers';
import { expectedDrawing, loadMermaid, readMermaid } from './tools/mermaid';
import { escapeTargetSegment, parseWorkflow } from '../../src/lib/model';
import { compile } from '../../src/lib/engine';

const wf = (states: Workflow['states'], extra: Partial<Workflow> = {}): Workflow => ({ format: 'fsm-studio/workflow', version: 1, id: 'w', name: 'W', initial: Object.keys(states)[0], states, ...extra });

async function drawnAsIntended(w: Workflow) {
	const text = exportMermaid(w).text;
	const read = await readMermaid(text);
	if (!read.ok) throw new Error(`Mermaid rejected the export of "${w.name}": ${read.error}\n${text}`);
	expect(read.drawing, text).toEqual(expectedDrawing(w));
}

/** Random workflows with awkward names that parse and compile. */
function samples(count: number, awkward: boolean, from = 1, options: RandomOptions = {}): Workflow[] {
	const out: Workflow[] = [];
	for (let seed = from; out.length < count; seed++) {
		const w = randomWorkflow(seed * 7919, 1, awkward, options);
		const p = parseWorkflow(w);
		if (!p.ok) continue;
		try {
			compile(p.workflow);
		} catch {
			continue;
		}
		out.push(p.workflow);
	}
	return out;
}

const AWKWARD_TITLES = ['a: b', '*x', '& x', '- x', '> x', '@x', '%x', '`tick`', 'hash # tag', 'quote "inside"', "it's", '  spaced  ', '[list]', '{map}', '!tag', '|pipe', '? q', 'multi\nline', 'tab\there', 'back\\slash', 'ünï 🎉', 'yes', 'null', '123', 'true', '---', '%%{init: {}}%%'];
const AWKWARD_NAMES = ['<b>bold</b>', '&amp;', 'a#lt;b', 'x;y', 'say "hi"', 'a: b', '{x}', '[*]', 'direction LR', 'turn direction TB now', 'state', 'end note', '%%{init: {"theme": "dark"}}%%', '<<fork>>', '[[choice]]', '`code`', 'back\\slash', 'a -- b', 'a --> b', 'tab\tname', 'line\nbreak', ' lead', 'trail ', 'default', 'click', 'href', 'root_start', 'x_end', 'style', 'classDef', 'émoji 🎉', 'x#35;'];

describe('Mermaid reads every export as intended', { timeout: 120_000 }, () => {
	beforeAll(async () => {
		await loadMermaid();
	}, 60_000);

	it('the examples', async () => {
		for (const ex of examples) await drawnAsIntended(ex.workflow);
	});

	it('titles with YAML-special characters are quoted (Mermaid reads the same title back)', async () => {
		for (const name of AWKWARD_TITLES) {
			const w = wf({ a: {} }, { name });
			const read = await readMermaid(exportMermaid(w).text);
			expect(read.ok && read.drawing.title, name).toBe(name);
			const back = importMermaid(exportMermaid(w).text);
			expect(back.ok && back.workflow.name, name).toBe(name);
		}
	});

	it('state names, events, guards and notes are shown as text, never as HTML or syntax', async () => {
		const states: Workflow['states'] = {};
		AWKWARD_NAMES.forEach((n, i) => {
			states[n] = { description: `About ${n}`, on: { [n]: { target: escapeTargetSegment(AWKWARD_NAMES[(i + 1) % AWKWARD_NAMES.length]), guard: `context.x = "${n.replace(/["\\\n\t]/g, '')}"` } } };
		});
		const w = wf(states);
		const read = await readMermaid(exportMermaid(w).text);
		if (!read.ok) throw new Error(read.error);
		expect(read.drawing.markup).toEqual([]);
		await drawnAsIntended(w);
		const back = importMermaid(exportMermaid(w).text);
		if (!back.ok) throw new Error(JSON.stringify(back.errors));
		const opts = { keep: new Set(['description', 'name'] as const), firstTargetOnly: true, dropHistory: true };
		expect(semantic(back.workflow, opts)).toEqual(semantic(w, opts));
	});

	it('a parallel state inside a parallel state keeps its regions; region descriptions are notes', async () => {
		const w = wf({
			outer: {
				type: 'parallel',
				description: 'outer note',
				states: {
					inner: { type: 'parallel', description: 'inner note', states: { r1: { initial: 'a', states: { a: { on: { GO: 'b' } }, b: {} } }, r2: { initial: 'c', states: { c: {} } } } },
					side: { initial: 'd', description: 'side note', states: { d: {} } }
				}
			}
		});
		await drawnAsIntended(w);
		const back = importMermaid(exportMermaid(w).text);
		if (!back.ok) throw new Error(JSON.stringify(back.errors));
		const opts = { keep: new Set(['description', 'name'] as const), firstTargetOnly: true, dropHistory: true };
		expect(semantic(back.workflow, opts)).toEqual(semantic(w, opts));
	});

	it('random workflows with awkward names', async () => {
		for (const w of samples(Number(process.env.IO_MERMAID_SAMPLES ?? 30), true)) await drawnAsIntended(w);
	});

	it('event descriptors (*, err.*, "A B") are labels Mermaid shows as written, and come back in their order', async () => {
		const opts = { keep: new Set(['description', 'name'] as const), firstTargetOnly: true, dropHistory: true };
		for (const w of samples(Number(process.env.IO_MERMAID_SAMPLES ?? 30) / 2, false, 1, { descriptors: true })) {
			await drawnAsIntended(w);
			const back = importMermaid(exportMermaid(w).text);
			if (!back.ok) throw new Error(JSON.stringify(back.errors));
			expect(semantic(back.workflow, opts)).toEqual(semantic(w, opts));
		}
		const w = wf({ a: { on: { 'err.*': 'b', '*': 'b', 'A B': 'a', err: 'b' } }, b: {} });
		await drawnAsIntended(w);
		const back = importMermaid(exportMermaid(w).text);
		expect(back.ok && keyOrder(back.workflow)).toEqual(keyOrder(w));
	});

	it('a parallel root is one parallel group named as the workflow, and imports as a parallel root', async () => {
		const opts = { keep: new Set(['description', 'name'] as const), firstTargetOnly: true, dropHistory: true };
		for (const w of samples(Number(process.env.IO_MERMAID_SAMPLES ?? 30) / 2, true, 1, { parallelRoot: true })) {
			await drawnAsIntended(w);
			const back = importMermaid(exportMermaid(w).text);
			if (!back.ok) throw new Error(JSON.stringify(back.errors));
			expect(back.workflow.type).toBe('parallel');
			expect(semantic(back.workflow, opts)).toEqual(semantic(w, opts));
		}
	});
});
