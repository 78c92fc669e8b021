/** Saving back to the same file (File System Access API), with a fake that speaks its interface. */
import { afterEach, describe, expect, it } from 'vitest';
import { saveText, canSaveInPlace, type FileSystemFileHandleLike } from '../../src/lib/io/browser/files';

class FakeHandle implements FileSystemFileHandleLike {
	contents = '';
	writes = 0;
	constructor(public name: string) {}
	async getFile(): Promise<File> {
		return new File([this.contents], this.name);
	}
	async createWritable() {
		let pending = '';
		return {
			write: async (data: string | Blob) => {
				pending += typeof data === 'string' ? data : await data.text();
			},
			close: async () => {
				this.contents = pending;
				this.writes++;
			}
		};
	}
}

const g = globalThis as unknown as { window?: Record<string, unknown> };
afterEach(() => {
	delete g.window;
});

describe('saving files', () => {
	it('asks where to save once, then saves back to the same file', async () => {
		const picked: FakeHandle[] = [];
		g.window = {
			showSaveFilePicker: async (o: { suggestedName: string }) => {
				const h = new FakeHandle(o.suggestedName);
				picked.push(h);
				return h;
			}
		};
		expect(canSaveInPlace()).toBe(true);
		const first = await saveText('door.fsm.json', '{"v":1}');
		expect(first).toMatchObject({ saved: true, method: 'picker' });
		if (!first.saved) return;
		const second = await saveText('door.fsm.json', '{"v":2}', first.handle);
		expect(second).toMatchObject({ saved: true, method: 'in-place' });
		expect(picked).toHaveLength(1);
		expect(picked[0].contents).toBe('{"v":2}');
		expect(picked[0].writes).toBe(2);
	});

	it('a cancelled picker is not an error', async () => {
		g.window = {
			showSaveFilePicker: async () => {
				throw new DOMException('The user aborted a request.', 'AbortError');
			}
		};
		expect(await saveText('x.fsm.json', '{}')).toEqual({ saved: false, reason: 'cancelled' });
	});

	it('a failing write is reported, not thrown', async () => {
		const h = new FakeHandle('x.fsm.json');
		h.createWritable = async () => {
			throw new Error('The file is read-only');
		};
		expect(await saveText('x.fsm.json', '{}', h)).toEqual({ saved: false, reason: 'error', message: 'The file is read-only' });
	});
});
