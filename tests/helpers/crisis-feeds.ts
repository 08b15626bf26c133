import { readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';

/** The invented ten-day crisis (tests/fixtures/crisis) as RSS files, for replays through the real CLI. */

export interface CrisisItem {
  day: number;
  outlet: string;
  time: string;
  title: string;
  summary: string;
  slug: string;
  /** the real-world event it reports (null: not an Iran–Pakistan event) */
  event: string | null;
}
export interface Crisis {
  outlets: Record<string, string>;
  items: CrisisItem[];
  expectedAlerts: { day: number; eventType: string }[];
}

const ROOT = resolve(import.meta.dirname, '../..');

export const crisis = JSON.parse(readFileSync(join(ROOT, 'tests/fixtures/crisis/ten-day-crisis.json'), 'utf8')) as Crisis;
export const dayIso = (day: number, time = '18:00') => `2024-03-${String(day).padStart(2, '0')}T${time}:00Z`;
export const escapeXml = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

/** Each outlet's feed as it stands at the end of a day: its newest items first, like real feeds. */
export function writeCrisisFeeds(dir: string, day: number): string[] {
  return Object.entries(crisis.outlets).map(([id, name]) => {
    const items = crisis.items
      .filter((i) => i.outlet === id && i.day <= day)
      .sort((a, b) => b.day - a.day)
      .map((i) => `<item><title>${escapeXml(i.title)}</title><link>https://${id}.example/2024/03/${i.slug}</link><guid>${id}-${i.slug}</guid><pubDate>${new Date(dayIso(i.day, i.time)).toUTCString()}</pubDate><description>${escapeXml(i.summary)}</description></item>`)
      .join('');
    const path = join(dir, `${id}.xml`);
    writeFileSync(path, `<?xml version="1.0" encoding="UTF-8"?><rss version="2.0"><channel><title>${escapeXml(name)}</title>${items}</channel></rss>`);
    return path;
  });
}
