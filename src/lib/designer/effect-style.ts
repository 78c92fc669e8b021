import type { IconName } from './Icon.svelte';
import { effectCatalogue, isAiEffect } from './effect-catalogue.svelte';

/** How an effect kind looks on a chip: icon and a colour family. */
export function effectLook(type: string): { icon: IconName; tone: 'ai' | 'io' | 'time' | 'data' | 'flow'; label: string } {
	const k = effectCatalogue.get(type);
	const cat = k?.category;
	const label = k?.label ?? type;
	if (isAiEffect(type, cat)) return { icon: 'sparkles', tone: 'ai', label };
	if (cat === 'io' || /http|fetch|mcp/i.test(type)) return { icon: 'globe', tone: 'io', label };
	if (cat === 'time' || /delay|wait|timeout/i.test(type)) return { icon: 'clock', tone: 'time', label };
	if (cat === 'composition' || cat === 'resilience' || /retry|sequence|parallel|race|saga|compensation|circuit|bulkhead|rate_limit|cache/.test(type))
		return { icon: 'layers', tone: 'flow', label };
	if (/assign|set|context/i.test(type)) return { icon: 'database', tone: 'data', label };
	return { icon: 'zap', tone: 'data', label };
}
