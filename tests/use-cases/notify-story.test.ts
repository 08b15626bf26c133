import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { notifyStory, type NotifyDeps } from '#shared/use-cases/notify-story.ts';
import { silentLog } from '#shared/ports.ts';
import type { Story } from '#shared/domain/types.ts';
import { openTestTable, type TestTable } from '../helpers/dynalite.ts';
import { RecordingPublisher } from '../helpers/fakes.ts';

function story(overrides: Partial<Story> = {}): Story {
  return {
    storyId: 'story-1',
    dyad: 'IR-PK',
    primaryType: 'envoy_recall',
    types: ['envoy_recall'],
    severity: 4,
    confidence: 0.8,
    actors: [{ country: 'PK' }, { country: 'IR' }],
    eventDates: [],
    headline: 'Pakistan recalls its ambassador from Tehran after cross-border strike',
    evidence: 'Pakistan recalls its ambassador from Tehran after cross-border strike',
    firstSeen: '2024-01-17T18:00:00.000Z',
    lastSeen: '2024-01-17T18:00:00.000Z',
    sourceCount: 1,
    articles: [{ articleId: 'a1', url: 'https://indus-daily.example/recall', title: 'Pakistan recalls envoy', outlet: 'Indus Daily', publishedAt: '2024-01-17T18:00:00.000Z' }],
    tokens: [],
    alertLevel: 1,
    version: 1,
    ...overrides,
  };
}

describe('notifyStory against dynalite', () => {
  let table: TestTable;
  let publisher: RecordingPublisher;
  let deps: NotifyDeps;

  beforeEach(async () => {
    table = await openTestTable();
    publisher = new RecordingPublisher();
    deps = { store: table.store, publisher, clock: () => new Date('2024-01-17T18:05:00Z'), log: silentLog };
  });
  afterEach(async () => table.close());

  it('publishes once when the claim went through but was reported failed, and when marking it sent fails for a while', async () => {
    let claimFails = 1;
    let markFails = 3;
    const store = new Proxy(table.store, {
      get(target, key) {
        const value = Reflect.get(target, key);
        if (key === 'claimAlert') {
          return async (...args: Parameters<typeof target.claimAlert>) => {
            const out = await target.claimAlert(...args);
            if (claimFails-- > 0) throw new Error('connection dropped after the write');
            return out;
          };
        }
        if (key === 'markAlertSent') {
          return async (...args: Parameters<typeof target.markAlertSent>) => {
            if (markFails-- > 0) throw new Error('ThrottlingException');
            return target.markAlertSent(...args);
          };
        }
        return typeof value === 'function' ? value.bind(target) : value;
      },
    });
    expect(await notifyStory(story(), { ...deps, store })).toBe('published');
    expect(await table.store.sentAlertLevels('story-1')).toEqual([1]);
    expect(await notifyStory(story(), { ...deps, store })).toBe('duplicate');
    expect(publisher.alerts).toHaveLength(1);
  });

  it('sends nothing for a story since merged into another (a late stream record of it)', async () => {
    await table.store.putStory(story({ version: 0 }), 0);
    expect(await table.store.retireStory('story-1', 1, 'story-0')).toBe(true);
    expect(await notifyStory(story(), deps)).toBe('merged');
    expect(publisher.alerts).toEqual([]);
  });

  it('publishes a confirmed story once; a repeated delivery sends nothing', async () => {
    expect(await notifyStory(story(), deps)).toBe('published');
    expect(await notifyStory(story(), deps)).toBe('duplicate');
    expect(publisher.alerts).toHaveLength(1);
    expect(publisher.alerts[0]).toMatchObject({ storyId: 'story-1', level: 1, attributes: { eventType: 'envoy_recall', severity: 4, dyad: 'IR-PK' } });
    expect(await table.store.sentAlertLevels('story-1')).toEqual([1]);
  });

  it('sends one alert when the same change is delivered twice at once', async () => {
    const outcomes = await Promise.all([notifyStory(story(), deps), notifyStory(story(), deps)]);
    expect(outcomes.sort()).toEqual(['duplicate', 'published']);
    expect(publisher.alerts).toHaveLength(1);
  });

  it('releases the claim when publishing fails, so the retry sends it', async () => {
    publisher.failNext = 1;
    await expect(notifyStory(story(), deps)).rejects.toThrow('SNS is unavailable');
    expect(await notifyStory(story(), deps)).toBe('published');
    expect(publisher.alerts).toHaveLength(1);
  });

  it('does not alert an unconfirmed story', async () => {
    expect(await notifyStory(story({ alertLevel: 0 }), deps)).toBe('not-alertable');
    expect(publisher.alerts).toHaveLength(0);
  });

  it('suppressed alerts (backfills) are never sent later', async () => {
    expect(await notifyStory(story(), deps, { suppress: true })).toBe('suppressed');
    expect(await notifyStory(story(), deps)).toBe('duplicate');
    expect(publisher.alerts).toHaveLength(0);
  });

  it('marks an escalation as an update only when an earlier level was sent', async () => {
    await notifyStory(story(), deps);
    await notifyStory(story({ alertLevel: 2, severity: 5, types: ['envoy_recall', 'strike'] }), deps);
    expect(publisher.alerts.map((a) => a.subject.startsWith('UPDATE'))).toEqual([false, true]);
    const fresh = story({ storyId: 'story-2', alertLevel: 2 });
    await notifyStory(fresh, deps);
    expect(publisher.alerts[2]!.subject.startsWith('UPDATE')).toBe(false);
  });
});
