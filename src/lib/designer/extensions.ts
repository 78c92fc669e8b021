/**
 * Extension points of the designer: other features register here (in `plugins.ts`) instead of
 * editing the designer's components.
 *
 * - `registerEffectEditor`: a custom property editor for one effect kind (the whole effect, or
 *   one of its fields), loaded on first use.
 * - `registerLibrarySource`: extra groups in the node library (MCP tools, agents, custom effect
 *   kinds, components), whose items drop an effect spec or a ready-made state.
 *
 * See README.md in this folder for examples.
 */
import type { Component } from 'svelte';
import type { EffectSpec, LayoutEntry, StateNodeSpec } from '../model/types';
import type { JsonSchema } from './json-schema';
import type { IconName } from './Icon.svelte';

// ------------------------------------------------------------------ effect editors

/** Props of a custom editor for a whole effect. */
export interface EffectEditorProps {
	/** The effect as it is now. */
	spec: EffectSpec;
	/** Replaces the effect (one undo step per call). Keep `type`. */
	onchange: (next: EffectSpec) => void;
	/** Validation messages of the kind's schema, keyed by dotted field path ('' = the effect). */
	errors: Map<string, string>;
}

/** Props of a custom editor for one field of an effect. */
export interface EffectFieldEditorProps {
	/** The field's current value (undefined when not set). */
	value: unknown;
	/** Sets the field (undefined removes it); one undo step per call. */
	onchange: (value: unknown) => void;
	/** The whole effect, for editors that depend on other fields. */
	spec: EffectSpec;
	/** The field's JSON Schema (from the kind's zod schema), and its name. */
	schema: JsonSchema;
	name: string;
	/** Id to put on the main control, so the form's label points at it. */
	id: string;
	errors: Map<string, string>;
}

export interface EffectEditorRegistration {
	/** The effect kind (`call_llm`, `coordinate_agents`, `call_tool`, …). */
	type: string;
	/** A top-level field of the effect: the editor replaces the generated control for it. */
	field?: string;
	/**
	 * For a whole-effect editor: `replace` the generated form, or show it `below` the form
	 * (default), e.g. a plan or an estimate.
	 */
	placement?: 'replace' | 'below';
	/** Loads the Svelte component (a dynamic import, so it costs nothing until shown). */
	load: () => Promise<{ default: Component<any> }>; // eslint-disable-line @typescript-eslint/no-explicit-any
}

const effectEditors: EffectEditorRegistration[] = [];

/** Registers a custom property editor; returns a function that removes it again. */
export function registerEffectEditor(reg: EffectEditorRegistration): () => void {
	effectEditors.push(reg);
	return () => {
		const i = effectEditors.indexOf(reg);
		if (i >= 0) effectEditors.splice(i, 1);
	};
}

/** The editor registered for a field of an effect kind (the last registration wins). */
export function fieldEditorFor(type: string, field: string): EffectEditorRegistration | undefined {
	return effectEditors.findLast((r) => r.type === type && r.field === field);
}

/** Whole-effect editors of a kind. */
export function effectEditorsFor(type: string): EffectEditorRegistration[] {
	return effectEditors.filter((r) => r.type === type && !r.field);
}

// ------------------------------------------------------------------ library sources

/** What dropping a library entry creates. */
export type LibraryDrop =
	/** An effect, added to the state it is dropped on (or into a composer in the property panel). */
	| { kind: 'effect'; spec: EffectSpec }
	/**
	 * A ready-made state (atomic, or a compound with children and transitions among them), added
	 * where it is dropped. `layout` holds positions relative to the new state, keyed by paths
	 * that start with `key` (as in a copied fragment).
	 */
	| { kind: 'state'; key: string; spec: StateNodeSpec; layout?: Record<string, LayoutEntry>; size?: { width: number; height: number } };

export interface LibraryEntry {
	/** Unique within its source. */
	id: string;
	label: string;
	/** One sentence; shown as the tooltip and searched. */
	description?: string;
	icon?: IconName;
	/** Colour family of the entry (as effect chips). */
	tone?: 'ai' | 'io' | 'time' | 'data' | 'flow';
	drop: LibraryDrop;
}

export interface LibrarySource {
	/** Unique id, e.g. `mcp`, `agents`. */
	id: string;
	/** Group heading in the library, e.g. "MCP tools". */
	label: string;
	/** Lower comes first (built-in groups are 0). */
	order?: number;
	/** The entries now; may be async (a server's tool list). A failure is shown in the group. */
	items(): LibraryEntry[] | Promise<LibraryEntry[]>;
	/** Called when the entries may have changed (a server connected); returns an unsubscribe. */
	subscribe?(onChange: () => void): () => void;
	/** Shown when the source has no entries, saying how to get some ("Connect a server in Settings"). */
	empty?: string;
}

const sources: LibrarySource[] = [];
const sourceListeners = new Set<() => void>();

/** Adds a group to the node library; returns a function that removes it. */
export function registerLibrarySource(src: LibrarySource): () => void {
	const i = sources.findIndex((s) => s.id === src.id);
	if (i >= 0) sources.splice(i, 1, src);
	else sources.push(src);
	sourceListeners.forEach((f) => f());
	return () => {
		const j = sources.indexOf(src);
		if (j >= 0) sources.splice(j, 1);
		sourceListeners.forEach((f) => f());
	};
}

/** Registered library sources, in display order. */
export function librarySources(): LibrarySource[] {
	return [...sources].sort((a, b) => (a.order ?? 10) - (b.order ?? 10));
}

/** Called when a source is registered or removed. */
export function onLibrarySourcesChange(f: () => void): () => void {
	sourceListeners.add(f);
	return () => sourceListeners.delete(f);
}

// ------------------------------------------------------------------ effect merges

/**
 * Joins an effect dropped onto a state into that state's invoke of the same kind (an agent
 * joining a coordination); returns the new invoke, `existing` itself when the dropped effect is
 * already part of it (nothing changes), or undefined to add the dropped effect as usual. Must
 * be synchronous and cheap: it runs on the drop.
 */
export type EffectMerge = (existing: EffectSpec, dropped: EffectSpec) => EffectSpec | undefined;

const merges = new Map<string, EffectMerge>();

/** Registers how dropped effects of a kind join an invoke of that kind; returns a function that removes it. */
export function registerEffectMerge(type: string, merge: EffectMerge): () => void {
	merges.set(type, merge);
	return () => {
		if (merges.get(type) === merge) merges.delete(type);
	};
}

/** The merge registered for an effect kind. */
export function effectMergeFor(type: string): EffectMerge | undefined {
	return merges.get(type);
}
