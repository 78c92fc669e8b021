/**
 * Format migrations, tldraw style: a sequence of small named steps, each with `up` and
 * `down`, applied in order to bring an older document to the current version (or a
 * current one back, for tests and for exporting to older apps).
 *
 * Version 0 (synthetic, written before `format` existed) kept every transition in one
 * top-level list, `transitions: [{ from, event, to, guard?, effects? }]`, where `from` is a
 * state path (`''` for the root), `to` a target as in v1, and `event` an event name,
 * `"always"`, `"after:<ms>"`, `"onDone"` or `"onError"`.
 */
import { WORKFLOW_FORMAT, WORKFLOW_VERSION } from './types';

type Doc = Record<string, unknown>;

export interface Migration {
	/** Stable, human name (shown in warnings and logs). */
	name: string;
	from: number;
	to: number;
	/** Pure: returns a new document; throws with a sentence when the input cannot be migrated. */
	up(doc: Doc): Doc;
	down(doc: Doc): Doc;
}

const isRecord = (v: unknown): v is Doc => typeof v === 'object' && v !== null && !Array.isArray(v);
const clone = <T>(v: T): T => structuredClone(v);

interface V0Transition {
	from: string;
	event: string;
	to?: string | string[];
	[k: string]: unknown;
}

function stateAt(doc: Doc, path: string): Doc | undefined {
	if (path === '') return doc;
	let node: unknown = doc;
	for (const key of path.split('.')) {
		const states = isRecord(node) ? node.states : undefined;
		if (!isRecord(states) || !Object.hasOwn(states, key) || !isRecord(states[key])) return undefined;
		node = states[key];
	}
	return node as Doc;
}

/** v1 keeps a lone, target-only alternative as a bare string; anything richer as objects. */
function compact(alts: Doc[]): unknown {
	if (alts.length === 1) {
		const only = alts[0];
		const keys = Object.keys(only);
		if (keys.length === 1 && keys[0] === 'target' && typeof only.target === 'string') return only.target;
		return only;
	}
	return alts;
}

const TRIGGER_FIELDS = ['always', 'onDone', 'onError'] as const;

const transitionsIntoStates: Migration = {
	name: 'transitions-into-states',
	from: 0,
	to: 1,
	up(input) {
		const doc = clone(input);
		const list = doc.transitions ?? [];
		delete doc.transitions;
		if (!Array.isArray(list)) throw new Error('"transitions" must be a list of { from, event, to }.');
		// Group in order of appearance, per state and trigger, so alternatives keep their order.
		const groups = new Map<Doc, Map<string, Doc[]>>();
		list.forEach((raw, i) => {
			if (!isRecord(raw)) throw new Error(`transitions[${i}] must be an object { from, event, to }.`);
			const { from, event, to, ...rest } = raw as V0Transition;
			if (typeof from !== 'string') throw new Error(`transitions[${i}].from must be a state path.`);
			if (typeof event !== 'string' || event === '') throw new Error(`transitions[${i}].event must be an event name.`);
			const node = stateAt(doc, from);
			if (!node) throw new Error(`transitions[${i}].from: state "${from}" does not exist.`);
			// Spread, not Object.assign: it never invokes a `__proto__` setter.
			const alt: Doc = to !== undefined ? { target: to, ...rest } : { ...rest };
			let byTrigger = groups.get(node);
			if (!byTrigger) groups.set(node, (byTrigger = new Map()));
			const g = byTrigger.get(event);
			if (g) g.push(alt);
			else byTrigger.set(event, [alt]);
		});
		for (const [node, byTrigger] of groups) {
			for (const [event, alts] of byTrigger) {
				const config = compact(alts);
				if ((TRIGGER_FIELDS as readonly string[]).includes(event)) node[event] = config;
				else if (event.startsWith('after:')) {
					const after = isRecord(node.after) ? node.after : (node.after = {});
					(after as Doc)[event.slice(6)] = config;
				} else {
					const on = isRecord(node.on) ? node.on : (node.on = {});
					(on as Doc)[event] = config;
				}
			}
		}
		const { version: _v, ...body } = doc;
		return { format: WORKFLOW_FORMAT, version: 1, ...body };
	},
	down(input) {
		const doc = clone(input);
		const transitions: V0Transition[] = [];
		const take = (node: Doc, from: string) => {
			const emit = (event: string, config: unknown) => {
				const alts = typeof config === 'string' ? [{ target: config }] : Array.isArray(config) ? config : [config];
				for (const alt of alts) {
					if (!isRecord(alt)) continue;
					const { target, ...rest } = alt;
					transitions.push({ from, event, ...(target !== undefined ? { to: target as string | string[] } : {}), ...rest });
				}
			};
			if (isRecord(node.on)) for (const [ev, c] of Object.entries(node.on)) emit(ev, c);
			for (const f of TRIGGER_FIELDS) if (node[f] !== undefined) emit(f, node[f]);
			if (isRecord(node.after)) for (const [ms, c] of Object.entries(node.after)) emit(`after:${ms}`, c);
			delete node.on;
			delete node.after;
			for (const f of TRIGGER_FIELDS) delete node[f];
			if (isRecord(node.states)) {
				for (const [k, child] of Object.entries(node.states)) {
					if (isRecord(child)) take(child, from ? `${from}.${k}` : k);
				}
			}
		};
		take(doc, '');
		const { format: _f, version: _v, ...body } = doc;
		return { version: 0, ...body, transitions };
	}
};

/** Every migration, in order. The last one's `to` is the current version. */
export const migrations: readonly Migration[] = [transitionsIntoStates];

/** The format version a raw document declares: v0 files have neither `format` nor `version`. */
export function detectVersion(doc: Doc): number | undefined {
	if (doc.version === undefined) return doc.format === undefined ? 0 : undefined;
	return typeof doc.version === 'number' && Number.isInteger(doc.version) && doc.version >= 0 ? doc.version : undefined;
}

/**
 * Moves a document from version `from` to version `to` (either direction) through the named
 * steps. Throws an Error naming the failing step.
 */
export function migrate(
	doc: Doc,
	from: number,
	to: number = WORKFLOW_VERSION,
	list: readonly Migration[] = migrations
): { doc: Doc; applied: string[] } {
	const applied: string[] = [];
	let cur = doc;
	let v = from;
	const run = (m: Migration, dir: 'up' | 'down') => {
		try {
			cur = m[dir](cur);
		} catch (e) {
			throw new Error(`migration "${m.name}" (${dir}, version ${m.from} → ${m.to}) failed: ${e instanceof Error ? e.message : String(e)}`);
		}
		applied.push(`${m.name}:${dir}`);
	};
	while (v < to) {
		const m = list.find((x) => x.from === v);
		if (!m) throw new Error(`no migration from format version ${v}.`);
		run(m, 'up');
		v = m.to;
	}
	while (v > to) {
		const m = list.find((x) => x.to === v);
		if (!m) throw new Error(`no migration down from format version ${v}.`);
		run(m, 'down');
		v = m.from;
	}
	return { doc: cur, applied };
}
