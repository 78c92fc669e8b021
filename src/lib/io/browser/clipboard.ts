/** Copying to the clipboard, with a fallback for pages where the async API is refused. */
export async function copyText(text: string): Promise<boolean> {
	try {
		if (navigator.clipboard?.writeText) {
			await navigator.clipboard.writeText(text);
			return true;
		}
	} catch {
		// Permission refused or insecure context: fall back below.
	}
	const area = document.createElement('textarea');
	area.value = text;
	area.setAttribute('readonly', '');
	area.style.position = 'fixed';
	area.style.opacity = '0';
	document.body.appendChild(area);
	area.select();
	let ok = false;
	try {
		ok = document.execCommand('copy');
	} catch {
		ok = false;
	}
	area.remove();
	return ok;
}

/** The clipboard's text, or null when the browser refuses to read it (no permission). */
export async function readText(): Promise<string | null> {
	try {
		return (await navigator.clipboard?.readText()) ?? null;
	} catch {
		return null;
	}
}
