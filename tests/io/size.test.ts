import { describe, expect, it } from 'vitest';
import { megabytes, tooLargeMessage } from '../../src/lib/io/size';
import { importFile, importPasted } from '../../src/lib/io/drop';

describe('the import size limit in plain words', () => {
	it('shows the real size, with a decimal below 10 MB', () => {
		expect(megabytes(5_200_000)).toBe('5.2 MB');
		expect(megabytes(12_400_000)).toBe('12 MB');
		expect(megabytes(900_000)).toBe('0.9 MB');
	});

	it('never says "5.0 MB" of something over a 5 MB limit', () => {
		expect(megabytes(5_000_001)).toBe('just over 5 MB');
		expect(megabytes(5_040_000)).toBe('just over 5 MB');
		expect(megabytes(5_060_000)).toBe('5.1 MB');
	});

	it('says what it is, how big, the limit and what to do — once, without a doubled name', async () => {
		expect(tooLargeMessage(5_200_000, 'text')).toBe(
			'This text is 5.2 MB; FSM Studio opens workflows up to 5 MB. Remove what the workflow does not need (long embedded texts or data) and try again.'
		);
		const r = await importFile('big.json', `{"name":"${'x'.repeat(5_300_000)}"}`);
		expect(r.ok).toBe(false);
		if (!r.ok) {
			expect(r.errors).toHaveLength(1);
			expect(r.errors[0].message).toMatch(/^This file is 5\.3 MB; FSM Studio opens workflows up to 5 MB\./);
			expect(r.errors[0].message).not.toMatch(/big\.json|The file:/);
		}
		const p = await importPasted('stateDiagram-v2\n' + 'a --> b\n'.repeat(700_000));
		expect(p.ok).toBe(false);
		if (!p.ok) expect(p.errors[0].message).toMatch(/^This text is 5\.6 MB/);
	});
});
