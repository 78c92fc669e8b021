/** A run's budget (`budget: { maxCostUsd, maxTokens }` on the workflow), checked before every model call. */

export interface BudgetLimits {
	maxCostUsd?: number;
	maxTokens?: number;
}

export class BudgetExceededError extends Error {
	constructor(message: string) {
		super(message);
		this.name = 'BudgetExceededError';
	}
}

/** What a run has spent; `check` refuses a call whose worst case would go over a limit. */
export class RunBudget {
	costUsd = 0;
	tokens = 0;
	constructor(readonly limits: BudgetLimits) {}

	/**
	 * Throws before a call that could exceed the budget. The worst case of a call is its
	 * estimated prompt plus its `maxTokens` of output, at the model's prices.
	 */
	check(call: { model: string; inputTokens: number; maxOutputTokens: number; inputPerMTok?: number; outputPerMTok?: number }): void {
		const { maxCostUsd, maxTokens } = this.limits;
		const worstTokens = call.inputTokens + call.maxOutputTokens;
		if (maxTokens !== undefined && this.tokens + worstTokens > maxTokens)
			throw new BudgetExceededError(
				`This run's token budget would be exceeded: ${fmtInt(this.tokens)} of ${fmtInt(maxTokens)} tokens used, and the next call to ${call.model} may use up to ${fmtInt(worstTokens)} (prompt ≈ ${fmtInt(call.inputTokens)} + max ${fmtInt(call.maxOutputTokens)} output). Raise the workflow's budget.maxTokens or lower the effect's max tokens.`
			);
		if (maxCostUsd !== undefined && call.inputPerMTok !== undefined && call.outputPerMTok !== undefined) {
			const worst = (call.inputTokens * call.inputPerMTok + call.maxOutputTokens * call.outputPerMTok) / 1e6;
			if (this.costUsd + worst > maxCostUsd)
				throw new BudgetExceededError(
					`This run's cost budget would be exceeded: ${fmtUsd(this.costUsd)} of ${fmtUsd(maxCostUsd)} spent, and the next call to ${call.model} may cost up to ${fmtUsd(worst)}. Raise the workflow's budget.maxCostUsd or lower the effect's max tokens.`
				);
		}
		if (maxCostUsd !== undefined && this.costUsd >= maxCostUsd)
			throw new BudgetExceededError(`This run's cost budget of ${fmtUsd(maxCostUsd)} is spent (${fmtUsd(this.costUsd)}). Raise the workflow's budget.maxCostUsd.`);
	}

	charge(usage: { inputTokens: number; outputTokens: number; costUsd: number }): void {
		this.tokens += usage.inputTokens + usage.outputTokens;
		this.costUsd += usage.costUsd;
	}
}

export function fmtUsd(v: number): string {
	if (v === 0) return '$0';
	if (v < 0.01) return `$${v.toPrecision(2)}`;
	return `$${v.toFixed(v < 1 ? 4 : 2)}`;
}

function fmtInt(n: number): string {
	return Math.round(n).toLocaleString('en-US');
}
