// Draws the add-in's ribbon and store icons (a white histogram of a bell curve on a blue tile) as PNGs.
// Run: node addin/scripts/make-icons.mjs  — writes addin/assets/icon-<size>.png
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { deflateSync } from 'node:zlib';

const SIZES = [16, 32, 64, 80, 128];
const BLUE = [15, 108, 189];
const WHITE = [255, 255, 255];

function crc32(bytes) {
  let c = ~0;
  for (const b of bytes) {
    c ^= b;
    for (let k = 0; k < 8; k++) c = c & 1 ? (c >>> 1) ^ 0xedb88320 : c >>> 1;
  }
  return ~c >>> 0;
}

function chunk(type, data) {
  const out = Buffer.alloc(12 + data.length);
  out.writeUInt32BE(data.length, 0);
  out.write(type, 4, 'ascii');
  data.copy(out, 8);
  out.writeUInt32BE(crc32(out.subarray(4, 8 + data.length)), 8 + data.length);
  return out;
}

function png(size, pixel) {
  const raw = Buffer.alloc(size * (1 + size * 4));
  for (let y = 0; y < size; y++) {
    raw[y * (1 + size * 4)] = 0; // filter: none
    for (let x = 0; x < size; x++) raw.set(pixel(x, y), y * (1 + size * 4) + 1 + x * 4);
  }
  const header = Buffer.alloc(13);
  header.writeUInt32BE(size, 0);
  header.writeUInt32BE(size, 4);
  header.set([8, 6, 0, 0, 0], 8); // 8-bit RGBA
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', header),
    chunk('IDAT', deflateSync(raw)),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

function icon(size) {
  const radius = size * 0.18;
  const bars = 5;
  const margin = size * 0.18;
  const barWidth = (size - 2 * margin) / bars;
  const inTile = (x, y) => {
    const cx = Math.min(Math.max(x, radius), size - radius);
    const cy = Math.min(Math.max(y, radius), size - radius);
    return (x - cx) ** 2 + (y - cy) ** 2 <= radius ** 2;
  };
  return png(size, (px, py) => {
    const x = px + 0.5;
    const y = py + 0.5;
    if (!inTile(x, y)) return [0, 0, 0, 0];
    const bar = Math.floor((x - margin) / barWidth);
    const insideBar = bar >= 0 && bar < bars && (x - margin) % barWidth < barWidth * 0.78;
    const height = (size - 2 * margin) * Math.exp(-(((bar - 2) / 1.4) ** 2));
    const onBar = insideBar && y >= size - margin - height && y <= size - margin;
    return [...(onBar ? WHITE : BLUE), 255];
  });
}

const dir = join(import.meta.dirname, '..', 'assets');
for (const size of SIZES) writeFileSync(join(dir, `icon-${size}.png`), icon(size));
