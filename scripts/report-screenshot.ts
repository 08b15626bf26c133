/**
 * Regenerates the README's picture of the analyst report: replays the invented ten-day crisis
 * (tests/fixtures/crisis) through `npm start`, one cycle a day, into a scratch data dir, writes
 * the report with `npm run report`, and photographs it in headless Chromium.
 *
 *   npx tsx scripts/report-screenshot.ts [--out docs/report-screenshot.png] [--width 1280] [--html report.html]
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { deflateSync, inflateSync } from 'node:zlib';
import { chromium } from 'playwright-core';
import { TYPE_COLOUR } from '../shared/domain/report-data.ts';
import { dayIso, writeCrisisFeeds } from '../tests/helpers/crisis-feeds.ts';

const ROOT = resolve(import.meta.dirname, '..');
const { values } = parseArgs({
  options: { out: { type: 'string', default: 'docs/report-screenshot.png' }, width: { type: 'string', default: '1280' }, html: { type: 'string' } },
});

/**
 * Chromium's PNG is 24-bit; the page is mostly white, greys and eleven type colours, so a
 * 256-colour palette (the type colours, then the most used, the rest mapped to the nearest) keeps it legible at
 * about a third of the size (the README asks for under 300 KB).
 */
function toPalettePng(png: Buffer, keep: string[]): Buffer {
  const chunks: { type: string; data: Buffer }[] = [];
  for (let at = 8; at < png.length; ) {
    const length = png.readUInt32BE(at);
    chunks.push({ type: png.toString('latin1', at + 4, at + 8), data: png.subarray(at + 8, at + 8 + length) });
    at += 12 + length;
  }
  const header = (chunks[0] as { data: Buffer }).data;
  const [width, height, depth, colourType, interlace] = [header.readUInt32BE(0), header.readUInt32BE(4), header[8], header[9], header[12]];
  if (depth !== 8 || (colourType !== 2 && colourType !== 6) || interlace !== 0) return png; // not what Chromium writes: leave it
  const bpp = colourType === 6 ? 4 : 3;
  const raw = inflateSync(Buffer.concat(chunks.filter((c) => c.type === 'IDAT').map((c) => c.data)));
  const stride = width * bpp;
  const pixels = Buffer.alloc(stride * height);
  for (let y = 0; y < height; y++) {
    const filter = raw[y * (stride + 1)] as number;
    const line = raw.subarray(y * (stride + 1) + 1, (y + 1) * (stride + 1));
    for (let x = 0; x < stride; x++) {
      const left = x >= bpp ? (pixels[y * stride + x - bpp] as number) : 0;
      const up = y > 0 ? (pixels[(y - 1) * stride + x] as number) : 0;
      const corner = x >= bpp && y > 0 ? (pixels[(y - 1) * stride + x - bpp] as number) : 0;
      const p = left + up - corner;
      const [pa, pb, pc] = [Math.abs(p - left), Math.abs(p - up), Math.abs(p - corner)];
      const predictor = [0, left, up, (left + up) >> 1, pa <= pb && pa <= pc ? left : pb <= pc ? up : corner][filter] as number;
      pixels[y * stride + x] = ((line[x] as number) + predictor) & 0xff;
    }
  }
  const rgb = (i: number) => ((pixels[i] as number) << 16) | ((pixels[i + 1] as number) << 8) | (pixels[i + 2] as number);
  const counts = new Map<number, number>();
  for (let i = 0; i < pixels.length; i += bpp) counts.set(rgb(i), (counts.get(rgb(i)) ?? 0) + 1);
  // The legend's swatches are few pixels each: their colours are kept whatever their share.
  const kept = [...new Set(keep.map((hex) => Number.parseInt(hex.slice(1), 16)))];
  const palette = [...kept, ...[...counts.entries()].sort((a, b) => b[1] - a[1]).map(([c]) => c).filter((c) => !kept.includes(c))].slice(0, 256);
  const index = new Map(palette.map((c, i) => [c, i]));
  const nearest = (c: number) => {
    let best = 0;
    let bestDistance = Infinity;
    palette.forEach((p, i) => {
      const d = ((p >> 16) - (c >> 16)) ** 2 + (((p >> 8) & 0xff) - ((c >> 8) & 0xff)) ** 2 + ((p & 0xff) - (c & 0xff)) ** 2;
      if (d < bestDistance) [best, bestDistance] = [i, d];
    });
    index.set(c, best);
    return best;
  };
  const rows = Buffer.alloc((width + 1) * height);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const c = rgb(y * stride + x * bpp);
      rows[y * (width + 1) + 1 + x] = index.get(c) ?? nearest(c);
    }
  }
  const plte = Buffer.alloc(palette.length * 3);
  palette.forEach((c, i) => plte.writeUIntBE(c, i * 3, 3));
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(width, 0);
  ihdr.writeUInt32BE(height, 4);
  ihdr.set([8, 3, 0, 0, 0], 8);
  const chunk = (type: string, data: Buffer) => {
    const body = Buffer.concat([Buffer.from(type, 'latin1'), data]);
    const out = Buffer.alloc(12 + data.length);
    out.writeUInt32BE(data.length, 0);
    body.copy(out, 4);
    out.writeUInt32BE(crc32(body), 8 + data.length);
    return out;
  };
  return Buffer.concat([png.subarray(0, 8), chunk('IHDR', ihdr), chunk('PLTE', plte), chunk('IDAT', deflateSync(rows, { level: 9 })), chunk('IEND', Buffer.alloc(0))]);
}

/** CRC-32 as PNG chunks use it (zlib's, which Node's zlib exposes only from 20.15). */
function crc32(data: Buffer): number {
  let crc = 0xffffffff;
  for (const byte of data) {
    crc ^= byte;
    for (let k = 0; k < 8; k++) crc = crc & 1 ? (crc >>> 1) ^ 0xedb88320 : crc >>> 1;
  }
  return (crc ^ 0xffffffff) >>> 0;
}

const work = mkdtempSync(join(tmpdir(), 'ipw-screenshot-'));
try {
  const dataDir = join(work, 'data');
  for (let day = 1; day <= 10; day++) {
    const feeds = writeCrisisFeeds(work, day);
    execFileSync('npm', ['run', '--silent', 'start', '--', '--feeds', feeds.join(','), '--data-dir', dataDir, '--now', dayIso(day), '--json', '--no-alerts'], { cwd: ROOT, stdio: ['ignore', 'ignore', 'inherit'] });
  }
  const html = resolve(values.html ?? join(work, 'report.html'));
  execFileSync('npm', ['run', '--silent', 'report', '--', '--dyad', 'IR-PK', '--since', '2024-03-01', '--until', '2024-03-31', '--data-dir', dataDir, '--out', html], { cwd: ROOT, stdio: 'inherit' });
  const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ['--headless', '--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking'] });
  try {
    const page = await browser.newPage({ viewport: { width: Number(values.width), height: 900 } });
    await page.goto(pathToFileURL(html).href);
    const out = resolve(ROOT, values.out);
    writeFileSync(out, toPalettePng(await page.screenshot({ fullPage: true }), Object.values(TYPE_COLOUR)));
    console.log(`${out} (${Math.round(statSync(out).size / 1024)} KB)`);
  } finally {
    await browser.close();
  }
} finally {
  rmSync(work, { recursive: true, force: true });
}
