import { describe, expect, it } from 'vitest';
import {
	allTransitions,
	ancestors,
	didYouMean,
	formatPath,
	stateAt,
	isDescendantOrSelf,
	normalizeTransitions,
	parentPath,
	stateJsonPath,
	stateType,
	transitionId
} from '../../src/lib/model';
import { workflow } from './helpers';

describe('tree helpers', () => {
	const w = workflow(
		{ a: { initial: 'b', states: { b: { on: { GO: [{ target: 'c', guard: 'x' }, { target: 'c' }] } }, c: { type: 'final' } }, onDone: 'd' }, d: { always: 'a', after: { '100': 'a' } } },
		{ on: { RESET: 'a' } }
	);

	it('infers state types', () => {
		expect(stateType({})).toBe('atomic');
		expect(stateType({ states: { x: {} } })).toBe('compound');
		expect(stateType({ type: 'parallel', states: {} })).toBe('parallel');
		expect(stateType({ type: 'nonsense' as never })).toBe('atomic');
	});

	it('walks paths', () => {
		expect(stateAt(w, 'a.b')?.on).toBeDefined();
		expect(stateAt(w, 'a.zz')).toBeUndefined();
		expect(stateAt(w, 'constructor')).toBeUndefined();
		expect(parentPath('a.b.c')).toBe('a.b');
		expect(parentPath('a')).toBe('');
		expect(ancestors('a.b.c')).toEqual(['a.b', 'a']);
		expect(isDescendantOrSelf('a.b', 'a')).toBe(true);
		expect(isDescendantOrSelf('ab', 'a')).toBe(false);
		expect(stateJsonPath('a.b')).toEqual(['states', 'a', 'states', 'b']);
	});

	it('normalizes the three ways of writing a transition', () => {
		expect(normalizeTransitions('x')).toEqual([{ target: 'x' }]);
		expect(normalizeTransitions({ target: 'x', guard: 'g' })).toEqual([{ target: 'x', guard: 'g' }]);
		expect(normalizeTransitions([{ target: 'x' }, { guard: 'g' }])).toEqual([{ target: 'x' }, { guard: 'g' }]);
		expect(normalizeTransitions(undefined)).toEqual([]);
	});

	it('lists every transition with its id and JSON path, root first', () => {
		expect(allTransitions(w).map((t) => [t.id, t.jsonPath])).toEqual([
			[transitionId('', 'on:RESET', 0), ['on', 'RESET']],
			['a|onDone|0', ['states', 'a', 'onDone']],
			['a.b|on:GO|0', ['states', 'a', 'states', 'b', 'on', 'GO', 0]],
			['a.b|on:GO|1', ['states', 'a', 'states', 'b', 'on', 'GO', 1]],
			['d|always|0', ['states', 'd', 'always']],
			['d|after:100|0', ['states', 'd', 'after', '100']]
		]);
	});

	it('formats paths for people', () => {
		expect(formatPath(['states', 'open', 'on', 'CLOSE', 0, 'target'])).toBe('states.open.on.CLOSE[0].target');
		expect(formatPath(['states', 'a b', 'after', '5000'])).toBe('states["a b"].after.5000');
		expect(formatPath([])).toBe('(document)');
		expect(formatPath(Array(40).fill(0))).toBe('…' + '[0]'.repeat(16));
		expect(formatPath(Array(20).fill(['states', 'n']).flat())).toBe('….' + 'states.n.'.repeat(8).slice(0, -1));
	});

	it('suggests close names only', () => {
		expect(didYouMean('clsed', ['open', 'closed', 'locked'])).toBe('closed');
		expect(didYouMean('Closed', ['closed'])).toBe('closed');
		expect(didYouMean('xyz', ['open', 'closed'])).toBeUndefined();
	});
});
