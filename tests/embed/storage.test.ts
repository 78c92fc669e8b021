import { describe, expect, it } from 'vitest';
import { evictionRisk, formatBytes, type StorageStatus } from '../../src/lib/embed/pwa/storage';

const GB = 1024 ** 3;
const MB = 1024 ** 2;
const status = (s: Partial<StorageStatus>): StorageStatus => ({ usage: 0, quota: 10 * GB, details: {}, persisted: false, supported: true, ...s });

describe('storage that stays', () => {
	it('warns while data that is not persistent is near the quota', () => {
		expect(evictionRisk(status({ usage: 1 * GB }))).toBeNull();
		expect(evictionRisk(status({ usage: 9.5 * GB }))).toMatch(/almost full \(9\.5 GB of 10\.0 GB used\)/);
		// a small quota: under 100 MB free is a risk even when it is more than 10 %
		expect(evictionRisk(status({ usage: 150 * MB, quota: 240 * MB }))).not.toBeNull();
	});
	it('does not warn when the data is persistent or nothing is known', () => {
		expect(evictionRisk(status({ usage: 9.9 * GB, persisted: true }))).toBeNull();
		expect(evictionRisk(status({ supported: false }))).toBeNull();
		expect(evictionRisk(status({ quota: 0 }))).toBeNull();
	});
	it('formats sizes as people read them', () => {
		expect(formatBytes(512)).toBe('512 B');
		expect(formatBytes(1536)).toBe('1.5 kB');
		expect(formatBytes(250 * MB)).toBe('250 MB');
	});
});
