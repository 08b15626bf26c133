import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { formStories, type PendingArticle } from '#shared/use-cases/form-stories.ts';
import { notifyStory } from '#shared/use-cases/notify-story.ts';
import { DEFAULT_ALERT_POLICY } from '#shared/config.ts';
import { silentLog, type EventStore } from '#shared/ports.ts';
import type { Actor, Article, Classification } from '#shared/domain/types.ts';
import { openTestTable, type TestTable } from '../helpers/dynalite.ts';
import { RecordingPublisher, fixedClock } from '../helpers/fakes.ts';
import { GetCommand } from '@aws-sdk/lib-dynamodb';
import { createDocumentClient } from '#shared/adapters/dynamodb-event-store.ts';
import { KEY, TABLE } from '#shared/table-schema.ts';

const T0 = '2024-01-17T09:00:00.000Z';
const at = (h: number) => new Date(Date.parse(T0) + h * 3_600_000).toISOString();
const person = (country: string, name: string): Actor => ({ country, name });

function pending(id: string, title: string, outlet: string, publishedAt: string, actors: Actor[], extra: Partial<Classification> = {}): PendingArticle {
  const classification: Classification = { relevant: true, types: ['talks'], primary: 'talks', severity: 3, confidence: 0.9, actors, dates: [], evidence: title, dyad: 'IR-PK', ...extra };
  const article: Article = { articleId: id, url: `https://${outlet}.example/${id}`, title, summary: '', publishedAt, publishedFromFeed: true, feedId: outlet, outlet, language: 'en', fetchedAt: publishedAt, classification, storyId: null };
  return { article, alertable: true };
}

// Two reports that share nothing a story could join them by, and a third that names both sides.
const tehranSide = pending('c1', 'Amirabdollahian calls his counterpart', 'dawn', T0, [person('IR', 'Hossein Amirabdollahian')]);
const islamabadSide = pending('c2', 'Jilani takes a message from Tehran', 'geo', at(1), [person('PK', 'Jalil Abbas Jilani')]);
const bridge = pending('c3', 'Foreign ministers Amirabdollahian and Jilani speak by phone', 'irna', at(2), [person('IR', 'Hossein Amirabdollahian'), person('PK', 'Jalil Abbas Jilani')]);

describe('formStories against dynalite', () => {
  let table: TestTable;
  let publisher: RecordingPublisher;
  const deps = () => ({ store: table.store as EventStore, log: silentLog, policy: DEFAULT_ALERT_POLICY });
  const notify = () => ({ store: table.store, publisher, clock: fixedClock(at(3)), log: silentLog });

  beforeEach(async () => {
    table = await openTestTable();
    publisher = new RecordingPublisher();
  });
  afterEach(async () => table.close());

  it('merges two stories a later report bridges, removes the absorbed one and does not alert again', async () => {
    const [a] = await formStories([tehranSide], deps());
    const [b] = await formStories([islamabadSide], deps());
    expect(a!.story.storyId).not.toBe(b!.story.storyId);
    expect(await notifyStory(a!.story, notify())).toBe('published');
    expect(await notifyStory(b!.story, notify())).toBe('published');

    const [c] = await formStories([bridge], deps());
    expect(c).toMatchObject({ kind: 'updated', rose: true, stored: true });
    expect(c!.story.storyId).toBe(a!.story.storyId);
    expect(c!.story.mergedFrom).toEqual([b!.story.storyId]);
    expect(await table.store.getStory(b!.story.storyId)).toBeNull();
    const merged = await table.store.getStory(a!.story.storyId);
    expect(merged?.articles.map((r) => r.articleId)).toEqual(['c1', 'c2', 'c3']);
    expect(merged?.sourceCount).toBe(3);
    // Both halves were told; the merged story says nothing more.
    expect(await notifyStory(merged!, notify())).toBe('duplicate');
    expect(publisher.alerts).toHaveLength(2);
  });

  it('places every report of a batch that brings one story more reports than it keeps (maxArticleRefs)', async () => {
    // The same call reported by 60 outlets at once, as the bench's 200 feeds do: the story keeps
    // only 50 report references, and every report must still come back placed and be stored.
    const batch = Array.from({ length: 60 }, (_, n) => pending(`m${n}`, 'Foreign ministers Amirabdollahian and Jilani speak by phone', `outlet${n}`, at(n / 60), [person('IR', 'Hossein Amirabdollahian'), person('PK', 'Jalil Abbas Jilani')]));
    const outcomes = await formStories(batch, deps());
    expect(outcomes).toHaveLength(60);
    expect(new Set(outcomes.map((o) => o.story.storyId)).size).toBe(1);
    expect(outcomes.every((o) => o.stored)).toBe(true);
    expect((await table.store.getStory(outcomes[0]!.story.storyId))?.articles.length).toBeLessThanOrEqual(DEFAULT_ALERT_POLICY.maxArticleRefs);
  });

  it('lists each story under its dyad and month, where story formation reads it back consistently', async () => {
    const [a] = await formStories([tehranSide], deps());
    const doc = createDocumentClient(table.local.client);
    const month = await doc.send(new GetCommand({ TableName: TABLE.defaultName, Key: KEY.storyMonth('IR-PK', '2024-01'), ConsistentRead: true }));
    expect(month.Item?.storyIds).toEqual(new Set([a!.story.storyId]));
    expect((await table.store.storiesInWindow('IR-PK', at(-240), at(240))).map((s) => s.storyId)).toEqual([a!.story.storyId]);
  });

  it('gives one story for the same three reports in one batch, in any order, and is idempotent', async () => {
    const first = await formStories([bridge, islamabadSide, tehranSide], deps());
    expect(new Set(first.map((o) => o.story.storyId)).size).toBe(1);
    const version = (await table.store.getStory(first[0]!.story.storyId))!.version;
    const again = await formStories([tehranSide, bridge, islamabadSide], deps());
    expect(again.map((o) => o.kind)).toEqual(['unchanged', 'unchanged', 'unchanged']);
    expect(again.map((o) => o.stored)).toEqual([false, false, false]);
    expect((await table.store.getStory(first[0]!.story.storyId))!.version).toBe(version);
  });

  it('finishes a merge on the rerun after a failure that came after the write succeeded', async () => {
    await formStories([tehranSide], deps());
    const [b] = await formStories([islamabadSide], deps());
    let failed = false;
    const flaky = new Proxy(table.store, {
      get(target, key) {
        const value = Reflect.get(target, key);
        if (key === 'retireStory' && !failed) {
          return async (id: string, version: number, into: string) => {
            failed = true;
            await target.retireStory(id, version, into);
            throw new Error('connection reset after the delete went through');
          };
        }
        return typeof value === 'function' ? value.bind(target) : value;
      },
    });
    await expect(formStories([bridge], { ...deps(), store: flaky })).rejects.toThrow(/connection reset/);
    const [c] = await formStories([bridge], deps());
    expect(await table.store.getStory(b!.story.storyId)).toBeNull();
    expect(c!.story.articles.map((r) => r.articleId)).toEqual(['c1', 'c2', 'c3']);
    expect(c!.stored).toBe(true);
    const all = await table.store.storiesInWindow('IR-PK', at(-24), at(24));
    expect(all).toHaveLength(1);
  });
});
