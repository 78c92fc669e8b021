/**
 * Compiling effects: the built-ins the engine runs itself (assign, log, raise, send,
 * cancel, emit) get
 * their expressions and templates compiled here; every other type is handed to runEffect.
 */
import type { EffectSpec } from '../model/types';
import { compileExpr, compileTemplate, type CompiledExpr, type ExprInput } from '../expr';
import type { CompiledEffect } from './compile';

/** A compile problem: JSON path into the document and a sentence. */
export interface CompileProblem {
	path: (string | number)[];
	message: string;
}

export const UNSAFE_KEYS = new Set(['__proto__', 'constructor', 'prototype']);

type Build<T> = (input: ExprInput) => T;

/** Deep-compiles string values as templates (a string that is exactly `{{ x }}` keeps x's type). */
function compileValue(raw: unknown, path: (string | number)[], problems: CompileProblem[]): Build<unknown> | undefined {
	if (typeof raw === 'string') {
		const t = compileTemplate(raw);
		if (!t.ok) {
			problems.push({ path, message: t.message });
			return undefined;
		}
		return t.constant ? () => raw : t.value;
	}
	if (Array.isArray(raw)) {
		const parts = raw.map((v, i) => compileValue(v, [...path, i], problems));
		if (parts.some((p) => !p)) return undefined;
		return (input) => parts.map((p) => p!(input));
	}
	if (raw && typeof raw === 'object') {
		const keys: string[] = [];
		const fns: Build<unknown>[] = [];
		for (const [k, v] of Object.entries(raw)) {
			if (UNSAFE_KEYS.has(k)) {
				problems.push({ path: [...path, k], message: `Key "${k}" is not allowed` });
				return undefined;
			}
			const f = compileValue(v, [...path, k], problems);
			if (!f) return undefined;
			keys.push(k);
			fns.push(f);
		}
		return (input) => {
			const o: Record<string, unknown> = {};
			for (let i = 0; i < keys.length; i++) o[keys[i]] = fns[i](input);
			return o;
		};
	}
	return () => raw;
}

/** `event` of raise/emit: a type string (may be a template) or an object with a `type`. */
function compileEventShape(raw: unknown, path: (string | number)[], problems: CompileProblem[]): Build<{ type: string; [k: string]: unknown }> | undefined {
	if (typeof raw === 'string') {
		const t = compileTemplate(raw);
		if (!t.ok) {
			problems.push({ path, message: t.message });
			return undefined;
		}
		if (t.constant) return () => ({ type: raw });
		return (input) => ({ type: t.render(input) });
	}
	if (raw && typeof raw === 'object' && !Array.isArray(raw)) {
		if (typeof (raw as Record<string, unknown>).type !== 'string') {
			problems.push({ path: [...path, 'type'], message: 'An event needs a "type" string' });
			return undefined;
		}
		return compileValue(raw, path, problems) as Build<{ type: string }> | undefined;
	}
	problems.push({ path, message: 'An event must be a string or an object with a "type"' });
	return undefined;
}

/** send's `delay`: milliseconds, or a JSONata expression that gives them. */
function compileDelay(raw: unknown, path: (string | number)[], problems: CompileProblem[]): number | CompiledExpr | undefined {
	if (typeof raw === 'number') {
		if (Number.isFinite(raw) && raw >= 0) return raw;
		problems.push({ path, message: `The delay ${raw} is not a number of milliseconds (0 or more)` });
		return undefined;
	}
	if (typeof raw === 'string') {
		const c = compileExpr(raw);
		if (c.ok) return c;
		problems.push({ path, message: `The delay "${raw}" is not a number of milliseconds nor an expression giving one: ${c.message}` });
		return undefined;
	}
	problems.push({ path, message: 'The delay must be a number of milliseconds, or an expression giving one' });
	return undefined;
}

/** assign: `set` maps context keys to JSONata expressions, all evaluated before any is written. */
function compileAssign(eff: CompiledEffect, spec: EffectSpec, path: (string | number)[], problems: CompileProblem[]): boolean {
	const set = spec.set;
	if (!set || typeof set !== 'object' || Array.isArray(set)) {
		problems.push({ path: [...path, 'set'], message: 'assign needs "set": an object of context key → JSONata expression' });
		return false;
	}
	eff.kind = 'assign';
	eff.assignKeys = [];
	eff.assignExprs = [];
	for (const [k, src] of Object.entries(set as Record<string, unknown>)) {
		if (UNSAFE_KEYS.has(k)) {
			problems.push({ path: [...path, 'set', k], message: `Context key "${k}" is not allowed` });
			continue;
		}
		const c = compileExpr(typeof src === 'string' ? src : JSON.stringify(src));
		if (!c.ok) {
			problems.push({ path: [...path, 'set', k], message: c.message });
			continue;
		}
		eff.assignKeys.push(k);
		eff.assignExprs.push(c);
	}
	return true;
}

/**
 * Compile one effect. `label` names it in errors and telemetry when it has no `id`.
 * Returns null (and records a problem) when the effect cannot run.
 */
export function compileEffectSpec(spec: EffectSpec, label: string, path: (string | number)[], problems: CompileProblem[]): CompiledEffect | null {
	if (!spec || typeof spec !== 'object' || typeof spec.type !== 'string' || spec.type === '') {
		problems.push({ path, message: 'An effect needs a "type" string' });
		return null;
	}
	const eff: CompiledEffect = { spec, type: spec.type, label: typeof spec.id === 'string' && spec.id ? spec.id : label, kind: 'async' };
	switch (spec.type) {
		case 'assign':
			return compileAssign(eff, spec, path, problems) ? eff : null;
		case 'log': {
			eff.kind = 'log';
			const t = compileTemplate(typeof spec.message === 'string' ? spec.message : '');
			if (!t.ok) problems.push({ path: [...path, 'message'], message: t.message });
			else eff.message = t;
			return eff;
		}
		case 'raise':
		case 'emit':
			eff.kind = spec.type;
			eff.event = compileEventShape(spec.event, [...path, 'event'], problems);
			return eff;
		case 'send':
			eff.kind = 'send';
			eff.event = compileEventShape(spec.event, [...path, 'event'], problems);
			if (spec.delay !== undefined) eff.delay = compileDelay(spec.delay, [...path, 'delay'], problems);
			if (typeof spec.id === 'string' && spec.id) eff.sendId = spec.id;
			return eff;
		case 'cancel': {
			eff.kind = 'cancel';
			if (typeof spec.sendid !== 'string' || spec.sendid === '') {
				problems.push({ path: [...path, 'sendid'], message: 'cancel needs "sendid": the id of the send to cancel' });
				return eff;
			}
			const t = compileTemplate(spec.sendid);
			if (!t.ok) problems.push({ path: [...path, 'sendid'], message: t.message });
			else eff.sendid = t;
			return eff;
		}
		default:
			return eff;
	}
}
