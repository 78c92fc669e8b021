/** Animation length, or 0 when the user asked the system for reduced motion. */
export function motion(ms: number): number {
	if (typeof window === 'undefined' || !window.matchMedia) return ms;
	return window.matchMedia('(prefers-reduced-motion: reduce)').matches ? 0 : ms;
}
