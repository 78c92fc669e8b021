/**
 * The template gallery: ready-made AI workflows, one file each in this folder
 * (`format: "fsm-studio/template"`): the workflow itself, its description and version, the
 * parameters a user sets before creating it (model, knowledge base, thresholds), the scripted
 * stubs that let it run in the simulator without any key, sample payloads, and the events of
 * a run that ends in a final state (the tests and the gallery's "run it" hint use them).
 */
import { z } from 'zod';
import type { EffectSpec, Workflow } from '../model/types';
import { parseWorkflow } from '../model';
import { computePreview, type Preview } from '../collab/preview';
import type { StubConfig } from '../sim/stubs';
import customerService from './customer-service.json';
import researchPipeline from './research-pipeline.json';
import contentGeneration from './content-generation.json';
import dataAnalysis from './data-analysis.json';
import multiAgentDebate from './multi-agent-debate.json';
import documentQa from './document-qa.json';

export const TEMPLATE_FORMAT = 'fsm-studio/template';

const Target = z.union([
	z.object({ context: z.string().min(1) }).strict(),
	z.object({ effects: z.array(z.string().min(1)).min(1), field: z.string().min(1) }).strict(),
	z.object({ path: z.array(z.union([z.string(), z.number()])).min(1) }).strict()
]);

const Parameter = z.object({
	id: z.string().regex(/^[A-Za-z][A-Za-z0-9_]*$/),
	label: z.string().min(1),
	type: z.enum(['model', 'knowledgeBase', 'number', 'text', 'url', 'boolean']),
	default: z.unknown(),
	description: z.string().optional(),
	min: z.number().optional(),
	max: z.number().optional(),
	step: z.number().optional(),
	targets: z.array(Target).min(1)
});

const TemplateSchema = z.object({
	format: z.literal(TEMPLATE_FORMAT),
	version: z.literal(1),
	id: z.string().regex(/^[a-z0-9-]+$/),
	templateVersion: z.string().regex(/^\d+\.\d+\.\d+$/),
	name: z.string().min(1),
	category: z.string().min(1),
	summary: z.string().min(1),
	description: z.string().min(1),
	tags: z.array(z.string()).default([]),
	parameters: z.array(Parameter).default([]),
	stubs: z.record(z.string(), z.array(z.record(z.string(), z.unknown())).min(1)).default({}),
	payloads: z.record(z.string(), z.array(z.record(z.string(), z.unknown()))).default({}),
	run: z.array(z.object({ type: z.string().min(1) }).loose()).default([]),
	runEnds: z.string().min(1),
	workflow: z.record(z.string(), z.unknown())
});

export type TemplateParameter = z.infer<typeof Parameter>;
export type ParameterTarget = z.infer<typeof Target>;

/** A template as the gallery uses it. */
export interface Template {
	id: string;
	/** Semantic version of the template (not of the format). */
	version: string;
	name: string;
	category: string;
	summary: string;
	description: string;
	tags: string[];
	parameters: TemplateParameter[];
	/** Simulated answers for its outside effects (by `type` or `type@state`). */
	stubs: StubConfig;
	/** Sample payloads per event (and `done.invoke.<state>` outputs for test paths). */
	payloads: Record<string, Record<string, unknown>[]>;
	/** Events that take a fresh instance to a final state with the stubs… */
	run: { type: string; [k: string]: unknown }[];
	/** …and that final state. */
	runEnds: string;
	workflow: Workflow;
}

/** The value of a model parameter: a provider (id or name) and a model; empty = the workspace default. */
export interface ModelChoice {
	provider?: string;
	model?: string;
}

export type ReadTemplate = { ok: true; template: Template } | { ok: false; errors: string[] };

/** Reads and checks a template file (its workflow must parse). */
export function readTemplate(input: unknown): ReadTemplate {
	const r = TemplateSchema.safeParse(input);
	if (!r.success) return { ok: false, errors: r.error.issues.map((i) => `${i.path.join('.') || 'template'}: ${i.message}`) };
	const t = r.data;
	const wf = parseWorkflow(t.workflow);
	if (!wf.ok) return { ok: false, errors: wf.errors.map((e) => `workflow: ${e.message}`) };
	if (!wf.workflow.states[t.runEnds] || wf.workflow.states[t.runEnds].type !== 'final') return { ok: false, errors: [`runEnds: "${t.runEnds}" is not a final top-level state of the workflow`] };
	if (wf.workflow.id !== t.id) return { ok: false, errors: [`workflow: its id "${wf.workflow.id}" must be the template's id "${t.id}"`] };
	return {
		ok: true,
		template: {
			id: t.id,
			version: t.templateVersion,
			name: t.name,
			category: t.category,
			summary: t.summary,
			description: t.description,
			tags: t.tags,
			parameters: t.parameters,
			stubs: t.stubs as StubConfig,
			payloads: t.payloads,
			run: t.run as Template['run'],
			runEnds: t.runEnds,
			workflow: wf.workflow
		}
	};
}

function load(json: unknown): Template {
	const r = readTemplate(json);
	if (!r.ok) throw new Error(`A bundled template is broken: ${r.errors.join('; ')}`);
	return r.template;
}

/** The bundled templates, in gallery order. */
export const templates: Template[] = [customerService, researchPipeline, contentGeneration, dataAnalysis, multiAgentDebate, documentQa].map(load);

export function templateById(id: string): Template | undefined {
	return templates.find((t) => t.id === id);
}

/** Parameter values before the user changes anything. */
export function defaultValues(t: Template): Record<string, unknown> {
	return Object.fromEntries(t.parameters.map((p) => [p.id, structuredClone(p.default)]));
}

/** Why a parameter value cannot be used, in the user's words, or null. */
export function parameterProblem(p: TemplateParameter, value: unknown): string | null {
	switch (p.type) {
		case 'number': {
			if (typeof value !== 'number' || !Number.isFinite(value)) return `${p.label} must be a number.`;
			if (p.min !== undefined && value < p.min) return `${p.label} must be at least ${p.min}.`;
			if (p.max !== undefined && value > p.max) return `${p.label} must be at most ${p.max}.`;
			return null;
		}
		case 'url': {
			if (typeof value !== 'string' || !value.trim()) return `${p.label} needs an address.`;
			try {
				const u = new URL(value);
				if (u.protocol !== 'http:' && u.protocol !== 'https:') return `${p.label} must start with http:// or https://.`;
			} catch {
				return `${p.label} is not a valid address (e.g. https://example.com/api).`;
			}
			return null;
		}
		case 'knowledgeBase':
		case 'text':
			return typeof value === 'string' && value.trim() ? null : `${p.label} cannot be empty.`;
		case 'boolean':
			return typeof value === 'boolean' ? null : `${p.label} must be on or off.`;
		case 'model': {
			if (!value || typeof value !== 'object' || Array.isArray(value)) return `${p.label}: choose a provider and model (or leave both empty).`;
			const v = value as ModelChoice;
			if ((v.provider !== undefined && typeof v.provider !== 'string') || (v.model !== undefined && typeof v.model !== 'string')) return `${p.label}: the provider and model are names.`;
			return null;
		}
	}
}

/** Every problem of a set of values (empty when they can be used). */
export function valuesProblems(t: Template, values: Record<string, unknown>): Record<string, string> {
	const out: Record<string, string> = {};
	for (const p of t.parameters) {
		const problem = parameterProblem(p, values[p.id] ?? p.default);
		if (problem) out[p.id] = problem;
	}
	return out;
}

function visitEffects(e: EffectSpec, fn: (e: EffectSpec) => void) {
	fn(e);
	if (e.effect && typeof e.effect === 'object') visitEffects(e.effect as EffectSpec, fn);
	for (const key of ['effects', 'tools', 'steps'] as const) {
		const list = e[key];
		if (!Array.isArray(list)) continue;
		for (const x of list) {
			if (key === 'effects') visitEffects(x as EffectSpec, fn);
			else if (x && typeof x === 'object') {
				const o = x as { effect?: EffectSpec; compensate?: EffectSpec };
				if (o.effect) visitEffects(o.effect, fn);
				if (o.compensate) visitEffects(o.compensate, fn);
			}
		}
	}
}

/** Calls `fn` on every effect of the workflow (entry, exit, invoke, transitions; nested ones too). */
function eachEffect(wf: Workflow, fn: (e: EffectSpec) => void) {
	const inTransitions = (cfg: unknown) => {
		for (const t of Array.isArray(cfg) ? cfg : [cfg]) if (t && typeof t === 'object') for (const e of (t as { effects?: EffectSpec[] }).effects ?? []) visitEffects(e, fn);
	};
	const walk = (states: Workflow['states'] | undefined) => {
		for (const s of Object.values(states ?? {})) {
			for (const e of [...(s.entry ?? []), ...(s.exit ?? [])]) visitEffects(e, fn);
			if (s.invoke) visitEffects(s.invoke, fn);
			for (const cfg of [...Object.values(s.on ?? {}), ...Object.values(s.after ?? {}), s.always, s.onDone, s.onError]) if (cfg !== undefined) inTransitions(cfg);
			walk(s.states);
		}
	};
	walk(wf.states);
	for (const cfg of Object.values(wf.on ?? {})) inTransitions(cfg);
}

function setAt(obj: Record<string, unknown>, path: (string | number)[], value: unknown) {
	let o: Record<string | number, unknown> = obj;
	for (const k of path.slice(0, -1)) {
		if (!o[k] || typeof o[k] !== 'object') throw new Error(`The template's parameter target ${path.join('.')} does not exist.`);
		o = o[k] as Record<string | number, unknown>;
	}
	o[path[path.length - 1]] = value;
}

function applyParameter(wf: Workflow, p: TemplateParameter, value: unknown) {
	for (const target of p.targets) {
		if ('context' in target) wf.context = { ...(wf.context ?? {}), [target.context]: value };
		else if ('effects' in target) {
			eachEffect(wf, (e) => {
				if (!target.effects.includes(e.type)) return;
				if (p.type === 'model') {
					const v = (value ?? {}) as ModelChoice;
					if (v.provider?.trim()) e.provider = v.provider.trim();
					else delete e.provider;
					if (v.model?.trim()) e.model = v.model.trim();
					else delete e.model;
				} else e[target.field] = value;
			});
		} else setAt(wf as unknown as Record<string, unknown>, target.path, value);
	}
}

export interface InstantiateOptions {
	/** Id of the new workflow (default: the template's id). */
	id?: string;
	name?: string;
}

/**
 * A new workflow from a template with the given parameter values: parameters applied, the
 * stubs and sample payloads carried in `meta` so the simulator runs it without any key, and
 * `meta.template` recording which template and version it came from.
 */
export function instantiate(t: Template, values: Record<string, unknown> = {}, options: InstantiateOptions = {}): Workflow {
	const problems = valuesProblems(t, values);
	const first = Object.values(problems)[0];
	if (first) throw new Error(first);
	const wf = structuredClone(t.workflow);
	const used: Record<string, unknown> = {};
	for (const p of t.parameters) {
		const v = p.id in values ? values[p.id] : p.default;
		used[p.id] = v;
		applyParameter(wf, p, v);
	}
	if (options.id) wf.id = options.id;
	if (options.name?.trim()) wf.name = options.name.trim();
	wf.meta = { ...(wf.meta ?? {}), template: { id: t.id, version: t.version, parameters: used }, stubs: structuredClone(t.stubs), samplePayloads: structuredClone(t.payloads) };
	return wf;
}

/** A small picture of the template's workflow (boxes and lines), for the gallery cards. */
export function templatePreview(t: Template): Preview {
	return computePreview(t.workflow);
}

/** Categories in gallery order. */
export function categories(): string[] {
	return [...new Set(templates.map((t) => t.category))];
}
