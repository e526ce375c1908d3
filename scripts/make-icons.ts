// Writes the PWA icons (public/icon-192.png, icon-512.png, icon-maskable-512.png) without an
// image library: a PNG is a signature, an IHDR chunk, zlib-compressed scanlines and IEND.
// The picture: a white clipboard with three lines on the census blue. Run: node --import tsx scripts/make-icons.ts
import { deflateSync } from 'node:zlib';
import { writeFileSync } from 'node:fs';

const CRC_TABLE = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});
function crc32(buf: Buffer): number {
  let c = 0xffffffff;
  for (const b of buf) c = (CRC_TABLE[(c ^ b) & 0xff] ?? 0) ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}
function chunk(type: string, data: Buffer): Buffer {
  const len = Buffer.alloc(4);
  len.writeUInt32BE(data.length);
  const td = Buffer.concat([Buffer.from(type, 'ascii'), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(td));
  return Buffer.concat([len, td, crc]);
}

type Rgb = readonly [number, number, number];
const BLUE: Rgb = [11, 79, 163];
const WHITE: Rgb = [255, 255, 255];

/** Colour of pixel (x, y) in unit coordinates; `pad` shrinks the drawing into the maskable safe zone. */
function pixel(u: number, v: number, pad: number, roundBg: boolean): Rgb | null {
  if (roundBg) {
    // rounded-square background for the plain icon (transparent corners)
    const r = 0.18, cx = Math.min(Math.max(u, r), 1 - r), cy = Math.min(Math.max(v, r), 1 - r);
    if ((u - cx) ** 2 + (v - cy) ** 2 > r * r) return null;
  }
  const s = 1 - 2 * pad;
  const x = (u - pad) / s, y = (v - pad) / s;
  const inRect = (x0: number, y0: number, x1: number, y1: number) => x >= x0 && x <= x1 && y >= y0 && y <= y1;
  if (inRect(0.38, 0.14, 0.62, 0.24)) return WHITE; // clip
  if (inRect(0.24, 0.2, 0.76, 0.86)) {
    for (const ly of [0.36, 0.5, 0.64]) if (inRect(0.33, ly, 0.67, ly + 0.06)) return BLUE; // lines
    if (inRect(0.33, 0.74, 0.5, 0.78)) return BLUE;
    return WHITE;
  }
  return BLUE;
}

function png(size: number, pad: number, roundBg: boolean): Buffer {
  const rows: Buffer[] = [];
  for (let y = 0; y < size; y++) {
    const row = Buffer.alloc(1 + size * 4); // filter byte 0, RGBA
    for (let x = 0; x < size; x++) {
      const p = pixel((x + 0.5) / size, (y + 0.5) / size, pad, roundBg);
      if (p) row.set([p[0], p[1], p[2], 255], 1 + x * 4);
    }
    rows.push(row);
  }
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(size, 0);
  ihdr.writeUInt32BE(size, 4);
  ihdr.set([8, 6, 0, 0, 0], 8); // 8-bit RGBA
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', ihdr),
    chunk('IDAT', deflateSync(Buffer.concat(rows), { level: 9 })),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

const out = new URL('../public/', import.meta.url);
writeFileSync(new URL('icon-192.png', out), png(192, 0.04, true));
writeFileSync(new URL('icon-512.png', out), png(512, 0.04, true));
writeFileSync(new URL('icon-maskable-512.png', out), png(512, 0.14, false)); // safe zone: inner 80 %
writeFileSync(new URL('apple-touch-icon.png', out), png(180, 0.1, false));
console.log('icons written to public/');
