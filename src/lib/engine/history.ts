/**
 * History states (SCXML 3.10): when a state with history children is exited, each history
 * child remembers the configuration to return to — a shallow one the active children, a
 * deep one the active atomic descendants. A transition to the history state enters what it
 * remembers (or its default the first time). Kept in persisted snapshots by state path.
 */
import type { StatePath } from '../model/types';
import type { StateNode } from './compile';

export class HistoryMemory {
	private readonly remembered = new Map<StatePath, StateNode[]>();

	/** What the history state at `path` remembers, or undefined before its parent was ever exited. */
	get(path: StatePath): StateNode[] | undefined {
		return this.remembered.get(path);
	}

	/** `s` is being exited: every history child of it remembers the states active now. */
	record(s: StateNode, nodes: readonly StateNode[], active: readonly number[]): void {
		for (const h of s.historyChildren) {
			const states: StateNode[] = [];
			if (h.history === 'deep') {
				for (let i = s.index + 1; i <= s.end; i++) {
					const n = nodes[i];
					if (active[i] && (n.type === 'atomic' || n.type === 'final')) states.push(n);
				}
			} else {
				for (const c of s.regions) if (active[c.index]) states.push(c);
			}
			this.remembered.set(h.path, states);
		}
	}

	/** For a persisted snapshot: history state path → the paths it remembers. */
	persist(): Record<StatePath, StatePath[]> {
		const out: Record<StatePath, StatePath[]> = {};
		for (const [k, v] of this.remembered) out[k] = v.map((n) => n.path);
		return out;
	}

	/** Back from a persisted snapshot; paths this workflow no longer has are skipped. */
	static restore(saved: Record<StatePath, StatePath[]> | undefined, byPath: ReadonlyMap<StatePath, StateNode>): HistoryMemory | null {
		const entries = Object.entries(saved ?? {});
		if (entries.length === 0) return null;
		const memory = new HistoryMemory();
		for (const [hp, paths] of entries) memory.remembered.set(hp, paths.map((x) => byPath.get(x)).filter((x): x is StateNode => !!x));
		return memory;
	}
}
