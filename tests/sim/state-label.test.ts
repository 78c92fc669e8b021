import { describe, expect, it } from 'vitest';
import { stateLines } from '../../src/lib/sim/ui/state-label';

describe('stateLines', () => {
	it('keeps a flat state as is', () => {
		expect(stateLines('closed')).toEqual(['closed']);
	});

	it('gives one dotted line per active leaf of nested and parallel states', () => {
		expect(stateLines({ on: { playback: 'stopped', sound: { audible: 'normal' } } })).toEqual([
			'on.playback.stopped',
			'on.sound.audible.normal'
		]);
		expect(stateLines({ door: 'open', light: 'on' })).toEqual(['door.open', 'light.on']);
	});

	it('shows a compound state with no active child as itself, and nothing for no value', () => {
		expect(stateLines({ on: {} })).toEqual(['on']);
		expect(stateLines(undefined)).toEqual([]);
		expect(stateLines(null)).toEqual([]);
	});
});
