/** `fsm-studio run`: the scripting/CI entry. Most cases in-process; one through the real binary. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync, copyFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { inState, parseEventArg, runCommand, type Io } from '../../src/lib/headless/run-command';

const root = join(import.meta.dirname, '../..');
let dir: string;

function io() {
	const out: string[] = [];
	const err: string[] = [];
	const v: Io & { out: () => string; err: () => string } = {
		stdout: (s) => void out.push(s),
		stderr: (s) => void err.push(s),
		env: {},
		out: () => out.join(''),
		err: () => err.join('')
	};
	return v;
}

beforeAll(() => {
	dir = mkdtempSync(join(tmpdir(), 'fsm-run-'));
	copyFileSync(join(root, 'src/lib/examples/smart-door.json'), join(dir, 'door.json'));
	writeFileSync(
		join(dir, 'blink.json'),
		JSON.stringify({
			format: 'fsm-studio/workflow',
			version: 1,
			id: 'blink',
			name: 'Blink',
			initial: 'off',
			context: { blinks: 0 },
			states: {
				off: { on: { GO: 'on' } },
				on: { entry: [{ type: 'assign', set: { blinks: 'context.blinks + 1' } }], after: { '40': 'done' } },
				done: { type: 'final', output: 'context.blinks' }
			}
		})
	);
	writeFileSync(join(dir, 'fail.json'), JSON.stringify({ format: 'fsm-studio/workflow', version: 1, id: 'fail', name: 'Fail', initial: 'a', states: { a: { invoke: { type: 'http', url: 'http://127.0.0.1:1/nothing' } } } }));
	writeFileSync(join(dir, 'door.mmd'), 'stateDiagram-v2\n  [*] --> closed\n  closed --> open: OPEN\n  open --> closed: CLOSE\n');
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('fsm-studio run', () => {
	it('runs events in order and prints the snapshot as JSON', async () => {
		const o = io();
		const code = await runCommand([join(dir, 'door.json'), '--event', 'OPEN', '-e', 'CLOSE', '--event', 'OPEN', '--expect-state', 'open'], o);
		expect(code).toBe(0);
		const s = JSON.parse(o.out());
		expect(s).toMatchObject({ workflowId: 'smart-door', status: 'active', value: 'open', context: { opens: 2 } });
	});

	it('fails an --expect-state check with exit code 1 and says what it found', async () => {
		const o = io();
		expect(await runCommand([join(dir, 'door.json'), '--event', 'OPEN', '--expect-state', 'locked'], o)).toBe(1);
		expect(o.err()).toContain('Expected state locked, but the instance is in "open"');
	});

	it('waits for delayed transitions with --wait and reports the final output', async () => {
		const o = io();
		expect(await runCommand([join(dir, 'blink.json'), '--event', 'GO', '--wait', '300', '--expect-status', 'done'], o)).toBe(0);
		expect(JSON.parse(o.out())).toMatchObject({ status: 'done', output: 1 });
	});

	it('exits with 1 when the workflow ends in an unhandled error', async () => {
		const o = io();
		expect(await runCommand([join(dir, 'fail.json'), '--settle', '5000'], o)).toBe(1);
		expect(JSON.parse(o.out()).status).toBe('error');
		expect(o.err()).toContain('The workflow ended in an error');
	});

	it('runs other formats through the app’s importers (Mermaid)', async () => {
		const o = io();
		expect(await runCommand([join(dir, 'door.mmd'), '--event', 'OPEN', '--expect-state', 'open'], o)).toBe(0);
	});

	it('records the events on disk with --store', async () => {
		const o = io();
		const store = join(dir, 'store');
		expect(await runCommand([join(dir, 'door.json'), '--event', '{"type":"OPEN"}', '--store', store, '--quiet'], o)).toBe(0);
		expect(o.out()).toBe('');
		const logs = readdirSync(store).filter((f) => f.endsWith('.events.jsonl'));
		expect(logs).toHaveLength(1);
		const lines = readFileSync(join(store, logs[0]), 'utf8').trim().split('\n').map((l) => JSON.parse(l));
		expect(lines.some((l) => l.kind === 'transition' && l.event === 'OPEN')).toBe(true);
		expect(lines.map((l) => l.n)).toEqual(lines.map((_, i) => i + 1));
	});

	it('explains bad usage with exit code 2', async () => {
		let o = io();
		expect(await runCommand([], o)).toBe(2);
		expect(o.err()).toContain('Which workflow?');
		o = io();
		expect(await runCommand([join(dir, 'nope.json')], o)).toBe(2);
		expect(o.err()).toContain('there is no such file');
		o = io();
		expect(await runCommand([join(dir, 'door.json'), '--event', '{"type":'], o)).toBe(2);
		expect(o.err()).toContain('is not valid JSON');
		o = io();
		expect(await runCommand([join(dir, 'door.json'), '--colour'], o)).toBe(2);
		expect(o.err()).toContain('Unknown option --colour');
		o = io();
		expect(await runCommand([join(dir, 'door.json'), '--context', '[1]'], o)).toBe(2);
		expect(o.err()).toContain('--context must be a JSON object');
	});

	it('parses events and state paths', () => {
		expect(parseEventArg('OPEN')).toEqual({ type: 'OPEN' });
		expect(parseEventArg('{"type":"T","n":1}')).toEqual({ type: 'T', n: 1 });
		expect(() => parseEventArg('{"n":1}')).toThrow(/must have a "type"/);
		expect(inState('open', 'open')).toBe(true);
		expect(inState({ door: 'open', light: 'on' }, 'door.open')).toBe(true);
		expect(inState({ door: 'open', light: 'on' }, 'on')).toBe(true);
		expect(inState({ door: 'open' }, 'door.closed')).toBe(false);
		expect(inState({ active: { door: 'open' } }, 'active')).toBe(true);
	});

	it('is what `npx fsm-studio run` executes (exit codes through the real binary)', async () => {
		const run = promisify(execFile);
		const { stdout } = await run('npx', ['--offline', 'fsm-studio', 'run', join(dir, 'door.json'), '--event', 'OPEN'], { cwd: root });
		expect(JSON.parse(stdout).value).toBe('open');
		const bad = await run(process.execPath, [join(root, 'bin/fsm-studio.js'), 'frobnicate'], { cwd: root }).catch((e) => e as { code: number; stderr: string });
		expect((bad as { code: number }).code).toBe(2);
		expect((bad as { stderr: string }).stderr).toContain('Unknown command "frobnicate"');
		// Two real process starts (npx, then node), each compiling the command's TypeScript
		// through tsx: past 20 s at load 25–30.
	}, 120_000);
});
