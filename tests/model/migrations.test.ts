import { describe, expect, it } from 'vitest';
import { migrate, migrations, detectVersion, parseWorkflow, WORKFLOW_VERSION, type Migration } from '../../src/lib/model';

/** A version 0 file: no `format`, every transition in one top-level list. */
const v0 = {
	id: 'door',
	name: 'Door',
	initial: 'closed',
	context: { opens: 0 },
	states: {
		closed: {},
		open: { entry: [{ type: 'log', message: 'opened' }] },
		busy: { initial: 'a', states: { a: {}, b: { type: 'final' } } }
	},
	transitions: [
		{ from: 'closed', event: 'OPEN', to: 'open', guard: 'context.opens < 3' },
		{ from: 'closed', event: 'OPEN', to: 'busy' },
		{ from: 'open', event: 'CLOSE', to: 'closed' },
		{ from: 'open', event: 'after:5000', to: 'closed' },
		{ from: 'busy', event: 'onDone', to: 'closed' },
		{ from: 'busy.a', event: 'NEXT', to: 'b', effects: [{ type: 'log', message: 'next' }] },
		{ from: 'busy.a', event: 'PING' },
		{ from: '', event: 'RESET', to: 'closed' }
	]
};

/** The same workflow in version 1. */
const v1 = {
	format: 'fsm-studio/workflow',
	version: 1,
	id: 'door',
	name: 'Door',
	initial: 'closed',
	context: { opens: 0 },
	on: { RESET: 'closed' },
	states: {
		closed: { on: { OPEN: [{ target: 'open', guard: 'context.opens < 3' }, { target: 'busy' }] } },
		open: { entry: [{ type: 'log', message: 'opened' }], on: { CLOSE: 'closed' }, after: { '5000': 'closed' } },
		busy: {
			initial: 'a',
			onDone: 'closed',
			states: { a: { on: { NEXT: { target: 'b', effects: [{ type: 'log', message: 'next' }] }, PING: {} } }, b: { type: 'final' } }
		}
	}
};

describe('migrations', () => {
	it('form a chain ending at the current version, each with a name', () => {
		expect(migrations.at(-1)!.to).toBe(WORKFLOW_VERSION);
		migrations.forEach((m, i) => {
			expect(m.name).toMatch(/^[a-z0-9-]+$/);
			expect(m.to).toBe(m.from + 1);
			if (i > 0) expect(m.from).toBe(migrations[i - 1].to);
		});
	});

	it('transitions-into-states up: v0 → v1', () => {
		const { doc, applied } = migrate(structuredClone(v0), 0, 1);
		expect(applied).toEqual(['transitions-into-states:up']);
		expect(doc).toEqual(v1);
		expect(Object.keys(doc).slice(0, 2)).toEqual(['format', 'version']);
	});

	it('transitions-into-states down: v1 → v0', () => {
		const { doc, applied } = migrate(structuredClone(v1), 1, 0);
		expect(applied).toEqual(['transitions-into-states:down']);
		// Order differs (down lists the root's transitions first); the set and per-trigger order match.
		const byKey = (t: { from: string; event: string }) => `${t.from}|${t.event}`;
		const got = doc as typeof v0;
		expect(got.transitions.slice().sort((a, b) => byKey(a).localeCompare(byKey(b)))).toEqual(
			v0.transitions.slice().sort((a, b) => byKey(a).localeCompare(byKey(b)))
		);
		expect({ ...got, transitions: [] }).toEqual({ ...v0, version: 0, transitions: [] });
	});

	it('round-trips: up(down(v1)) = v1 and down(up(v0)) keeps every transition', () => {
		expect(migrate(migrate(structuredClone(v1), 1, 0).doc, 0, 1).doc).toEqual(v1);
		const back = migrate(migrate(structuredClone(v0), 0, 1).doc, 1, 0).doc as typeof v0;
		expect(back.transitions).toHaveLength(v0.transitions.length);
	});

	it('does not mutate its input', () => {
		const input = structuredClone(v0);
		migrate(input, 0, 1);
		expect(input).toEqual(v0);
	});

	it('names the failing step', () => {
		expect(() => migrate({ states: {}, transitions: 'no' }, 0, 1)).toThrow(/transitions-into-states.*must be a list/);
		expect(() => migrate({ states: { a: {} }, transitions: [{ from: 'a', event: '' }] }, 0, 1)).toThrow(/event must be an event name/);
	});

	it('runs a longer chain in order, both ways', () => {
		const step = (n: number): Migration => ({
			name: `step-${n}`,
			from: n,
			to: n + 1,
			up: (d) => ({ ...d, log: [...((d.log as string[]) ?? []), `up${n}`] }),
			down: (d) => ({ ...d, log: [...((d.log as string[]) ?? []), `down${n}`] })
		});
		const list = [step(0), step(1), step(2)];
		expect(migrate({}, 0, 3, list)).toEqual({ doc: { log: ['up0', 'up1', 'up2'] }, applied: ['step-0:up', 'step-1:up', 'step-2:up'] });
		expect(migrate({}, 3, 1, list).doc).toEqual({ log: ['down2', 'down1'] });
		expect(() => migrate({}, 0, 5, list)).toThrow(/no migration from format version 3/);
	});

	it('detects versions: no format and no version is v0', () => {
		expect(detectVersion({ states: {} })).toBe(0);
		expect(detectVersion({ format: 'fsm-studio/workflow', version: 1 })).toBe(1);
		expect(detectVersion({ version: 2.5 })).toBeUndefined();
		expect(detectVersion({ format: 'fsm-studio/workflow' })).toBeUndefined();
	});

	it('parseWorkflow loads a v0 file as the v1 workflow', () => {
		const r = parseWorkflow(JSON.stringify(v0));
		expect(r.ok).toBe(true);
		if (r.ok) expect(r.workflow).toEqual(v1);
	});
});
