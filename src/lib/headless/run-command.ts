/**
 * `fsm-studio run <workflow> --event E …`: runs a workflow file headless and prints where it
 * ended up as JSON, for scripts and CI. Exit codes: 0 ran (active or done), 1 the instance
 * ended in an error or an `--expect-*` check failed, 2 the command or the file was wrong.
 */
import { resolve } from 'node:path';
import type { EventObject, InstanceEvent } from '../engine/types';
import type { InstanceInfo } from '../mcp/server/host';
import { aiHandlersFromEnv } from './ai';
import { intFlag, last, parseArgs } from './args';
import { HeadlessInstance } from './instance';
import { DiskEventStore } from './store';
import { readWorkflowFile } from './workflows';

export const RUN_USAGE = `Usage: fsm-studio run <workflow-file> [options]

Runs a workflow (FSM Studio JSON, XState, Mermaid or SCXML) and prints the final
snapshot as JSON on stdout.

Options:
  -e, --event <E>         Send an event once the previous one settled. A type (OPEN)
                          or JSON ({"type":"TICKET","text":"…"}). Repeatable.
  --context <json>        Values that override the workflow's initial context.
  --settle <ms>           Wait at most this long for running effects after each
                          event (default 30000).
  --wait <ms>             Then keep the instance running this long, so delayed
                          (after) transitions can fire (default 0).
  --store <dir>           Record the instance's events (JSON Lines) in this folder.
  --expect-state <s>      Exit with 1 unless the instance is in state s
                          (a state key or dotted path, e.g. active.door.open).
  --expect-status <s>     Exit with 1 unless the status is s (active, done, error).
  -v, --verbose           Print transitions and effect results on stderr.
  -q, --quiet             Print nothing on stdout.

Language models use keys from the environment: OPENAI_API_KEY, ANTHROPIC_API_KEY,
GEMINI_API_KEY or OPENROUTER_API_KEY (the first one set is the default), or
OPENAI_BASE_URL for an OpenAI-compatible server (Ollama, LM Studio…).
FSM_STUDIO_MODEL overrides the default model.

Exit codes: 0 ran; 1 the instance ended in an error or an --expect check failed;
2 a wrong option or an unreadable workflow.`;

export interface Io {
	stdout: (s: string) => void;
	stderr: (s: string) => void;
	env: Record<string, string | undefined>;
}

const defaultIo: Io = {
	stdout: (s) => process.stdout.write(s),
	stderr: (s) => process.stderr.write(s),
	env: process.env
};

/** Parses one `--event` value. */
export function parseEventArg(v: string): EventObject {
	const t = v.trim();
	if (t.startsWith('{')) {
		let parsed: unknown;
		try {
			parsed = JSON.parse(t);
		} catch (e) {
			throw new Error(`--event ${v} is not valid JSON: ${(e as Error).message}`);
		}
		if (!parsed || typeof parsed !== 'object' || typeof (parsed as { type?: unknown }).type !== 'string' || !(parsed as { type: string }).type)
			throw new Error(`--event ${v} must have a "type", e.g. {"type":"OPEN"}.`);
		return parsed as EventObject;
	}
	if (!t) throw new Error('--event needs an event type, e.g. --event OPEN.');
	return { type: t };
}

/** Whether a state value is in the state named by a key or dotted path. */
export function inState(value: unknown, path: string): boolean {
	const parts = path.split('.');
	let v: unknown = value;
	for (let i = 0; i < parts.length; i++) {
		const p = parts[i];
		if (typeof v === 'string') return v === p && i === parts.length - 1;
		if (!v || typeof v !== 'object' || !(p in (v as object))) {
			// a key may also be active deeper in a parallel state
			return i === 0 && typeof v === 'object' && v !== null && Object.values(v).some((c) => inState(c, path));
		}
		v = (v as Record<string, unknown>)[p];
	}
	return true;
}

function describe(e: InstanceEvent): string | null {
	switch (e.kind) {
		case 'input':
			return e.event.type.startsWith('fsm.') ? null : `event ${e.event.type}`;
		case 'transition':
			return `  ${e.source || '(root)'} → ${e.targets.join(', ') || '(stay)'} on ${e.event}`;
		case 'effect':
			if (e.phase === 'error') return `  effect ${e.effect} failed: ${e.error}`;
			if (e.phase === 'retry') return `  effect ${e.effect} retrying: ${e.error ?? ''}`;
			if (e.phase === 'end' && !e.parentSpanId && e.effectType !== 'assign') return `  effect ${e.effect} done in ${Math.round(e.durationMs ?? 0)} ms`;
			return null;
		case 'log':
			return `  log: ${e.message}`;
		case 'emit':
			return `  emitted ${e.event.type}`;
		case 'status':
			return e.status === 'error' ? `  error: ${e.error?.message ?? ''}` : null;
		default:
			return null;
	}
}

export async function runCommand(argv: string[], io: Io = defaultIo): Promise<number> {
	let args;
	try {
		args = parseArgs(argv, ['event', 'context', 'settle', 'wait', 'store', 'expect-state', 'expect-status'], ['help', 'verbose', 'quiet']);
	} catch (e) {
		io.stderr(`${(e as Error).message}\n\n${RUN_USAGE}\n`);
		return 2;
	}
	if (args.switches.has('help')) {
		io.stdout(`${RUN_USAGE}\n`);
		return 0;
	}
	if (args.positionals.length !== 1) {
		io.stderr(`${args.positionals.length ? 'Give one workflow file.' : 'Which workflow? Give its file, e.g. fsm-studio run door.json --event OPEN.'}\n\n${RUN_USAGE}\n`);
		return 2;
	}
	let events: EventObject[];
	let context: Record<string, unknown> | undefined;
	let settle: number;
	let wait: number;
	try {
		events = (args.flags.get('event') ?? []).map(parseEventArg);
		const c = last(args, 'context');
		if (c !== undefined) {
			try {
				context = JSON.parse(c);
			} catch (e) {
				throw new Error(`--context is not valid JSON: ${(e as Error).message}`);
			}
			if (!context || typeof context !== 'object' || Array.isArray(context)) throw new Error('--context must be a JSON object, e.g. {"locked": true}.');
		}
		settle = intFlag(args, 'settle', 30_000);
		wait = intFlag(args, 'wait', 0);
		const st = last(args, 'expect-status');
		if (st !== undefined && !['active', 'done', 'error'].includes(st)) throw new Error(`--expect-status must be active, done or error (got "${st}").`);
	} catch (e) {
		io.stderr(`${(e as Error).message}\n`);
		return 2;
	}
	const file = resolve(args.positionals[0]);
	const read = await readWorkflowFile(file);
	if (!read.ok) {
		io.stderr(`${read.message}\n`);
		return 2;
	}
	const workflow = context ? { ...read.workflow, context: { ...(read.workflow.context ?? {}), ...context } } : read.workflow;
	const verbose = args.switches.has('verbose');
	const storeDir = last(args, 'store');
	const store = storeDir ? new DiskEventStore(resolve(storeDir)) : null;
	const id = `${workflow.id.replace(/[^A-Za-z0-9._-]/g, '-') || 'run'}-${Date.now().toString(36)}`;
	store?.createInstance({ id, workflowId: workflow.id, workflowName: workflow.name, workflow, createdAt: Date.now(), startedAt: Date.now(), file });

	const inst = new HeadlessInstance({
		id,
		workflow,
		handlers: await aiHandlersFromEnv(io.env),
		onEvent: (e) => {
			store?.append(id, e);
			if (verbose) {
				const line = describe(e);
				if (line) io.stderr(`${line}\n`);
			}
		}
	});
	let info: InstanceInfo;
	try {
		inst.start();
		if (!(await inst.settle(settle))) io.stderr(`Effects were still running after ${settle} ms (raise --settle to wait longer).\n`);
		for (const e of events) {
			if (inst.info().status !== 'active') {
				io.stderr(`The instance ${inst.info().status === 'done' ? 'finished' : 'stopped with an error'} before ${e.type} could be sent.\n`);
				break;
			}
			inst.send(e);
			if (!(await inst.settle(settle))) io.stderr(`Effects started by ${e.type} were still running after ${settle} ms (raise --settle to wait longer).\n`);
		}
		if (wait > 0) {
			await new Promise((r) => setTimeout(r, wait));
			await inst.settle(settle);
		}
		info = inst.info();
	} finally {
		inst.stop();
		store?.flush();
	}
	if (!args.switches.has('quiet')) io.stdout(`${JSON.stringify(info, null, 2)}\n`);
	if (store) io.stderr(`Events recorded in ${store.dir} (instance ${id}).\n`);
	let code = info.status === 'error' ? 1 : 0;
	if (info.status === 'error') io.stderr(`The workflow ended in an error: ${info.error?.message ?? 'unknown error'}\n`);
	const es = last(args, 'expect-state');
	if (es !== undefined && !inState(info.value, es)) {
		io.stderr(`Expected state ${es}, but the instance is in ${JSON.stringify(info.value)}.\n`);
		code = 1;
	}
	const st = last(args, 'expect-status');
	if (st !== undefined && info.status !== st) {
		io.stderr(`Expected status ${st}, but it is ${info.status}.\n`);
		code = 1;
	}
	return code;
}
