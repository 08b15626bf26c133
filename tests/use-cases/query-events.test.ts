import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { queryEvents, queryStories } from '#shared/use-cases/query-events.ts';
import { QueryError } from '#shared/errors.ts';
import type { EventType, Story } from '#shared/domain/types.ts';
import { openTestTable, type TestTable } from '../helpers/dynalite.ts';

function story(id: string, firstSeen: string, primaryType: EventType, types: EventType[], dyad = 'IR-PK'): Story {
  return {
    storyId: id, dyad, primaryType, types, severity: 3, confidence: 0.8, actors: [], eventDates: [], headline: `headline ${id}`, evidence: '',
    firstSeen, lastSeen: firstSeen, sourceCount: 1,
    articles: [{ articleId: `a-${id}`, url: `https://news.example/${id}`, title: `title ${id}`, outlet: 'Outlet', publishedAt: firstSeen }],
    tokens: [], alertLevel: 1, version: 0,
  };
}

describe('queryEvents', () => {
  let table: TestTable;
  beforeAll(async () => {
    table = await openTestTable();
    for (const s of [
      story('s1', '2024-01-16T20:00:00.000Z', 'strike', ['strike']),
      story('s2', '2024-01-18T04:00:00.000Z', 'strike', ['strike', 'protest']),
      story('s3', '2024-01-22T10:00:00.000Z', 'envoy_return', ['envoy_return', 'visit']),
      story('s4', '2024-01-20T10:00:00.000Z', 'border_incident', ['border_incident'], 'AF-PK'),
    ]) await table.store.putStory(s, 0);
  });
  afterAll(async () => table.close());

  const range = { since: '2024-01-01T00:00:00.000Z', until: '2024-01-31T23:59:59.999Z' };

  it('returns a dyad’s events oldest first with the contract fields', async () => {
    const events = await queryEvents(table.store, { ...range, dyad: 'IR-PK' });
    expect(events.map((e) => e.storyId)).toEqual(['s1', 's2', 's3']);
    expect(events[0]).toEqual({
      storyId: 's1', primaryType: 'strike', types: ['strike'], severity: 3, dyad: 'IR-PK', eventDates: [],
      firstSeen: '2024-01-16T20:00:00.000Z', lastSeen: '2024-01-16T20:00:00.000Z', sourceCount: 1, headline: 'headline s1',
      articles: [{ url: 'https://news.example/s1', title: 'title s1', outlet: 'Outlet', publishedAt: '2024-01-16T20:00:00.000Z' }],
    });
  });

  it('accepts the dyad in either order', async () => {
    expect((await queryEvents(table.store, { ...range, dyad: 'PK-IR' })).length).toBe(3);
  });

  it('filters by a type the story includes, not only its primary type', async () => {
    expect((await queryEvents(table.store, { ...range, type: 'protest' })).map((e) => e.storyId)).toEqual(['s2']);
    expect((await queryEvents(table.store, { ...range, type: 'strike', dyad: 'IR-PK' })).map((e) => e.storyId)).toEqual(['s1', 's2']);
  });

  it('limits by first-seen time and covers every dyad without --dyad', async () => {
    const events = await queryEvents(table.store, { since: '2024-01-18T00:00:00.000Z', until: '2024-01-21T00:00:00.000Z' });
    expect(events.map((e) => e.storyId)).toEqual(['s2', 's4']);
  });

  it('gives whole stories to readers that need more than the contract fields', async () => {
    const stories = await queryStories(table.store, { ...range, dyad: 'PK-IR' });
    expect(stories.map((s) => s.storyId)).toEqual(['s1', 's2', 's3']);
    expect(stories[0]).toMatchObject({ actors: [], confidence: 0.8, alertLevel: 1 });
    await expect(queryStories(table.store, { ...range, dyad: 'Iran' })).rejects.toThrow(QueryError);
  });

  it('rejects an unknown type, a malformed dyad and an inverted range', async () => {
    await expect(queryEvents(table.store, { ...range, type: 'cricket' })).rejects.toThrow(QueryError);
    await expect(queryEvents(table.store, { ...range, dyad: 'Iran' })).rejects.toThrow(/IR-PK/);
    await expect(queryEvents(table.store, { since: range.until, until: range.since })).rejects.toThrow(/after/);
  });
});
