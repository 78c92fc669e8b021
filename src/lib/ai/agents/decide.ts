/**
 * How consensus and debate decide between answers: a majority vote over normalized answers
 * (structured answers, or short ones), a judge agent's choice, the largest cluster of similar
 * answers (free text; embeddings of a provider, or word overlap computed here), or a ballot
 * where every agent votes for the best answer. Ties go to the judge, to agent order, or fail.
 */
import { EffectError } from '../../effects/errors';
import { stableStringify } from '../../effects/hash';
import { BALLOT_SCHEMA, JUDGE_SCHEMA, ballotPrompt, judgePrompt, show } from './prompts';
import { FatalCoordinationError, type Coordination } from './coordination';
import type { Decision } from './types';

export interface Candidate {
	agent: string;
	output: unknown;
}

interface Group {
	key: string;
	answer: unknown;
	agents: string[];
}

// ------------------------------------------------------------------ normalization

function normalizeText(s: string): string {
	return s
		.normalize('NFKC')
		.toLowerCase()
		.replace(/\s+/g, ' ')
		.trim()
		.replace(/^["'“”‘’`*_]+|["'“”‘’`*_]+$/g, '')
		.replace(/[.!?;:,]+$/, '')
		.trim();
}

function normalizeValue(v: unknown): unknown {
	if (typeof v === 'string') return normalizeText(v);
	if (Array.isArray(v)) return v.map(normalizeValue);
	if (v && typeof v === 'object') return Object.fromEntries(Object.entries(v as Record<string, unknown>).map(([k, x]) => [k, normalizeValue(x)]));
	return v;
}

/** Reads `field` (a dotted path) of a JSON answer; the whole answer without one. */
export function fieldOf(value: unknown, field: string | undefined): unknown {
	if (!field) return value;
	let v: unknown = value;
	for (const part of field.split('.')) {
		if (!v || typeof v !== 'object') return undefined;
		v = (v as Record<string, unknown>)[part];
	}
	return v;
}

/** The key two answers share when they say the same thing: case, spacing, quotes and end punctuation do not count; JSON key order does not either. */
export function answerKey(value: unknown, field?: string): string {
	const v = normalizeValue(fieldOf(value, field));
	return typeof v === 'string' ? v : stableStringify(v ?? null);
}

/** Answers grouped by key, biggest group first (ties in order of first appearance). */
export function tally(candidates: Candidate[], field?: string): Group[] {
	const groups: Group[] = [];
	const at = new Map<string, Group>();
	for (const c of candidates) {
		const key = answerKey(c.output, field);
		let g = at.get(key);
		if (!g) {
			g = { key, answer: field ? fieldOf(c.output, field) : c.output, agents: [] };
			at.set(key, g);
			groups.push(g);
		}
		g.agents.push(c.agent);
	}
	return groups.map((g, i) => ({ g, i })).sort((a, b) => b.g.agents.length - a.g.agents.length || a.i - b.i).map((x) => x.g);
}

// ------------------------------------------------------------------ similarity

const STOP = new Set('a an the and or of to in on for with is are was were be been it its this that as at by from but not no yes i you we they he she them our your their my me us'.split(' '));

function words(text: string): string[] {
	return (text.normalize('NFKC').toLowerCase().match(/[\p{L}\p{N}]+/gu) ?? []).filter((w) => !STOP.has(w));
}

/** Word-count vectors (unit length) over the answers' shared vocabulary: a similarity that needs no model. */
export function lexicalVectors(texts: string[]): number[][] {
	const vocab = new Map<string, number>();
	const counts = texts.map((t) => {
		const m = new Map<number, number>();
		for (const w of words(t)) {
			let i = vocab.get(w);
			if (i === undefined) vocab.set(w, (i = vocab.size));
			m.set(i, (m.get(i) ?? 0) + 1);
		}
		return m;
	});
	return counts.map((m) => {
		const v = new Array<number>(vocab.size).fill(0);
		for (const [i, c] of m) v[i] = c;
		const n = Math.hypot(...v) || 1;
		return v.map((x) => x / n);
	});
}

export function cosine(a: ArrayLike<number>, b: ArrayLike<number>): number {
	let dot = 0;
	let na = 0;
	let nb = 0;
	for (let i = 0; i < Math.min(a.length, b.length); i++) {
		dot += a[i] * b[i];
		na += a[i] * a[i];
		nb += b[i] * b[i];
	}
	return na && nb ? dot / Math.sqrt(na * nb) : 0;
}

/** Groups of answers linked by similarity ≥ threshold (single linkage), biggest first; each with its most central member. */
export function clusterAnswers(vectors: ArrayLike<number>[], threshold: number): { members: number[]; center: number; cohesion: number }[] {
	const n = vectors.length;
	const sim = vectors.map((a) => vectors.map((b) => cosine(a, b)));
	const parent = Array.from({ length: n }, (_, i) => i);
	const find = (i: number): number => (parent[i] === i ? i : (parent[i] = find(parent[i])));
	for (let i = 0; i < n; i++) for (let j = i + 1; j < n; j++) if (sim[i][j] >= threshold) parent[find(j)] = find(i);
	const by = new Map<number, number[]>();
	for (let i = 0; i < n; i++) {
		const r = find(i);
		by.set(r, [...(by.get(r) ?? []), i]);
	}
	const out = [...by.values()].map((members) => {
		const mean = (i: number) => (members.length === 1 ? 1 : members.filter((j) => j !== i).reduce((s, j) => s + sim[i][j], 0) / (members.length - 1));
		const center = members.reduce((best, i) => (mean(i) > mean(best) ? i : best), members[0]);
		return { members, center, cohesion: mean(center) };
	});
	return out.sort((a, b) => b.members.length - a.members.length || a.members[0] - b.members[0]);
}

// ------------------------------------------------------------------ deciding

function short(v: unknown): unknown {
	if (typeof v !== 'string') return v;
	const one = v.replace(/\s+/g, ' ').trim();
	return one.length > 120 ? one.slice(0, 119) + '…' : one;
}

/** Decides between the agents' answers with the effect's `decision` method; reports the decision to the Run panel. */
export async function decide(co: Coordination, candidates: Candidate[]): Promise<Decision> {
	const p = co.params;
	if (!candidates.length) throw new EffectError('failed', 'No agent gave an answer to decide on.');
	const method = p.decision;
	let d: Decision;
	if (method === 'judge' && p.judge) d = await byJudge(co, candidates);
	else if (method === 'cluster') d = await byCluster(co, candidates);
	else if (method === 'ballot') d = await byBallot(co, candidates);
	else {
		if (method === 'judge') throw new EffectError('invalid_params', 'decision "judge" needs a judge: name one of the agents in judge.');
		d = await byMajority(co, candidates);
	}
	co.progress({
		kind: 'decision',
		method: d.method,
		...(d.winner ? { winner: d.winner } : {}),
		output: d.output,
		agreement: d.agreement,
		votes: d.votes,
		tally: d.tally,
		tie: d.tie,
		reasons: d.reasons
	});
	return d;
}

function tallyOut(groups: Group[]): Decision['tally'] {
	return groups.map((g) => ({ answer: short(g.answer), count: g.agents.length, agents: g.agents }));
}

async function byMajority(co: Coordination, candidates: Candidate[], note = ''): Promise<Decision> {
	const field = co.params.answerField;
	const groups = tally(candidates, field);
	const top = groups.filter((g) => g.agents.length === groups[0].agents.length);
	const votes = candidates.map((c) => ({ agent: c.agent, vote: short(field ? fieldOf(c.output, field) : c.output) }));
	let winner = top[0];
	let tie = false;
	let tieBrokenBy: Decision['tieBrokenBy'];
	let reasons: string;
	const count = (g: Group) => `${g.agents.length} of ${candidates.length}`;
	if (top.length > 1) {
		tie = true;
		const broken = await breakTie(co, top.map((g) => ({ agent: g.agents[0], output: representative(candidates, g) })));
		winner = top[broken.index];
		tieBrokenBy = broken.by;
		reasons = `Tie: ${top.map((g) => `“${show(short(g.answer))}” (${g.agents.join(', ')})`).join(' and ')} with ${top[0].agents.length} vote${top[0].agents.length === 1 ? '' : 's'} each; ${broken.reasons}`;
	} else {
		reasons = `${winner.agents.length === candidates.length ? 'Unanimous' : 'Majority'}: ${count(winner)} agents (${winner.agents.join(', ')}) answered “${show(short(winner.answer))}”.`;
	}
	return {
		method: 'majority',
		output: representative(candidates, winner),
		winner: winner.agents[0],
		agreement: winner.agents.length / candidates.length,
		agreementSource: 'votes',
		votes,
		tally: tallyOut(groups),
		tie,
		...(tieBrokenBy ? { tieBrokenBy } : {}),
		reasons: note + reasons
	};
}

/** The full answer of a group's first agent (the group's key may be one field of it). */
function representative(candidates: Candidate[], g: Group): unknown {
	return candidates.find((c) => c.agent === g.agents[0])!.output;
}

/** Breaks a tie between candidates: the judge, else agent order; `fail` makes a tie an error. */
async function breakTie(co: Coordination, tied: Candidate[]): Promise<{ index: number; by: 'judge' | 'order'; reasons: string }> {
	const p = co.params;
	const mode = p.tieBreak ?? (p.judge ? 'judge' : 'order');
	if (mode === 'fail')
		throw new EffectError('failed', `The agents are tied (${tied.map((t) => t.agent).join(', ')}) and tieBreak is "fail". Name a judge, add an agent, or set tieBreak to "order".`, { data: { reason: 'tie' } });
	if (mode === 'judge' && p.judge) {
		try {
			const j = await askJudge(co, tied, true);
			return { index: j.index, by: 'judge', reasons: `${p.judge} broke the tie: ${j.reasons}` };
		} catch (e) {
			if (e instanceof FatalCoordinationError) throw e;
			return { index: firstInOrder(co, tied), by: 'order', reasons: `the judge ${p.judge} failed (${(e as Error).message}), so the answer of the earliest agent in the list won.` };
		}
	}
	return { index: firstInOrder(co, tied), by: 'order', reasons: 'broken by agent order (the earliest agent in the list wins; name a judge to decide ties).' };
}

function firstInOrder(co: Coordination, tied: Candidate[]): number {
	const order = co.agents.map((a) => a.name);
	let best = 0;
	for (let i = 1; i < tied.length; i++) if (order.indexOf(tied[i].agent) < order.indexOf(tied[best].agent)) best = i;
	return best;
}

/** Distinct answers (one per normalized key), so a judge or a ballot reads each answer once. */
function distinct(co: Coordination, candidates: Candidate[]): { list: Candidate[]; groups: Group[] } {
	const groups = tally(candidates, co.params.answerField);
	// Keep the candidates in agent order, not by size: a judge should not see the majority first.
	const ordered = [...groups].sort((a, b) => candidates.findIndex((c) => c.agent === a.agents[0]) - candidates.findIndex((c) => c.agent === b.agents[0]));
	return { list: ordered.map((g) => ({ agent: g.agents[0], output: representative(candidates, g) })), groups: ordered };
}

async function askJudge(co: Coordination, candidates: Candidate[], tieOnly: boolean): Promise<{ index: number; reasons: string; agreement?: number }> {
	const judge = co.agent(co.params.judge!);
	let r: Awaited<ReturnType<typeof co.step>>;
	try {
		r = await co.step(judge, await co.opening(judge, judgePrompt(co.task, candidates, tieOnly)), { phase: 'judge', schema: JUDGE_SCHEMA(candidates.length) });
	} catch (e) {
		if (!(e instanceof FatalCoordinationError)) co.failed(judge.name, e);
		throw e;
	}
	const v = r.value as { winner: number; reasons: string; agreement?: number };
	co.succeeded(judge.name, v);
	return { index: v.winner - 1, reasons: v.reasons, ...(typeof v.agreement === 'number' ? { agreement: v.agreement } : {}) };
}

async function byJudge(co: Coordination, candidates: Candidate[]): Promise<Decision> {
	const { list, groups } = distinct(co, candidates);
	const votes = candidates.map((c) => ({ agent: c.agent, vote: short(c.output) }));
	if (list.length === 1) {
		return { method: 'judge', output: list[0].output, winner: list[0].agent, agreement: 1, agreementSource: 'votes', votes, tally: tallyOut(groups), tie: false, reasons: `Every agent gave the same answer; ${co.params.judge} was not asked.` };
	}
	let j: Awaited<ReturnType<typeof askJudge>>;
	try {
		j = await askJudge(co, list, false);
	} catch (e) {
		if (e instanceof FatalCoordinationError) throw e;
		return byMajority(co, candidates, `The judge ${co.params.judge} failed (${(e as Error).message}); decided by majority vote instead. `);
	}
	const g = groups[j.index];
	const share = g.agents.length / candidates.length;
	return {
		method: 'judge',
		output: list[j.index].output,
		winner: list[j.index].agent,
		agreement: j.agreement ?? share,
		agreementSource: j.agreement !== undefined ? 'judge' : 'votes',
		votes,
		tally: tallyOut(groups),
		tie: false,
		reasons: `${co.params.judge} chose the answer of ${g.agents.join(', ')}: ${j.reasons}`
	};
}

async function byCluster(co: Coordination, candidates: Candidate[]): Promise<Decision> {
	const p = co.params;
	const texts = candidates.map((c) => show(fieldOf(c.output, p.answerField)));
	let vectors: ArrayLike<number>[];
	let how: string;
	if (p.embedding && co.env.embed) {
		vectors = await co.env.embed(p.embedding, texts, co.signal);
		how = `embeddings of ${p.embedding.model ?? p.embedding.provider}`;
	} else {
		vectors = lexicalVectors(texts);
		how = 'word overlap';
	}
	const cl = clusterAnswers(vectors, p.similarity);
	const top = cl.filter((c) => c.members.length === cl[0].members.length);
	let pick = cl[0];
	let tie = false;
	let tieBrokenBy: Decision['tieBrokenBy'];
	let tieNote = '';
	if (top.length > 1) {
		tie = true;
		const broken = await breakTie(co, top.map((c) => candidates[c.center]));
		pick = top[broken.index];
		tieBrokenBy = broken.by;
		tieNote = ` Tie between ${top.length} groups of ${pick.members.length}; ${broken.reasons}`;
	}
	const groupOf = new Map<number, number>();
	cl.forEach((c, gi) => c.members.forEach((m) => groupOf.set(m, gi)));
	const names = (c: (typeof cl)[number]) => c.members.map((m) => candidates[m].agent);
	return {
		method: 'cluster',
		output: candidates[pick.center].output,
		winner: candidates[pick.center].agent,
		agreement: pick.members.length / candidates.length,
		agreementSource: 'cluster',
		votes: candidates.map((c, i) => ({ agent: c.agent, vote: `group ${groupOf.get(i)! + 1}` })),
		tally: cl.map((c) => ({ answer: short(candidates[c.center].output), count: c.members.length, agents: names(c) })),
		tie,
		...(tieBrokenBy ? { tieBrokenBy } : {}),
		reasons: `${pick.members.length} of ${candidates.length} answers (${names(pick).join(', ')}) are alike (${how}, similarity ≥ ${p.similarity}); ${candidates[pick.center].agent}'s is the most central of them.${tieNote}`
	};
}

async function byBallot(co: Coordination, candidates: Candidate[]): Promise<Decision> {
	const { list, groups } = distinct(co, candidates);
	if (list.length === 1) {
		return { method: 'ballot', output: list[0].output, winner: list[0].agent, agreement: 1, agreementSource: 'votes', votes: candidates.map((c) => ({ agent: c.agent, vote: list[0].agent })), tally: tallyOut(groups), tie: false, reasons: 'Every agent gave the same answer; no ballot was needed.' };
	}
	const voters = candidates.map((c) => co.agent(c.agent));
	const prompt = ballotPrompt(co.task, list);
	const ballots = await co.settle(
		voters.map((v) => async () => {
			const r = await co.step(v, await co.opening(v, prompt), { phase: 'vote', schema: BALLOT_SCHEMA(list.length) });
			return { agent: v.name, index: (r.value as { vote: number }).vote - 1, reason: (r.value as { reason?: string }).reason };
		})
	);
	const cast = ballots.flatMap((b) => (b.ok ? [b.value] : []));
	if (!cast.length) return byMajority(co, candidates, 'No agent could vote; decided by majority vote over the answers instead. ');
	const counts = list.map((_, i) => cast.filter((b) => b.index === i));
	const max = Math.max(...counts.map((c) => c.length));
	const top = counts.map((c, i) => (c.length === max ? i : -1)).filter((i) => i >= 0);
	let index = top[0];
	let tie = false;
	let tieBrokenBy: Decision['tieBrokenBy'];
	let tieNote = '';
	if (top.length > 1) {
		tie = true;
		const broken = await breakTie(co, top.map((i) => list[i]));
		index = top[broken.index];
		tieBrokenBy = broken.by;
		tieNote = ` Tie at ${max} vote${max === 1 ? '' : 's'}; ${broken.reasons}`;
	}
	const why = counts[index].map((b) => (b.reason ? `${b.agent}: ${b.reason}` : b.agent)).join('; ');
	return {
		method: 'ballot',
		output: list[index].output,
		winner: list[index].agent,
		agreement: counts[index].length / cast.length,
		agreementSource: 'ballot',
		votes: cast.map((b) => ({ agent: b.agent, vote: list[b.index].agent })),
		tally: list.map((c, i) => ({ answer: short(c.output), count: counts[i].length, agents: counts[i].map((b) => b.agent) })),
		tie,
		...(tieBrokenBy ? { tieBrokenBy } : {}),
		reasons: `${counts[index].length} of ${cast.length} ballots chose ${list[index].agent}'s answer${why ? ` (${why})` : ''}.${tieNote}`
	};
}
