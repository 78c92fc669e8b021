/**
 * SCXML (W3C State Chart XML) export. States, parallel regions, finals, history, transitions
 * with `cond`, `type="internal"` and several targets, `<onentry>`/`<onexit>` with `<raise>`,
 * `<assign>`, `<log>`, `<send>` and `<cancel>`, `after` as a delayed `<send>` + `<cancel>` + transition, `<invoke>`,
 * `<donedata>` and the `<datamodel>`. What SCXML cannot hold is listed as lost.
 *
 * FSM-specific extras (state keys that are not valid ids, descriptions, effects other than
 * the SCXML built-ins) ride in the `fsm:` namespace, which other SCXML processors ignore.
 */
import type { EffectSpec, TransitionConfig, TransitionSpec, Workflow } from '../../model/types';
import { indexStates, isDescendantOrSelf, normalizeTransitions, resolveTarget, stateType, targetsOf } from '../../model/tree';
import { doneInvokeEvent, doneStateEvent, errorInvokeEvent } from '../../model/events';
import type { ExportResult, LostItem } from '../types';
import { isRecord, fileBase } from '../util';
import { escapeXml } from '../xml';
import { descriptorProblem, eventDescriptors } from '../../model';
import { DATAMODEL, FSM_NS, NCNAME, SCXML_NS, templateToExpr } from './shared';

/** Exports a workflow as SCXML. */
export function exportScxml(workflow: Workflow): ExportResult {
	const lost: LostItem[] = [];
	const index = indexStates(workflow);
	const idOf = new Map<string, string>();
	const used = new Set<string>();
	const needsKeyAttr = new Set<string>();
	let counter = 0;
	for (const e of index.entries) {
		const parentId = e.parent ? idOf.get(e.parent)! : '';
		let id = e.node.id ?? (parentId ? `${parentId}.${e.key}` : e.key);
		if (!NCNAME.test(id) || used.has(id)) {
			do id = `s${++counter}`;
			while (used.has(id) || index.byId.has(id));
			needsKeyAttr.add(e.path);
		}
		used.add(id);
		idOf.set(e.path, id);
		// The importer derives a key from the id; say it outright when that would not give it back.
		const derived = parentId && id.startsWith(parentId + '.') ? id.slice(parentId.length + 1) : id;
		if (derived !== e.key) needsKeyAttr.add(e.path);
	}
	if (workflow.on && Object.keys(workflow.on).length) lost.push({ path: ['on'], message: 'Transitions that apply in every state have no SCXML equivalent (the <scxml> root has no transitions).' });
	if (workflow.layout) lost.push({ path: ['layout'], message: 'Positions on the canvas are not kept in SCXML.' });
	if (workflow.meta && Object.keys(workflow.meta).length) lost.push({ path: ['meta'], message: 'The workflow\'s extra data (meta) is not kept in SCXML.' });

	const out: string[] = [];
	const attr = (name: string, value: string | undefined) => (value === undefined ? '' : ` ${name}="${escapeXml(value)}"`);
	out.push('<?xml version="1.0" encoding="UTF-8"?>');
	// A parallel root is one <parallel> around the top-level states; when all of them are
	// final its done event leads to a top-level <final>, where SCXML ends (as FSM Studio does).
	let rootId: string | undefined;
	if (workflow.type === 'parallel') {
		rootId = 'root';
		for (let i = 2; used.has(rootId) || used.has(`${rootId}.done`) || index.byId.has(rootId); i++) rootId = `root${i}`;
	}
	const initialId = rootId ?? idOf.get(workflow.initial ?? '');
	out.push(
		`<scxml xmlns="${SCXML_NS}" xmlns:fsm="${FSM_NS}" version="1.0" datamodel="${DATAMODEL}"${attr('initial', initialId)}${attr('name', workflow.name)}${attr('fsm:id', workflow.id)}${attr('fsm:description', workflow.description)}${rootId ? ' fsm:root="parallel"' : ''}>`
	);
	if (workflow.context && Object.keys(workflow.context).length) {
		out.push('\t<datamodel>');
		for (const k of Object.keys(workflow.context)) {
			const v = workflow.context[k];
			out.push(`\t\t<data${attr('id', k)}${attr('expr', JSON.stringify(v === undefined ? null : v))}/>`);
		}
		out.push('\t</datamodel>');
	}

	const effects = (pad: string, list: EffectSpec[] | undefined): string[] => {
		const lines: string[] = [];
		(list ?? []).forEach((eff) => {
			const { type, id, ...params } = eff;
			const keys = Object.keys(params);
			if (type === 'assign' && isRecord(params.set) && keys.length === 1 && id === undefined && Object.values(params.set).every((v) => typeof v === 'string')) {
				const set = params.set as Record<string, string>;
				const names = Object.keys(set);
				if (names.length > 1) {
					// Separate <assign>s run one after the other; only equal to one assign when no expression reads a key set before it.
					const reads = names.some((n, j) => names.slice(0, j).some((prev) => set[n].includes(prev)));
					if (reads) {
						lines.push(`${pad}<fsm:effect${attr('type', type)}>${escapeXml(JSON.stringify(params))}</fsm:effect>`);
						return;
					}
				}
				for (const n of names) lines.push(`${pad}<assign${attr('location', n)}${attr('expr', set[n])}/>`);
			} else if (type === 'log' && typeof params.message === 'string' && keys.length === 1 && id === undefined) {
				lines.push(`${pad}<log${attr('label', params.message)}${attr('expr', templateToExpr(params.message))}/>`);
			} else if (type === 'raise' && typeof params.event === 'string' && keys.length === 1 && id === undefined) {
				lines.push(`${pad}<raise${attr('event', params.event)}/>`);
			} else if (type === 'send' && sendElement(pad, eff, attr, lines)) {
				// written by sendElement
			} else if (type === 'cancel' && typeof params.sendid === 'string' && params.sendid !== '' && keys.length === 1 && id === undefined) {
				const sid = params.sendid;
				const e = asExpr(sid);
				if (!sid.includes('{{')) lines.push(`${pad}<cancel${attr('sendid', sid)}/>`);
				else lines.push(`${pad}<cancel${attr('sendidexpr', e.expr)}${attr('fsm:sendid', e.exact ? undefined : sid)}/>`);
			} else {
				// Kept for FSM Studio; other SCXML processors skip foreign elements.
				lines.push(`${pad}<fsm:effect${attr('type', type)}${attr('id', id)}>${escapeXml(JSON.stringify(params))}</fsm:effect>`);
			}
		});
		return lines;
	};

	const transition = (pad: string, sourcePath: string, event: string | undefined, spec: TransitionSpec, jp: (string | number)[]): string[] => {
		const paths: string[] = [];
		for (const t of targetsOf(spec)) {
			const p = resolveTarget(index, sourcePath, t);
			if (p === undefined) lost.push({ path: jp, message: `The transition of "${sourcePath}" points to a missing state "${t}"; that target was left out.` });
			else paths.push(p);
		}
		let ids = paths.map((p) => idOf.get(p)!);
		let internal = false;
		/** The targets exactly as FSM Studio means them, when SCXML needs another spelling. */
		let fsmTarget: string | undefined;
		let fsmReenter = false;
		// FSM Studio (like XState) stays in the source for a target inside it, unless "reenter";
		// SCXML does so only for type="internal" in a compound state, to a proper descendant.
		if (paths.some((p) => isDescendantOrSelf(p, sourcePath)) && !spec.reenter) {
			const source = index.byPath.get(sourcePath)!.node;
			const type = stateType(source);
			const initialPath = type === 'compound' && source.initial !== undefined ? `${sourcePath}.${source.initial}` : undefined;
			if (type === 'atomic' || type === 'final') {
				// Staying in an atomic state runs only the effects: a transition without a target.
				fsmTarget = ids.join(' ');
				ids = [];
			} else if (type === 'compound' && (!paths.includes(sourcePath) || (initialPath !== undefined && idOf.has(initialPath)))) {
				internal = true;
				if (paths.includes(sourcePath)) {
					// To itself without leaving: its children start again from the initial one.
					fsmTarget = ids.join(' ');
					ids = paths.map((p) => idOf.get(p === sourcePath ? initialPath! : p)!);
				}
			} else {
				fsmReenter = true;
				lost.push({ path: jp, message: `A transition of "${sourcePath}" stays in it while entering its own states; SCXML leaves and enters a parallel state again for such a transition.` });
			}
		}
		if (spec.description) lost.push({ path: [...jp, 'description'], message: `The description of a transition of "${sourcePath}" is not kept in SCXML.` });
		const body = effects(pad + '\t', spec.effects);
		// An "on" key is read as SCXML reads event descriptors; a key written otherwise rides in fsm:event.
		const plainEvent = event === undefined || (eventDescriptors(event).join(' ') === event && eventDescriptors(event).every((d) => descriptorProblem(d) === null));
		const head = `${pad}<transition${attr('event', plainEvent ? event : event!.replace(/[\s*]+/g, '_').replace(/\.$/, '_'))}${plainEvent ? '' : attr('fsm:event', event)}${attr('cond', spec.guard)}${attr('target', ids.length ? ids.join(' ') : undefined)}${internal ? ' type="internal"' : ''}${attr('fsm:target', fsmTarget)}${fsmReenter ? ' fsm:reenter="false"' : ''}`;
		return body.length ? [`${head}>`, ...body, `${pad}</transition>`] : [`${head}/>`];
	};

	const configLines = (pad: string, sourcePath: string, event: string | undefined, config: TransitionConfig | undefined, jp: (string | number)[]): string[] =>
		normalizeTransitions(config).flatMap((spec, i) => transition(pad, sourcePath, event, spec, Array.isArray(config) ? [...jp, i] : jp));

	const stateEl = (pad: string, path: string): string[] => {
		const entry = index.byPath.get(path)!;
		const node = entry.node;
		const id = idOf.get(path)!;
		const type = stateType(node);
		const jp = entry.jsonPath;
		const keyAttr = needsKeyAttr.has(path) ? attr('fsm:key', entry.key) : '';
		const common = `${attr('id', id)}${keyAttr}${attr('fsm:description', node.description)}`;
		if (node.tags?.length) lost.push({ path: [...jp, 'tags'], message: `The tags of "${path}" are not kept in SCXML.` });
		if (node.meta && Object.keys(node.meta).length) lost.push({ path: [...jp, 'meta'], message: `The extra data (meta) of "${path}" is not kept in SCXML.` });
		if (type === 'history') {
			const lines = [`${pad}<history${common} type="${node.history === 'deep' ? 'deep' : 'shallow'}"${node.target === undefined ? '/>' : '>'}`];
			if (node.target !== undefined) {
				const t = resolveTarget(index, path, node.target);
				if (t !== undefined) lines.push(`${pad}\t<transition target="${escapeXml(idOf.get(t)!)}"/>`);
				else lost.push({ path: [...jp, 'target'], message: `The default target "${node.target}" of history "${path}" does not exist.` });
				lines.push(`${pad}</history>`);
			}
			return lines;
		}
		const tag = type === 'parallel' ? 'parallel' : type === 'final' ? 'final' : 'state';
		const children = Object.keys(node.states ?? {}).map((k) => `${path}.${k}`);
		let initialAttr = '';
		if (type === 'compound' && node.initial !== undefined && idOf.has(`${path}.${node.initial}`)) initialAttr = attr('initial', idOf.get(`${path}.${node.initial}`));
		const body: string[] = [];
		const inner = pad + '\t';
		if (node.entry?.length) body.push(`${inner}<onentry>`, ...effects(inner + '\t', node.entry), `${inner}</onentry>`);
		const afterKeys = Object.keys(node.after ?? {});
		const timerEvent = (ms: string) => `fsm.after.${ms}.${id}`;
		if (afterKeys.length) {
			body.push(`${inner}<onentry>`);
			for (const ms of afterKeys) body.push(`${inner}\t<send${attr('event', timerEvent(ms))}${attr('id', timerEvent(ms))}${attr('delay', `${ms}ms`)}/>`);
			body.push(`${inner}</onentry>`);
		}
		if (node.exit?.length) body.push(`${inner}<onexit>`, ...effects(inner + '\t', node.exit), `${inner}</onexit>`);
		if (afterKeys.length) {
			body.push(`${inner}<onexit>`);
			for (const ms of afterKeys) body.push(`${inner}\t<cancel${attr('sendid', timerEvent(ms))}/>`);
			body.push(`${inner}</onexit>`);
		}
		if (node.on) for (const ev of Object.keys(node.on)) body.push(...configLines(inner, path, ev, node.on[ev], [...jp, 'on', ev]));
		if (node.always !== undefined) body.push(...configLines(inner, path, undefined, node.always, [...jp, 'always']));
		for (const ms of afterKeys) body.push(...configLines(inner, path, timerEvent(ms), node.after![ms], [...jp, 'after', ms]));
		if (node.onDone !== undefined) body.push(...configLines(inner, path, node.invoke ? doneInvokeEvent(id) : doneStateEvent(id), node.onDone, [...jp, 'onDone']));
		if (node.onError !== undefined) body.push(...configLines(inner, path, errorInvokeEvent(id), node.onError, [...jp, 'onError']));
		if (node.invoke) {
			const { type: itype, id: iid, ...params } = node.invoke;
			const ps = Object.keys(params).map((k) => `${inner}\t<param${attr('name', k)}${attr('expr', JSON.stringify(params[k]))}/>`);
			const head = `${inner}<invoke${attr('type', itype)}${attr('id', iid)}`;
			body.push(...(ps.length ? [`${head}>`, ...ps, `${inner}</invoke>`] : [`${head}/>`]));
		}
		if (type === 'final' && node.output !== undefined) body.push(`${inner}<donedata>`, `${inner}\t<content${attr('expr', node.output)}/>`, `${inner}</donedata>`);
		for (const c of children) body.push(...stateEl(inner, c));
		const head = `${pad}<${tag}${common}${initialAttr}`;
		return body.length ? [`${head}>`, ...body, `${pad}</${tag}>`] : [`${head}/>`];
	};
	if (rootId) {
		out.push(`\t<parallel${attr('id', rootId)}>`, `\t\t<transition${attr('event', doneStateEvent(rootId))}${attr('target', `${rootId}.done`)}/>`);
		for (const k of Object.keys(workflow.states)) out.push(...stateEl('\t\t', k));
		out.push('\t</parallel>', `\t<final${attr('id', `${rootId}.done`)}/>`);
	} else for (const k of Object.keys(workflow.states)) out.push(...stateEl('\t', k));
	out.push('</scxml>');
	return { text: out.join('\n') + '\n', lost, filename: `${fileBase(workflow)}.scxml`, mime: 'application/scxml+xml' };
}

/**
 * A `send` effect as SCXML's `<send>` to the session itself: `event` (or `eventexpr` for a
 * template), `delay` in ms (or `delayexpr` giving SCXML's time text, with the JSONata in
 * `fsm:delay`), `id`, and the event's fields as `<param>`s. False when it cannot be written
 * so (the caller keeps it as an `fsm:effect`).
 */
function sendElement(pad: string, eff: EffectSpec, attr: (name: string, value: string | undefined) => string, lines: string[]): boolean {
	const { type: _type, id, event, delay, ...rest } = eff;
	if (Object.keys(rest).length) return false;
	if (id !== undefined && (typeof id !== 'string' || id === '')) return false;
	let name: unknown = event;
	let fields: Record<string, unknown> = {};
	if (isRecord(event) && !Array.isArray(event)) {
		const { type, ...f } = event;
		name = type;
		fields = f;
	}
	if (typeof name !== 'string' || name === '') return false;
	const params: string[] = [];
	for (const [k, v] of Object.entries(fields)) {
		if (typeof v === 'string') {
			const e = asExpr(v);
			params.push(`${pad}\t<param${attr('name', k)}${attr('expr', e.expr)}${attr('fsm:value', e.exact ? undefined : v)}/>`);
		} else if (v === null || typeof v === 'number' || typeof v === 'boolean') params.push(`${pad}\t<param${attr('name', k)}${attr('expr', JSON.stringify(v))}/>`);
		else return false;
	}
	let delayAttr = '';
	if (typeof delay === 'number') {
		if (!Number.isFinite(delay) || delay < 0) return false;
		if (delay > 0) delayAttr = attr('delay', `${delay}ms`);
	} else if (typeof delay === 'string') delayAttr = `${attr('delayexpr', `$string(${delay}) & "ms"`)}${attr('fsm:delay', delay)}`;
	else if (delay !== undefined) return false;
	const e = asExpr(name);
	const nameAttr = name.includes('{{') ? `${attr('eventexpr', e.expr)}${attr('fsm:event', e.exact ? undefined : name)}` : attr('event', name);
	const head = `${pad}<send${nameAttr}${delayAttr}${attr('id', id as string | undefined)}`;
	if (params.length) lines.push(`${head}>`, ...params, `${pad}</send>`);
	else lines.push(`${head}/>`);
	return true;
}

/**
 * A template as a JSONata expression: `{{ x }}` is `x`, other text is joined with `&`.
 * `exact` when the importer's reading (a constant, or `{{ expr }}`) gives the same text back.
 */
function asExpr(template: string): { expr: string; exact: boolean } {
	if (!template.includes('{{')) return { expr: JSON.stringify(template), exact: true };
	const whole = /^\{\{([\s\S]*)\}\}$/.exec(template);
	if (whole && !whole[1].includes('{{') && !whole[1].includes('}}')) {
		const expr = whole[1].trim();
		return { expr, exact: template === `{{ ${expr} }}` };
	}
	return { expr: templateToExpr(template), exact: false };
}
