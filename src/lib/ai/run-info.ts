/**
 * Which run an effect belongs to. The engine's `EffectScope` knows its state but not its
 * instance or workflow; the instance host adds them with `withRunInfo` so that AI effects can
 * record usage per run and workflow, and apply the workflow's budget.
 */
import type { EffectScope, RunEffect } from '../engine/types';
import type { BudgetLimits } from './usage/budget';

export interface RunInfo {
	instanceId: string;
	workflowId?: string;
	workflowName?: string;
	/** The workflow's `budget` (maxCostUsd, maxTokens). */
	budget?: BudgetLimits;
}

/** The run info the host attached to a scope, if any. */
export function runInfoOf(scope: EffectScope): RunInfo | undefined {
	return (scope as EffectScope & { run?: RunInfo }).run;
}

/** Wraps an instance's `runEffect` so every scope it sees carries `info` (call per instance). */
export function withRunInfo(runEffect: RunEffect, info: RunInfo | (() => RunInfo)): RunEffect {
	return (effect, scope) => runEffect(effect, Object.assign(scope, { run: typeof info === 'function' ? info() : info }));
}
