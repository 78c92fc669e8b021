/**
 * TypeScript export: one self-contained module — the workflow, typed events and context,
 * handler slots for the effects that need a provider, and the runtime (engine + effects
 * executor + JSONata, pre-bundled by scripts/build-runtime-bundle.ts). No dependencies;
 * compiles under `tsc --strict`; runs in Node 20+, browsers and workers.
 *
 * Code the user writes between `// <user-code id="…">` and `// </user-code>` survives the
 * next export when the previous file is passed back as `previous`.
 */
import type { EffectSpec, Workflow } from '../model/types';
import { serializeWorkflow } from '../model';
import { indexStates } from '../model/tree';
import { effectKinds } from '../effects';
import { RUNTIME_GLOBAL, RUNTIME_HASH, RUNTIME_SOURCE } from './generated/runtime';
import type { ExportResult, LostItem } from './types';
import { isRecord, fileBase, slug } from './util';

/** Effect kinds that do nothing until the user (or the app's settings) provides a handler. */
const PROVIDER_KINDS = new Set(['call_llm', 'call_tool', 'coordinate_agents', 'rag', 'embed_text', 'vector_search']);

export interface TypeScriptExportOptions {
	/** The previously exported file: its `user-code` regions are carried into the new one. */
	previous?: string;
}

const REGION = /^([ \t]*)\/\/ <user-code id="([^"\n]+)">[^\n]*\n([\s\S]*?)^[ \t]*\/\/ <\/user-code>[^\n]*$/gm;

/** The user-code regions of a file, by id. */
export function userRegions(text: string): Map<string, string> {
	const out = new Map<string, string>();
	for (const m of text.matchAll(REGION)) if (!out.has(m[2])) out.set(m[2], m[3]);
	return out;
}

function mergeRegions(fresh: string, previous: string | undefined, lost: LostItem[]): string {
	if (!previous) return fresh;
	const old = userRegions(previous);
	const used = new Set<string>();
	const merged = fresh.replace(REGION, (whole, indent: string, id: string) => {
		if (!old.has(id)) return whole;
		used.add(id);
		return `${indent}// <user-code id="${id}">\n${old.get(id)}${indent}// </user-code>`;
	});
	const orphans = [...old.keys()].filter((id) => !used.has(id));
	if (orphans.length === 0) return merged;
	const kept: string[] = [];
	for (const id of orphans) {
		const body = old.get(id)!;
		if (body.includes('*/')) {
			lost.push({ message: `Your code in region "${id}" has no place in the new export (its effect is gone) and could not be kept as a comment; copy it from the previous file.` });
			continue;
		}
		lost.push({ message: `Your code in region "${id}" has no place in the new export (its effect is gone); it was kept, commented out, at the end of the file.` });
		kept.push(`/* Region "${id}" from the previous export:\n${body}*/`);
	}
	return kept.length ? `${merged}\n${kept.join('\n')}\n` : merged;
}

/** Every effect type used by the workflow, nested effects of compositions included. */
function effectTypes(workflow: Workflow): Set<string> {
	const types = new Set<string>();
	const visit = (e: unknown, depth: number) => {
		if (!isRecord(e) || typeof e.type !== 'string' || depth > 50) return;
		types.add(e.type);
		const kind = (effectKinds as Record<string, { schema: { safeParse(v: unknown): { success: boolean; data?: unknown } }; children?: (p: never) => EffectSpec[] }>)[e.type];
		if (!kind?.children) return;
		const parsed = kind.schema.safeParse(e);
		if (!parsed.success) return;
		try {
			for (const c of kind.children(parsed.data as never)) visit(c, depth + 1);
		} catch {
			// A malformed composition is reported by lint; it only means no handler slot here.
		}
	};
	const visitConfig = (c: unknown) => {
		for (const t of Array.isArray(c) ? c : [c]) if (isRecord(t) && Array.isArray(t.effects)) t.effects.forEach((x) => visit(x, 0));
	};
	const visitNode = (n: Record<string, unknown>) => {
		for (const f of ['entry', 'exit']) if (Array.isArray(n[f])) (n[f] as unknown[]).forEach((x) => visit(x, 0));
		if (n.invoke) visit(n.invoke, 0);
		for (const f of ['on', 'after']) if (isRecord(n[f])) for (const k of Object.keys(n[f] as object)) visitConfig((n[f] as Record<string, unknown>)[k]);
		for (const f of ['always', 'onDone', 'onError']) if (n[f] !== undefined) visitConfig(n[f]);
	};
	visitNode(workflow as unknown as Record<string, unknown>);
	for (const e of indexStates(workflow).entries) visitNode(e.node as unknown as Record<string, unknown>);
	return types;
}

/** Event names a user can send: every `on` key, without the engine's internal ones. */
function eventNames(workflow: Workflow): string[] {
	const names = new Set<string>();
	for (const k of Object.keys(workflow.on ?? {})) names.add(k);
	for (const e of indexStates(workflow).entries) for (const k of Object.keys(e.node.on ?? {})) names.add(k);
	return [...names].filter((n) => !/^(fsm\.|done\.|error\.|xstate\.)/.test(n) && n !== '*').sort();
}

/** A TypeScript type for a JSON value (widened: `0` → `number`). */
function typeOf(v: unknown, depth = 0): string {
	// null is usually "not set yet": assign fills it later with any type.
	if (v === null) return 'unknown';
	if (typeof v === 'string') return 'string';
	if (typeof v === 'number') return 'number';
	if (typeof v === 'boolean') return 'boolean';
	if (Array.isArray(v)) {
		if (v.length === 0 || depth > 4) return 'unknown[]';
		const inner = [...new Set(v.map((x) => typeOf(x, depth + 1)))];
		return inner.length === 1 ? `${inner[0]}[]` : `(${inner.join(' | ')})[]`;
	}
	if (isRecord(v)) {
		if (depth > 4 || Object.keys(v).length === 0) return 'Record<string, unknown>';
		return `{ ${Object.keys(v).map((k) => `${JSON.stringify(k)}: ${typeOf(v[k], depth + 1)};`).join(' ')} }`;
	}
	return 'unknown';
}

function contextType(ctx: Record<string, unknown> | undefined): string {
	if (!ctx || Object.keys(ctx).length === 0) return '{ [key: string]: unknown }';
	const fields = Object.keys(ctx).map((k) => `\t${JSON.stringify(k)}: ${typeOf(ctx[k])};`);
	return `{\n${fields.join('\n')}\n\t[key: string]: unknown;\n}`;
}

function comment(text: string): string {
	return text.replace(/\*\//g, '*\\/').replace(/[\r\n]+/g, ' ');
}

/** Exports a workflow as a self-contained TypeScript module. */
export function exportTypeScript(workflow: Workflow, options: TypeScriptExportOptions = {}): ExportResult {
	const lost: LostItem[] = [];
	const json = serializeWorkflow(workflow).trim();
	// An object literal would give a "__proto__" key a special meaning; JSON.parse does not.
	const workflowExpr = json.includes('"__proto__"') ? `JSON.parse(${JSON.stringify(json)})` : json;
	const events = eventNames(workflow);
	const types = effectTypes(workflow);
	const known = new Set(Object.keys(effectKinds));
	const slots = [...types].filter((t) => PROVIDER_KINDS.has(t) || !known.has(t)).sort();
	const handlerSlots = slots
		.map(
			(t) => `\t// <user-code id="handler:${t}">
\t${JSON.stringify(t)}: async (params, ctx) => {
\t\tvoid params;
\t\tvoid ctx;
\t\tthrow new Error(${JSON.stringify(`The "${t}" effect has no handler yet: implement it in this file or pass one to createWorkflow({ handlers }).`)});
\t},
\t// </user-code>`
		)
		.join('\n');
	const eventType = events.length
		? events.map((e) => `\t| { type: ${JSON.stringify(e)}; [key: string]: unknown }`).join('\n')
		: '\t{ type: string; [key: string]: unknown }';
	const name = comment(workflow.name || workflow.id);
	const text = `/**
 * ${name} — a workflow exported by FSM Studio as one self-contained module.
 * ${workflow.description ? comment(workflow.description) + '\n * ' : ''}
 * It holds the workflow, its engine and effects executor (runtime ${RUNTIME_HASH}) and
 * no imports: it compiles under \`tsc --strict\` and runs in Node 20+, browsers and workers.
 *
 *   import { createWorkflow } from './${fileBase(workflow)}';
 *   const run = createWorkflow({ onEvent: (e) => console.log(e) });
 *   run.subscribe((s) => console.log(s.value, s.context));
 *   run.start();
 *   run.send({ type: ${comment(JSON.stringify(events.find((e) => !e.includes('*/')) ?? 'SOME_EVENT'))} });
 *
 * Effects that talk to the outside world (LLMs, tools, retrieval) need a handler:
 * \`(params, ctx) => result | Promise<result>\`. \`params\` is the effect as written in the
 * workflow (templates resolved); \`ctx\` gives the context, the event, an AbortSignal that
 * fires when the state is left, and \`assign\`/\`send\`/\`emit\`. The result becomes the
 * effect's output (\`assignTo\`, \`done\` events). Write handlers in the regions below or
 * pass them to \`createWorkflow({ handlers })\` (those win). \`http\`, \`delay\`, \`retry\`,
 * \`timeout\` and the other built-in kinds work as they do in FSM Studio.
 *
 * Code between \`// <user-code id="…">\` and \`// </user-code>\` is kept when you export
 * again and give FSM Studio this file back. Everything else is regenerated.
 */
// <user-code id="imports">
// </user-code>

/** The workflow's data, as declared in its context (assign may add more keys). */
export type Context = ${contextType(workflow.context)};

/** Events this workflow reacts to. */
export type WorkflowEvent =
${eventType};

/** Any event, including the engine's own (\`done.invoke.*\`, \`error.*\`). */
export interface AnyEvent {
	type: string;
	[key: string]: unknown;
}

export type StateValue = string | { [key: string]: StateValue };

export interface Snapshot {
	value: StateValue;
	context: Context;
	status: 'active' | 'done' | 'error' | 'stopped';
	error?: { message: string; state?: string; transition?: string; effect?: string };
	output?: unknown;
}

/** What the instance reports: inputs, transitions, entered/exited states, effect spans, emits, logs, status. */
export type InstanceEvent =
	| { kind: 'input'; seq: number; time: number; event: AnyEvent }
	| { kind: 'transition'; time: number; event: string; transition: string; source: string; targets: string[] }
	| { kind: 'entered'; time: number; state: string }
	| { kind: 'exited'; time: number; state: string }
	| { kind: 'effect'; time: number; phase: 'start' | 'progress' | 'retry' | 'end' | 'error' | 'cancel'; effect: string; effectType: string; spanId: string; parentSpanId?: string; traceId: string; state?: string; durationMs?: number; data?: unknown; error?: string; cached?: boolean }
	| { kind: 'emit'; time: number; event: AnyEvent }
	| { kind: 'log'; time: number; message: string; data?: unknown }
	| { kind: 'status'; time: number; status: Snapshot['status']; error?: Snapshot['error'] };

/** Time, injectable for tests and simulations. */
export interface Clock {
	now(): number;
	setTimeout(fn: () => void, ms: number): unknown;
	clearTimeout(handle: unknown): void;
}

/** What a handler sees while its effect runs. */
export interface EffectContext {
	/** Aborted when the state that started the effect is left, or on timeout/race loss. */
	readonly signal: AbortSignal;
	readonly context: Readonly<Context>;
	readonly event: AnyEvent;
	/** Outputs of the earlier steps of an enclosing sequence. */
	readonly results: unknown[];
	/** Evaluates a JSONata expression against { context, event, results }. */
	evaluate(expr: string, extra?: Record<string, unknown>): unknown;
	/** Resolves {{ }} templates deeply in a value. */
	resolve(value: unknown, extra?: Record<string, unknown>): unknown;
	assign(patch: Partial<Context> & Record<string, unknown>): void;
	send(event: WorkflowEvent | AnyEvent): void;
	emit(event: AnyEvent): void;
	/** Records progress (streamed tokens, intermediate results) on the effect's span. */
	progress(data: unknown): void;
	sleep(ms: number): Promise<void>;
}

// Parameters are the effect object as written in the workflow, so they are loosely typed.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type EffectHandler = (params: Record<string, any>, ctx: EffectContext) => unknown;

/** Handlers by effect type. */
export type Handlers = Record<string, EffectHandler>;

export interface WorkflowOptions {
	/** Handlers by effect type; they take precedence over the ones written in this file. */
	handlers?: Handlers;
	clock?: Clock;
	onEvent?: (event: InstanceEvent) => void;
	/** Guard against eventless loops: max microsteps per macrostep (default 1000). */
	maxMicrosteps?: number;
}

export interface WorkflowInstance {
	start(): void;
	send(event: WorkflowEvent | AnyEvent | WorkflowEvent['type']): void;
	snapshot(): Snapshot;
	/** Events that have a transition from the current states. */
	enabledEvents(): string[];
	subscribe(listener: (snapshot: Snapshot) => void): () => void;
	stop(): void;
}

/** The workflow document (FSM Studio format v${workflow.version}). */
export const workflow: { format: string; version: number; id: string; name: string; initial: string; states: Record<string, unknown>; [key: string]: unknown } = ${workflowExpr};

/** Handlers written in this file. */
export const handlers: Handlers = {
${handlerSlots ? handlerSlots + '\n' : ''}\t// <user-code id="handlers">
\t// </user-code>
};

/** Creates an instance of the workflow; call \`start()\` to enter its initial state. */
export function createWorkflow(options: WorkflowOptions = {}): WorkflowInstance {
	const runtime = ${RUNTIME_GLOBAL} as unknown as Runtime;
	const executor = runtime.createExecutor({ handlers: { ...handlers, ...options.handlers }, clock: options.clock });
	return runtime.createInterpreter(workflow, {
		runEffect: executor.run,
		clock: options.clock,
		onEvent: options.onEvent,
		maxMicrosteps: options.maxMicrosteps
	});
}

// <user-code id="extra">
// </user-code>

interface Runtime {
	createExecutor(options: { handlers?: Handlers | undefined; clock?: Clock | undefined }): { run: unknown };
	createInterpreter(
		workflow: unknown,
		options: { runEffect: unknown; clock?: Clock | undefined; onEvent?: ((event: InstanceEvent) => void) | undefined; maxMicrosteps?: number | undefined }
	): WorkflowInstance;
}

// ---------------------------------------------------------------------------------------
// Runtime ${RUNTIME_HASH}: FSM Studio's engine, effects executor and JSONata, bundled as
// plain JavaScript (hence the @ts-ignore lines: the typed API is above). Do not edit.
// Includes JSONata (MIT License, Copyright IBM Corp.) and zod (MIT License, Copyright (c)
// 2025 Colin McDonnell): permission is granted, free of charge, to deal in the software
// without restriction, provided the copyright notice and this permission notice are kept.
// THE SOFTWARE IS PROVIDED "AS IS", WITHOUT WARRANTY OF ANY KIND.
${RUNTIME_SOURCE}
`;
	return {
		text: mergeRegions(text, options.previous, lost),
		lost,
		filename: `${fileBase(workflow)}.ts`,
		mime: 'text/typescript'
	};
}
