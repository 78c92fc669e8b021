import { describe, expect, it } from 'vitest';
import { templateCards } from '$lib/templates/catalog';
import { templatePreview, templates } from '$lib/templates';

// The home page's gallery reads the template files without checking them (no zod, no parser,
// to keep the page light); what it shows must be what the checked templates say.
describe('template cards', () => {
	it('list every bundled template in gallery order, with the same words and thumbnail', () => {
		expect(templateCards.map((c) => c.id)).toEqual(templates.map((t) => t.id));
		for (const [i, t] of templates.entries()) {
			const c = templateCards[i];
			expect({ name: c.name, category: c.category, summary: c.summary }).toEqual({ name: t.name, category: t.category, summary: t.summary });
			expect(c.preview).toEqual(templatePreview(t));
			expect(c.preview.boxes.length).toBeGreaterThan(2);
		}
	});
});
