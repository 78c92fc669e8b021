/**
 * SCXML (W3C State Chart XML) import: `<state>`, `<parallel>`, `<final>`, `<history>`,
 * `<transition event cond target type>`, `<onentry>`/`<onexit>` with `<raise>`, `<assign>`,
 * `<log>`, `<send>` to the session itself (the `send` effect; to `#_internal` a raise; a
 * delayed send that only its state can see and its exit cancels becomes an `after`
 * transition) and `<cancel>`, `<invoke>`, `<donedata>` and the `<datamodel>`. What
 * has no equivalent is listed as lost. Expressions are kept as written: FSM Studio
 * evaluates JSONata, so a file using the ECMAScript data model is flagged.
 */
import type { EffectSpec, StateNodeSpec, TransitionConfig, TransitionSpec, Workflow } from '../../model/types';
import { normalizeTransitions } from '../../model/tree';
import { DONE_STATE, doneInvokeEvent, doneStateEvent } from '../../model/events';
import type { ImportResult, LostItem } from '../types';
import { checkSize, dict, finish, guarded, ImportFailure, isRecord, slug } from '../util';
import { isElement, parseXml, textOf, XmlError, type XmlElement } from '../xml';
import { effectKinds } from '../../effects/kinds';
import { DATAMODEL, FSM_NS, SCXML_NS, templateToExpr } from './shared';
import { ecmascriptLiteral, ecmascriptToJsonata } from './ecmascript';
import { descriptorCovers, descriptorProblem, escapeTargetSegment, eventDescriptors, idTarget, matchesEventKey } from '../../model';

interface Pending {
	spec: StateNodeSpec;
	path: string;
	scxmlId: string;
	el: XmlElement;
	/** Transitions whose targets are resolved once every id is known. */
	transitions: { trigger: string; event?: string; spec: TransitionSpec; targets: string[]; el: XmlElement; keep?: boolean }[];
	/** Delayed sends to self from <onentry> that may be an "after" transition: event → delay, the send's id and its effect. */
	timers: Map<string, { ms: string; el: XmlElement; sendid?: string; eff: EffectSpec }>;
	/** `<cancel sendid>` in <onexit>: sendid → element and its effect. */
	cancels: Map<string, { el: XmlElement; eff: EffectSpec }>;
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
	/** How the document's expressions are read: as JSONata (FSM Studio's own files), translated from ECMAScript, or kept as written (other data models). */
	private dataModel: 'jsonata' | 'ecmascript' | 'other' = 'jsonata';
	private dataModelName = '';
	/** Every `<data id>` of the document: ECMAScript names that live under `context.` here. */
	private dataNames = new Set<string>();

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
		this.dataModelName = dm ?? '';
		this.ownFile = this.fsm(root, 'id') !== undefined;
		this.dataModel = dm === 'ecmascript' ? 'ecmascript' : dm === undefined || dm === DATAMODEL || dm === 'null' ? 'jsonata' : 'other';
		this.collectDataNames(root, 0);
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
		// FSM Studio's parallel root, written as one <parallel> that ends in a top-level <final>.
		const wrapper = this.fsm(root, 'root') === 'parallel' ? this.parallelRoot(root) : undefined;
		if (wrapper) {
			for (const c of root.children) if (isElement(c) && this.isScxml(c) && c.name === 'datamodel') this.readDatamodel(c);
			this.readChildren(wrapper, '', '', wf as unknown as StateNodeSpec);
			wf.type = 'parallel';
			delete wf.initial;
		} else {
			const initial = this.readChildren(root, '', '', wf as unknown as StateNodeSpec);
			wf.initial = initial ?? '';
		}
		if (Object.keys(wf.states).length === 0) this.fail(root, 'the document has no states.');
		this.resolveAll();
		if (Object.keys(this.context).length) wf.context = this.context;
		if (this.dataModel === 'other' && this.hasExpressions) {
			this.lost.push({ message: `The file uses the "${dm}" data model; conditions and expressions were kept as written, but FSM Studio evaluates them as JSONata (with data under "context."). Check them.` });
		}
		const initAttr = root.attrs.initial;
		if (initAttr && !wrapper) {
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

	/**
	 * The <parallel> that stands for FSM Studio's parallel root: the only state of the
	 * document besides the <final> its done event leads to, with nothing else of its own.
	 */
	private parallelRoot(root: XmlElement): XmlElement | undefined {
		const states = root.children.filter((c): c is XmlElement => isElement(c) && this.isScxml(c) && ['state', 'parallel', 'final', 'history'].includes(c.name));
		const p = states.find((c) => c.name === 'parallel');
		const f = states.find((c) => c.name === 'final');
		if (states.length !== 2 || !p || !f || !p.attrs.id || !f.attrs.id || f.children.some(isElement)) return undefined;
		const own = p.children.filter((c): c is XmlElement => isElement(c) && this.isScxml(c) && !['state', 'parallel', 'final', 'history'].includes(c.name));
		const done = own[0];
		if (own.length !== 1 || done.name !== 'transition' || done.attrs.event !== doneStateEvent(p.attrs.id) || done.attrs.target !== f.attrs.id || done.children.some(isElement)) return undefined;
		return p;
	}

	/** Inline content of `<assign>`: a JSON value (or, with ECMAScript, a literal) as itself, anything else as text. */
	private inlineValue(text: string): string {
		if (text !== '') {
			try {
				return JSON.stringify(JSON.parse(text));
			} catch {
				const lit = this.dataModel === 'ecmascript' ? ecmascriptLiteral(text) : undefined;
				if (lit?.ok) return JSON.stringify(lit.value);
			}
		}
		return JSON.stringify(text);
	}

	private collectDataNames(el: XmlElement, depth: number) {
		if (depth > 250) return;
		for (const c of el.children) {
			if (!isElement(c)) continue;
			if (c.name === 'data' && c.attrs.id) this.dataNames.add(c.attrs.id);
			else this.collectDataNames(c, depth + 1);
		}
	}

	/**
	 * An expression of the document as JSONata: kept for FSM Studio's own files, translated
	 * from ECMAScript where the meaning is kept (else kept as written and listed as lost),
	 * kept as written for other data models (one note at the end).
	 */
	private expression(raw: string, el: XmlElement, what: string): string {
		this.hasExpressions = true;
		if (this.dataModel !== 'ecmascript') return raw;
		const t = ecmascriptToJsonata(raw, this.dataNames);
		if (t.ok) return t.jsonata;
		this.note(el, `the ECMAScript ${what} "${raw.length > 60 ? raw.slice(0, 60) + '…' : raw}" was kept as written but will not work, because ${t.reason}; rewrite it as a JSONata expression.`);
		return raw;
	}

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
			const literal = this.dataModel === 'ecmascript' && raw !== '' ? ecmascriptLiteral(raw) : undefined;
			if (literal?.ok) value = literal.value;
			else if (this.dataModel === 'ecmascript' && d.attrs.expr !== undefined) this.note(d, `the data "${id}" starts from the ECMAScript expression "${raw}", which is not a plain value; it starts as null.`);
			else if (raw !== '') {
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
		const p: Pending = { spec, path, scxmlId: id, el, transitions: [], timers: new Map(), cancels: new Map() };
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
			if (c.name === 'onentry') spec.entry = [...(spec.entry ?? []), ...this.readActions(c, p, 'entry')];
			else if (c.name === 'onexit') spec.exit = [...(spec.exit ?? []), ...this.readActions(c, p, 'exit')];
			else if (c.name === 'transition') this.readTransition(c, p);
			else if (c.name === 'invoke') this.readInvoke(c, spec);
			else if (c.name === 'donedata') {
				const content = c.children.find((x) => isElement(x) && x.name === 'content') as XmlElement | undefined;
				if (content?.attrs.expr) {
					spec.output = this.expression(content.attrs.expr, content, 'output expression');
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
		if (el.attrs.cond !== undefined) spec.guard = this.expression(el.attrs.cond, el, 'condition');
		const effects = this.readActions(el, p, 'transition');
		if (effects.length) spec.effects = effects;
		// fsm:target and fsm:reenter say what FSM Studio meant where SCXML needs another spelling (see the exporter).
		const fsmTarget = this.fsm(el, 'target');
		const keep = fsmTarget !== undefined || this.fsm(el, 'reenter') === 'false';
		const targets = (fsmTarget ?? el.attrs.target ?? '').trim().split(/\s+/).filter(Boolean);
		if (el.attrs.type === 'internal' || keep) spec.reenter = false;
		else if (targets.length) spec.reenter = true; // external: only matters when a target is inside the source; trimmed later
		// The event attribute is a list of descriptors ("*", "error", "error.*"), kept as one key:
		// FSM Studio reads an "on" key the same way. fsm:event holds a name exactly as written.
		const exact = this.fsm(el, 'event');
		if (exact !== undefined) {
			p.transitions.push({ trigger: 'on', event: exact, spec, targets, el, keep });
			return;
		}
		if (el.attrs.event === undefined || el.attrs.event.trim() === '') {
			p.transitions.push({ trigger: 'always', spec, targets, el, keep });
			return;
		}
		const descriptors = eventDescriptors(el.attrs.event);
		const bad = descriptors.filter((d) => descriptorProblem(d) !== null);
		for (const d of bad) this.note(el, `the event descriptor "${d}" is not valid (${descriptorProblem(d)}); ${bad.length === descriptors.length ? 'this transition was not imported' : 'it was left out of this transition'}.`);
		const good = descriptors.filter((d) => descriptorProblem(d) === null);
		if (good.length) p.transitions.push({ trigger: 'on', event: good.join(' '), spec, targets, el, keep });
	}

	private readActions(el: XmlElement, p: Pending, where: 'entry' | 'exit' | 'transition'): EffectSpec[] {
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
					if (/^_(?:sessionid|name|ioprocessors|event|x)$/.test(loc) || loc.startsWith('_x.')) {
						this.note(c, `<assign location="${loc}"> changes a system variable, which is an error in SCXML (error.execution); it was not imported.`);
						break;
					}
					const expr = c.attrs.expr !== undefined ? this.expression(c.attrs.expr, c, 'value') : this.inlineValue(textOf(c).trim());
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
					else if (expr !== undefined) message = `${label ? label + ': ' : ''}{{ ${this.expression(expr, c, 'log expression')} }}`;
					else message = label ?? '';
					out.push({ type: 'log', message });
					break;
				}
				case 'send':
					out.push(...this.readSend(c, p, where));
					break;
				case 'cancel': {
					const eff = this.readCancel(c);
					if (!eff) break;
					out.push(eff);
					// A <cancel> on exit of the send of <onentry> may make that pair an "after" transition (decided when transitions are resolved).
					if (where === 'exit' && c.attrs.sendid !== undefined && c.attrs.sendidexpr === undefined) p.cancels.set(c.attrs.sendid, { el: c, eff });
					break;
				}
				default:
					this.note(c, `the action <${c.name}> is not supported and was not imported.`);
			}
		}
		return out;
	}

	/**
	 * `<send>` to the session itself: a `send` effect (the external queue), with its delay and
	 * send id; to `#_internal` a `raise` (the internal queue). A delayed send of <onentry>
	 * that <onexit> cancels and only this state handles may become an "after" transition
	 * (resolved later). Sends to other sessions, through other event processors, or with
	 * expressions that cannot be carried over are listed as lost, never changed.
	 */
	private readSend(c: XmlElement, p: Pending, where: 'entry' | 'exit' | 'transition'): EffectSpec[] {
		const type = c.attrs.type;
		if (type !== undefined && type !== 'http://www.w3.org/TR/scxml/#SCXMLEventProcessor' && type !== 'scxml') {
			this.note(c, `<send type="${type}"> uses an event processor FSM Studio does not have; it was not imported.`);
			return [];
		}
		for (const a of ['typeexpr', 'targetexpr']) {
			if (c.attrs[a] !== undefined) {
				this.note(c, `<send ${a}="${c.attrs[a]}"> picks its ${a === 'typeexpr' ? 'event processor' : 'target'} while running; FSM Studio can only send to the workflow itself, so it was not imported.`);
				return [];
			}
		}
		const target = c.attrs.target;
		if (target !== undefined && target !== '' && target !== '#_internal') {
			this.note(c, `<send target="${target}"> sends to ${target === '#_parent' ? 'the session that invoked this one, which a workflow does not have' : /^#_scxml_/.test(target) ? 'an SCXML session by its id, which FSM Studio cannot address' : /^#_/.test(target) ? 'an invoked session, which FSM Studio does not have' : 'another system'}; it was not imported.`);
			return [];
		}
		let event: string;
		if (c.attrs.event !== undefined && c.attrs.eventexpr === undefined) event = c.attrs.event;
		else if (c.attrs.eventexpr !== undefined && c.attrs.event === undefined) event = this.fsm(c, 'event') ?? `{{ ${this.expression(c.attrs.eventexpr, c, 'event expression')} }}`;
		else {
			this.note(c, c.attrs.event === undefined ? '<send> without an event name was not imported.' : '<send> with both event and eventexpr is an error in SCXML; it was not imported.');
			return [];
		}
		if (event.includes('{{') && c.attrs.eventexpr === undefined) {
			this.note(c, `the event name "${event}" contains "{{", which FSM Studio would read as a template; the <send> was not imported.`);
			return [];
		}
		const payload = this.sendPayload(c, c.attrs.event ?? c.attrs.eventexpr!);
		if (payload === null) return [];
		const ev = Object.keys(payload).length ? { type: event, ...payload } : event;
		const hasDelay = c.attrs.delay !== undefined || c.attrs.delayexpr !== undefined;
		if (target === '#_internal') {
			if (hasDelay) {
				this.note(c, 'a delayed <send> to "#_internal" is an error in SCXML; it was not imported.');
				return [];
			}
			if (c.attrs.id !== undefined || c.attrs.idlocation !== undefined) this.note(c, `the send id of <send target="#_internal"> is not kept: a raised event has none.`);
			return [{ type: 'raise', event: ev }];
		}
		const eff: EffectSpec = { type: 'send', event: ev };
		if (c.attrs.delay !== undefined && c.attrs.delayexpr !== undefined) {
			this.note(c, '<send> with both delay and delayexpr is an error in SCXML; it was not imported.');
			return [];
		}
		if (c.attrs.delay !== undefined) {
			const ms = parseDelay(c.attrs.delay);
			if (ms === undefined) {
				this.note(c, `the delay "${c.attrs.delay}" is not a time such as "5s" or "500ms"; this <send> was not imported.`);
				return [];
			}
			if (Number(ms) > 0) eff.delay = Number(ms);
		} else if (c.attrs.delayexpr !== undefined) {
			const own = this.fsm(c, 'delay');
			const delay = own !== undefined ? own : this.delayExpression(c.attrs.delayexpr, c);
			if (delay === undefined) return [];
			if (delay !== 0) eff.delay = delay;
		}
		const before: EffectSpec[] = [];
		if (c.attrs.id !== undefined && c.attrs.idlocation !== undefined) {
			this.note(c, '<send> with both id and idlocation is an error in SCXML; it was not imported.');
			return [];
		}
		if (c.attrs.id !== undefined) {
			eff.id = c.attrs.id;
			this.sendIds.set(c.attrs.id, (this.sendIds.get(c.attrs.id) ?? 0) + 1);
		} else if (c.attrs.idlocation !== undefined) {
			const loc = c.attrs.idlocation.replace(/^context\./, '');
			if (!/^[A-Za-z_$][\w$]*$/.test(loc) || (this.dataModel === 'ecmascript' && !this.dataNames.has(loc))) {
				this.note(c, `the idlocation "${c.attrs.idlocation}" is not a data name of the document; this <send> was not imported.`);
				return [];
			}
			// SCXML makes up the id and stores it in the location; here it is fixed when the file is read.
			const id = `send.${c.line}.${++this.sendCount}`;
			eff.id = id;
			before.push({ type: 'assign', set: { [loc]: JSON.stringify(id) } });
			if (eff.delay !== undefined) this.note(c, `<send idlocation="${c.attrs.idlocation}"> gets a new id each time it runs in SCXML; FSM Studio gives it the one id "${id}", so a <cancel> by that id drops every pending send made by this element, not only the last.`);
		}
		if (where === 'entry' && eff.delay !== undefined && typeof eff.delay === 'number' && typeof ev === 'string' && !ev.includes('{{') && (!this.ownFile || ev.startsWith('fsm.after.'))) {
			p.timers.set(ev, { ms: String(eff.delay), el: c, sendid: typeof eff.id === 'string' ? eff.id : undefined, eff });
		}
		return [...before, eff];
	}

	private sendCount = 0;
	/** How many <send>s and <cancel>s name each send id, and whether a <cancel sendidexpr> could name any. */
	private sendIds = new Map<string, number>();
	private cancelIds = new Map<string, number>();
	private dynamicCancel = false;
	/** A file FSM Studio wrote: only its own "after" timers (fsm.after.…) become after transitions again. */
	private ownFile = false;

	/** `<cancel sendid>` / `<cancel sendidexpr>`: a `cancel` effect. */
	private readCancel(c: XmlElement): EffectSpec | undefined {
		const { sendid, sendidexpr } = c.attrs;
		if ((sendid === undefined) === (sendidexpr === undefined)) {
			this.note(c, `<cancel> needs exactly one of sendid and sendidexpr; it was not imported.`);
			return;
		}
		if (sendid !== undefined) {
			if (sendid === '' || sendid.includes('{{')) {
				this.note(c, `<cancel sendid="${sendid}"> names an id FSM Studio cannot write (${sendid === '' ? 'it is empty' : 'it contains "{{", a template'}); it was not imported.`);
				return;
			}
			this.cancelIds.set(sendid, (this.cancelIds.get(sendid) ?? 0) + 1);
			return { type: 'cancel', sendid };
		}
		this.dynamicCancel = true;
		return { type: 'cancel', sendid: this.fsm(c, 'sendid') ?? `{{ ${this.expression(sendidexpr!, c, 'send id expression')} }}` };
	}

	/**
	 * `delayexpr`: SCXML's value is a time text ("1.5s", "500ms"). A constant is read now; any
	 * other expression is wrapped so that its text is turned into milliseconds when the send runs.
	 */
	private delayExpression(raw: string, el: XmlElement): number | string | undefined {
		const expr = this.expression(raw, el, 'delay expression');
		try {
			const v: unknown = JSON.parse(expr);
			const ms = typeof v === 'string' ? parseCssTime(v) : undefined;
			if (ms === undefined) {
				this.note(el, `the delay "${raw}" is not a time such as "5s" or "500ms"; this <send> was not imported.`);
				return;
			}
			return ms;
		} catch {
			// not a constant
		}
		return `($t := $string(${expr}); $m := $match($t, /^\\s*(?=\\.?[0-9])0*([0-9]*)((?:\\.[0-9]+)?)(ms|s)\\s*$/); $exists($m) ? $round(($number($m.groups[0] = "" ? "0" : $m.groups[0]) + ($m.groups[1] = "" ? 0 : $number("0" & $m.groups[1]))) * ($m.groups[2] = "s" ? 1000 : 1), 3) : $t)`;
	}

	/** The data of a `<send>` as event fields (`<param>`, `namelist`); null when it cannot be carried over (listed as lost). */
	private sendPayload(c: XmlElement, event: string): Record<string, unknown> | null {
		const fields: Record<string, unknown> = dict();
		const set = (name: string, value: unknown, el: XmlElement): boolean => {
			if (name === 'type' || name === '__proto__' || name === 'constructor' || name === 'prototype') {
				this.note(el, `the data of <send event="${event}"> uses the name "${name}", which an FSM Studio event cannot carry; the <send> was not imported.`);
				return false;
			}
			if (Object.hasOwn(fields, name)) {
				this.note(el, `the data of <send event="${event}"> names "${name}" twice, which an FSM Studio event cannot hold; the <send> was not imported.`);
				return false;
			}
			fields[name] = value;
			return true;
		};
		for (const name of (c.attrs.namelist ?? '').trim().split(/\s+/).filter(Boolean)) {
			if (!set(name, `{{ ${this.expression(name, c, 'name')} }}`, c)) return null;
		}
		for (const x of c.children) {
			if (!isElement(x)) continue;
			if (x.name === 'param' && x.attrs.name && (x.attrs.expr !== undefined || x.attrs.location !== undefined)) {
				const own = this.fsm(x, 'value');
				if (!set(x.attrs.name, own !== undefined ? own : this.paramValue(this.expression(x.attrs.expr ?? x.attrs.location!, x, 'parameter')), x)) return null;
			} else if (x.name === 'content' && x.attrs.expr === undefined && !c.attrs.namelist && !c.children.some((y) => isElement(y) && y.name === 'param')) {
				// Content that is a JSON object (or an ECMAScript object literal) is the event's data, field by field.
				const text = textOf(x).trim();
				let value: unknown;
				try {
					value = JSON.parse(text);
				} catch {
					const lit = this.dataModel === 'ecmascript' ? ecmascriptLiteral(text) : undefined;
					if (lit?.ok) value = lit.value;
				}
				if (!isRecord(value) || Array.isArray(value) || JSON.stringify(value).includes('{{')) {
					this.note(x, `<content> inside <send event="${event}"> is ${isRecord(value) ? 'data with "{{", which FSM Studio would read as templates' : 'not an object of named values, and an FSM Studio event carries its data as named fields'}; the <send> was not imported.`);
					return null;
				}
				for (const k of Object.keys(value)) if (!set(k, value[k], x)) return null;
			} else {
				this.note(x, `<${x.name}${x.name === 'content' && x.attrs.expr !== undefined ? ' expr' : ''}> inside <send event="${event}"> cannot be carried over (an FSM Studio event carries its data as named fields); the <send> was not imported.`);
				return null;
			}
		}
		return fields;
	}

	/** A parameter's expression as an event field: a constant as itself, anything else as a template. */
	private paramValue(expr: string): unknown {
		try {
			const v: unknown = JSON.parse(expr);
			if (v === null || typeof v === 'number' || typeof v === 'boolean' || (typeof v === 'string' && !v.includes('{{'))) return v;
		} catch {
			// not a constant
		}
		return `{{ ${expr} }}`;
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
			if (parent(sourcePath) === parent(targetPath)) return escapeTargetSegment(targetPath.slice(targetPath.lastIndexOf('.') + 1));
			if (targetPath.startsWith(sourcePath + '.')) return '.' + targetPath.slice(sourcePath.length + 1).split('.').map(escapeTargetSegment).join('.');
			const tp = byPath.get(targetPath)!;
			tp.spec.id ??= tp.scxmlId;
			return idTarget(tp.spec.id);
		};
		for (const { container, id, el } of this.pendingInitial) {
			const p = this.byId.get(id);
			if (!p) this.fail(el, `the initial state "${id}" does not exist.`);
			const key = p!.path.slice(p!.path.lastIndexOf('.') + 1);
			if (p!.spec.type === 'history') {
				// FSM Studio starts a state in a real child: the history's default target, or the first child.
				const fallback = p!.historyTarget ? this.byId.get(p!.historyTarget.ids[0]) : undefined;
				const fkey = fallback ? fallback.path.slice(fallback.path.lastIndexOf('.') + 1) : undefined;
				if (fkey !== undefined && container.states && container.states[fkey] === fallback!.spec) container.initial = fkey;
				else container.initial = Object.keys(container.states ?? {}).find((k) => container.states![k].type !== 'history');
				this.note(el, `the state starts in its history state "${id}", which FSM Studio does not allow; it starts in ${fkey !== undefined && container.initial === fkey ? `"${fkey}", the history's default,` : 'its first child'} instead, also once it has a history.`);
			} else if (container.states && Object.hasOwn(container.states, key) && container.states[key] === p!.spec) container.initial = key;
			else this.note(el, `the initial state "${id}" is not a direct child; the first child is used instead.`);
		}
		for (const p of this.all) {
			// A delayed send of <onentry> is exactly an "after" transition when <onexit> cancels it,
			// this state alone handles that event, and nothing inside the state would take it first.
			// Otherwise the send and the cancel stay as they are.
			for (const [ev, timer] of [...p.timers]) {
				const own = p.transitions.filter((t) => t.trigger === 'on' && t.event !== undefined && matchesEventKey(t.event, ev));
				const inner = this.all.some((q) => q.path.startsWith(p.path + '.') && q.transitions.some((t) => t.event !== undefined && matchesEventKey(t.event, ev)));
				const others = this.all.some((q) => q !== p && !q.path.startsWith(p.path + '.') && q.transitions.some((t) => t.event !== undefined && matchesEventKey(t.event, ev)));
				const cancel = timer.sendid !== undefined ? p.cancels.get(timer.sendid) : undefined;
				const sameIdElsewhere = timer.sendid !== undefined && this.sendIds.get(timer.sendid)! > 1;
				const readsEvent = own.some((t) => /\bevent\b/.test(JSON.stringify(t.spec)));
				// FSM Studio's own timers (fsm.after.…) were written from an "after" transition: the same shape reads back as one.
				const mine = this.ownFile && ev.startsWith('fsm.after.');
				const alone = mine || (!inner && !others && !readsEvent && !sameIdElsewhere && this.cancelIds.get(timer.sendid!) === 1 && !this.dynamicCancel);
				if (cancel && own.length > 0 && own.every((t) => t.event === ev) && alone) {
					p.cancels.delete(timer.sendid!);
					p.spec.entry = p.spec.entry?.filter((e) => e !== timer.eff);
					p.spec.exit = p.spec.exit?.filter((e) => e !== cancel.eff);
					if (p.spec.entry?.length === 0) delete p.spec.entry;
					if (p.spec.exit?.length === 0) delete p.spec.exit;
					continue;
				}
				p.timers.delete(ev);
			}
			if (p.historyTarget) {
				const t = pathOf(p.historyTarget.ids[0], p.historyTarget.el);
				p.spec.target = targetFor(p.path, t);
				if (p.historyTarget.ids.length > 1) this.note(p.historyTarget.el, 'a history state with several default targets is not supported; only the first is used.');
			}
			const done = new Set([doneStateEvent(p.scxmlId), doneInvokeEvent(p.scxmlId), 'done.invoke']);
			if (p.spec.invoke?.id) done.add(doneInvokeEvent(p.spec.invoke.id));
			const isError = (ev: string) => p.spec.invoke !== undefined && /^(error\.invoke|error\.platform|error\.execution|error\.communication)(\.|$)/.test(ev);
			for (const t of p.transitions) {
				const spec = t.spec;
				// `done.state.<child>` handled by an ancestor is that child's "when done" transition.
				const doneOf = t.event?.startsWith(DONE_STATE) ? this.byId.get(t.event.slice(DONE_STATE.length)) : undefined;
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
				// SCXML keeps the source active only for an internal transition of a compound state
				// whose targets are all proper descendants; "reenter" says the same in FSM Studio.
				const absolute = t.targets.map((id) => this.byId.get(id)!.path);
				const inside = absolute.some((a) => a === p.path || a.startsWith(p.path + '.'));
				const keepsSource = t.keep || (spec.reenter === false && p.el.name === 'state' && p.spec.states !== undefined && absolute.every((a) => a.startsWith(p.path + '.')));
				if (!inside) delete spec.reenter;
				else spec.reenter = !keepsSource;
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
					const key = keyInOrder(on, ev!);
					add(() => (Object.hasOwn(on, key) ? on[key] : undefined), (c) => (on[key] = c));
				}
			}
		}
	}
}

/**
 * The "on" key for the next transition of a state with event key `ev`, keeping SCXML's
 * document order: transitions are tried key by key, so when a key that can match the same
 * events was added since `ev` was last used, `ev` is spelled differently (`a.*`, `a a`: the
 * same descriptors) to start a new group after it.
 */
function keyInOrder(on: Record<string, TransitionConfig>, ev: string): string {
	const keys = Object.keys(on);
	const overlaps = (a: string, b: string) => eventDescriptors(a).some((x) => eventDescriptors(b).some((y) => descriptorCovers(x, y) || descriptorCovers(y, x)));
	const spellings = function* () {
		yield ev;
		const ds = eventDescriptors(ev);
		if (ds.length === 1 && ev !== '*' && !ev.endsWith('.*')) yield `${ev}.*`;
		for (let n = 2; ; n++) yield Array.from({ length: n }, () => ev).join(' ');
	};
	for (const k of spellings()) {
		if (!Object.hasOwn(on, k)) return k;
		// Reusing k is fine when no overlapping key was added after it.
		if (!keys.slice(keys.indexOf(k) + 1).some((later) => overlaps(later, ev))) return k;
	}
	return ev;
}

/** A CSS2 time as SCXML's delay is written ("1.5s", "500ms"), in milliseconds. */
function parseCssTime(text: string): number | undefined {
	const m = /^\s*(\d*\.?\d+)(ms|s)\s*$/.exec(text);
	if (!m) return undefined;
	const ms = Math.round(Number(m[1]) * (m[2] === 's' ? 1000 : 1) * 1000) / 1000;
	return Number.isFinite(ms) ? ms : undefined;
}

function parseDelay(text: string): string | undefined {
	const m = /^\s*(\d+(?:\.\d+)?)\s*(ms|s|m|min|h)?\s*$/.exec(text);
	if (!m) return undefined;
	const n = Number(m[1]);
	const factor = m[2] === 's' ? 1000 : m[2] === 'm' || m[2] === 'min' ? 60_000 : m[2] === 'h' ? 3_600_000 : 1;
	const ms = Math.round(n * factor * 1000) / 1000;
	return Number.isFinite(ms) ? String(ms) : undefined;
}

