/** The node library's items and what dropping one does. */
import type { XYPosition } from '@xyflow/svelte';
import type { EffectSpec, StateNodeSpec } from '../model/types';
import { addEffect, addState } from '../collab/ops';
import { allStatePaths, stateAt, stateType } from '../model/tree';
import { effectKinds, isInvokeKind } from './model-adapter';
import type { DesignerSession } from './session.svelte';
import { toasts } from './toasts.svelte';
import type { IconName } from './Icon.svelte';

export const LIBRARY_MIME = 'application/x-fsm-studio-item';

export type LibraryItem =
	| { kind: 'state'; stateType: 'atomic' | 'final' | 'compound' | 'parallel' }
	| { kind: 'effect'; effectType: string };

export const stateItems: { item: LibraryItem; label: string; icon: IconName; hint: string }[] = [
	{ item: { kind: 'state', stateType: 'atomic' }, label: 'State', icon: 'square', hint: 'A step the workflow can be in' },
	{ item: { kind: 'state', stateType: 'final' }, label: 'Final state', icon: 'final', hint: 'Where the workflow (or its parent) is done' },
	{ item: { kind: 'state', stateType: 'compound' }, label: 'Compound state', icon: 'layers', hint: 'A state with child states inside' },
	{ item: { kind: 'state', stateType: 'parallel' }, label: 'Parallel state', icon: 'columns', hint: 'Regions that are active at the same time' }
];

/** A default effect of a kind, filled from its schema's defaults where it has them. */
export function defaultEffect(type: string): EffectSpec {
	const k = effectKinds.find((x) => x.type === type);
	const spec: EffectSpec = { type };
	try {
		const r = k?.schema?.safeParse({ type });
		if (r?.success && r.data && typeof r.data === 'object') Object.assign(spec, r.data, { type });
	} catch {
		/* schema without defaults */
	}
	return spec;
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
	absOf: (id: string) => XYPosition | undefined
): string | undefined {
	const wf = session.workflow;
	if (item.kind === 'effect') {
		if (!onto) {
			toasts.show('Drop an effect onto a state to add it there.');
			return;
		}
		const kind = effectKinds.find((k) => k.type === item.effectType);
		const where = isInvokeKind(item.effectType, kind?.category) && !stateAt(wf, onto)?.invoke ? 'invoke' : 'entry';
		session.edit((doc) => addEffect(doc, onto, where, defaultEffect(item.effectType)));
		session.stopCapturing();
		session.select([onto], []);
		toasts.show(`Added ${kind?.label ?? item.effectType} to ${where === 'invoke' ? 'the invoke' : 'entry'} of "${onto}".`);
		return onto;
	}
	// a state dropped inside a compound/parallel state becomes its child
	let parent = '';
	if (onto) {
		const t = stateType(stateAt(wf, onto) ?? {});
		if (t === 'compound' || t === 'parallel') parent = onto;
		else if (onto.includes('.')) parent = onto.slice(0, onto.lastIndexOf('.'));
	}
	let position = { x: pos.x - 70, y: pos.y - 22 };
	if (parent) {
		const abs = absOf(parent) ?? { x: 0, y: 0 };
		position = { x: Math.max(10, position.x - abs.x), y: Math.max(40, position.y - abs.y) };
	}
	const size = item.stateType === 'compound' || item.stateType === 'parallel' ? { width: 360, height: 220 } : undefined;
	const path = session.edit((doc) => addState(doc, { parent, key: baseKey[item.stateType], spec: specFor(item.stateType), position, size }));
	if (path) {
		session.stopCapturing();
		session.select([path], []);
	}
	return path;
}

/** Keyboard/click alternative to dragging: adds the item at the given point (or to the selected state). */
export function addFromLibrary(session: DesignerSession, item: LibraryItem, center: XYPosition, absOf: (id: string) => XYPosition | undefined) {
	const selected = [...session.selectedNodes][0] ?? null;
	if (item.kind === 'effect') return dropOnCanvas(session, item, center, selected, absOf);
	// offset a little from other new states so they do not pile up exactly
	const n = allStatePaths(session.workflow).length;
	return dropOnCanvas(session, item, { x: center.x + (n % 5) * 24, y: center.y + (n % 5) * 24 }, null, absOf);
}
