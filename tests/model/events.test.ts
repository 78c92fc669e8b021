import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import {
	descriptorCovers,
	descriptorProblem,
	eventDescriptors,
	eventNamesOf,
	matchesEventDescriptor,
	matchesEventKey
} from '../../src/lib/model';

describe('event descriptors', () => {
	it('match SCXML style: exact names, dotted prefixes, `x.*` and `*`', () => {
		expect(matchesEventDescriptor('OPEN', 'OPEN')).toBe(true);
		expect(matchesEventDescriptor('OPEN', 'OPENED')).toBe(false);
		expect(matchesEventDescriptor('error', 'error.execution')).toBe(true);
		expect(matchesEventDescriptor('error', 'error.invoke.fetch')).toBe(true);
		expect(matchesEventDescriptor('error', 'errors')).toBe(false);
		expect(matchesEventDescriptor('error.*', 'error')).toBe(true);
		expect(matchesEventDescriptor('error.*', 'error.execution')).toBe(true);
		expect(matchesEventDescriptor('error.*', 'errorx')).toBe(false);
		expect(matchesEventDescriptor('error.execution', 'error')).toBe(false);
		expect(matchesEventDescriptor('*', 'ANYTHING')).toBe(true);
		expect(matchesEventDescriptor('*', 'done.invoke.fetch')).toBe(true);
		expect(matchesEventDescriptor('*', 'error.effect.a')).toBe(true);
	});

	it('leave the engine’s timers and context patches to exact names', () => {
		expect(matchesEventDescriptor('*', 'after.1000.a')).toBe(false);
		expect(matchesEventDescriptor('after', 'after.1000.a')).toBe(false);
		expect(matchesEventDescriptor('*', 'fsm.assign')).toBe(false);
		expect(matchesEventDescriptor('after.1000.a', 'after.1000.a')).toBe(true);
	});

	it('read a key as a list of descriptors separated by whitespace', () => {
		expect(eventDescriptors('CANCEL ABORT')).toEqual(['CANCEL', 'ABORT']);
		expect(eventDescriptors('  A\tB \n')).toEqual(['A', 'B']);
		expect(eventDescriptors('')).toEqual([]);
		expect(matchesEventKey('CANCEL ABORT', 'ABORT')).toBe(true);
		expect(matchesEventKey('CANCEL error.*', 'error.x')).toBe(true);
		expect(matchesEventKey('CANCEL ABORT', 'CANCEL ABORT')).toBe(true);
		expect(matchesEventKey('CANCEL ABORT', 'STOP')).toBe(false);
		expect(eventNamesOf('A error.* *')).toEqual(['A', 'error']);
	});

	it('know which descriptor covers which', () => {
		expect(descriptorCovers('*', 'A')).toBe(true);
		expect(descriptorCovers('error', 'error.execution')).toBe(true);
		expect(descriptorCovers('error.*', 'error')).toBe(true);
		expect(descriptorCovers('error', 'error.*')).toBe(true);
		expect(descriptorCovers('error.execution', 'error')).toBe(false);
		expect(descriptorCovers('A', '*')).toBe(false);
		expect(descriptorCovers('*', 'after.100.a')).toBe(false);
	});

	it('report malformed descriptors', () => {
		expect(descriptorProblem('error.*')).toBeNull();
		expect(descriptorProblem('*')).toBeNull();
		expect(descriptorProblem('a.b')).toBeNull();
		expect(descriptorProblem('a*')).toMatch(/may only stand alone/);
		expect(descriptorProblem('a.*.b')).toMatch(/may only stand alone/);
		expect(descriptorProblem('a..b')).toMatch(/empty/);
	});

	const token = fc.constantFrom('a', 'b', 'error', 'done', 'after', 'fsm', 'x1');
	const name = fc.array(token, { minLength: 1, maxLength: 4 }).map((t) => t.join('.'));
	const descriptor = fc.oneof(name, name.map((n) => n + '.*'), fc.constant('*'));

	it('agree with a token-by-token reading of the SCXML rule', () => {
		// SCXML 3.12.1: the descriptor's tokens (without a trailing `*`) are a prefix of the event's tokens.
		const reference = (d: string, e: string): boolean => {
			if (d === e) return true;
			if (e.startsWith('after.') || e.startsWith('fsm.')) return false;
			if (d === '*') return true;
			const dt = d.split('.');
			if (dt[dt.length - 1] === '*') dt.pop();
			const et = e.split('.');
			return dt.length <= et.length && dt.every((t, i) => t === et[i]);
		};
		fc.assert(fc.property(descriptor, name, (d, e) => matchesEventDescriptor(d, e) === reference(d, e)), { numRuns: 2000 });
	});

	it('cover only when every event the specific one matches the general one matches too', () => {
		fc.assert(
			fc.property(descriptor, descriptor, fc.array(name, { minLength: 30, maxLength: 30 }), (g, s, events) => {
				if (!descriptorCovers(g, s)) return;
				for (const e of [...events, s.replace(/\.\*$/, '')]) if (matchesEventDescriptor(s, e)) expect(matchesEventDescriptor(g, e)).toBe(true);
			}),
			{ numRuns: 1000 }
		);
	});
});
