/**
 * Touch gestures the designer adds on top of Svelte Flow's pan and pinch-zoom: a long press
 * (the phone's right-click) and a swipe that closes a sheet. Both are Svelte actions.
 */

/** How long a finger rests, without moving, before a long press counts (ms). */
export const LONG_PRESS_MS = 500;
/** How far a finger may drift during a long press (px). */
export const LONG_PRESS_SLOP = 10;

/**
 * A long press with a finger or pen on `el` opens the same context menu as a right-click: it
 * sends a `contextmenu` event to the element under the finger, so the canvas' own handlers
 * (state, transition, empty canvas) decide what the menu holds. A second finger (a pinch), a
 * move or lifting the finger early cancels it. The browser's own long-press menu and the click
 * that may follow the press are swallowed so the menu opens once and stays open.
 */
export function longPress(el: HTMLElement, delay: number = LONG_PRESS_MS) {
	let timer: ReturnType<typeof setTimeout> | undefined;
	let start: { id: number; x: number; y: number } | null = null;
	let firedAt = -Infinity;
	let synthetic = false;
	// the finger that made the long press is still down: its lifting must not focus or click
	let held = false;

	const cancel = () => {
		clearTimeout(timer);
		timer = undefined;
		start = null;
	};
	function down(e: PointerEvent) {
		if (e.pointerType === 'mouse') return;
		if (!e.isPrimary || start) return cancel();
		start = { id: e.pointerId, x: e.clientX, y: e.clientY };
		timer = setTimeout(() => {
			const s = start;
			cancel();
			if (!s) return;
			// in a shadow root (the embedded studio) the document only sees the host element
			const root = el.getRootNode();
			const target = (root instanceof ShadowRoot ? root : document).elementFromPoint(s.x, s.y);
			if (!target || !el.contains(target)) return;
			firedAt = performance.now();
			held = true;
			synthetic = true;
			try {
				target.dispatchEvent(new MouseEvent('contextmenu', { bubbles: true, cancelable: true, clientX: s.x, clientY: s.y, button: 2, view: window }));
			} finally {
				synthetic = false;
			}
		}, delay);
	}
	function move(e: PointerEvent) {
		if (start && e.pointerId === start.id && Math.hypot(e.clientX - start.x, e.clientY - start.y) > LONG_PRESS_SLOP) cancel();
	}
	function up(e: PointerEvent) {
		if (start && e.pointerId === start.id) cancel();
	}
	const recently = () => performance.now() - firedAt < 1000;
	function contextmenu(e: Event) {
		if (synthetic) return;
		// the browser's own long-press menu: ours has opened (or is about to)
		if (start || recently()) {
			if (start && !recently()) {
				// it came first: let it through as the menu, and do not open a second one
				cancel();
				firedAt = performance.now();
				return;
			}
			e.preventDefault();
			e.stopPropagation();
		}
	}
	function click(e: MouseEvent) {
		if (recently()) {
			e.preventDefault();
			e.stopPropagation();
			firedAt = -Infinity;
		}
	}
	el.addEventListener('pointerdown', down, true);
	el.addEventListener('pointermove', move, true);
	el.addEventListener('pointerup', up, true);
	el.addEventListener('pointercancel', cancel, true);
	el.addEventListener('contextmenu', contextmenu, true);
	function touchend(e: TouchEvent) {
		if (!held) return;
		held = false;
		// no mouse events, focus change or click after the press: the menu keeps the focus
		if (e.cancelable) e.preventDefault();
	}
	el.addEventListener('click', click, true);
	el.addEventListener('touchend', touchend, { capture: true, passive: false });
	return {
		destroy() {
			cancel();
			el.removeEventListener('pointerdown', down, true);
			el.removeEventListener('pointermove', move, true);
			el.removeEventListener('pointerup', up, true);
			el.removeEventListener('pointercancel', cancel, true);
			el.removeEventListener('contextmenu', contextmenu, true);
			el.removeEventListener('click', click, true);
			el.removeEventListener('touchend', touchend, true);
		}
	};
}

/** Which way a sheet leaves the screen when swiped: a bottom sheet down, a left drawer left. */
export type SwipeAxis = 'down' | 'left';

/**
 * Dragging `el` (a sheet's grip or header) towards `axis` moves `sheet` with the finger;
 * released past a third of its size (or 90 px), `onclose` runs, otherwise it springs back.
 */
export function swipeToClose(el: HTMLElement, params: { sheet: () => HTMLElement | undefined; axis: SwipeAxis; onclose: () => void }) {
	let p = params;
	let start: { id: number; x: number; y: number } | null = null;
	let offset = 0;
	const apply = (v: number) => {
		const s = p.sheet();
		if (!s) return;
		s.style.transition = v === 0 ? '' : 'none';
		s.style.transform = v === 0 ? '' : p.axis === 'down' ? `translateY(${v}px)` : `translateX(${-v}px)`;
	};
	function down(e: PointerEvent) {
		if (e.button !== 0 || (e.target as Element).closest('button, a, input, select, textarea')) return;
		start = { id: e.pointerId, x: e.clientX, y: e.clientY };
		offset = 0;
		el.setPointerCapture(e.pointerId);
	}
	function move(e: PointerEvent) {
		if (!start || e.pointerId !== start.id) return;
		offset = Math.max(0, p.axis === 'down' ? e.clientY - start.y : start.x - e.clientX);
		apply(offset);
	}
	function up(e: PointerEvent) {
		if (!start || e.pointerId !== start.id) return;
		start = null;
		const s = p.sheet();
		const size = s ? (p.axis === 'down' ? s.offsetHeight : s.offsetWidth) : 300;
		apply(0);
		if (offset > Math.min(90, size / 3)) p.onclose();
	}
	el.addEventListener('pointerdown', down);
	el.addEventListener('pointermove', move);
	el.addEventListener('pointerup', up);
	el.addEventListener('pointercancel', up);
	return {
		update(next: typeof params) {
			p = next;
		},
		destroy() {
			el.removeEventListener('pointerdown', down);
			el.removeEventListener('pointermove', move);
			el.removeEventListener('pointerup', up);
			el.removeEventListener('pointercancel', up);
		}
	};
}
