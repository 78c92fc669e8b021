import {
	transitionId,
	type StateNodeSpec,
	type StatePath,
	type TransitionConfig,
	type TransitionId,
	type TransitionSpec,
	type Workflow
} from '../model/types';

/** One transition of the document, addressed by the shared `TransitionId` scheme. */
export interface TransitionInfo {
	id: TransitionId;
	source: StatePath;
	/** `on:<EVENT>`, `always`, `after:<ms>`, `onDone` or `onError`. */
	trigger: string;
	/** The event type for `on:` triggers. */
	event?: string;
	index: number;
	targets: string[];
	guard?: string;
}

/** One state of the document. History pseudo-states are listed but never become active. */
export interface StateInfo {
	path: StatePath;
	parent?: StatePath;
	type: 'atomic' | 'compound' | 'parallel' | 'final' | 'history';
	hasInvoke: boolean;
	hasOnError: boolean;
}

export interface WorkflowIndex {
	states: StateInfo[];
	transitions: TransitionInfo[];
	stateByPath: Map<StatePath, StateInfo>;
	transitionById: Map<TransitionId, TransitionInfo>;
}

function alternatives(config: TransitionConfig | undefined): TransitionSpec[] {
	if (config === undefined) return [];
	if (typeof config === 'string') return [{ target: config }];
	if (Array.isArray(config)) return config;
	return [config];
}

function stateType(spec: StateNodeSpec): StateInfo['type'] {
	if (spec.type) return spec.type;
	return spec.states && Object.keys(spec.states).length > 0 ? 'compound' : 'atomic';
}

function pushTransitions(out: TransitionInfo[], source: StatePath, trigger: string, config: TransitionConfig | undefined, event?: string) {
	alternatives(config).forEach((t, index) => {
		const targets = t.target === undefined ? [] : Array.isArray(t.target) ? t.target : [t.target];
		out.push({ id: transitionId(source, trigger, index), source, trigger, event, index, targets, guard: t.guard });
	});
}

/** Every state and transition of a workflow, in document order (pure, no engine needed). */
export function indexWorkflow(workflow: Workflow): WorkflowIndex {
	const states: StateInfo[] = [];
	const transitions: TransitionInfo[] = [];
	for (const [event, config] of Object.entries(workflow.on ?? {})) pushTransitions(transitions, '', `on:${event}`, config, event);
	const walk = (children: Record<string, StateNodeSpec>, parent?: StatePath) => {
		for (const [key, spec] of Object.entries(children)) {
			const path = parent ? `${parent}.${key}` : key;
			states.push({ path, parent, type: stateType(spec), hasInvoke: !!spec.invoke, hasOnError: spec.onError !== undefined });
			for (const [event, config] of Object.entries(spec.on ?? {})) pushTransitions(transitions, path, `on:${event}`, config, event);
			pushTransitions(transitions, path, 'always', spec.always);
			for (const [ms, config] of Object.entries(spec.after ?? {})) pushTransitions(transitions, path, `after:${ms}`, config);
			pushTransitions(transitions, path, 'onDone', spec.onDone);
			pushTransitions(transitions, path, 'onError', spec.onError);
			if (spec.states) walk(spec.states, path);
		}
	};
	walk(workflow.states);
	return {
		states,
		transitions,
		stateByPath: new Map(states.map((s) => [s.path, s])),
		transitionById: new Map(transitions.map((t) => [t.id, t]))
	};
}

/** The active atomic states plus all their ancestors. */
export function activeStates(configuration: StatePath[]): Set<StatePath> {
	const out = new Set<StatePath>();
	for (const leaf of configuration) {
		const parts = leaf.split('.');
		for (let i = 1; i <= parts.length; i++) out.add(parts.slice(0, i).join('.'));
	}
	return out;
}

/** Active state paths (leaves and ancestors) from an XState-shaped state value. */
export function statesOfValue(value: unknown, prefix = ''): StatePath[] {
	if (typeof value === 'string') {
		const p = prefix ? `${prefix}.${value}` : value;
		return prefix ? [prefix, p] : [p];
	}
	if (value && typeof value === 'object') {
		const out: StatePath[] = prefix ? [prefix] : [];
		for (const [k, v] of Object.entries(value as Record<string, unknown>)) out.push(...statesOfValue(v, prefix ? `${prefix}.${k}` : k));
		return [...new Set(out)];
	}
	return [];
}
