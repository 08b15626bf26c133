import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { crisis, dayIso, writeCrisisFeeds as writeFeeds } from '../helpers/crisis-feeds.ts';

const run = promisify(execFile);
const ROOT = resolve(import.meta.dirname, '../..');

async function cycle(feeds: string[], dataDir: string, now: string): Promise<{ alerts: { published: number }; articles: { new: number } }> {
  const { stdout } = await run('npm', ['run', '--silent', 'start', '--', '--feeds', feeds.join(','), '--data-dir', dataDir, '--now', now, '--json'], { cwd: ROOT, timeout: 120_000 });
  return JSON.parse(stdout.trim());
}

function alertLines(dataDir: string): { storyId: string; level: number; subject: string; email: string; sms: string; attributes: { eventType: string; severity: number }; publishedAt: string }[] {
  const file = join(dataDir, 'alerts.jsonl');
  return existsSync(file) ? readFileSync(file, 'utf8').trim().split('\n').filter(Boolean).map((l) => JSON.parse(l)) : [];
}

describe('replay of an invented ten-day crisis through npm start, one cycle a day', () => {
  let work: string;
  let dataDir: string;
  const byDay = new Map<number, ReturnType<typeof alertLines>>();
  const rerunPublished: number[] = [];
  let articles = 0;

  beforeAll(async () => {
    work = mkdtempSync(join(tmpdir(), 'ipw-crisis-'));
    dataDir = join(work, 'data');
    for (let day = 1; day <= 10; day++) {
      const feeds = writeFeeds(work, day);
      const before = alertLines(dataDir).length;
      const summary = await cycle(feeds, dataDir, dayIso(day));
      articles += summary.articles.new;
      byDay.set(day, alertLines(dataDir).slice(before));
      // Property: running the same cycle again, at any point, sends nothing new.
      const again = await cycle(feeds, dataDir, dayIso(day, '18:30'));
      rerunPublished.push(again.alerts.published);
    }
    console.log(`crisis replay: ${crisis.items.length} items (${articles} stored), ${[...byDay.values()].flat().length} alerts`);
  }, 300_000);

  afterAll(() => rmSync(work, { recursive: true, force: true }));

  it('sends exactly the expected alerts, on the expected days', () => {
    const sent = [...byDay.entries()].flatMap(([day, alerts]) => alerts.map((a) => ({ day, eventType: a.attributes.eventType })));
    expect(sent).toEqual(crisis.expectedAlerts);
  });

  it('keeps Iran’s strike on Pakistan and Pakistan’s strike on Iran apart, and the recall apart from the return', () => {
    const strikes = [...byDay.values()].flat().filter((a) => a.attributes.eventType === 'strike');
    expect(new Set(strikes.map((a) => a.storyId)).size).toBe(2);
    expect(strikes[0]?.email).toMatch(/Iran toward Pakistan/);
    expect(strikes[1]?.email).toMatch(/Pakistan toward Iran/);
  });

  it('says what changed in the relationship', () => {
    const recall = byDay.get(3)?.[0];
    expect(recall?.email).toMatch(/ambassadors recalled/);
    const secondStrike = byDay.get(4)?.[0];
    expect(secondStrike?.email).toMatch(/first strike since 2024-03-02/);
  });

  it('never re-alerts for more sources, late reports or the announced visit taking place', () => {
    for (const day of [8, 9, 10]) expect(byDay.get(day)).toEqual([]);
  });

  it('sends nothing new when any cycle runs again', () => {
    expect(rerunPublished).toEqual(Array(10).fill(0));
  });

  it('keeps every alert readable: subject ≤ 100 characters, one GSM-7 SMS segment', () => {
    for (const alert of [...byDay.values()].flat()) {
      expect(alert.subject.length).toBeLessThanOrEqual(100);
      expect(alert.sms.length).toBeLessThanOrEqual(160);
      expect(alert.sms).toMatch(/^[\x20-\x7e£¥èéùìòÇØøÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ¤¡ÄÖÑÜ§¿äöñüà\n\r]*$/);
    }
  });
});
