// Writes the PWA icons (icon-192.png, icon-512.png, maskable-512.png) from the design of
// static/favicon.svg (32×32 units), drawn as simple shapes with 4×4 supersampling and
// encoded as PNG with node:zlib. No dependencies, no network: `node scripts/generate-icons.mjs`.
import { deflateSync } from 'node:zlib';
import { writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = join(dirname(fileURLToPath(import.meta.url)), "..", "static", "icons");
const INDIGO = [0x4f, 0x46, 0xe5];
const WHITE = [0xff, 0xff, 0xff];

/** Colour of one sample at (x, y) in favicon units, or null when transparent. */
function sample(x, y, maskable) {
	const inBackground = maskable || insideRoundedRect(x, y, 0, 0, 32, 32, 7);
	if (!inBackground) return null;
	const d1 = Math.hypot(x - 10, y - 16); // filled circle r=4
	const d2 = Math.hypot(x - 22, y - 16); // ring r=4, stroke 2
	const bar = x >= 14 && x <= 18 && y >= 15 && y <= 17; // the transition line
	if (d1 <= 4 || (d2 >= 3 && d2 <= 5) || bar) return WHITE;
	return INDIGO;
}

function insideRoundedRect(x, y, x0, y0, w, h, r) {
	if (x < x0 || y < y0 || x > x0 + w || y > y0 + h) return false;
	const cx = Math.min(Math.max(x, x0 + r), x0 + w - r);
	const cy = Math.min(Math.max(y, y0 + r), y0 + h - r);
	return Math.hypot(x - cx, y - cy) <= r;
}

function render(size, maskable) {
	const SS = 4;
	const rgba = Buffer.alloc(size * size * 4);
	for (let py = 0; py < size; py++) {
		for (let px = 0; px < size; px++) {
			let r = 0, g = 0, b = 0, a = 0;
			for (let sy = 0; sy < SS; sy++) {
				for (let sx = 0; sx < SS; sx++) {
					const c = sample(((px + (sx + 0.5) / SS) * 32) / size, ((py + (sy + 0.5) / SS) * 32) / size, maskable);
					if (!c) continue;
					r += c[0]; g += c[1]; b += c[2]; a++;
				}
			}
			const o = (py * size + px) * 4;
			if (a) {
				rgba[o] = Math.round(r / a);
				rgba[o + 1] = Math.round(g / a);
				rgba[o + 2] = Math.round(b / a);
			}
			rgba[o + 3] = Math.round((a * 255) / (SS * SS));
		}
	}
	return encodePng(size, size, rgba);
}

const CRC_TABLE = Array.from({ length: 256 }, (_, n) => {
	let c = n;
	for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
	return c >>> 0;
});
function crc32(buf) {
	let c = 0xffffffff;
	for (const byte of buf) c = CRC_TABLE[(c ^ byte) & 0xff] ^ (c >>> 8);
	return (c ^ 0xffffffff) >>> 0;
}
function chunk(type, data) {
	const len = Buffer.alloc(4);
	len.writeUInt32BE(data.length);
	const body = Buffer.concat([Buffer.from(type, 'ascii'), data]);
	const crc = Buffer.alloc(4);
	crc.writeUInt32BE(crc32(body));
	return Buffer.concat([len, body, crc]);
}
function encodePng(w, h, rgba) {
	const ihdr = Buffer.alloc(13);
	ihdr.writeUInt32BE(w, 0);
	ihdr.writeUInt32BE(h, 4);
	ihdr[8] = 8; // bit depth
	ihdr[9] = 6; // RGBA
	const raw = Buffer.alloc(h * (w * 4 + 1));
	for (let y = 0; y < h; y++) rgba.copy(raw, y * (w * 4 + 1) + 1, y * w * 4, (y + 1) * w * 4); // filter 0
	return Buffer.concat([
		Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
		chunk('IHDR', ihdr),
		chunk('IDAT', deflateSync(raw, { level: 9 })),
		chunk('IEND', Buffer.alloc(0))
	]);
}

for (const [name, size, maskable] of [
	['icon-192.png', 192, false],
	['icon-512.png', 512, false],
	['maskable-512.png', 512, true]
]) {
	writeFileSync(join(here, name), render(size, maskable));
	console.log(name);
}
