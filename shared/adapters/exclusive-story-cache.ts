import type { EventStore } from '../ports.ts';
import type { Story } from '../domain/types.ts';

/**
 * An EventStore whose story window reads come from memory after the first query of a range.
 *
 * Only for a process that owns the table: the local runner holds its data dir's lock, so every
 * story write goes through here. Each relevant article asks for its dyad's stories of the last
 * week; without this, a busy cycle re-read (and re-unmarshalled) the same stories once per
 * article while holding the dyad's story lock, and that query was most of the cycle's time.
 *
 * Writes go through to the store first and reach the cache only when they succeeded; a refused
 * conditional write (which an exclusive owner should never see) drops the dyad's cache, so the
 * retry reads the table again. Never use this in Lambda, where other invocations write stories.
 */
export function withExclusiveStoryCache(inner: EventStore): EventStore {
  const dyads = new Map<string, { stories: Map<string, Story>; ranges: [string, string][] }>();
  const covered = (ranges: [string, string][], since: string, until: string) => ranges.some(([s, u]) => s <= since && until <= u);
  const addRange = (ranges: [string, string][], since: string, until: string): [string, string][] => {
    const all = [...ranges, [since, until] as [string, string]].sort((a, b) => a[0].localeCompare(b[0]));
    const merged: [string, string][] = [];
    for (const r of all) {
      const last = merged.at(-1);
      if (last && r[0] <= last[1]) last[1] = r[1] > last[1] ? r[1] : last[1];
      else merged.push([...r]);
    }
    return merged;
  };

  const cached: Partial<EventStore> = {
    async storiesInWindow(dyad, since, until) {
      let entry = dyads.get(dyad);
      if (!entry || !covered(entry.ranges, since, until)) {
        const loaded = await inner.storiesInWindow(dyad, since, until);
        entry = dyads.get(dyad) ?? { stories: new Map(), ranges: [] };
        for (const story of loaded) {
          const held = entry.stories.get(story.storyId);
          if (!held || held.version < story.version) entry.stories.set(story.storyId, story);
        }
        entry.ranges = addRange(entry.ranges, since, until);
        dyads.set(dyad, entry);
      }
      // Copies: callers build new stories from these, and must not change what is held here.
      return [...entry.stories.values()].filter((s) => s.firstSeen >= since && s.firstSeen <= until).map((s) => structuredClone(s));
    },
    async putStory(story, expectedVersion) {
      const ok = await inner.putStory(story, expectedVersion);
      const entry = dyads.get(story.dyad);
      if (!ok) dyads.delete(story.dyad);
      else if (entry) entry.stories.set(story.storyId, structuredClone({ ...story, version: expectedVersion + 1 }));
      return ok;
    },
  };
  return new Proxy(inner, {
    get(target, key) {
      if (key in cached) return cached[key as keyof EventStore];
      const value = Reflect.get(target, key);
      return typeof value === 'function' ? value.bind(target) : value;
    },
  });
}
