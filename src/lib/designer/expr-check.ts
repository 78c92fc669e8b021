import jsonata from 'jsonata';

/** Syntax check of a JSONata expression: null when fine, else a short message. */
export function checkExpression(expr: string): string | null {
	if (!expr.trim()) return null;
	try {
		jsonata(expr);
		return null;
	} catch (e) {
		const err = e as { message?: string; position?: number };
		return `${err.message ?? 'Invalid expression'}${err.position !== undefined ? ` (at character ${err.position})` : ''}`;
	}
}
