import { describe, expect, it } from 'vitest';
import { boundCommands, commandForKey, shortcuts } from '../../src/lib/designer/shortcuts';

const key = (k: string, mods: { ctrl?: boolean; meta?: boolean; shift?: boolean; alt?: boolean } = {}) => ({
	key: k,
	ctrlKey: !!mods.ctrl,
	metaKey: !!mods.meta,
	shiftKey: !!mods.shift,
	altKey: !!mods.alt
});

describe('one shortcut table for the keys and the help', () => {
	it('maps key presses to the commands the help lists', () => {
		expect(commandForKey(key('z', { ctrl: true }))).toBe('undo');
		expect(commandForKey(key('z', { meta: true }))).toBe('undo');
		expect(commandForKey(key('Z', { ctrl: true, shift: true }))).toBe('redo');
		expect(commandForKey(key('y', { ctrl: true }))).toBe('redo');
		expect(commandForKey(key('d', { ctrl: true }))).toBe('duplicate');
		expect(commandForKey(key('a', { ctrl: true }))).toBe('selectAll');
		expect(commandForKey(key('Delete'))).toBe('delete');
		expect(commandForKey(key('Backspace'))).toBe('delete');
		expect(commandForKey(key('s'))).toBe('addState');
		expect(commandForKey(key('F', { shift: true }))).toBe('addFinal');
		expect(commandForKey(key('f'))).toBe('fitView');
		expect(commandForKey(key('L', { shift: true }))).toBe('autoLayout');
		expect(commandForKey(key('?', { shift: true }))).toBe('help');
		expect(commandForKey(key('+', { shift: true }))).toBe('zoomIn');
		expect(commandForKey(key('-'))).toBe('zoomOut');
		expect(commandForKey(key('Escape'))).toBe('clearSelection');
		expect(commandForKey(key('ArrowLeft'))).toBe('keepMoved');
		expect(commandForKey(key('ArrowLeft', { shift: true }))).toBe('keepMoved');
		expect(commandForKey(key('Enter'))).toBe('edit');
		expect(commandForKey(key('F2'))).toBe('edit');
	});

	it('ignores what is not in the table (and Alt, and Shift where it changes the meaning)', () => {
		expect(commandForKey(key('s', { alt: true }))).toBeNull();
		expect(commandForKey(key('s', { ctrl: true }))).toBeNull();
		expect(commandForKey(key('q'))).toBeNull();
		expect(commandForKey(key('F'))).toBeNull(); // caps lock, no Shift: not "add final"
		expect(commandForKey(key('Enter', { shift: true }))).toBeNull();
	});

	it('every command listed in the help has a key, except those the browser delivers otherwise', () => {
		const bound = boundCommands();
		for (const g of shortcuts)
			for (const s of g.items) {
				if (!s.command) continue;
				if (s.bind && s.bind.length === 0) expect(s.command, 'clipboard commands arrive as clipboard events').toBe('copy');
				else expect(bound.has(s.command), `${s.keys} → ${s.command}`).toBe(true);
			}
		// and every bound command is explained in the help
		const listed = new Set(shortcuts.flatMap((g) => g.items.map((s) => s.command)));
		for (const c of bound) expect(listed.has(c)).toBe(true);
	});
});
