/**
 * Mermaid `stateDiagram-v2` (or `stateDiagram`) import, also from a Markdown fence: states,
 * composites, parallel regions (`--`), start and end markers, labelled arrows
 * (`EVENT [guard]`, `after(ms)`, `always`, `onDone`, `onError`) and notes. Styling,
 * direction and pseudo-states are reported as lost.
 */
import type { StateNodeSpec, TransitionSpec, Workflow } from '../../model/types';
import { normalizeTransitions } from '../../model/tree';
import { escapeTargetSegment, idTarget } from '../../model';
import type { ImportResult, LostItem } from '../types';
import { checkSize, dict, finish, guarded, ImportFailure, slug } from '../util';
import { unescapeText, yamlScalar } from './shared';

interface MNode {
	id: string;
	key: string;
	line: number;
	parent: MNode | null;
	/** Regions of a composite; one region unless `--` split it. */
	regions: { children: MNode[]; initial?: MNode; initialLine?: number }[];
	composite: boolean;
	final: boolean;
	description?: string;
	kind?: string;
	arrows: { target: MNode | 'end'; label: string; line: number }[];
}

/** Pulls the first ```mermaid block out of Markdown, or returns the text unchanged. */
function extractFromMarkdown(text: string): { text: string; lineOffset: number } {
	const m = /^```\s*mermaid[^\n]*\n/m.exec(text);
	if (!m) return { text, lineOffset: 0 };
	const start = m.index + m[0].length;
	const end = text.indexOf('\n```', start - 1);
	const body = text.slice(start, end < 0 ? undefined : end + 1);
	return { text: body, lineOffset: text.slice(0, start).split('\n').length - 1 };
}

/** Imports a Mermaid `stateDiagram-v2` (or `stateDiagram`), also from inside a Markdown fence. */
export function importMermaid(source: string): ImportResult {
	return guarded('Mermaid diagram', () => {
		const sizeErrors = checkSize(source, 'Mermaid diagram');
		if (sizeErrors.length) return { ok: false, errors: sizeErrors };
		const { text, lineOffset } = extractFromMarkdown(source);
		const rawLines = text.split(/\r\n|\r|\n/);
		const lost: LostItem[] = [];
		const fail = (line: number, message: string): never => {
			throw new ImportFailure([{ line: line + lineOffset, message: `Line ${line + lineOffset}: ${message}` }]);
		};
		const nodes = new Map<string, MNode>();
		const root: MNode = { id: '', key: '', line: 0, parent: null, regions: [{ children: [] }], composite: true, final: false, arrows: [] };
		const stack: MNode[] = [root];
		let title = '';
		let sawHeader = false;
		let i = 0;
		// Front matter: ---\ntitle: …\n---
		while (i < rawLines.length && rawLines[i].trim() === '') i++;
		if (rawLines[i]?.trim() === '---') {
			i++;
			for (; i < rawLines.length && rawLines[i].trim() !== '---'; i++) {
				const t = /^\s*title\s*:\s*(.*)$/.exec(rawLines[i]);
				if (t) title = yamlScalar(t[1]);
			}
			if (i >= rawLines.length) fail(1, 'the front matter that starts with "---" is never closed by another "---".');
			i++;
		}
		const current = () => stack[stack.length - 1];
		const region = (n: MNode) => n.regions[n.regions.length - 1];
		const getNode = (rawId: string, line: number, declareKey?: string): MNode => {
			const id = rawId.replace(/:::[\w-]+$/, '');
			if (!id) fail(line, 'a state name is missing.');
			if (id.length > 200) fail(line, 'a state name is longer than 200 characters.');
			let n = nodes.get(id);
			if (!n) {
				if (nodes.size >= 20_000) fail(line, 'the diagram has more than 20,000 states.');
				const parent = current();
				n = { id, key: declareKey ?? id, line, parent, regions: [{ children: [] }], composite: false, final: false, arrows: [] };
				nodes.set(id, n);
				region(parent).children.push(n);
			} else if (declareKey !== undefined) n.key = declareKey;
			if (rawId !== id) lost.push({ line: line + lineOffset, message: `Line ${line + lineOffset}: the style class on "${id}" is not kept.` });
			return n;
		};
		/** FSM Studio's own mark: the one composite at the top stands for a parallel root. */
		let parallelRoot = false;
		let noteFor: MNode | null = null;
		let noteLines: string[] = [];
		for (; i < rawLines.length; i++) {
			const lineNo = i + 1;
			const line = rawLines[i].trim();
			if (noteFor) {
				if (/^end\s+note$/i.test(line)) {
					noteFor.description = [noteFor.description, noteLines.join('\n')].filter(Boolean).join('\n');
					noteFor = null;
					noteLines = [];
				} else noteLines.push(rawLines[i].trim());
				continue;
			}
			if (/^%%\s*fsm-studio:\s*parallel root\s*$/i.test(line)) {
				parallelRoot = true;
				continue;
			}
			if (line === '' || line.startsWith('%%')) continue;
			if (!sawHeader) {
				if (/^stateDiagram(-v2)?\s*$/.test(line)) {
					sawHeader = true;
					continue;
				}
				fail(lineNo, 'a Mermaid state diagram must start with "stateDiagram-v2".');
			}
			let m: RegExpExecArray | null;
			if (line === '}') {
				if (stack.length === 1) fail(lineNo, 'there is a "}" without a matching "state … {".');
				stack.pop();
				continue;
			}
			if (line === '--') {
				const c = current();
				if (c === root) fail(lineNo, '"--" (parallel regions) can only be used inside a composite state.');
				c.regions.push({ children: [] });
				continue;
			}
			if ((m = /^direction\s+(\w+)$/i.exec(line))) {
				lost.push({ line: lineNo + lineOffset, message: `Line ${lineNo + lineOffset}: the layout direction "${m[1]}" is not kept; the designer lays states out itself.` });
				continue;
			}
			if (/^(classDef|class|style|click|linkStyle)\s/i.test(line)) {
				lost.push({ line: lineNo + lineOffset, message: `Line ${lineNo + lineOffset}: styling ("${line.split(/\s/)[0]}") is not kept.` });
				continue;
			}
			if ((m = /^note\s+(?:left|right)\s+of\s+([^\s:]+)\s*(?::\s*(.*))?$/i.exec(line))) {
				const n = getNode(m[1], lineNo);
				if (m[2] !== undefined) n.description = [n.description, unescapeText(m[2].trim())].filter(Boolean).join('\n');
				else noteFor = n;
				continue;
			}
			if ((m = /^state\s+"([^"]*)"\s+as\s+([^\s{]+)\s*(\{)?\s*(?:<<(\w+)>>)?$/.exec(line)) || (m = /^state\s+([^\s{"<]+)\s*(?:<<(\w+)>>)?\s*(\{)?$/.exec(line))) {
				let key: string | undefined, id: string, open: boolean, kind: string | undefined;
				if (line.startsWith('state "')) {
					key = unescapeText(m[1]);
					id = m[2];
					open = !!m[3];
					kind = m[4];
				} else {
					id = m[1];
					kind = m[2];
					open = !!m[3];
				}
				const n = getNode(id, lineNo, key);
				if (kind) {
					n.kind = kind;
					lost.push({ line: lineNo + lineOffset, message: `Line ${lineNo + lineOffset}: "${id}" is a <<${kind}>> pseudo-state; it is imported as an ordinary state.` });
				}
				if (open) {
					if (stack.length > 100) fail(lineNo, 'composite states are nested more than 100 deep.');
					n.composite = true;
					stack.push(n);
				}
				continue;
			}
			if ((m = /^(\[\*\]|[^\s:]+)\s*-->\s*(\[\*\]|[^\s:]+)\s*(?::\s*(.*))?$/.exec(line))) {
				const [, from, to, lbl] = m;
				// Kept escaped: the label's structure (`EVENT [guard] / action`) is parsed before entities are decoded.
				const labelText = (lbl ?? '').trim();
				if (from === '[*]') {
					if (to === '[*]') fail(lineNo, '"[*] --> [*]" connects start to end with no state in between.');
					const target = getNode(to, lineNo);
					const r = region(current());
					if (r.initial && r.initial !== target) fail(lineNo, `this level already starts at "${r.initial.id}" (line ${r.initialLine! + lineOffset}); it cannot also start at "${target.id}".`);
					r.initial = target;
					r.initialLine = lineNo;
					if (labelText) lost.push({ line: lineNo + lineOffset, message: `Line ${lineNo + lineOffset}: the label "${unescapeText(labelText)}" on the start arrow is not kept.` });
					continue;
				}
				const source = getNode(from, lineNo);
				if (to === '[*]') source.arrows.push({ target: 'end', label: labelText, line: lineNo });
				else source.arrows.push({ target: getNode(to, lineNo), label: labelText, line: lineNo });
				continue;
			}
			if ((m = /^([^\s:]+)\s*:\s*(.*)$/.exec(line))) {
				const n = getNode(m[1], lineNo);
				n.description = [n.description, unescapeText(m[2].trim())].filter(Boolean).join('\n');
				continue;
			}
			if ((m = /^([^\s:{}"]+)$/.exec(line))) {
				getNode(m[1], lineNo);
				continue;
			}
			fail(lineNo, `this line is not Mermaid state diagram syntax: "${line.length > 80 ? line.slice(0, 80) + '…' : line}".`);
		}
		if (!sawHeader) fail(1, 'a Mermaid state diagram must start with "stateDiagram-v2".');
		if (noteFor) fail(rawLines.length, `the note on "${noteFor.id}" is never closed with "end note".`);
		if (stack.length > 1) fail(stack[stack.length - 1].line, `the composite state "${stack[stack.length - 1].id}" is never closed with "}".`);
		if (nodes.size === 0) fail(1, 'the diagram has no states.');
		return finish(buildWorkflow(root, title, lost, lineOffset, parallelRoot), lost, 'Mermaid diagram');
	});
}

function buildWorkflow(root: MNode, title: string, lost: LostItem[], lineOffset: number, parallelRoot = false): Workflow {
	const pathOf = new Map<MNode, string>();
	const ids = new Set<string>();
	const specOf = new Map<MNode, StateNodeSpec>();
	const L = (line: number) => line + lineOffset;

	// State keys must be unique among siblings and may not contain "." or start with "#".
	const keyFor = (n: MNode, taken: Set<string>): string => {
		let k = n.key.replace(/\./g, '_').replace(/^#/, '_') || n.id.replace(/\./g, '_').replace(/^#/, '_');
		if (!k) k = 'state';
		const base = k;
		for (let i = 2; taken.has(k); i++) k = `${base}_${i}`;
		taken.add(k);
		return k;
	};

	const build = (container: MNode, parentPath: string): { states: Record<string, StateNodeSpec>; initial?: string; type?: 'parallel' } => {
		const states = dict<StateNodeSpec>();
		const taken = new Set<string>();
		if (container.regions.length > 1) {
			container.regions.forEach((r, ri) => {
				if (r.children.length === 0) return;
				// A region that holds one state is that state (the exporter draws each region so).
				const only = r.children.length === 1 && (!r.initial || r.initial === r.children[0]) ? r.children[0] : null;
				if (only) {
					const key = keyFor(only, taken);
					const path = parentPath ? `${parentPath}.${key}` : key;
					pathOf.set(only, path);
					states[key] = nodeSpec(only, path);
				} else {
					const key = keyFor({ key: `region${ri + 1}` } as MNode, taken);
					const path = parentPath ? `${parentPath}.${key}` : key;
					const inner = buildRegion(r, path);
					states[key] = { ...(inner.initial ? { initial: inner.initial } : {}), states: inner.states } as StateNodeSpec;
				}
			});
			return { states, type: 'parallel' };
		}
		const r = container.regions[0];
		return buildRegion(r, parentPath);
	};

	const buildRegion = (r: MNode['regions'][number], parentPath: string): { states: Record<string, StateNodeSpec>; initial?: string } => {
		const states = dict<StateNodeSpec>();
		const taken = new Set<string>();
		for (const c of r.children) {
			const key = keyFor(c, taken);
			const path = parentPath ? `${parentPath}.${key}` : key;
			pathOf.set(c, path);
			states[key] = nodeSpec(c, path);
		}
		const first = r.initial ?? r.children[0];
		if (!r.initial && r.children.length > 1) {
			lost.push({ line: L(first.line), message: `Line ${L(first.line)}: no "[*] --> …" marks where ${parentPath ? `"${parentPath}"` : 'the diagram'} starts; "${first.id}" was taken as the start.` });
		}
		const initial = first ? pathOf.get(first)!.split('.').pop() : undefined;
		// Arrows to [*] that need a real final state get one per level, created lazily below.
		return { states, initial };
	};

	const nodeSpec = (n: MNode, path: string): StateNodeSpec => {
		const spec: StateNodeSpec = {};
		specOf.set(n, spec);
		if (n.description) spec.description = n.description;
		if (n.composite) {
			const inner = build(n, path);
			if (inner.type) spec.type = 'parallel';
			if (inner.initial && !inner.type) spec.initial = inner.initial;
			spec.states = inner.states;
			if (Object.keys(inner.states).length === 0) {
				delete spec.states;
				delete spec.initial;
			}
		}
		return spec;
	};

	const top = build(root, '');
	const workflow: Workflow = {
		format: 'fsm-studio/workflow',
		version: 1,
		id: slug(title || 'mermaid-diagram'),
		name: title || 'Imported diagram',
		initial: top.initial ?? Object.keys(top.states)[0],
		states: top.states
	};
	// FSM Studio draws a parallel root as one parallel composite (Mermaid has no "--" at the
	// top); its mark gives the root back, when the diagram still has that shape.
	const only = root.regions.length === 1 && root.regions[0].children.length === 1 ? root.regions[0].children[0] : undefined;
	const wrapperKey = only ? pathOf.get(only) : undefined;
	const wrapper = wrapperKey !== undefined ? top.states[wrapperKey] : undefined;
	if (parallelRoot && only && wrapperKey !== undefined && wrapper?.type === 'parallel' && only.arrows.length === 0 && !only.description) {
		workflow.type = 'parallel';
		delete workflow.initial;
		workflow.states = wrapper.states ?? dict<StateNodeSpec>();
		pathOf.delete(only);
		specOf.delete(only);
		for (const [n, p] of pathOf) pathOf.set(n, p.slice(wrapperKey.length + 1));
	} else if (parallelRoot) {
		lost.push({ message: 'The diagram is marked as a parallel root, but it no longer is one parallel state at the top; it was imported as drawn.' });
	}

	// Target strings: a sibling key when possible, `.child` for descendants, else `#id`.
	const targetFor = (source: MNode, target: MNode): string => {
		const sp = pathOf.get(source)!;
		const tp = pathOf.get(target)!;
		const sParent = sp.includes('.') ? sp.slice(0, sp.lastIndexOf('.')) : '';
		const tParent = tp.includes('.') ? tp.slice(0, tp.lastIndexOf('.')) : '';
		if (sParent === tParent) return escapeTargetSegment(tp.slice(tp.lastIndexOf('.') + 1));
		if (tp.startsWith(sp + '.')) return '.' + tp.slice(sp.length + 1).split('.').map(escapeTargetSegment).join('.');
		const spec = specOf.get(target)!;
		if (!spec.id) {
			let id = target.id;
			for (let i = 2; ids.has(id); i++) id = `${target.id}_${i}`;
			ids.add(id);
			spec.id = id;
		}
		return idTarget(spec.id);
	};

	const finalFor = new Map<string, string>();
	const endStateKey = (source: MNode): string => {
		// The level's end marker becomes a final state next to the source.
		const sp = pathOf.get(source)!;
		const parentPath = sp.includes('.') ? sp.slice(0, sp.lastIndexOf('.')) : '';
		const existing = finalFor.get(parentPath);
		if (existing) return existing;
		const container = parentPath ? getSpecByPath(workflow, parentPath)! : workflow;
		const states = (container.states ??= dict<StateNodeSpec>());
		let key = 'end';
		for (let i = 2; Object.hasOwn(states, key); i++) key = `end_${i}`;
		states[key] = { type: 'final' };
		finalFor.set(parentPath, key);
		return key;
	};

	for (const [n, spec] of specOf) {
		const canBeFinal = !n.composite && n.arrows.length > 0 && n.arrows.every((a) => a.target === 'end' && a.label === '');
		if (canBeFinal) {
			spec.type = 'final';
			if (n.arrows.length > 1) lost.push({ line: L(n.arrows[1].line), message: `Line ${L(n.arrows[1].line)}: "${n.id}" is marked as an end state twice.` });
			continue;
		}
		for (const a of n.arrows) {
			const parsed = parseLabel(a.label);
			if (parsed.dropped) lost.push({ line: L(a.line), message: `Line ${L(a.line)}: the action "${parsed.dropped}" in the label is only text in Mermaid; it is not imported as an effect.` });
			// The end marker becomes a final state next to the source, so its key is a sibling target.
			const target = a.target === 'end' ? endStateKey(n) : targetFor(n, a.target);
			const t: TransitionSpec = { target };
			if (parsed.guard) t.guard = parsed.guard;
			let trigger = parsed.trigger;
			if (trigger === '') {
				trigger = n.composite ? 'onDone' : 'always';
				lost.push({ line: L(a.line), message: `Line ${L(a.line)}: the arrow from "${n.id}" has no label; it was imported as ${trigger === 'always' ? 'an eventless ("always")' : 'a "when done"'} transition.` });
			}
			addTransition(spec, trigger, t);
		}
	}
	return workflow;
}

function getSpecByPath(w: Workflow, path: string): StateNodeSpec | undefined {
	let node: StateNodeSpec | undefined;
	let states: Record<string, StateNodeSpec> | undefined = w.states;
	for (const k of path.split('.')) {
		node = states?.[k];
		states = node?.states;
	}
	return node;
}

function parseLabel(label: string): { trigger: string; guard?: string; dropped?: string } {
	let text = label;
	let dropped: string | undefined;
	let guard: string | undefined;
	const g = /^(.*?)\s*\[(.*)\]\s*(?:\/\s*(.*))?$/.exec(text);
	if (g) {
		text = g[1];
		guard = g[2].trim() || undefined;
		dropped = g[3]?.trim() || undefined;
	} else {
		const slash = text.indexOf(' / ');
		if (slash >= 0) {
			dropped = text.slice(slash + 3).trim() || undefined;
			text = text.slice(0, slash);
		}
	}
	text = unescapeText(text.trim());
	guard = guard === undefined ? undefined : unescapeText(guard);
	dropped = dropped === undefined ? undefined : unescapeText(dropped);
	const on = /^on\((.*)\)$/.exec(text);
	if (on) text = on[1] || text;
	else {
		const after = /^after\s*\(\s*(\d+(?:\.\d+)?)\s*(ms|s)?\s*\)$/.exec(text);
		if (after) text = `after(${after[2] === 's' ? String(Number(after[1]) * 1000) : after[1]})`;
	}
	return { trigger: on ? `on(${text})` : text, guard, dropped };
}

function addTransition(spec: StateNodeSpec, trigger: string, t: TransitionSpec) {
	const push = (config: unknown): TransitionSpec[] => [...normalizeTransitions(config as never), t];
	const m = /^after\((\d+(?:\.\d+)?)\)$/.exec(trigger);
	const on = /^on\((.*)\)$/.exec(trigger);
	if (trigger === 'always') spec.always = push(spec.always);
	else if (trigger === 'onDone') spec.onDone = push(spec.onDone);
	else if (trigger === 'onError') spec.onError = push(spec.onError);
	else if (m) {
		spec.after ??= dict();
		spec.after[m[1]] = push(spec.after[m[1]]);
	} else {
		const ev = on ? on[1] : trigger;
		spec.on ??= dict();
		spec.on[ev] = push(Object.hasOwn(spec.on, ev) ? spec.on[ev] : undefined);
	}
}

