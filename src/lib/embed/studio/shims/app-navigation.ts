/** `$app/navigation` outside SvelteKit (the embed build): plain navigation of the host page. */
export async function goto(url: string | URL): Promise<void> {
	location.assign(String(url));
}
export async function invalidate(): Promise<void> {}
export async function invalidateAll(): Promise<void> {}
export function beforeNavigate(): void {}
export function afterNavigate(): void {}
export function onNavigate(): void {}
export async function preloadData(): Promise<void> {}
export async function preloadCode(): Promise<void> {}
export function pushState(): void {}
export function replaceState(): void {}
