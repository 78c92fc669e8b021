import { test, expect } from './fixtures';
import { dragFromLibrary, newWorkflow, stateNode, workflowJson } from './designer-helpers';
import { watchConsole } from './llm-helpers';

test('the JSON answer schema of Call LLM is edited as a form, and as JSON when it is richer', async ({ page }) => {
	const c = watchConsole(page);
	await newWorkflow(page);
	await dragFromLibrary(page, 'lib-atomic', 300, 200);
	await page.getByLabel('Name', { exact: true }).press('Escape');
	await dragFromLibrary(page, 'lib-effect-call_llm', 0, 0, stateNode(page, 'state'));
	await stateNode(page, 'state').click();
	const invoke = page.locator('.props .effect').filter({ hasText: 'Call LLM' });
	await invoke.getByRole('button', { name: /^Call LLM/ }).click();
	const editor = invoke.getByRole('group', { name: 'Answer schema (schema)' });
	await expect(editor.getByText('No fields: any JSON object is accepted.')).toBeVisible();
	await editor.getByRole('button', { name: 'Add field' }).click();
	await editor.getByLabel('Field 1 name').fill('category');
	await editor.getByLabel('Field 1 name').blur();
	await editor.getByLabel('Field 1 type').selectOption('enum');
	await editor.getByLabel('Field 1 choices').fill('billing, technical');
	await editor.getByLabel('Field 1 choices').blur();
	await expect.poll(async () => (await workflowJson(page)).states.state.invoke.schema).toEqual({
		type: 'object',
		properties: { category: { type: 'string', enum: ['billing', 'technical'] } },
		required: ['category']
	});
	// a richer schema stays in the JSON editor and says why
	await editor.getByRole('tab', { name: 'JSON' }).click();
	await editor.getByLabel('JSON Schema').fill('{"type": "object", "properties": {"tags": {"type": "array", "items": {"type": "string"}}}}');
	await editor.getByLabel('JSON Schema').blur();
	await editor.getByRole('tab', { name: 'Form' }).click();
	await expect(editor.getByRole('alert')).toContainText('needs the JSON editor');
	await expect.poll(async () => (await workflowJson(page)).states.state.invoke.schema.properties.tags.type).toBe('array');
	c.check();
});
