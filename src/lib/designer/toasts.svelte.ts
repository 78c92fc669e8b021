/** Short messages at the bottom of the screen, optionally with one action (Undo). */
export interface Toast {
	id: number;
	message: string;
	kind: 'info' | 'error';
	action?: { label: string; run: () => void };
	/** Called once when the toast goes away without its action being used. */
	onExpire?: () => void;
}

class Toasts {
	list = $state<Toast[]>([]);
	private next = 1;
	private timers = new Map<number, ReturnType<typeof setTimeout>>();

	show(message: string, opts: { kind?: Toast['kind']; action?: Toast['action']; onExpire?: () => void; ms?: number } = {}): number {
		const id = this.next++;
		const t: Toast = { id, message, kind: opts.kind ?? 'info', action: opts.action, onExpire: opts.onExpire };
		this.list = [...this.list, t];
		const ms = opts.ms ?? (opts.kind === 'error' ? 10000 : opts.action ? 8000 : 3500);
		this.timers.set(id, setTimeout(() => this.dismiss(id, true), ms));
		return id;
	}

	error(message: string) {
		return this.show(message, { kind: 'error' });
	}

	dismiss(id: number, expired = false) {
		const t = this.list.find((x) => x.id === id);
		clearTimeout(this.timers.get(id));
		this.timers.delete(id);
		this.list = this.list.filter((x) => x.id !== id);
		if (t && expired) t.onExpire?.();
	}

	act(id: number) {
		const t = this.list.find((x) => x.id === id);
		this.dismiss(id, false);
		t?.action?.run();
	}
}

export const toasts = new Toasts();
