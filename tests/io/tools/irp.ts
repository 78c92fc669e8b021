/**
 * The W3C SCXML conformance tests (IRP, ECMAScript version) as FSM Studio sees them: each
 * test is imported; a test that imports without losses is run on a virtual clock until it
 * reaches its final state `pass` or `fail`. Shared by the test suite and the benchmark.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { importScxml } from '../../../src/lib/io/scxml';
import type { LostItem } from '../../../src/lib/io/types';
import { createInterpreter } from '../../../src/lib/engine';
import type { Clock } from '../../../src/lib/engine/types';

export const IRP_DIR = join(import.meta.dirname, '..', '..', 'fixtures', 'scxml', 'w3c-irp');

export interface IrpCase {
	/** Test number (with a letter when a test has several files, `403a`). */
	id: string;
	conformance: 'mandatory' | 'optional';
	file: string;
	text: string;
}

/** Every automated test of the manifest that has an ECMAScript version here. */
export function irpCases(): IrpCase[] {
	const manifest = readFileSync(join(IRP_DIR, 'manifest.xml'), 'utf8');
	const out: IrpCase[] = [];
	const re = /<test id="(\d+)" conformance="(\w+)" manual="(\w+)"\s*>([\s\S]*?)<\/test>/g;
	for (let m; (m = re.exec(manifest)); ) {
		if (m[3] !== 'false') continue;
		for (const s of m[4].matchAll(/<start uri="([^"]+)"/g)) {
			const file = s[1].slice(s[1].lastIndexOf('/') + 1).replace(/\.txml$/, '.scxml');
			let text: string;
			try {
				text = readFileSync(join(IRP_DIR, file), 'utf8');
			} catch {
				continue; // written for another data model only
			}
			out.push({ id: file.replace(/^test|\.scxml$/g, ''), conformance: m[2] as IrpCase['conformance'], file, text });
		}
	}
	return out;
}

export type IrpStatus = 'rejected' | 'lossy' | 'pass' | 'fail';

export interface IrpOutcome {
	id: string;
	conformance: IrpCase['conformance'];
	status: IrpStatus;
	/** For lossy imports: what was lost. For rejected ones: the errors. */
	lost?: LostItem[];
	errors?: string[];
	/** Lossy only because expressions are ECMAScript that FSM Studio cannot carry over. */
	ecmascript?: boolean;
	/** For runs: where the run ended and why. */
	detail?: string;
}

/** True for a lost item that is about the ECMAScript data model (an expression or a system variable). */
export function isEcmascriptLoss(l: LostItem): boolean {
	return /ECMAScript|data model/i.test(l.message);
}

class VirtualClock implements Clock {
	time = 0;
	private seq = 0;
	private timers = new Map<number, { due: number; fn: () => void }>();
	now() {
		return this.time;
	}
	setTimeout(fn: () => void, ms: number) {
		const id = ++this.seq;
		this.timers.set(id, { due: this.time + Math.max(0, ms), fn });
		return id;
	}
	clearTimeout(h: unknown) {
		this.timers.delete(h as number);
	}
	/** Fires the next timer; false when none is left. */
	step(): boolean {
		let best: [number, { due: number; fn: () => void }] | undefined;
		for (const e of this.timers) if (!best || e[1].due < best[1].due || (e[1].due === best[1].due && e[0] < best[0])) best = e;
		if (!best) return false;
		this.timers.delete(best[0]);
		this.time = Math.max(this.time, best[1].due);
		best[1].fn();
		return true;
	}
}

const settle = () => new Promise<void>((resolve) => setImmediate(resolve));

/** Imports one test and, when nothing was lost, runs it to its end (at most 10 minutes of virtual time). */
export async function runIrpCase(c: IrpCase): Promise<IrpOutcome> {
	const base = { id: c.id, conformance: c.conformance };
	const r = importScxml(c.text);
	if (!r.ok) return { ...base, status: 'rejected', errors: r.errors.map((e) => e.message) };
	if (r.lost.length) return { ...base, status: 'lossy', lost: r.lost, ecmascript: r.lost.every(isEcmascriptLoss) };
	const clock = new VirtualClock();
	const it = createInterpreter(r.workflow, { clock });
	it.start();
	for (let i = 0; i < 10_000; i++) {
		await settle();
		const s = it.snapshot();
		if (s.status !== 'active') break;
		if (clock.time > 600_000 || !clock.step()) break;
	}
	await settle();
	const s = it.snapshot();
	it.stop();
	const ended = typeof s.value === 'string' ? s.value : JSON.stringify(s.value);
	if (s.status === 'done' && s.value === 'pass') return { ...base, status: 'pass' };
	return { ...base, status: 'fail', detail: `${s.status} in ${ended}${s.error ? `: ${s.error.message}` : ''}` };
}

/** Runs every test; counts per status. */
export async function runIrp(cases = irpCases()) {
	const outcomes: IrpOutcome[] = [];
	for (const c of cases) outcomes.push(await runIrpCase(c));
	const count = (s: IrpStatus) => outcomes.filter((o) => o.status === s).length;
	return {
		outcomes,
		total: outcomes.length,
		clean: count('pass') + count('fail'),
		pass: count('pass'),
		fail: count('fail'),
		lossy: count('lossy'),
		lossyEcmascript: outcomes.filter((o) => o.status === 'lossy' && o.ecmascript).length,
		rejected: count('rejected')
	};
}
