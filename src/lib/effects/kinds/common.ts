import { z } from 'zod';
import type { EffectSpec } from '../../model/types';
import { EffectError } from '../errors';
import { hashString, stableStringify } from '../hash';
import { templateText } from '../expr';
import type { EffectContext, EffectKind } from '../types';

/** Fields every effect may carry. */
export const base = {
	id: z.string().optional().describe('Stable id: names the effect in the timeline and in breakpoints'),
	description: z.string().optional().describe('What this effect is for (shown in the designer)'),
	assignTo: z.string().optional().describe('Context key that receives the effect’s result')
};

/** A nested effect (validated when it runs). */
export const effectRef = z
	.object({ type: z.string().describe('Effect kind'), id: z.string().optional() })
	.loose()
	.describe('An effect') as unknown as z.ZodType<EffectSpec>;

export const effectList = z.array(effectRef);

/** Identity helper that keeps the schema's output type for `run`. */
export function defineKind<S extends z.ZodType>(k: EffectKind<S>): EffectKind<S> {
	return k;
}

/** Until a provider registers a handler, AI and tool kinds fail with what to do. */
export function noProvider(type: string): never {
	throw new EffectError('no_provider', `No provider configured for ${type} — add one in Settings → Providers`);
}

export const modelFields = {
	provider: z.string().optional().describe('Provider id from Settings → Providers (default: the workspace default)'),
	model: z.string().optional().describe('Model name (default: the provider’s default)')
};

export const keyField = z
	.string()
	.optional()
	.describe('Shared key: every instance of the workspace using the same key shares this state; {{ }} templates allowed (e.g. "tenant-{{ context.tenant }}"). Default: derived from the inner effect');

/** The resolved shared key of a resilience effect. */
export function resilienceKey(ctx: EffectContext, type: string, key: string | undefined, inner: unknown): string {
	if (key !== undefined) return templateText(key, ctx.data());
	return `${type}:${hashString(stableStringify(inner))}`;
}
