/**
 * SCXML (W3C State Chart XML) import: `<state>`, `<parallel>`, `<final>`, `<history>`,
 * `<transition event cond target type>`, `<onentry>`/`<onexit>` with `<raise>`, `<assign>`,
 * `<log>` and `<send>` (a delayed send to self that a transition of the same state listens
 * to becomes an `after` transition), `<invoke>`, `<donedata>` and the `<datamodel>`. What
 * has no equivalent is listed as lost. Expressions are kept as written: FSM Studio
 * evaluates JSONata, so a file using the ECMAScript data model is flagged.
 */
import type { EffectSpec, StateNodeSpec, TransitionConfig, TransitionSpec, Workflow } from '../../model/types';
import { normalizeTransitions } from '../../model/tree';
import type { ImportResult, LostItem } from '../types';
import { checkSize, dict, finish, guarded, ImportFailure, isRecord, slug } from '../util';
import { isElement, parseXml, textOf, XmlError, type XmlElement } from '../xml';
import { effectKinds } from '../../effects/kinds';
import { DATAMODEL, FSM_NS, SCXML_NS, templateToExpr } from './shared';

interface Pending {
	spec: StateNodeSpec;
	path: string;
	scxmlId: string;
	el: XmlElement;
	/** Transitions whose targets are resolved once every id is known. */
	transitions: { trigger: string; event?: string; spec: TransitionSpec; targets: string[]; el: XmlElement }[];
	/** Delayed sends to self from <onentry>: event → ms. */
	timers: Map<string, { ms: string; el: XmlElement }>;
	historyTarget?: { ids: string[]; el: XmlElement };
}

/** Imports an SCXML document (the core of the W3C recommendation). */
export function importScxml(text: string): ImportResult {
	return guarded('SCXML file', () => {
		const sizeErrors = checkSize(text, 'SCXML file');
		if (sizeErrors.length) return { ok: false, errors: sizeErrors };
		let root: XmlElement;
		try {
			root = parseXml(text);
		} catch (e) {
			if (e instanceof XmlError) return { ok: false, errors: [{ line: e.line, column: e.column, message: `Line ${e.line}, column ${e.column}: ${e.message}.` }] };
			throw e;
		}
		if (root.name !== 'scxml') return { ok: false, errors: [{ line: root.line, message: `Line ${root.line}: the root element is <${root.name}>, but an SCXML file starts with <scxml>.` }] };
		const lost: LostItem[] = [];
		return finish(new ScxmlReader(lost).read(root), lost, 'SCXML file');
	});
}

class ScxmlReader {
	private byId = new Map<string, Pending>();
	private all: Pending[] = [];
	private context: Record<string, unknown> = dict();
	private foreignExpressions = false;

	constructor(private lost: LostItem[]) {}

	private note(el: XmlElement, message: string) {
		this.lost.push({ line: el.line, message: `Line ${el.line}: ${message}` });
	}
	private fail(el: XmlElement, message: string): never {
		throw new ImportFailure([{ line: el.line, column: el.column, message: `Line ${el.line}: ${message}` }]);
	}
	private fsm(el: XmlElement, name: string): string | undefined {
		return el.attrs[`{${FSM_NS}}${name}`];
	}
	private isScxml(el: XmlElement) {
		return el.ns === SCXML_NS || el.ns === '';
	}

	read(root: XmlElement): Workflow {
		const dm = root.attrs.datamodel;
		this.foreignExpressions = dm !== undefined && dm !== DATAMODEL && dm !== 'null';
		if (root.attrs.binding === 'late') this.note(root, 'late data binding is not supported; all data is set up when the workflow starts.');
		const name = root.attrs.name ?? 'Imported SCXML';
		const wf: Workflow = {
			format: 'fsm-studio/workflow',
			version: 1,
			id: this.fsm(root, 'id') ?? slug(name, 'scxml'),
			name,
			initial: '',
			states: dict()
		};
		const desc = this.fsm(root, 'description');
		if (desc !== undefined) wf.description = desc;
		const initial = this.readChildren(root, '', '', wf as unknown as StateNodeSpec);
		wf.initial = initial ?? '';
		if (Object.keys(wf.states).length === 0) this.fail(root, 'the document has no states.');
		this.resolveAll();
		if (Object.keys(this.context).length) wf.context = this.context;
		if (this.foreignExpressions && this.hasExpressions) {
			this.lost.push({ message: `The file uses the "${dm}" data model; conditions and expressions were kept as written, but FSM Studio evaluates them as JSONata (with data under "context."). Check them.` });
		}
		const initAttr = root.attrs.initial;
		if (initAttr) {
			const ids = initAttr.trim().split(/\s+/);
			const p = this.byId.get(ids[0]);
			if (!p) this.fail(root, `the initial state "${ids[0]}" does not exist.`);
			if (ids.length > 1) this.note(root, 'several initial states are not supported at the top; only the first is used.');
			const top = p!.path.split('.')[0];
			wf.initial = top;
			if (p!.path !== top) this.note(root, `the initial state "${ids[0]}" is nested; the workflow starts in its top-level state "${top}" instead.`);
		}
		return wf;
	}

	private hasExpressions = false;

	/** Reads the state children of `el` into `container.states`; returns the initial child key. */
	private readChildren(el: XmlElement, parentPath: string, parentId: string, container: StateNodeSpec): string | undefined {
		let first: string | undefined;
		let initialFromChild: string | undefined;
		const states = (container.states ??= dict<StateNodeSpec>());
		for (const c of el.children) {
			if (!isElement(c)) {
				if (c.text.trim()) this.note(el, `text "${c.text.trim().slice(0, 40)}" inside <${el.name}> is not part of any element and was ignored.`);
				continue;
			}
			if (!this.isScxml(c)) {
				if (!(c.ns === FSM_NS)) this.note(c, `the element <${c.name}> from another namespace was not imported.`);
				continue;
			}
			switch (c.name) {
				case 'state':
				case 'parallel':
				case 'final':
				case 'history': {
					const key = this.readState(c, parentPath, parentId, states);
					first ??= c.name === 'history' ? undefined : key;
					break;
				}
				case 'initial': {
					const t = c.children.find((x) => isElement(x) && x.name === 'transition') as XmlElement | undefined;
					if (!t?.attrs.target) this.fail(c, '<initial> needs a <transition target="…">.');
					initialFromChild = t!.attrs.target!.trim().split(/\s+/)[0];
					if (t!.children.some(isElement)) this.note(t!, 'actions on the <initial> transition were not imported.');
					break;
				}
				case 'datamodel':
					this.readDatamodel(c);
					break;
				case 'script':
					this.note(c, '<script> is not supported (FSM Studio never runs scripts); it was not imported.');
					break;
				case 'onentry':
				case 'onexit':
				case 'transition':
				case 'invoke':
				case 'donedata':
					break; // read by readState
				default:
					this.note(c, `<${c.name}> is not supported here and was not imported.`);
			}
		}
		const initAttr = el.name === 'scxml' ? undefined : el.attrs.initial ?? initialFromChild;
		if (initAttr && el.name === 'state') {
			const id = initAttr.trim().split(/\s+/)[0];
			this.pendingInitial.push({ container, id, el });
		}
		return first;
	}

	private pendingInitial: { container: StateNodeSpec; id: string; el: XmlElement }[] = [];

	private readDatamodel(el: XmlElement) {
		for (const d of el.children) {
			if (!isElement(d)) continue;
			if (d.name !== 'data') {
				this.note(d, `<${d.name}> inside <datamodel> is not supported.`);
				continue;
			}
			const id = d.attrs.id;
			if (!id) this.fail(d, '<data> needs an id.');
			if (d.attrs.src !== undefined) this.note(d, `the data "${id}" is loaded from "${d.attrs.src}", which is not supported; it starts as null.`);
			const raw = d.attrs.expr ?? textOf(d).trim();
			let value: unknown = null;
			if (raw !== '') {
				try {
					value = JSON.parse(raw);
				} catch {
					const q = /^'([^'\\]*)'$/.exec(raw);
					if (q) value = q[1];
					else if (d.attrs.expr === undefined) value = raw;
					else this.note(d, `the data "${id}" starts from the expression "${raw}", which is not a plain value; it starts as null.`);
				}
			}
			if (id === '__proto__' || id === 'constructor' || id === 'prototype') this.fail(d, `"${id}" cannot be used as a data name.`);
			this.context[id!] = value;
		}
	}

	private readState(el: XmlElement, parentPath: string, parentId: string, siblings: Record<string, StateNodeSpec>): string {
		const scxmlId = el.attrs.id ?? '';
		const expected = (key: string) => (parentId ? `${parentId}.${key}` : key);
		let key = this.fsm(el, 'key') ?? (scxmlId && parentId && scxmlId.startsWith(parentId + '.') ? scxmlId.slice(parentId.length + 1) : scxmlId);
		if (!key) key = el.name === 'history' ? 'hist' : el.name;
		key = key.replace(/\./g, '_').replace(/^#/, '_');
		const base = key;
		for (let i = 2; Object.hasOwn(siblings, key); i++) key = `${base}_${i}`;
		const path = parentPath ? `${parentPath}.${key}` : key;
		const spec: StateNodeSpec = {};
		siblings[key] = spec;
		const id = scxmlId || `__anon_${this.all.length}`;
		const generated = this.fsm(el, 'key') !== undefined && /^s\d+$/.test(scxmlId);
		if (scxmlId && scxmlId !== expected(key) && !generated && key === base) spec.id = scxmlId;
		const p: Pending = { spec, path, scxmlId: id, el, transitions: [], timers: new Map() };
		if (this.byId.has(id)) this.fail(el, `the id "${id}" is used twice.`);
		this.byId.set(id, p);
		this.all.push(p);
		const desc = this.fsm(el, 'description');
		if (desc !== undefined) spec.description = desc;

		if (el.name === 'history') {
			spec.type = 'history';
			spec.history = el.attrs.type === 'deep' ? 'deep' : 'shallow';
			const t = el.children.find((x) => isElement(x) && x.name === 'transition') as XmlElement | undefined;
			if (t?.attrs.target) p.historyTarget = { ids: t.attrs.target.trim().split(/\s+/), el: t };
			return key;
		}
		if (el.name === 'parallel') spec.type = 'parallel';
		if (el.name === 'final') spec.type = 'final';

		for (const c of el.children) {
			if (!isElement(c) || !this.isScxml(c)) continue;
			if (c.name === 'onentry') spec.entry = [...(spec.entry ?? []), ...this.readActions(c, p, true)];
			else if (c.name === 'onexit') spec.exit = [...(spec.exit ?? []), ...this.readActions(c, p, false)];
			else if (c.name === 'transition') this.readTransition(c, p);
			else if (c.name === 'invoke') this.readInvoke(c, spec);
			else if (c.name === 'donedata') {
				const content = c.children.find((x) => isElement(x) && x.name === 'content') as XmlElement | undefined;
				if (content?.attrs.expr) {
					spec.output = content.attrs.expr;
					this.hasExpressions = true;
				} else if (content) spec.output = JSON.stringify(textOf(content).trim());
				else this.note(c, '<donedata> with <param>s is not supported; the output was not imported.');
			}
		}
		if (el.name === 'final') {
			if (spec.entry?.length || spec.exit?.length) {
				// Final states may have entry/exit in SCXML too.
			}
		} else this.readChildren(el, path, id, spec);
		if (spec.states && Object.keys(spec.states).length === 0) delete spec.states;
		if (el.name === 'state' && spec.states) {
			const first = Object.keys(spec.states).find((k) => spec.states![k].type !== 'history');
			if (spec.initial === undefined && first) spec.initial = first;
		}
		if (spec.entry?.length === 0) delete spec.entry;
		if (spec.exit?.length === 0) delete spec.exit;
		return key;
	}

	private readInvoke(el: XmlElement, spec: StateNodeSpec) {
		if (spec.invoke) {
			this.note(el, 'a state can invoke one thing; this extra <invoke> was not imported.');
			return;
		}
		const type = el.attrs.type ?? el.attrs.src;
		if (!type) {
			this.note(el, '<invoke> without a type was not imported.');
			return;
		}
		const eff: EffectSpec = { type };
		if (!Object.hasOwn(effectKinds, type)) this.note(el, `the invoke of type "${type}" was imported as a "${type}" effect, which runs only once you give it a handler.`);
		if (el.attrs.id) eff.id = el.attrs.id;
		for (const c of el.children) {
			if (!isElement(c)) continue;
			if (c.name === 'param' && c.attrs.name) {
				const raw = c.attrs.expr ?? '';
				try {
					eff[c.attrs.name] = JSON.parse(raw);
				} catch {
					eff[c.attrs.name] = raw;
					this.note(c, `the parameter "${c.attrs.name}" is the expression "${raw}"; it was imported as text.`);
				}
			} else if (c.name === 'content') {
				eff.content = textOf(c).trim();
			} else this.note(c, `<${c.name}> inside <invoke> was not imported.`);
		}
		for (const a of ['srcexpr', 'typeexpr', 'idlocation', 'namelist', 'autoforward']) if (el.attrs[a] !== undefined) this.note(el, `the <invoke> attribute "${a}" is not supported.`);
		spec.invoke = eff;
	}

	private readTransition(el: XmlElement, p: Pending) {
		const spec: TransitionSpec = {};
		if (el.attrs.cond !== undefined) {
			spec.guard = el.attrs.cond;
			this.hasExpressions = true;
		}
		const effects = this.readActions(el, p, false);
		if (effects.length) spec.effects = effects;
		const targets = el.attrs.target ? el.attrs.target.trim().split(/\s+/) : [];
		if (el.attrs.type === 'internal') spec.reenter = false;
		else if (targets.length) spec.reenter = true; // external: only matters when a target is inside the source; trimmed later
		const exact = this.fsm(el, 'event');
		const events = exact !== undefined ? [exact] : el.attrs.event?.trim().split(/\s+/).filter(Boolean) ?? [];
		if (events.length === 0) p.transitions.push({ trigger: 'always', spec, targets, el });
		for (let ev of events) {
			if (exact === undefined) {
				if (ev === '*') {
					this.note(el, 'the wildcard event "*" is not supported; this transition was not imported for it.');
					continue;
				}
				ev = ev.replace(/\.\*$/, '').replace(/\.$/, '');
			}
			p.transitions.push({ trigger: 'on', event: ev, spec: events.length > 1 ? structuredClone(spec) : spec, targets, el });
		}
	}

	private readActions(el: XmlElement, p: Pending, isEntry: boolean): EffectSpec[] {
		const out: EffectSpec[] = [];
		for (const c of el.children) {
			if (!isElement(c)) continue;
			if (c.ns === FSM_NS && c.name === 'effect') {
				const type = c.attrs.type;
				if (!type) {
					this.note(c, '<fsm:effect> without a type was not imported.');
					continue;
				}
				let params: unknown = {};
				const body = textOf(c).trim();
				if (body) {
					try {
						params = JSON.parse(body);
					} catch {
						this.note(c, `the parameters of the "${type}" effect are not valid JSON; they were not imported.`);
					}
				}
				const eff: Record<string, unknown> = { type };
				if (c.attrs.id) eff.id = c.attrs.id;
				if (isRecord(params)) for (const k of Object.keys(params)) if (k !== 'type' && k !== 'id') eff[k] = params[k];
				out.push(eff as EffectSpec);
				continue;
			}
			if (!this.isScxml(c)) {
				this.note(c, `the action <${c.name}> from another namespace was not imported.`);
				continue;
			}
			switch (c.name) {
				case 'raise':
					if (c.attrs.event) out.push({ type: 'raise', event: c.attrs.event });
					else this.note(c, '<raise> without an event was not imported.');
					break;
				case 'assign': {
					const loc = c.attrs.location;
					if (!loc) {
						this.note(c, '<assign> without a location was not imported.');
						break;
					}
					const expr = c.attrs.expr ?? JSON.stringify(textOf(c).trim());
					this.hasExpressions = true;
					const name = loc.replace(/^context\./, '');
					if (!/^[A-Za-z_$][\w$]*$/.test(name)) {
						this.note(c, `the location "${loc}" is not a plain data name; this <assign> was not imported.`);
						break;
					}
					// Consecutive <assign>s equal one assign when none reads a key set before it in the group.
					const prev = out[out.length - 1];
					const prevSet = prev && prev.type === 'assign' && Object.keys(prev).length === 2 && isRecord(prev.set) ? (prev.set as Record<string, string>) : undefined;
					if (prevSet && !Object.hasOwn(prevSet, name) && !Object.keys(prevSet).some((k) => expr.includes(k))) prevSet[name] = expr;
					else out.push({ type: 'assign', set: { [name]: expr } });
					break;
				}
				case 'log': {
					const label = c.attrs.label;
					const expr = c.attrs.expr;
					let message: string;
					if (label !== undefined && expr !== undefined && expr === templateToExpr(label)) message = label;
					else if (expr !== undefined) {
						this.hasExpressions = true;
						message = `${label ? label + ': ' : ''}{{ ${expr} }}`;
					} else message = label ?? '';
					out.push({ type: 'log', message });
					break;
				}
				case 'send': {
					const event = c.attrs.event;
					const delayText = c.attrs.delay;
					const target = c.attrs.target;
					if (!event) {
						this.note(c, `<send> without a fixed event name${c.attrs.eventexpr ? ' (eventexpr)' : ''} was not imported.`);
						break;
					}
					if (c.attrs.delayexpr !== undefined) {
						this.note(c, '<send> with a computed delay (delayexpr) was not imported.');
						break;
					}
					if (target && target !== '#_internal' && target !== '#_scxml_' + '') {
						out.push({ type: 'emit', event });
						this.note(c, `<send> to "${target}" was imported as an "emit" effect (sent to whoever listens to the workflow).`);
						break;
					}
					if (delayText !== undefined) {
						const ms = parseDelay(delayText);
						if (ms === undefined) {
							this.note(c, `the delay "${delayText}" is not a time such as "5s" or "500ms"; this <send> was not imported.`);
							break;
						}
						if (isEntry) {
							p.timers.set(event, { ms, el: c });
							break;
						}
						this.note(c, `a delayed <send> outside <onentry> has no FSM Studio equivalent (delays are "after" transitions of a state); it was not imported.`);
						break;
					}
					if (c.children.some(isElement) || c.attrs.namelist) this.note(c, `the data sent with "${event}" was not imported.`);
					out.push({ type: 'raise', event });
					break;
				}
				case 'cancel':
					// Cancelling a timer of this state on exit is what "after" does by itself.
					if (!isEntry && c.attrs.sendid !== undefined) break;
					this.note(c, '<cancel> was not imported.');
					break;
				default:
					this.note(c, `the action <${c.name}> is not supported and was not imported.`);
			}
		}
		return out;
	}

	private resolveAll() {
		const byPath = new Map(this.all.map((p) => [p.path, p]));
		const pathOf = (id: string, el: XmlElement): string => {
			const p = this.byId.get(id);
			if (!p) this.fail(el, `the target "${id}" does not exist.`);
			return p!.path;
		};
		const targetFor = (sourcePath: string, targetPath: string): string => {
			const parent = (x: string) => (x.includes('.') ? x.slice(0, x.lastIndexOf('.')) : '');
			if (parent(sourcePath) === parent(targetPath)) return targetPath.slice(targetPath.lastIndexOf('.') + 1);
			if (targetPath.startsWith(sourcePath + '.')) return '.' + targetPath.slice(sourcePath.length + 1);
			const tp = byPath.get(targetPath)!;
			tp.spec.id ??= tp.scxmlId;
			return `#${tp.spec.id}`;
		};
		for (const { container, id, el } of this.pendingInitial) {
			const p = this.byId.get(id);
			if (!p) this.fail(el, `the initial state "${id}" does not exist.`);
			const key = p!.path.slice(p!.path.lastIndexOf('.') + 1);
			if (container.states && Object.hasOwn(container.states, key) && container.states[key] === p!.spec) container.initial = key;
			else this.note(el, `the initial state "${id}" is not a direct child; the first child is used instead.`);
		}
		for (const p of this.all) {
			if (p.historyTarget) {
				const t = pathOf(p.historyTarget.ids[0], p.historyTarget.el);
				p.spec.target = targetFor(p.path, t);
				if (p.historyTarget.ids.length > 1) this.note(p.historyTarget.el, 'a history state with several default targets is not supported; only the first is used.');
			}
			const done = new Set([`done.state.${p.scxmlId}`, `done.invoke.${p.scxmlId}`, 'done.invoke']);
			if (p.spec.invoke?.id) done.add(`done.invoke.${p.spec.invoke.id}`);
			const isError = (ev: string) => p.spec.invoke !== undefined && /^(error\.invoke|error\.platform|error\.execution|error\.communication)(\.|$)/.test(ev);
			for (const t of p.transitions) {
				const spec = t.spec;
				// `done.state.<child>` handled by an ancestor is that child's "when done" transition.
				const doneOf = t.event?.startsWith('done.state.') ? this.byId.get(t.event.slice(11)) : undefined;
				if (doneOf && doneOf !== p && doneOf.path.startsWith(p.path + '.')) {
					const targets = t.targets.map((id) => targetFor(doneOf.path, pathOf(id, t.el)));
					const moved: TransitionSpec = { ...(targets.length ? { target: targets.length === 1 ? targets[0] : targets } : {}), ...spec };
					if (moved.reenter !== undefined) delete moved.reenter;
					doneOf.spec.onDone = [...normalizeTransitions(doneOf.spec.onDone), moved];
					continue;
				}
				const targets = t.targets.map((id) => targetFor(p.path, pathOf(id, t.el)));
				if (targets.length === 1) spec.target = targets[0];
				else if (targets.length > 1) spec.target = targets;
				const absolute = t.targets.map((id) => this.byId.get(id)!.path);
				if (spec.reenter === true && !absolute.some((a) => a === p.path || a.startsWith(p.path + '.'))) delete spec.reenter;
				if (spec.reenter === false && !absolute.some((a) => a === p.path || a.startsWith(p.path + '.'))) delete spec.reenter;
				const ordered = { ...(spec.target !== undefined ? { target: spec.target } : {}), ...spec } as TransitionSpec;
				const add = (get: () => TransitionConfig | undefined, set: (c: TransitionConfig) => void) => {
					const list = normalizeTransitions(get());
					set([...list, ordered]);
				};
				const ev = t.event;
				const timer = ev !== undefined ? p.timers.get(ev) : undefined;
				if (t.trigger === 'always') add(() => p.spec.always, (c) => (p.spec.always = c));
				else if (timer) {
					const after = (p.spec.after ??= dict());
					add(() => after[timer.ms], (c) => (after[timer.ms] = c));
				} else if (ev !== undefined && done.has(ev)) add(() => p.spec.onDone, (c) => (p.spec.onDone = c));
				else if (ev !== undefined && isError(ev)) add(() => p.spec.onError, (c) => (p.spec.onError = c));
				else {
					const on = (p.spec.on ??= dict());
					add(() => (Object.hasOwn(on, ev!) ? on[ev!] : undefined), (c) => (on[ev!] = c));
				}
			}
			for (const [ev, timer] of p.timers) {
				if (!p.transitions.some((t) => t.event === ev)) this.note(timer.el, `the delayed event "${ev}" is not handled by a transition of this state, so it has no "after" equivalent; it was not imported.`);
			}
		}
	}
}

function parseDelay(text: string): string | undefined {
	const m = /^\s*(\d+(?:\.\d+)?)\s*(ms|s|m|min|h)?\s*$/.exec(text);
	if (!m) return undefined;
	const n = Number(m[1]);
	const factor = m[2] === 's' ? 1000 : m[2] === 'm' || m[2] === 'min' ? 60_000 : m[2] === 'h' ? 3_600_000 : 1;
	const ms = Math.round(n * factor * 1000) / 1000;
	return Number.isFinite(ms) ? String(ms) : undefined;
}

