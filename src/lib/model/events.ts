/**
 * Event descriptors: what a key of `on` matches. The one place that knows the rule, shared
 * by the engine, lint, the designer (Run panel) and every importer and exporter.
 *
 * As in SCXML (and XState's `*` and `x.*`):
 * - a key is one or more descriptors separated by whitespace (`"CANCEL ABORT"`);
 * - `*` matches every event;
 * - any other descriptor matches the event of that name and every event whose name
 *   continues it after a dot: `error` matches `error`, `error.execution` and
 *   `error.invoke.fetch`, but not `errors`; `error.*` means the same as `error`.
 *
 * Two kinds of events are the engine's own bookkeeping and are matched only by a descriptor
 * that names them exactly: `after.<ms>.<state>` (a state's timer, meant for its `after`
 * transitions) and `fsm.*` (context patches). Everything else — user events, `done.*` and
 * `error.*` — is matched by `*` and by prefixes.
 */

/** The descriptors of an `on` key, in order (`"A  B"` → `["A", "B"]`; empty when the key is blank). */
export function eventDescriptors(key: string): string[] {
	if (typeof key !== 'string') return [];
	// Fast path: a plain name.
	if (!/\s/.test(key)) return key === '' ? [] : [key];
	return key.split(/\s+/).filter((d) => d !== '');
}

/** True for the engine's bookkeeping events, which only an exact descriptor matches. */
export function isPrivateEvent(type: string): boolean {
	return type.startsWith('after.') || type.startsWith('fsm.');
}

/**
 * The name a descriptor stands for: `error.*` → `error`, `*` → `''` (every event),
 * `error` → `error`. An event matches when its name is this or continues it after a dot.
 */
export function descriptorPrefix(descriptor: string): string {
	if (descriptor === '*') return '';
	return descriptor.endsWith('.*') ? descriptor.slice(0, -2) : descriptor;
}

/** True when `descriptor` is `*` or ends in `.*`: written as a wildcard rather than a name. */
export function isWildcardDescriptor(descriptor: string): boolean {
	return descriptor === '*' || descriptor.endsWith('.*');
}

/** Does one descriptor (`*`, `error.*`, `error`, `OPEN`) match an event type? */
export function matchesEventDescriptor(descriptor: string, eventType: string): boolean {
	if (descriptor === eventType) return true;
	if (isPrivateEvent(eventType)) return false;
	const prefix = descriptorPrefix(descriptor);
	if (prefix === '') return descriptor === '*';
	if (prefix === eventType) return true;
	return eventType.length > prefix.length && eventType.charCodeAt(prefix.length) === 46 /* . */ && eventType.startsWith(prefix);
}

/** Does an `on` key (one or more descriptors separated by spaces) match an event type? */
export function matchesEventKey(key: string, eventType: string): boolean {
	if (key === eventType) return true;
	for (const d of eventDescriptors(key)) if (matchesEventDescriptor(d, eventType)) return true;
	return false;
}

/**
 * True when every event `specific` matches is also matched by `general` (so, listed first
 * in one state, `general` shadows `specific`): `*` covers everything, `error` covers
 * `error.execution` and `error.*`.
 */
export function descriptorCovers(general: string, specific: string): boolean {
	if (general === specific) return true;
	// A private name is matched only by itself.
	if (isPrivateEvent(specific)) return false;
	if (general === '*') return true;
	if (specific === '*') return false;
	const g = descriptorPrefix(general);
	const s = descriptorPrefix(specific);
	return s === g || (s.length > g.length && s.charCodeAt(g.length) === 46 && s.startsWith(g));
}

/**
 * Why a descriptor is malformed, or null. `*` may only stand alone or as the last token
 * (`error.*`); tokens between dots may not be empty. Malformed descriptors still match as
 * plain names (as XState does), but lint reports them.
 */
export function descriptorProblem(descriptor: string): string | null {
	if (descriptor === '*') return null;
	const body = descriptor.endsWith('.*') ? descriptor.slice(0, -2) : descriptor;
	if (body.includes('*')) return `"*" may only stand alone ("*") or end a name ("${body.replace(/\*/g, '').replace(/\.+$/, '') || 'error'}.*")`;
	if (body === '' || body.split('.').some((t) => t === '')) return 'a name between dots is empty';
	return null;
}

/** The exact event names an `on` key names (`"A B.*"` → `["A", "B"]`; `*` names none). */
export function eventNamesOf(key: string): string[] {
	const out: string[] = [];
	for (const d of eventDescriptors(key)) {
		const p = descriptorPrefix(d);
		if (p !== '' && !out.includes(p)) out.push(p);
	}
	return out;
}

/*
 * The engine's own event names (SCXML's), spelled here once for the engine, lint, the
 * simulator and the importers: an invoke's result and failure, a failed effect, a compound
 * state reaching its final child.
 */
export const DONE_INVOKE = 'done.invoke.';
export const ERROR_INVOKE = 'error.invoke.';
export const ERROR_EFFECT = 'error.effect.';
export const DONE_STATE = 'done.state.';

/** `done.invoke.<state>`: the state's invoke finished; the event's `output` is its result. */
export function doneInvokeEvent(state: string): string {
	return DONE_INVOKE + state;
}

/** `error.invoke.<state>`: the state's invoke failed. */
export function errorInvokeEvent(state: string): string {
	return ERROR_INVOKE + state;
}

/** `error.effect.<state>`: an effect started by the state (entry, exit, transition) failed. */
export function errorEffectEvent(state: string): string {
	return ERROR_EFFECT + state;
}

/** `done.state.<state>`: a compound state reached a final child (or all regions of a parallel one did). */
export function doneStateEvent(state: string): string {
	return DONE_STATE + state;
}
