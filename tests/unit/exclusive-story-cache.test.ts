import { describe, expect, it } from 'vitest';
import { withExclusiveStoryCache } from '#shared/adapters/exclusive-story-cache.ts';
import type { Story } from '#shared/domain/types.ts';
import { MemoryEventStore } from '../helpers/memory-store.ts';

function story(id: string, firstSeen: string, version = 0): Story {
  return {
    storyId: id, dyad: 'IR-PK', primaryType: 'talks', types: ['talks'], severity: 2, confidence: 0.8, actors: [], eventDates: [], headline: id, evidence: '',
    firstSeen, lastSeen: firstSeen, sourceCount: 1, articles: [], tokens: [], alertLevel: 0, version,
  };
}

/** A memory store that counts the window queries that reach it. */
function counted() {
  const inner = new MemoryEventStore();
  let queries = 0;
  const original = inner.storiesInWindow.bind(inner);
  inner.storiesInWindow = async (...args) => (queries++, original(...args));
  return { inner, queries: () => queries };
}

describe('withExclusiveStoryCache', () => {
  it('queries a range once, then answers from memory, including its own writes', async () => {
    const { inner, queries } = counted();
    await inner.putStory(story('a', '2024-01-10T00:00:00Z'), 0);
    const store = withExclusiveStoryCache(inner);
    expect((await store.storiesInWindow('IR-PK', '2024-01-05T00:00:00Z', '2024-01-15T00:00:00Z')).map((s) => s.storyId)).toEqual(['a']);
    expect(await store.putStory(story('b', '2024-01-12T00:00:00Z'), 0)).toBe(true);
    const inside = await store.storiesInWindow('IR-PK', '2024-01-09T00:00:00Z', '2024-01-14T00:00:00Z');
    expect(inside.map((s) => s.storyId).sort()).toEqual(['a', 'b']);
    expect(inside.find((s) => s.storyId === 'b')!.version).toBe(1);
    expect(queries()).toBe(1);
    // A range not yet read goes to the table.
    await store.storiesInWindow('IR-PK', '2024-01-14T00:00:00Z', '2024-01-20T00:00:00Z');
    expect(queries()).toBe(2);
  });

  it('hands out copies, so a caller cannot change what it holds', async () => {
    const { inner } = counted();
    await inner.putStory(story('a', '2024-01-10T00:00:00Z'), 0);
    const store = withExclusiveStoryCache(inner);
    const [first] = await store.storiesInWindow('IR-PK', '2024-01-01T00:00:00Z', '2024-01-31T00:00:00Z');
    first!.headline = 'changed';
    const [again] = await store.storiesInWindow('IR-PK', '2024-01-01T00:00:00Z', '2024-01-31T00:00:00Z');
    expect(again!.headline).toBe('a');
  });

  it('drops its copy of a dyad when a conditional write is refused, and reads the table again', async () => {
    const { inner, queries } = counted();
    await inner.putStory(story('a', '2024-01-10T00:00:00Z'), 0);
    const store = withExclusiveStoryCache(inner);
    await store.storiesInWindow('IR-PK', '2024-01-01T00:00:00Z', '2024-01-31T00:00:00Z');
    // Someone else wrote the story (which an exclusive owner should never see).
    await inner.putStory({ ...story('a', '2024-01-10T00:00:00Z'), headline: 'theirs' }, 1);
    expect(await store.putStory({ ...story('a', '2024-01-10T00:00:00Z'), headline: 'ours' }, 1)).toBe(false);
    const [fresh] = await store.storiesInWindow('IR-PK', '2024-01-01T00:00:00Z', '2024-01-31T00:00:00Z');
    expect(fresh).toMatchObject({ headline: 'theirs', version: 2 });
    expect(queries()).toBe(2);
  });

  it('passes every other call through', async () => {
    const { inner } = counted();
    const store = withExclusiveStoryCache(inner);
    await store.putFeedState({ feedId: 'f', lastStatus: 'ok', consecutiveFailures: 0 });
    expect((await store.getFeedStates(['f'])).get('f')).toMatchObject({ lastStatus: 'ok' });
  });
});
