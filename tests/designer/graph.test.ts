import { describe, expect, it } from 'vitest';
import { NODE_H, NODE_W, buildGraph, reconcileEdges, reconcileNodes, transitionOfEdge } from '../../src/lib/designer/graph';
import { examples } from '../../src/lib/examples';
import type { Workflow } from '../../src/lib/model/types';

const door = examples.find((e) => e.id === 'smart-door')!.workflow;

const nested: Workflow = {
	format: 'fsm-studio/workflow',
	version: 1,
	id: 'n',
	name: 'n',
	initial: 'player',
	states: {
		player: {
			type: 'parallel',
			states: {
				playback: { initial: 'paused', states: { paused: { on: { PLAY: 'playing' } }, playing: { on: { PAUSE: 'paused' } } } },
				volume: { initial: 'normal', states: { normal: { on: { MUTE: 'muted' } }, muted: { on: { UNMUTE: 'normal' } } } }
			},
			on: { OFF: 'off' }
		},
		off: { type: 'final', invoke: { type: 'call_llm', prompt: 'x' }, on: { PING: 'off', ON: 'player', ON2: 'player' } }
	},
	layout: { off: { x: 700, y: 0 } }
};

describe('workflow → canvas graph', () => {
	it('one node per state, parents before children, children point at their parent', () => {
		const { nodes } = buildGraph(nested);
		expect(nodes.map((n) => n.id)).toEqual(['player', 'player.playback', 'player.playback.paused', 'player.playback.playing', 'player.volume', 'player.volume.normal', 'player.volume.muted', 'off']);
		const byId = new Map(nodes.map((n) => [n.id, n]));
		expect(byId.get('player')!.type).toBe('container');
		expect(byId.get('player')!.data.type).toBe('parallel');
		expect(byId.get('player.playback')!.parentId).toBe('player');
		expect(byId.get('player.playback')!.data.region).toBe(true);
		expect(byId.get('player.playback.paused')!.data.initial).toBe(true);
		expect(byId.get('player.playback.playing')!.data.initial).toBe(false);
		expect(byId.get('player')!.data.initial).toBe(true);
		expect(byId.get('off')!.data.type).toBe('final');
		expect(byId.get('off')!.data.chips).toEqual([{ type: 'call_llm', phase: 'invoke' }]);
		expect(byId.get('off')!.position).toEqual({ x: 700, y: 0 });
		// containers are big enough for their children
		const pb = byId.get('player.playback')!;
		for (const c of ['player.playback.paused', 'player.playback.playing']) {
			const n = byId.get(c)!;
			expect(n.position.x + NODE_W).toBeLessThanOrEqual(pb.width!);
			expect(n.position.y + NODE_H).toBeLessThanOrEqual(pb.height!);
		}
	});

	it('edges carry labels, guard and effect markers; parallel edges and self-loops get offsets', () => {
		const { edges } = buildGraph(nested);
		const byId = new Map(edges.map((e) => [e.id, e]));
		expect(byId.get('off|on:PING|0')!.data!.selfLoop).toBe(true);
		const on1 = byId.get('off|on:ON|0')!.data!;
		const on2 = byId.get('off|on:ON2|0')!.data!;
		const back = byId.get('player|on:OFF|0')!.data!;
		// three edges between off and player: offsets -1, 0, 1 (one each), mirrored by direction
		expect([on1.offset, on2.offset, back.offset].sort()).toEqual([-1, 0, 1]);
		expect(on1.flipped).not.toBe(back.flipped);
		const d = buildGraph(door).edges.find((e) => e.id === 'closed|on:OPEN|0')!;
		expect(d.data).toMatchObject({ label: 'OPEN', guard: 'context.locked = false', effects: 1 });
		expect(buildGraph(door).edges.find((e) => e.id === 'open|after:5000|0')!.data!.label).toBe('after 5s');
	});

	it('problems mark nodes and edges', () => {
		const { nodes, edges } = buildGraph(door, {
			problems: [
				{ rule: 'x', severity: 'warning', message: 'm', path: [], state: 'locked' },
				{ rule: 'y', severity: 'error', message: 'm', path: [], state: 'locked' },
				{ rule: 'z', severity: 'error', message: 'm', path: [], transition: 'open|on:CLOSE|0' }
			]
		});
		expect(nodes.find((n) => n.id === 'locked')!.data.severity).toBe('error');
		expect(nodes.find((n) => n.id === 'locked')!.data.problemCount).toBe(2);
		expect(edges.find((e) => e.id === 'open|on:CLOSE|0')!.data!.severity).toBe('error');
	});

	it('reconciling keeps unchanged objects (and the same array when nothing changed)', () => {
		const a = buildGraph(door);
		const b = buildGraph(door);
		expect(reconcileNodes(a.nodes, b.nodes)).toBe(a.nodes);
		expect(reconcileEdges(a.edges, b.edges)).toBe(a.edges);
		const moved = { ...door, layout: { ...door.layout, open: { x: 1, y: 2 } } };
		const c = buildGraph(moved);
		const r = reconcileNodes(a.nodes, c.nodes);
		expect(r).not.toBe(a.nodes);
		expect(r.find((n) => n.id === 'closed')).toBe(a.nodes.find((n) => n.id === 'closed'));
		expect(r.find((n) => n.id === 'open')!.position).toEqual({ x: 1, y: 2 });
	});

	it('edge ids map back to transition ids', () => {
		expect(transitionOfEdge('a|on:GO|0')).toBe('a|on:GO|0');
		expect(transitionOfEdge('a|on:GO|0>1')).toBe('a|on:GO|0');
		expect(transitionOfEdge('a>b|on:GO|0')).toBe('a>b|on:GO|0');
	});
});
