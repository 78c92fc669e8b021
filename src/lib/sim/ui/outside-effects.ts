/**
 * The effects of a workflow that reach the outside world (HTTP, models, retrieval, tools),
 * where they are, and a starting point for their simulated answers. Pure: the caller says
 * which types are "outside" (the effect kinds' categories), so this module loads nothing.
 */
import type { EffectSpec, Workflow } from '../../model/types';
import { exampleFromSchema } from '../../effects/schema-example';

export interface OutsideEffect {
	type: string;
	/** Path of the state it runs in ('' for a workflow-level transition). */
	state: string;
}

/** Every effect object in a value (an effect, a list, a transition, a composer's children …). */
function collect(v: unknown, state: string, isOutside: (type: string) => boolean, out: OutsideEffect[], seen: Set<string>, depth = 0): void {
	if (!v || typeof v !== 'object' || depth > 40) return;
	if (Array.isArray(v)) {
		for (const x of v) collect(x, state, isOutside, out, seen, depth + 1);
		return;
	}
	const o = v as Record<string, unknown>;
	if (typeof o.type === 'string' && isOutside(o.type)) {
		const key = `${o.type}@${state}`;
		if (!seen.has(key)) {
			seen.add(key);
			out.push({ type: o.type, state });
		}
	}
	for (const [k, x] of Object.entries(o)) if (k !== 'type' && x && typeof x === 'object') collect(x, state, isOutside, out, seen, depth + 1);
}

/** The outside effects of a workflow, one per type and state, in document order. */
export function outsideEffects(wf: Workflow, isOutside: (type: string) => boolean): OutsideEffect[] {
	const out: OutsideEffect[] = [];
	const seen = new Set<string>();
	const walk = (states: Workflow['states'] | undefined, prefix: string) => {
		for (const [key, s] of Object.entries(states ?? {})) {
			const path = prefix ? `${prefix}.${key}` : key;
			const { states: children, ...own } = s;
			collect(own, path, isOutside, out, seen);
			walk(children, path);
		}
	};
	walk(wf.states, '');
	collect(wf.on, '', isOutside, out, seen);
	return out;
}

function stateNode(wf: Workflow, path: string): Record<string, unknown> | undefined {
	let node: unknown = wf;
	for (const k of path.split('.')) node = (node as { states?: Record<string, unknown> } | undefined)?.states?.[k];
	return node as Record<string, unknown> | undefined;
}

/** The first effect of `type` in state `state` (its parameters shape the example answer). */
function findSpec(wf: Workflow, e: OutsideEffect): EffectSpec | undefined {
	const node = e.state ? stateNode(wf, e.state) : undefined;
	let found: EffectSpec | undefined;
	const visit = (v: unknown, depth = 0): void => {
		if (found || !v || typeof v !== 'object' || depth > 40) return;
		if (Array.isArray(v)) return v.forEach((x) => visit(x, depth + 1));
		const o = v as Record<string, unknown>;
		if (o.type === e.type) {
			found = o as EffectSpec;
			return;
		}
		for (const [k, x] of Object.entries(o)) if (k !== 'states') visit(x, depth + 1);
	};
	visit(e.state ? node : (wf as { on?: unknown }).on);
	return found;
}

/**
 * The fields of `event.output` the state's onDone transitions read (guards, assignments), with
 * a value the guards accept where one is written as a literal (`event.output.x in ['a', …]`,
 * `event.output.x = 'a'`), so the example takes the path the workflow expects.
 */
function outputFieldsReadBy(onDone: unknown): Record<string, unknown> | undefined {
	if (onDone === undefined) return undefined;
	const text = JSON.stringify(onDone);
	const out: Record<string, unknown> = {};
	for (const m of text.matchAll(/event\.output\.([A-Za-z_$][\w$]*)/g)) out[m[1]] ??= 'edit me';
	for (const m of text.matchAll(/event\.output\.([A-Za-z_$][\w$]*)\s*(?:in\s*\[\s*|=\s*)'([^']*)'/g)) out[m[1]] = m[2];
	return Object.keys(out).length ? out : undefined;
}

/** Is `spec` the effect `tree` or one nested in it? */
function containsSpec(tree: unknown, spec: unknown, depth = 0): boolean {
	if (!tree || typeof tree !== 'object' || depth > 40) return false;
	if (tree === spec) return true;
	return Object.values(tree as Record<string, unknown>).some((v) => containsSpec(v, spec, depth + 1));
}

/** A plausible answer of one outside effect, for the user to edit. */
function exampleOutput(spec: EffectSpec | undefined, type: string, onDone: unknown): unknown {
	const schema = spec?.schema ?? (spec?.responseFormat as { schema?: unknown } | undefined)?.schema;
	if (schema && typeof schema === 'object') return exampleFromSchema(schema);
	const read = outputFieldsReadBy(onDone);
	if (read) return read;
	switch (type) {
		case 'call_llm':
			return spec?.output === 'json' || spec?.json === true ? { answer: 'edit me' } : 'The answer the model would give.';
		case 'http':
			return { ok: true };
		case 'embed_text':
			return [0.1, 0.2, 0.3];
		case 'vector_search':
			return [{ id: 'doc-1', text: 'A matching passage.', score: 0.9 }];
		case 'rag':
			return { answer: 'The answer from your documents.', sources: [] };
		case 'call_tool':
			return { content: [{ type: 'text', text: 'The tool’s result.' }], isError: false };
		default:
			return { ok: true };
	}
}

/**
 * Simulated answers for every outside effect of the workflow, as the JSON the Run panel's
 * "Simulated effect results" box takes: `{ "type@state": [{ "delayMs", "output" }] }`.
 */
export function stubExample(wf: Workflow, isOutside: (type: string) => boolean): string {
	const list = outsideEffects(wf, isOutside);
	if (!list.length) return '{}';
	const out: Record<string, { delayMs: number; output: unknown }[]> = {};
	for (const e of list) {
		const spec = findSpec(wf, e);
		// what the workflow reads from the answer: the state's onDone when the effect is its invoke
		const node = e.state ? stateNode(wf, e.state) : undefined;
		const onDone = node && containsSpec(node.invoke, spec) ? node.onDone : undefined;
		out[e.state ? `${e.type}@${e.state}` : e.type] = [{ delayMs: 300, output: exampleOutput(spec, e.type, onDone) }];
	}
	return JSON.stringify(out, null, 2);
}
