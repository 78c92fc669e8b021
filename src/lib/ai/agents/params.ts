/** Readings of a coordination's settings shared by the strategies and the estimate (no model code here). */

/** Rounds of a debate: `rounds`, or the older `maxRounds` when only it was written. */
export function debateRounds(p: { rounds: number; maxRounds?: number }, spec: Record<string, unknown>): number {
	return spec.rounds === undefined && p.maxRounds !== undefined ? Math.min(10, p.maxRounds) : p.rounds;
}

/** The subtasks of a split (a list, or one per line of a text); undefined for a fan-out. */
export function subtasksOf(v: unknown): string[] | undefined {
	if (v === undefined || v === null || v === '') return undefined;
	if (Array.isArray(v)) return v.map((x) => (typeof x === 'string' ? x : JSON.stringify(x))).filter((x) => x.trim());
	return String(v)
		.split('\n')
		.map((x) => x.trim())
		.filter(Boolean);
}
