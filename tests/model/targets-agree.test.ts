import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { escapeTargetSegment, idTarget, indexStates, listTransitions, parseWorkflow, resolveTarget, walkStates } from '../../src/lib/model';
import type { StateNodeSpec, Workflow } from '../../src/lib/model/types';
import { compile, WorkflowCompileError } from '../../src/lib/engine';
import { buildGraph } from '../../src/lib/designer/graph';

// For random documents (names with backslashes and `#`, ids with dots, the `#<workflow id>`
// form, ambiguous `#a.b` spellings), the model, the engine and the designer's canvas must
// send every transition to the same state — or all agree that it names none.

const NAMES = ['a', 'b', 'step', 'one', 'x\\y', 'c#', 'two'];
const IDS = ['step', 'step.one', 'a', 'x.y.z', 'b\\c', 'wf'];

interface Shape {
	children: Shape[];
	parallel: boolean;
}
const shapeArb: fc.Arbitrary<Shape> = fc.letrec<{ node: Shape }>((tie) => ({
	node: fc.oneof(
		{ depthSize: 'small', maxDepth: 3 },
		fc.record({ children: fc.constant([] as Shape[]), parallel: fc.constant(false) }),
		fc.record({ children: fc.array(tie('node') as fc.Arbitrary<Shape>, { minLength: 1, maxLength: 3 }), parallel: fc.boolean() })
	)
})).node;

function build(top: Shape[], choices: number[]): Workflow {
	let k = 0;
	const pick = (n: number) => choices[k++ % choices.length] % n;
	const paths: string[] = [];
	const specs: [string, StateNodeSpec][] = [];
	const usedIds = new Set<string>();
	const mk = (shape: Shape, path: string): StateNodeSpec => {
		const spec: StateNodeSpec = {};
		if (pick(3) === 0) {
			const id = IDS[pick(IDS.length)];
			if (!usedIds.has(id)) {
				usedIds.add(id);
				spec.id = id;
			}
		}
		paths.push(path);
		specs.push([path, spec]);
		if (shape.children.length) {
			spec.states = {};
			if (shape.parallel) spec.type = 'parallel';
			shape.children.forEach((c, i) => {
				const key = i === 0 ? NAMES[pick(NAMES.length)] : `${NAMES[pick(NAMES.length)]}${i}`;
				spec.states![key] = mk(c, `${path}.${key}`);
			});
			if (!shape.parallel) spec.initial = Object.keys(spec.states)[0];
		}
		return spec;
	};
	const states: Record<string, StateNodeSpec> = {};
	top.forEach((s, i) => {
		const key = i === 0 ? 'step' : `${NAMES[pick(NAMES.length)]}${i}`;
		states[key] = mk(s, key);
	});
	const wf: Workflow = { format: 'fsm-studio/workflow', version: 1, id: 'wf', name: 'Random', initial: 'step', states };
	const index = indexStates(wf);
	// Ways to spell a target, some right, some ambiguous, some wrong.
	const spell = (source: string, to: string): string => {
		const names = to.split('.');
		const parent = source.includes('.') ? source.slice(0, source.lastIndexOf('.')) : '';
		const escaped = names.map(escapeTargetSegment);
		switch (pick(7)) {
			case 0:
				if (parent && to.startsWith(parent + '.')) return to.slice(parent.length + 1).split('.').map(escapeTargetSegment).join('.');
				return parent ? escaped.join('.') : escaped.join('.');
			case 1:
				if (to.startsWith(source + '.')) return '.' + to.slice(source.length + 1).split('.').map(escapeTargetSegment).join('.');
				return '.' + escaped[escaped.length - 1];
			case 2:
				return idTarget('wf', names);
			case 3: {
				// An ancestor's id, unescaped (ambiguous when the id has a dot).
				for (let i = names.length; i >= 1; i--) {
					const id = index.byPath.get(names.slice(0, i).join('.'))?.node.id;
					if (id) return '#' + [id, ...names.slice(i).map(escapeTargetSegment)].join('.');
				}
				return '#' + IDS[pick(IDS.length)];
			}
			case 4: {
				for (let i = names.length; i >= 1; i--) {
					const id = index.byPath.get(names.slice(0, i).join('.'))?.node.id;
					if (id) return idTarget(id, names.slice(i));
				}
				return idTarget(IDS[pick(IDS.length)]);
			}
			case 5:
				return names.join('.');
			default:
				return '#' + IDS[pick(IDS.length)] + (pick(2) ? '.' + NAMES[pick(NAMES.length)] : '');
		}
	};
	for (const [path, spec] of specs) {
		const n = pick(3);
		if (n === 0) continue;
		spec.on = {};
		for (let i = 0; i < n; i++) spec.on[`E${i}`] = { target: spell(path, paths[pick(paths.length)]) };
	}
	wf.on = { R: spell('', paths[pick(paths.length)]) };
	return wf;
}

describe('one target resolver', () => {
	it('model, engine and designer send every transition of random documents to the same state', () => {
		let resolvedCount = 0;
		let unresolvedCount = 0;
		let compiled = 0;
		fc.assert(
			fc.property(fc.array(shapeArb, { minLength: 1, maxLength: 3 }), fc.array(fc.nat(1000), { minLength: 50, maxLength: 50 }), (top, choices) => {
				const wf = build(top, choices);
				const index = indexStates(wf);
				const model = new Map<string, string | null>();
				for (const t of listTransitions(wf, index)) {
					const raw = t.spec.target as string;
					const r = resolveTarget(index, t.source, raw) ?? null;
					expect(t.targets).toEqual([r]);
					model.set(t.id, r);
					if (r === null) unresolvedCount++;
					else resolvedCount++;
				}
				// Designer: edges of the canvas (root transitions are not drawn).
				const edges = buildGraph(wf).edges;
				for (const [id, r] of model) {
					if (id.startsWith('|')) continue;
					const e = edges.find((x) => x.id === id);
					expect(e?.target ?? null).toBe(r);
				}
				// Engine: compiled targets, or compile errors for exactly the unresolved ones.
				const unresolved = [...model].filter(([, r]) => r === null).map(([id]) => id);
				try {
					const m = compile(wf);
					compiled++;
					expect(unresolved).toEqual([]);
					for (const node of m.nodes) {
						for (const list of node.on?.values() ?? []) for (const t of list) expect(t.targetPaths).toEqual([model.get(t.id)]);
					}
				} catch (e) {
					if (!(e instanceof WorkflowCompileError)) throw e;
					expect(e.problems.every((p) => /Unknown target/.test(p.message))).toBe(true);
					expect(e.problems.length).toBe(unresolved.length);
				}
				// Parse agrees with both.
				expect(parseWorkflow(wf).ok).toBe(unresolved.length === 0);
				expect(walkStates(wf).length).toBeGreaterThan(0);
			}),
			{ numRuns: 250, seed: 9401 }
		);
		expect(resolvedCount).toBeGreaterThan(300);
		expect(unresolvedCount).toBeGreaterThan(50);
		expect(compiled).toBeGreaterThan(25);
	});
});
