/** The node library's items and what dropping one does. */
import type { XYPosition } from '@xyflow/svelte';
import type { EffectSpec, StateNodeSpec } from '../model/types';
import type * as Y from 'yjs';
import { addEffect, addState, pasteFragment, setLayout, setWorkflowField } from '../collab/ops';
import { LOCAL, readWorkflow } from '../collab/binding';
import { CONTAINER_PAD, estimateStateSize, fitContainers, freeSpot, siblingRects, type Size } from './placement';
import { allStatePaths, stateAt, stateType } from '../model/tree';
import { effectCatalogue, isInvokeKind } from './effect-catalogue.svelte';
import { effectMergeFor, type LibraryDrop } from './extensions';
import type { DesignerSession } from './session.svelte';
import { toasts } from './toasts.svelte';
import type { IconName } from './Icon.svelte';

export const LIBRARY_MIME = 'application/x-fsm-studio-item';

export type LibraryItem =
	| { kind: 'state'; stateType: 'atomic' | 'final' | 'compound' | 'parallel' }
	| { kind: 'effect'; effectType: string }
	/** An entry of a registered library source (see `extensions.ts`). */
	| { kind: 'drop'; label: string; drop: LibraryDrop };

/** The effect a dragged library item carries (null for states). */
export function effectOfItem(item: LibraryItem): EffectSpec | null {
	if (item.kind === 'effect') return defaultEffect(item.effectType);
	if (item.kind === 'drop' && item.drop.kind === 'effect') return structuredClone(item.drop.spec);
	return null;
}

/** Reads a library item from a drag's data (null when it is something else). */
export function itemFromDrag(e: DragEvent): LibraryItem | null {
	const raw = e.dataTransfer?.getData(LIBRARY_MIME);
	if (!raw) return null;
	try {
		return JSON.parse(raw) as LibraryItem;
	} catch {
		return null;
	}
}

export const stateItems: { item: LibraryItem; label: string; icon: IconName; hint: string }[] = [
	{ item: { kind: 'state', stateType: 'atomic' }, label: 'State', icon: 'square', hint: 'A step the workflow can be in' },
	{ item: { kind: 'state', stateType: 'final' }, label: 'Final state', icon: 'final', hint: 'Where the workflow (or its parent) is done' },
	{ item: { kind: 'state', stateType: 'compound' }, label: 'Compound state', icon: 'layers', hint: 'A state with child states inside' },
	{ item: { kind: 'state', stateType: 'parallel' }, label: 'Parallel state', icon: 'columns', hint: 'Regions that are active at the same time' }
];

/** A default effect of a kind, filled from its schema's defaults where it has them. */
export function defaultEffect(type: string): EffectSpec {
	return effectCatalogue.defaultEffect(type);
}

function specFor(t: 'atomic' | 'final' | 'compound' | 'parallel'): StateNodeSpec {
	if (t === 'atomic') return {};
	if (t === 'final') return { type: 'final' };
	if (t === 'compound') return { type: 'compound', states: {} };
	return { type: 'parallel', states: {} };
}

const baseKey = { atomic: 'state', final: 'done', compound: 'group', parallel: 'parallel' } as const;

/**
 * Applies a dropped library item. `onto` is the state under the pointer (if any);
 * `absOf` gives a node's absolute position so children land where they were dropped.
 */
export function dropOnCanvas(
	session: DesignerSession,
	item: LibraryItem,
	pos: XYPosition,
	onto: string | null,
	absOf: (id: string) => XYPosition | undefined,
	measured?: Map<string, Size>
): string | undefined {
	const wf = session.workflow;
	const effect = effectOfItem(item);
	if (effect) {
		if (!onto) {
			toasts.show('Drop an effect onto a state to add it there.');
			return;
		}
		const kind = effectCatalogue.get(effect.type);
		const label = item.kind === 'drop' ? item.label : (kind?.label ?? effect.type);
		// an effect that joins the state's invoke of its kind (an agent joining a coordination)
		const invoke = stateAt(wf, onto)?.invoke;
		const current = invoke?.type === effect.type ? structuredClone(invoke) : undefined;
		const merged = current ? effectMergeFor(effect.type)?.(current, effect) : undefined;
		if (merged === current && current) {
			toasts.show(`${label} is already in the ${kind?.label ?? effect.type} of "${onto}".`);
			return onto;
		}
		if (merged) {
			session.stopCapturing();
			session.edit((doc) => addEffect(doc, onto, 'invoke', merged));
			session.stopCapturing();
			session.select([onto], []);
			toasts.show(`Added ${label} to the ${kind?.label ?? effect.type} of "${onto}".`);
			return onto;
		}
		const where = isInvokeKind(effect.type, kind?.category) && !stateAt(wf, onto)?.invoke ? 'invoke' : 'entry';
		session.stopCapturing();
		session.edit((doc) => addEffect(doc, onto, where, effect));
		session.stopCapturing();
		session.select([onto], []);
		toasts.show(`Added ${label} to ${where === 'invoke' ? 'the invoke' : 'entry'} of "${onto}".`);
		return onto;
	}
	if (item.kind === 'drop') return dropState(session, item, pos, onto, absOf, measured);
	if (item.kind !== 'state') return;
	// a state dropped inside a compound/parallel state becomes its child
	const parent = parentFor(session, onto);
	const size = item.stateType === 'compound' || item.stateType === 'parallel' ? { width: 360, height: 220 } : undefined;
	const key = baseKey[item.stateType];
	const spec = specFor(item.stateType);
	const want = { x: pos.x - 70, y: pos.y - 22 };
	const position = placeAt(session, parent, want, size ?? estimateStateSize(key, spec), absOf, measured);
	// the first state of a workflow is where it starts
	const first = !parent && wf.type !== 'parallel' && !(wf.initial && wf.states[wf.initial]);
	session.stopCapturing();
	const path = session.edit((doc) =>
		doc.transact(() => {
			const p = addState(doc, { parent, key, spec, position, size });
			if (first) setWorkflowField(doc, 'initial', p);
			fitAround(doc, measured);
			return p;
		}, LOCAL)
	);
	if (path) {
		session.stopCapturing();
		session.select([path], []);
	}
	return path;
}

/**
 * A position for a new state near `want` (absolute), relative to `parent`, where it covers no
 * other state: a state is never added on top of another.
 */
function placeAt(
	session: DesignerSession,
	parent: string,
	want: XYPosition,
	size: Size,
	absOf: (id: string) => XYPosition | undefined,
	measured?: Map<string, Size>
): XYPosition {
	const base = parent ? (absOf(parent) ?? { x: 0, y: 0 }) : { x: 0, y: 0 };
	const rel = { x: want.x - base.x, y: want.y - base.y };
	const others = siblingRects(session.workflow, parent, undefined, measured);
	return freeSpot(rel, size, others, parent ? { min: { x: CONTAINER_PAD.left, y: CONTAINER_PAD.top } } : {});
}

/** Grows (and shifts) containers so they enclose their children, inside the running edit. */
export function fitAround(doc: Y.Doc, measured?: Map<string, Size>) {
	const fix = fitContainers(readWorkflow(doc), measured);
	if (Object.keys(fix).length) setLayout(doc, fix);
}

/** The container a state dropped on `onto` goes into ('' = top level). */
function parentFor(session: DesignerSession, onto: string | null): string {
	if (!onto) return '';
	const t = stateType(stateAt(session.workflow, onto) ?? {});
	if (t === 'compound' || t === 'parallel') return onto;
	return onto.includes('.') ? onto.slice(0, onto.lastIndexOf('.')) : '';
}

/** A ready-made state from a library source (a component, an agent): pasted where it is dropped. */
function dropState(
	session: DesignerSession,
	item: Extract<LibraryItem, { kind: 'drop' }>,
	pos: XYPosition,
	onto: string | null,
	absOf: (id: string) => XYPosition | undefined,
	measured?: Map<string, Size>
): string | undefined {
	if (item.drop.kind !== 'state') return;
	const { key, spec, layout = {}, size } = item.drop;
	const parent = parentFor(session, onto);
	const at = placeAt(session, parent, { x: pos.x - 70, y: pos.y - 22 }, size ?? estimateStateSize(key, spec), absOf, measured);
	const frag = { kind: 'fsm-studio/fragment' as const, states: { [key]: structuredClone(spec) }, layout: { ...layout, [key]: { ...(layout[key] ?? {}), x: 0, y: 0, ...(size ?? {}) } } };
	session.stopCapturing();
	const pasted = session.edit((doc) =>
		doc.transact(() => {
			const out = pasteFragment(doc, frag, parent, at);
			fitAround(doc, measured);
			return out;
		}, LOCAL)
	);
	session.stopCapturing();
	if (pasted?.length) {
		session.select(pasted, []);
		toasts.show(`Added ${item.label}.`);
		return pasted[0];
	}
}

/**
 * Keyboard/click alternative to dragging: adds the item at the given point (the pointer, or the
 * middle of the view); an effect goes to the selected state.
 */
export function addFromLibrary(
	session: DesignerSession,
	item: LibraryItem,
	at: XYPosition,
	under: string | null,
	absOf: (id: string) => XYPosition | undefined,
	measured?: Map<string, Size>
) {
	const selected = [...session.selectedNodes][0] ?? null;
	if (item.kind !== 'state') return dropOnCanvas(session, item, at, selected, absOf, measured);
	// a state goes where the pointer is: into the container under it, else at the top level
	return dropOnCanvas(session, item, at, under, absOf, measured);
}
