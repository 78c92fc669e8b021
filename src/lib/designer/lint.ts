/**
 * Problems of the open workflow: the model's lint rules plus effects whose parameters their
 * kind rejects (nested ones included). Both need JSONata and zod, so they load after the
 * canvas has drawn.
 */
import type { Problem, Workflow } from '../model/types';
import { effectCatalogue } from './effect-catalogue.svelte';
import { childEffects } from './effect-tree';
import { fieldLabel, issuesByPath } from './json-schema';
import type { EffectSpec } from '../model/types';

type ModelLint = (wf: Workflow) => Problem[];
let modelLint: Promise<ModelLint> | null = null;

/** Lint results for the workflow (never throws: a crash becomes a problem). */
export async function lintWorkflow(wf: Workflow): Promise<Problem[]> {
	try {
		modelLint ??= import('../model/lint').then((m) => m.lintWorkflow);
		const [lint] = await Promise.all([modelLint, effectCatalogue.load()]);
		return [...lint(wf), ...effectProblems(wf)];
	} catch (e) {
		modelLint = null;
		return [{ rule: 'lint-crash', severity: 'warning', message: `Checking failed: ${(e as Error).message}`, path: [] }];
	}
}

const slotsOf = (t: string) => effectCatalogue.slotsOf(t);

/** Problems of one effect and the effects inside it. */
function checkEffect(e: unknown, path: (string | number)[], where: string, out: Problem[]) {
	if (!e || typeof e !== 'object' || typeof (e as { type?: unknown }).type !== 'string') return;
	const spec = e as EffectSpec;
	const kind = effectCatalogue.get(spec.type);
	if (!kind?.schema) return;
	const issues = issuesByPath(kind.schema, spec);
	if (issues.size) {
		const [field, msg] = [...issues][0];
		const top = field.split('.')[0];
		const slot = slotsOf(spec.type).find((s) => s.field === top);
		const what = field ? `${fieldLabel(top, kind.json?.properties?.[top])}${field.includes('.') ? ` (${field})` : ''} — ` : '';
		const text = slot && msg.startsWith('Required') ? 'choose an effect in the form, or drop one from the library.' : msg;
		const more = issues.size > 1 ? ` (and ${issues.size - 1} more)` : '';
		out.push({ rule: 'bad-effect', severity: 'error', message: `${kind.label} in ${where}: ${what}${text}${more}`, path });
	}
	for (const c of childEffects(spec, slotsOf)) checkEffect(c.spec, [...path, ...c.path], `${where} › ${kind.label}`, out);
}

/**
 * Effects whose parameters their kind's schema rejects (an HTTP request without a URL, a retry
 * with nothing to retry): the form shows them field by field, and the problems panel lists them
 * too, or a workflow reads "No problems found" and then fails when it runs.
 */
export function effectProblems(wf: Workflow): Problem[] {
	const out: Problem[] = [];
	const effectsIn = (t: unknown, base: (string | number)[], where: string) => {
		const list = Array.isArray(t) ? t : [t];
		list.forEach((spec, i) => {
			const fx = spec && typeof spec === 'object' ? (spec as { effects?: unknown }).effects : undefined;
			if (Array.isArray(fx)) fx.forEach((e, j) => checkEffect(e, [...base, ...(Array.isArray(t) ? [i] : []), 'effects', j], where, out));
		});
	};
	const walk = (states: Workflow['states'] | undefined, base: (string | number)[], prefix: string) => {
		for (const [key, s] of Object.entries(states ?? {})) {
			const p = [...base, 'states', key];
			const name = prefix ? `${prefix}.${key}` : key;
			(s.entry ?? []).forEach((e, i) => checkEffect(e, [...p, 'entry', i], `the entry of "${name}"`, out));
			(s.exit ?? []).forEach((e, i) => checkEffect(e, [...p, 'exit', i], `the exit of "${name}"`, out));
			if (s.invoke) checkEffect(s.invoke, [...p, 'invoke'], `the invoke of "${name}"`, out);
			for (const [ev, t] of Object.entries(s.on ?? {})) effectsIn(t, [...p, 'on', ev], `the ${ev} transition of "${name}"`);
			for (const [ms, t] of Object.entries((s as { after?: Record<string, unknown> }).after ?? {})) effectsIn(t, [...p, 'after', ms], `the after ${ms} ms transition of "${name}"`);
			for (const k of ['always', 'onDone', 'onError'] as const) if (s[k]) effectsIn(s[k], [...p, k], `the ${k} transition of "${name}"`);
			walk(s.states, p, name);
		}
	};
	walk(wf.states, [], '');
	for (const [ev, t] of Object.entries(wf.on ?? {})) effectsIn(t, ['on', ev], `the workflow-level ${ev} transition`);
	return out;
}
