/**
 * The workflow model: format v1 types, parsing, migrations, serialization, lint and tree
 * helpers. Pure TypeScript: no DOM, Svelte, Dexie, Yjs or Comlink, so it runs in Node too.
 */
export * from './types';
export { parseWorkflow, type ParseOptions } from './parse';
export { migrations, migrate, detectVersion, type Migration } from './migrations';
export { DEFAULT_LIMITS, FORBIDDEN_KEYS, type Limits } from './guard';
export {
	WorkflowSchema,
	StateNodeSchema,
	TransitionConfigSchema,
	TransitionSpecSchema,
	EffectSchema,
	LayoutEntrySchema,
	STATE_KEY_PATTERN,
	DELAY_KEY_PATTERN
} from './schema';
export {
	walkStates,
	indexStates,
	stateAt,
	childrenAt,
	allStatePaths,
	keyOf,
	joinPath,
	stateType,
	childStates,
	parentPath,
	ancestors,
	isDescendantOrSelf,
	resolveTarget,
	targetLookup,
	targetsOf,
	normalizeTransitions,
	compactTransitions,
	listTransitions,
	findTransition,
	parseTransitionId,
	triggerLabel,
	stateTransitions,
	allTransitions,
	stateJsonPath,
	formatPath,
	didYouMean,
	type StateEntry,
	type StateIndex,
	type TransitionEntry,
	type ResolvedTransition
} from './tree';
export {
	parseTarget,
	formatTarget,
	escapeTargetSegment,
	resolveTargetWith,
	relativeTarget,
	idTarget,
	idTargetReadings,
	type TargetRef,
	type TargetLookup
} from './targets';
export { serializeWorkflow, canonicalWorkflow } from './serialize';
export { lintWorkflow, expressionError, LINT_RULES, type LintRule } from './lint';
export { buildJsonSchema, JSON_SCHEMA_PATH } from './json-schema';
export { checkWorkflow, type CheckResult } from './check';
export {
	eventDescriptors,
	matchesEventDescriptor,
	matchesEventKey,
	descriptorCovers,
	descriptorPrefix,
	descriptorProblem,
	isWildcardDescriptor,
	isPrivateEvent,
	eventNamesOf
} from './events';
