/**
 * The Logger and Audit plugins: workspace-level observers of every transition and effect of
 * every run (simulated and live). Pure: an instance event in, output entries out; the sink
 * (`sink.ts`) stores them and chains the audit entries.
 */
import type { InstanceEvent } from '../engine/types';
import type { OutputRecord, PluginId } from './store';

/** Which run an event belongs to. */
export interface RunInfo {
	instanceId: string;
	workflowId?: string;
	workflowName?: string;
	mode?: string;
}

export interface LoggerConfig {
	/** `transitions`: transitions and status; `effects`: also every effect; `everything`: also entries, exits, emits and log lines. */
	detail: 'transitions' | 'effects' | 'everything';
	/** Only runs of workflows whose name or id contains this (empty: all). */
	workflow: string;
	/** Keep at most this many lines (the oldest go first). */
	maxEntries: number;
}

export interface AuditConfig {
	/** Record transitions (who went where on which event). */
	transitions: boolean;
	/** Record effects of these kinds (`*`: every kind that reaches the outside — HTTP, models, tools). */
	effects: string[];
	/** Record events sent to the outside (`emit`), e.g. the Security component's AUDIT events. */
	emits: boolean;
	/** Who is recorded as acting (this browser's user). */
	actor: string;
}

export const DEFAULT_LOGGER: LoggerConfig = { detail: 'effects', workflow: '', maxEntries: 5000 };
export const DEFAULT_AUDIT: AuditConfig = { transitions: true, effects: ['*'], emits: true, actor: 'me' };

export interface PluginSettings {
	logger?: { enabled: boolean; config: LoggerConfig };
	audit?: { enabled: boolean; config: AuditConfig };
}

export type Entry = Omit<OutputRecord, 'id' | 'hash' | 'prev'>;

const OUTSIDE = /^(http|call_llm|call_tool|rag|embed_text|vector_search|coordinate_agents)$/;

function base(plugin: PluginId, run: RunInfo, e: InstanceEvent): Pick<Entry, 'plugin' | 'time' | 'instanceId' | 'workflowId' | 'workflowName' | 'mode' | 'kind'> {
	return {
		plugin,
		time: e.time,
		instanceId: run.instanceId,
		...(run.workflowId ? { workflowId: run.workflowId } : {}),
		...(run.workflowName ? { workflowName: run.workflowName } : {}),
		...(run.mode ? { mode: run.mode } : {}),
		kind: e.kind
	};
}

const short = (v: unknown, max = 160) => {
	const s = typeof v === 'string' ? v : JSON.stringify(v) ?? '';
	return s.length > max ? s.slice(0, max - 1) + '…' : s;
};

/** One log line for an event, or null when the logger's detail leaves it out. */
export function logLine(run: RunInfo, e: InstanceEvent, c: LoggerConfig): Entry | null {
	if (c.workflow && !`${run.workflowName ?? ''} ${run.workflowId ?? ''}`.toLowerCase().includes(c.workflow.toLowerCase())) return null;
	const b = base('logger', run, e);
	switch (e.kind) {
		case 'transition':
			return { ...b, level: 'info', message: `${e.source || '(workflow)'} —${e.event}→ ${e.targets.join(', ') || '(stays)'}`, data: { transition: e.transition } };
		case 'status':
			if (e.status === 'active') return null;
			return { ...b, level: e.status === 'error' ? 'error' : 'info', message: `status ${e.status}${e.error ? `: ${e.error.message}` : ''}` };
		case 'effect': {
			if (c.detail === 'transitions') return null;
			if (e.phase === 'progress') return null;
			const where = e.state ? ` in ${e.state}` : '';
			if (e.phase === 'start') return c.detail === 'everything' ? { ...b, level: 'info', message: `${e.effectType} started${where}` } : null;
			if (e.phase === 'end') return { ...b, level: 'info', message: `${e.effectType} done${where}${e.durationMs !== undefined ? ` in ${Math.round(e.durationMs)} ms` : ''}${e.cached ? ' (cached)' : ''}` };
			if (e.phase === 'retry') return { ...b, level: 'warn', message: `${e.effectType} retried${where}${e.error ? `: ${e.error}` : ''}` };
			if (e.phase === 'cancel') return { ...b, level: 'warn', message: `${e.effectType} cancelled${where}` };
			return { ...b, level: 'error', message: `${e.effectType} failed${where}: ${e.error ?? 'error'}` };
		}
		case 'input':
			return c.detail === 'everything' ? { ...b, level: 'info', message: `event ${e.event.type}`, data: { event: e.event } } : null;
		case 'entered':
		case 'exited':
			return c.detail === 'everything' ? { ...b, level: 'info', message: `${e.kind} ${e.state}` } : null;
		case 'emit':
			return c.detail === 'everything' ? { ...b, level: 'info', message: `emitted ${e.event.type}`, data: { event: e.event } } : null;
		case 'log':
			return c.detail === 'everything' ? { ...b, level: 'info', message: short(e.message), ...(e.data !== undefined ? { data: { data: e.data } } : {}) } : null;
	}
}

/** An audit entry for an event, or null when it is not audited. */
export function auditEntry(run: RunInfo, e: InstanceEvent, c: AuditConfig): Entry | null {
	const b = base('audit', run, e);
	const actor = { actor: c.actor || 'me' };
	if (e.kind === 'transition' && c.transitions) return { ...b, level: 'info', message: `${e.source || '(workflow)'} —${e.event}→ ${e.targets.join(', ') || '(stays)'}`, data: { ...actor, event: e.event, transition: e.transition, targets: e.targets } };
	if (e.kind === 'effect' && (e.phase === 'end' || e.phase === 'error')) {
		const all = c.effects.includes('*');
		if (!(all ? OUTSIDE.test(e.effectType) : c.effects.includes(e.effectType))) return null;
		return { ...b, level: e.phase === 'error' ? 'error' : 'info', message: `${e.effectType} ${e.phase === 'end' ? 'done' : 'failed'}${e.state ? ` in ${e.state}` : ''}${e.error ? `: ${e.error}` : ''}`, data: { ...actor, effect: e.effect, state: e.state, span: e.spanId } };
	}
	if (e.kind === 'emit' && c.emits) return { ...b, level: 'info', message: `emitted ${e.event.type}`, data: { ...actor, event: e.event } };
	if (e.kind === 'status' && (e.status === 'error' || e.status === 'done')) return { ...b, level: e.status === 'error' ? 'error' : 'info', message: `run ${e.status}`, data: actor };
	return null;
}

/** Everything the enabled plugins make of one event. */
export function observe(settings: PluginSettings, run: RunInfo, e: InstanceEvent): Entry[] {
	const out: Entry[] = [];
	if (settings.logger?.enabled) {
		const l = logLine(run, e, settings.logger.config);
		if (l) out.push(l);
	}
	if (settings.audit?.enabled) {
		const a = auditEntry(run, e, settings.audit.config);
		if (a) out.push(a);
	}
	return out;
}

function hex(buf: ArrayBuffer): string {
	return [...new Uint8Array(buf)].map((b) => b.toString(16).padStart(2, '0')).join('');
}

/** The text an audit entry's hash covers (its own fields, in a fixed order, and the previous hash). */
function auditText(e: Entry | OutputRecord, prev: string): string {
	return JSON.stringify([prev, e.time, e.instanceId, e.workflowId ?? null, e.kind, e.level, e.message, e.data ?? null]);
}

/** Chains audit entries: each carries SHA-256(previous hash + itself), so an edited or removed entry shows. */
export async function chainAudit(entries: Entry[], prev: string): Promise<OutputRecord[]> {
	const out: OutputRecord[] = [];
	for (const e of entries) {
		const hash = hex(await crypto.subtle.digest('SHA-256', new TextEncoder().encode(auditText(e, prev))));
		out.push({ ...e, prev, hash });
		prev = hash;
	}
	return out;
}

/** The genesis value of a chain. */
export const AUDIT_GENESIS = '0'.repeat(64);

/** Checks a chain, oldest first: where it breaks (index), or -1 when every entry is intact. */
export async function verifyAudit(entries: OutputRecord[], start = AUDIT_GENESIS): Promise<number> {
	let prev = start;
	for (let i = 0; i < entries.length; i++) {
		const e = entries[i];
		if (e.prev !== prev) return i;
		const hash = hex(await crypto.subtle.digest('SHA-256', new TextEncoder().encode(auditText(e, prev))));
		if (hash !== e.hash) return i;
		prev = hash;
	}
	return -1;
}
