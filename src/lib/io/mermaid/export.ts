/**
 * Mermaid `stateDiagram-v2` export, for READMEs and docs. Mermaid carries states, nesting,
 * parallel regions (`--`), initial and final markers and labelled arrows; guards travel in
 * the label as `EVENT [guard]`. Everything else (context, effects, invokes, history) is
 * reported as lost.
 */
import type { StateNodeSpec, TransitionSpec, Workflow } from '../../model/types';
import { indexStates, normalizeTransitions, resolveTarget, stateType, targetsOf } from '../../model/tree';
import type { ExportResult, LostItem } from '../types';
import { fileBase } from '../util';
import { escapeEvent, escapeText, yamlQuote } from './shared';

/** Words Mermaid's lexer reads as keywords at the start of a line (case-insensitively), and ids it makes itself. */
const KEYWORDS = new Set(['state', 'note', 'end', 'direction', 'classdef', 'class', 'style', 'as', 'left', 'right', 'of', 'statediagram', 'click', 'href', 'default', 'scale', 'hide', 'acctitle', 'accdescr', 'root']);
const isKeyword = (id: string) => KEYWORDS.has(id.toLowerCase()) || /_(?:start|end)$/i.test(id);
const SAFE_ID = /^[A-Za-z_][A-Za-z0-9_]*$/;
const RESERVED_LABEL = /^(?:always|onDone|onError|after\(.*\)|on\(.*\))$/;

/** Exports a workflow as a Mermaid `stateDiagram-v2`. */
export function exportMermaid(workflow: Workflow): ExportResult {
	const lost: LostItem[] = [];
	const index = indexStates(workflow);
	const ids = new Map<string, string>();
	const used = new Set<string>();
	const keyCount = new Map<string, number>();
	for (const e of index.entries) keyCount.set(e.key, (keyCount.get(e.key) ?? 0) + 1);
	for (const e of index.entries) {
		let id = SAFE_ID.test(e.key) && !isKeyword(e.key) && keyCount.get(e.key) === 1 ? e.key : '';
		if (!id) {
			const base = (e.path.replace(/[^A-Za-z0-9_]+/g, '_').replace(/^(?=\d)/, 's_') || 's') + '_';
			id = base;
			for (let i = 1; used.has(id) || isKeyword(id); i++) id = `${base}${i}`;
		}
		used.add(id);
		ids.set(e.path, id);
	}
	const lines: string[] = [];
	if (workflow.name) lines.push('---', `title: ${yamlQuote(workflow.name)}`, '---');
	lines.push('stateDiagram-v2');
	if (workflow.context && Object.keys(workflow.context).length) lost.push({ path: ['context'], message: 'The context (data) cannot be shown in Mermaid.' });
	if (workflow.on && Object.keys(workflow.on).length) lost.push({ path: ['on'], message: 'Transitions that apply in every state cannot be drawn in Mermaid.' });
	if (workflow.layout) lost.push({ path: ['layout'], message: 'Positions on the canvas are not kept; Mermaid lays the diagram out itself.' });
	if (workflow.description) lost.push({ path: ['description'], message: 'The workflow description is not kept in Mermaid.' });

	const label = (trigger: string, spec: TransitionSpec): string => {
		const g = spec.guard ? ` [${escapeText(spec.guard)}]` : '';
		return escapeEvent(trigger) + g;
	};

	// Arrows go after every state is declared: an arrow that mentions a state first would
	// create it in the wrong composite (Mermaid ids are global, so root level is fine).
	const arrows: string[] = [];
	const emitTransitions = (sourcePath: string, node: StateNodeSpec, jsonPath: (string | number)[]) => {
		const out = arrows;
		const pad = '    ';
		const sourceId = ids.get(sourcePath)!;
		const emit = (trigger: string, config: unknown, jp: (string | number)[]) => {
			normalizeTransitions(config as never).forEach((spec, i) => {
				const where = [...jp, i];
				const targets = targetsOf(spec);
				if (targets.length === 0) {
					lost.push({ path: where, message: `The transition "${trigger}" of "${sourcePath}" has no target; Mermaid can only draw arrows between states.` });
					return;
				}
				if (targets.length > 1) lost.push({ path: where, message: `The transition "${trigger}" of "${sourcePath}" enters several states; Mermaid shows only the first.` });
				const tp = resolveTarget(index, sourcePath, targets[0]);
				if (tp === undefined) {
					lost.push({ path: where, message: `The transition "${trigger}" of "${sourcePath}" points to a missing state "${targets[0]}".` });
					return;
				}
				const tnode = index.byPath.get(tp)?.node;
				let targetId = ids.get(tp)!;
				if (tnode && stateType(tnode) === 'history') {
					lost.push({ path: where, message: `The transition "${trigger}" of "${sourcePath}" goes to a history state, which Mermaid cannot show; it points at the history's parent instead.` });
					const parent = tp.slice(0, tp.lastIndexOf('.'));
					if (!parent) return;
					targetId = ids.get(parent)!;
				}
				if (spec.effects?.length) lost.push({ path: [...where, 'effects'], message: `The effects of transition "${trigger}" of "${sourcePath}" cannot be shown in Mermaid.` });
				if (spec.reenter) lost.push({ path: [...where, 'reenter'], message: `"Re-enter" on transition "${trigger}" of "${sourcePath}" cannot be shown in Mermaid.` });
				if (spec.description) lost.push({ path: [...where, 'description'], message: `The description of transition "${trigger}" of "${sourcePath}" is not kept in Mermaid.` });
				out.push(`${pad}${sourceId} --> ${targetId} : ${label(trigger, spec)}`);
			});
		};
		if (node.on) for (const ev of Object.keys(node.on)) emit(RESERVED_LABEL.test(ev) || ev.includes(' [') ? `on(${ev})` : ev, node.on[ev], [...jsonPath, 'on', ev]);
		if (node.always !== undefined) emit('always', node.always, [...jsonPath, 'always']);
		if (node.after) for (const ms of Object.keys(node.after)) emit(`after(${ms})`, node.after[ms], [...jsonPath, 'after', ms]);
		if (node.onDone !== undefined) emit('onDone', node.onDone, [...jsonPath, 'onDone']);
		if (node.onError !== undefined) emit('onError', node.onError, [...jsonPath, 'onError']);
	};

	const reportState = (path: string, node: StateNodeSpec, jp: string[]) => {
		const says = (what: string, field: string) => lost.push({ path: [...jp, field], message: `The ${what} of state "${path}" cannot be shown in Mermaid.` });
		if (node.entry?.length) says('entry effects', 'entry');
		if (node.exit?.length) says('exit effects', 'exit');
		if (node.invoke) says('invoked work', 'invoke');
		if (node.output !== undefined) says('output', 'output');
		if (node.tags?.length) says('tags', 'tags');
		if (node.meta && Object.keys(node.meta).length) says('extra data (meta)', 'meta');
	};

	const emitState = (out: string[], pad: string, path: string) => {
		const entry = index.byPath.get(path)!;
		const { node, key } = entry;
		const id = ids.get(path)!;
		const type = stateType(node);
		if (type === 'history') {
			lost.push({ path: entry.jsonPath, message: `History state "${path}" cannot be shown in Mermaid.` });
			return;
		}
		if (id !== key) out.push(`${pad}state "${escapeText(key)}" as ${id}`);
		reportState(path, node, entry.jsonPath);
		if (type === 'compound') {
			out.push(`${pad}state ${id} {`);
			block(out, pad + '    ', path, node);
			out.push(`${pad}}`);
		} else if (type === 'parallel') {
			// Each region is drawn alone between "--" separators, whatever its own type.
			out.push(`${pad}state ${id} {`);
			const regions = Object.keys(node.states ?? {});
			regions.forEach((rk, i) => {
				if (i > 0) out.push(`${pad}    --`);
				emitState(out, pad + '    ', `${path}.${rk}`);
			});
			// One region alone would read back as a plain composite: a trailing "--" keeps it parallel.
			if (regions.length === 1) out.push(`${pad}    --`);
			out.push(`${pad}}`);
		} else if (type === 'final') {
			out.push(`${pad}${id} --> [*]`);
		} else if (id === key) {
			out.push(`${pad}${id}`);
		}
		if (node.description) out.push(`${pad}note right of ${id} : ${escapeText(node.description)}`);
		emitTransitions(path, node, entry.jsonPath);
	};

	const block = (out: string[], pad: string, parentPath: string, container: { initial?: string; states?: Record<string, StateNodeSpec> }) => {
		const initialPath = container.initial === undefined ? undefined : parentPath ? `${parentPath}.${container.initial}` : container.initial;
		if (initialPath !== undefined && ids.has(initialPath) && stateType(index.byPath.get(initialPath)!.node) !== 'history') out.push(`${pad}[*] --> ${ids.get(initialPath)}`);
		for (const key of Object.keys(container.states ?? {})) emitState(out, pad, parentPath ? `${parentPath}.${key}` : key);
	};
	if (workflow.type === 'parallel') {
		// Mermaid has no regions at the top: one parallel composite, named as the workflow, stands
		// for the root; the mark tells FSM Studio's importer to give the root back.
		let rootId = 'parallel_root';
		for (let i = 2; used.has(rootId); i++) rootId = `parallel_root_${i}`;
		lines.push('    %% fsm-studio: parallel root', `    [*] --> ${rootId}`, `    state "${escapeText(workflow.name || 'Workflow')}" as ${rootId}`, `    state ${rootId} {`);
		const regions = Object.keys(workflow.states);
		regions.forEach((k, i) => {
			if (i > 0) lines.push('        --');
			emitState(lines, '        ', k);
		});
		if (regions.length === 1) lines.push('        --');
		lines.push('    }');
	} else block(lines, '    ', '', workflow);
	lines.push(...arrows);
	return { text: lines.join('\n') + '\n', lost, filename: `${fileBase(workflow)}.mmd`, mime: 'text/vnd.mermaid' };
}
