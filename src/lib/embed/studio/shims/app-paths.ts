/** `$app/paths` outside SvelteKit (the embed build): the app's own links are hidden in an embedded designer. */
export const base = '';
export const assets = '';
export function resolve(path: string): string {
	return path;
}
export function asset(path: string): string {
	return path;
}
