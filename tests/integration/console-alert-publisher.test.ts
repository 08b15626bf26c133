import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ConsoleAlertPublisher } from '#shared/adapters/console-alert-publisher.ts';
import type { Alert } from '#shared/domain/types.ts';

function alert(overrides: Partial<Alert> = {}): Alert {
  return {
    storyId: 'story-7',
    level: 1,
    subject: 'IR-PK: talks announced',
    email: 'Talks were announced.\nSources: Example Wire',
    sms: 'IR-PK talks announced',
    attributes: { eventType: 'talks', severity: 2, dyad: 'IR-PK' },
    ...overrides,
  };
}

describe('ConsoleAlertPublisher', () => {
  let dir: string;

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'ipw-alerts-'));
  });

  afterEach(() => {
    rmSync(dir, { recursive: true, force: true });
  });

  it('appends one JSON line per alert with the clock’s time, creating the folder', async () => {
    const file = join(dir, 'nested', 'alerts.jsonl');
    const times = ['2026-03-02T10:00:00.000Z', '2026-03-02T10:05:00.000Z'];
    let tick = 0;
    const clock = () => new Date(times[Math.min(tick++, times.length - 1)] ?? 0);
    const printed: string[] = [];
    const publisher = new ConsoleAlertPublisher(file, clock, (text) => printed.push(text));

    const first = alert();
    const second = alert({ storyId: 'story-8', level: 2, subject: 'IR-PK: envoy recalled', attributes: { eventType: 'envoy_recall', severity: 4, dyad: 'IR-PK' } });
    await expect(publisher.publish(first)).resolves.toBe('local-story-7-1');
    await expect(publisher.publish(second)).resolves.toBe('local-story-8-2');

    const lines = readFileSync(file, 'utf8').split('\n');
    expect(lines).toHaveLength(3);
    expect(lines[2]).toBe('');
    expect(JSON.parse(lines[0] ?? '')).toEqual({ ...first, publishedAt: times[0] });
    expect(JSON.parse(lines[1] ?? '')).toEqual({ ...second, publishedAt: times[1] });
    expect(Object.keys(JSON.parse(lines[0] ?? '{}') as object)).toEqual(['storyId', 'level', 'subject', 'email', 'sms', 'attributes', 'publishedAt']);

    expect(printed).toHaveLength(2);
    expect(printed[0]).toContain(first.subject);
    expect(printed[0]).toContain(first.sms);
  });

  it('writes nothing to the console when print is null', async () => {
    const file = join(dir, 'alerts.jsonl');
    const publisher = new ConsoleAlertPublisher(file, () => new Date('2026-03-02T11:00:00.000Z'), null);
    await publisher.publish(alert());
    expect(JSON.parse(readFileSync(file, 'utf8').trim())).toMatchObject({ storyId: 'story-7', publishedAt: '2026-03-02T11:00:00.000Z' });
  });
});
