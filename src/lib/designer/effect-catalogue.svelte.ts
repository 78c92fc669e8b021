/**
 * The effect kinds as the designer sees them: label, category, description and parameter
 * schema of each, from `src/lib/effects/kinds`. That module brings zod and JSONata, so it is
 * loaded after the canvas has drawn (`effectCatalogue.load()`); until then chips show raw
 * kind names and forms wait for it.
 */
import type { z } from 'zod';
import type { EffectSpec } from '../model/types';
import { effectSlotsOf, type EffectSlot } from './effect-tree';
import type { JsonSchema } from './json-schema';

export interface EffectKindInfo {
	type: string;
	label: string;
	description: string;
	category: string;
	schema?: z.ZodType;
	/** The parameters' JSON Schema (what the forms are generated from). */
	json?: JsonSchema | null;
}

const AI_TYPES = /llm|agent|embed|retriev|rag|prompt|chat|classif|summar|mcp/i;

/** AI kinds get their own colour and icon on the canvas. */
export function isAiEffect(type: string, category?: string): boolean {
	return category === 'ai' || AI_TYPES.test(type);
}

/** Effects that do long-running work: dropped on a state they become its `invoke`. */
export function isInvokeKind(type: string, category?: string): boolean {
	return isAiEffect(type, category) || category === 'io' || /http|fetch|delay|wait/i.test(type);
}

/** Reads the effects layer's registry (an object keyed by type). */
export function kindsFrom(
	raw: Record<string, { label?: string; description?: string; category?: string; schema?: z.ZodType }>,
	toJson: (s: z.ZodType | undefined) => JsonSchema | null
): EffectKindInfo[] {
	return Object.entries(raw).map(([type, k]) => ({
		type,
		label: String(k.label ?? type),
		description: String(k.description ?? ''),
		category: String(k.category ?? 'data'),
		schema: k.schema,
		json: toJson(k.schema)
	}));
}

export class EffectCatalogue {
	kinds = $state.raw<EffectKindInfo[]>([]);
	loaded = $state(false);
	error = $state<string | null>(null);
	byType = $derived(new Map(this.kinds.map((k) => [k.type, k])));
	/**
	 * Kinds made to hold other effects (retry, sequence, saga …), in library order: what an
	 * effect can be wrapped in. (Others may hold effects too, e.g. a model call's tools.)
	 */
	composers = $derived(this.kinds.filter((k) => (k.category === 'composition' || k.category === 'resilience') && this.slotsOf(k.type).length > 0));
	private loading: Promise<void> | null = null;
	private slotCache = new Map<string, EffectSlot[]>();

	/** Loads the kinds once (later calls return the same promise). */
	load(): Promise<void> {
		this.loading ??= Promise.all([import('../effects/kinds'), import('./zod-json-schema')]).then(
			([m, j]) => this.set(kindsFrom(m.effectKinds as never, j.toJsonSchema)),
			(e) => {
				this.error = `The effect kinds could not be loaded: ${(e as Error).message}`;
				this.loading = null;
			}
		);
		return this.loading;
	}

	/** Sets the kinds directly (tests, or a page that has them already). */
	set(kinds: EffectKindInfo[]) {
		this.slotCache.clear();
		this.kinds = kinds;
		this.loaded = true;
		this.error = null;
	}

	get(type: string): EffectKindInfo | undefined {
		return this.byType.get(type);
	}

	/** JSON Schema of a kind's parameters (null for unknown kinds). */
	schemaOf(type: string): JsonSchema | null {
		return this.get(type)?.json ?? null;
	}

	/** The fields of a kind that hold effects (empty for plain kinds). */
	slotsOf(type: string): EffectSlot[] {
		let s = this.slotCache.get(type);
		if (!s) {
			s = effectSlotsOf(this.schemaOf(type));
			if (this.loaded) this.slotCache.set(type, s);
		}
		return s;
	}

	/** A new effect of a kind, filled from its schema's defaults. */
	defaultEffect(type: string): EffectSpec {
		const spec: EffectSpec = { type };
		try {
			const r = this.get(type)?.schema?.safeParse({ type });
			if (r?.success && r.data && typeof r.data === 'object') Object.assign(spec, r.data, { type });
		} catch {
			/* a schema without defaults */
		}
		return spec;
	}
}

/** The app's catalogue of effect kinds. */
export const effectCatalogue = new EffectCatalogue();
