/**
 * Syntax check of a JSONata expression for the forms. JSONata loads on first use (it is not
 * part of what the designer needs to draw): `checkExpression` answers null until
 * `loadExpressionCheck()` has resolved.
 */
type Jsonata = (expr: string) => unknown;
let jsonata: Jsonata | null = null;
let loading: Promise<void> | null = null;

/** Loads the checker once; resolves when `checkExpression` can answer. */
export function loadExpressionCheck(): Promise<void> {
	loading ??= import('jsonata').then(
		(m) => {
			jsonata = m.default as unknown as Jsonata;
		},
		(e) => {
			loading = null;
			throw e;
		}
	);
	return loading;
}

/** Null when fine (or not checkable yet), else a short message. */
export function checkExpression(expr: string): string | null {
	if (!expr.trim() || !jsonata) return null;
	try {
		jsonata(expr);
		return null;
	} catch (e) {
		const err = e as { message?: string; position?: number };
		return `${err.message ?? 'Invalid expression'}${err.position !== undefined ? ` (at character ${err.position})` : ''}`;
	}
}
