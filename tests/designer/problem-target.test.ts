import { describe, expect, it } from 'vitest';
import { problemTarget } from '../../src/lib/designer/problem-target';

const p = (extra: object) => ({ rule: 'r', severity: 'error' as const, message: 'm', path: [], ...extra });

describe('problem → canvas element', () => {
	it('uses the transition or state a problem names', () => {
		expect(problemTarget(p({ transition: 'a|on:GO|0', state: 'a' }))).toEqual({ edge: 'a|on:GO|0' });
		expect(problemTarget(p({ state: 'a.b' }))).toEqual({ node: 'a.b' });
	});
	it('falls back to the JSON path', () => {
		expect(problemTarget(p({ path: ['states', 'a', 'states', 'b', 'on', 'GO', 1, 'guard'] }))).toEqual({ edge: 'a.b|on:GO|1' });
		expect(problemTarget(p({ path: ['states', 'a', 'on', 'GO'] }))).toEqual({ edge: 'a|on:GO|0' });
		expect(problemTarget(p({ path: ['states', 'a', 'after', '500'] }))).toEqual({ edge: 'a|after:500|0' });
		expect(problemTarget(p({ path: ['states', 'a', 'always', 0, 'target'] }))).toEqual({ edge: 'a|always|0' });
		expect(problemTarget(p({ path: ['states', 'a', 'entry', 0] }))).toEqual({ node: 'a' });
		expect(problemTarget(p({ path: ['initial'] }))).toEqual({});
	});
});
