/**
 * Targets: how a transition names the state it goes to. The one resolver of the project —
 * parse, lint, the engine, the designer and the importers/exporters all call it, so they
 * can never point at different states.
 *
 * XState v5's rule, with its escaping:
 * - `#id` names the state whose explicit `id` is `id`; `#id.x.y` a descendant of it. The id
 *   ends at the first unescaped dot, so an id containing a dot is written `#step\.one`
 *   (`#step.one` is the child `one` of the state with id `step`; only when that names no
 *   state is it read as the id `step.one`). `#<workflow id>.x` is a path from the root; a
 *   state's own id wins over the workflow's id.
 * - `.x.y` is a descendant of the source; `.` alone is the source itself.
 * - anything else is a path from the source's parent: a sibling (`x`) or a sibling's
 *   descendant (`x.y`). In the root's own `on` (source `''`) that is a top-level state.
 * - `\` makes the next character literal (`\.`, `\\`, `\#`). A state name cannot contain a
 *   dot, so an escaped dot can only be part of an id.
 */
import type { StatePath } from './types';

/** A target as written, read into its parts (segments unescaped). */
export type TargetRef =
	| { kind: 'id'; id: string; path: string[] }
	| { kind: 'child'; path: string[] }
	| { kind: 'sibling'; path: string[] };

/** What the resolver needs to know about a document. */
export interface TargetLookup {
	/** True when a state has this path (`a.b`; never `''`). */
	hasPath(path: StatePath): boolean;
	/** Path of the state that declares this explicit id, if any. */
	pathOfId(id: string): StatePath | undefined;
	/** The workflow's id: `#<workflow id>.x` is the path `x` from the root. */
	workflowId?: string;
}

/** Splits at unescaped dots and unescapes; null when a backslash ends the text. */
function segments(text: string): string[] | null {
	if (text.indexOf('\\') < 0) return text.split('.');
	const out: string[] = [];
	let seg = '';
	for (let i = 0; i < text.length; i++) {
		const c = text[i];
		if (c === '\\') {
			if (i + 1 >= text.length) return null;
			seg += text[++i];
		} else if (c === '.') {
			out.push(seg);
			seg = '';
		} else seg += c;
	}
	out.push(seg);
	return out;
}

/** Reads a target into its parts, or null when it is malformed (empty, an empty name between dots, a trailing backslash). */
export function parseTarget(target: string): TargetRef | null {
	if (typeof target !== 'string' || target === '') return null;
	if (target[0] === '#') {
		const segs = segments(target.slice(1));
		if (!segs || segs[0] === '' || segs.some((s, i) => i > 0 && s === '')) return null;
		return { kind: 'id', id: segs[0], path: segs.slice(1) };
	}
	if (target[0] === '.') {
		if (target === '.') return { kind: 'child', path: [] };
		const segs = segments(target.slice(1));
		if (!segs || segs.some((s) => s === '')) return null;
		return { kind: 'child', path: segs };
	}
	const segs = segments(target);
	if (!segs || segs.some((s) => s === '')) return null;
	return { kind: 'sibling', path: segs };
}

/** Escapes one name for use in a target: `\` → `\\`, `.` → `\.`. */
export function escapeTargetSegment(name: string): string {
	return /[\\.]/.test(name) ? name.replace(/[\\.]/g, (c) => '\\' + c) : name;
}

/** Writes a target from its parts (the inverse of `parseTarget`). */
export function formatTarget(ref: TargetRef): string {
	const rest = ref.path.map(escapeTargetSegment).join('.');
	if (ref.kind === 'id') return '#' + escapeTargetSegment(ref.id) + (rest ? '.' + rest : '');
	if (ref.kind === 'child') return '.' + rest;
	// A leading `#` or `.` would change the meaning: escape it.
	return /^[#.]/.test(rest) ? '\\' + rest : rest;
}

function parentOf(path: StatePath): StatePath {
	const i = path.lastIndexOf('.');
	return i < 0 ? '' : path.slice(0, i);
}

function descend(lookup: TargetLookup, base: StatePath, path: string[]): StatePath | undefined {
	if (path.length === 0) return base === '' ? undefined : base;
	// A name with a dot cannot exist (paths join names with dots).
	for (const s of path) if (s.indexOf('.') >= 0) return undefined;
	const full = base === '' ? path.join('.') : base + '.' + path.join('.');
	return lookup.hasPath(full) ? full : undefined;
}

/** One way of reading `#a.b.c`: the id is the first `idLength` names joined by dots. */
function readId(lookup: TargetLookup, names: string[], idLength: number): StatePath | undefined {
	const id = idLength === 1 ? names[0] : names.slice(0, idLength).join('.');
	const rest = names.slice(idLength);
	const at = lookup.pathOfId(id);
	if (at !== undefined) {
		const r = descend(lookup, at, rest);
		if (r !== undefined) return r;
	}
	if (id === lookup.workflowId && rest.length > 0) return descend(lookup, '', rest);
	return undefined;
}

/**
 * Resolves a target written in state `source` (`''` for the root's own `on`) to the path
 * of the state it names, or undefined when it names none (the root is never a target).
 *
 * `#a.b` is read as XState reads it (id `a`, child `b`); only when that names no state is
 * it read as an id containing unescaped dots (`a.b`, longest first), so files written
 * before escaping existed keep working. Lint reports such targets (`ambiguous-target`).
 */
export function resolveTargetWith(lookup: TargetLookup, source: StatePath, target: string): StatePath | undefined {
	const ref = parseTarget(target);
	if (ref === null) return undefined;
	if (ref.kind === 'id') {
		const names = [ref.id, ...ref.path];
		const first = readId(lookup, names, 1);
		if (first !== undefined || names.length === 1) return first;
		for (let k = names.length; k >= 2; k--) {
			const r = readId(lookup, names, k);
			if (r !== undefined) return r;
		}
		return undefined;
	}
	if (ref.kind === 'child') return descend(lookup, source, ref.path);
	return descend(lookup, source === '' ? '' : parentOf(source), ref.path);
}

/**
 * Every state an `#id` target could name, one per way of splitting its unescaped dots
 * (XState's reading first). More than one, or one that is not XState's, makes the target
 * ambiguous: lint asks for the escaped spelling.
 */
export function idTargetReadings(lookup: TargetLookup, target: string): { idLength: number; path: StatePath; spelled: string }[] {
	const ref = parseTarget(target);
	if (ref === null || ref.kind !== 'id') return [];
	const names = [ref.id, ...ref.path];
	const out: { idLength: number; path: StatePath; spelled: string }[] = [];
	for (let k = 1; k <= names.length; k++) {
		const r = readId(lookup, names, k);
		if (r !== undefined) out.push({ idLength: k, path: r, spelled: idTarget(names.slice(0, k).join('.'), names.slice(k)) });
	}
	return out;
}

/**
 * The shortest target that reaches `to` from `from` without an id: `.x` for a descendant,
 * a path from the source's parent otherwise; null when `to` lies elsewhere (it needs `#id`).
 */
export function relativeTarget(from: StatePath, to: StatePath): string | null {
	const rel = (path: StatePath) => path.split('.').map(escapeTargetSegment).join('.');
	if (from && to.startsWith(from + '.')) return '.' + rel(to.slice(from.length + 1));
	const base = parentOf(from);
	if (!base) return formatTarget({ kind: 'sibling', path: to.split('.') });
	if (to.startsWith(base + '.')) return formatTarget({ kind: 'sibling', path: to.slice(base.length + 1).split('.') });
	return null;
}

/** The target `#id` (escaped), optionally followed by a path below it. */
export function idTarget(id: string, path: string[] = []): string {
	return formatTarget({ kind: 'id', id, path });
}
