import { describe, expect, it } from 'vitest';
import { notifyStory, publishDigest } from '#shared/use-cases/notify-story.ts';
import { silentLog } from '#shared/ports.ts';
import type { Story } from '#shared/domain/types.ts';
import { MemoryEventStore } from '../helpers/memory-store.ts';
import { RecordingPublisher } from '../helpers/fakes.ts';

function story(i: number, level = 1): Story {
  return {
    storyId: `s${i}`, dyad: 'IR-PK', primaryType: 'protest', types: ['protest'], severity: 3, confidence: 0.8, actors: [{ country: 'IR' }, { country: 'PK' }], eventDates: [],
    headline: `Protest number ${i}`, evidence: '', firstSeen: '2024-01-17T10:00:00.000Z', lastSeen: '2024-01-17T10:00:00.000Z', sourceCount: 1,
    articles: [{ articleId: `a${i}`, url: `https://news.example/${i}`, title: 't', outlet: 'O', publishedAt: '2024-01-17T10:00:00.000Z' }], tokens: [], alertLevel: level, version: 1,
  };
}

describe('burst guard', () => {
  it('sends the first N alerts of an hour one by one and the rest as one digest, once', async () => {
    const store = new MemoryEventStore();
    const publisher = new RecordingPublisher();
    const deps = { store, publisher, clock: () => new Date('2024-01-17T10:30:00Z'), log: silentLog };
    const digest: Story[] = [];
    const outcomes = [];
    for (let i = 0; i < 9; i++) outcomes.push(await notifyStory(story(i), deps, { burstLimit: 6, digest }));
    expect(outcomes.filter((o) => o === 'published')).toHaveLength(6);
    expect(outcomes.filter((o) => o === 'held-for-digest')).toHaveLength(3);
    await publishDigest(digest, deps);
    expect(publisher.alerts).toHaveLength(7);
    expect(publisher.alerts[6]?.digestOf).toEqual(['s6', 's7', 's8']);
    // A redelivery of the same changes sends nothing: each story's claim is marked sent.
    const again: Story[] = [];
    for (let i = 0; i < 9; i++) expect(await notifyStory(story(i), deps, { burstLimit: 6, digest: again })).toBe('duplicate');
    expect(await publishDigest(again, deps)).toBeNull();
  });

  it('releases the held claims when the digest cannot be sent, so the retry sends it', async () => {
    const store = new MemoryEventStore();
    const publisher = new RecordingPublisher();
    const deps = { store, publisher, clock: () => new Date('2024-01-17T11:30:00Z'), log: silentLog };
    const digest: Story[] = [];
    for (let i = 0; i < 3; i++) await notifyStory(story(i), deps, { burstLimit: 1, digest });
    publisher.failNext = 1;
    await expect(publishDigest(digest, deps)).rejects.toThrow();
    const retry: Story[] = [];
    for (let i = 1; i < 3; i++) expect(await notifyStory(story(i), deps, { burstLimit: 1, digest: retry })).toBe('held-for-digest');
    await publishDigest(retry, deps);
    expect(publisher.alerts.map((a) => a.digestOf ?? a.storyId)).toEqual(['s0', ['s1', 's2']]);
  });

  it('sends a digest that holds one story as that story’s own alert', async () => {
    const store = new MemoryEventStore();
    const publisher = new RecordingPublisher();
    const deps = { store, publisher, clock: () => new Date('2024-01-17T12:30:00Z'), log: silentLog };
    const digest: Story[] = [];
    expect(await notifyStory(story(0), deps, { burstLimit: 1, digest })).toBe('published');
    expect(await notifyStory(story(1), deps, { burstLimit: 1, digest })).toBe('held-for-digest');
    await publishDigest(digest, deps);
    const [, second] = publisher.alerts;
    expect(second?.digestOf).toBeUndefined();
    expect(second?.storyId).toBe('s1');
    expect(second?.subject).not.toMatch(/digest/i);
    expect(second?.subject).toContain('Protest number 1');
    expect(await store.sentAlertLevels('s1')).toEqual([1]);
  });
});
