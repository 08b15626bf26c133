import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createStoryBatcher, ingestFeed, type IngestDeps } from '#shared/use-cases/ingest-feed.ts';
import { RssFeedParser } from '#shared/adapters/rss-feed-parser.ts';
import { createClassifier } from '#shared/domain/classify.ts';
import { lazyClassifier } from '#shared/lazy-classifier.ts';
import { loadWatches } from '#shared/watches.ts';
import { DEFAULT_ALERT_POLICY } from '#shared/config.ts';
import { silentLog } from '#shared/ports.ts';
import { FetchError } from '#shared/errors.ts';
import { GetCommand } from '@aws-sdk/lib-dynamodb';
import { createDocumentClient } from '#shared/adapters/dynamodb-event-store.ts';
import { stableId } from '#shared/domain/canonical-url.ts';
import { KEY, TABLE } from '#shared/table-schema.ts';
import type { FeedDefinition, Story } from '#shared/domain/types.ts';
import { openTestTable, type TestTable } from '../helpers/dynalite.ts';
import { FakeFetcher, RecordingPublisher, fixedClock, rss } from '../helpers/fakes.ts';
import { notifyStory } from '#shared/use-cases/notify-story.ts';

const dawnlike: FeedDefinition = { id: 'indus', url: 'https://indus-daily.example/feed', outlet: 'Indus Daily', language: 'en' };
const herald: FeedDefinition = { id: 'herald', url: 'https://caspian-herald.example/feed', outlet: 'Caspian Herald', language: 'en' };

const strikeFeed = rss('Indus Daily', [
  {
    title: 'Iran strikes militant hideouts inside Pakistan, Islamabad says two children killed',
    link: 'https://indus-daily.example/2024/01/17/iran-strike?utm_source=rss',
    description: 'Pakistan said the missile and drone attack in Balochistan was an unprovoked violation of its airspace.',
    pubDate: 'Wed, 17 Jan 2024 06:00:00 GMT',
  },
  { title: 'Wheat prices steady in Lahore market', link: 'https://indus-daily.example/2024/01/17/wheat', pubDate: 'Wed, 17 Jan 2024 05:00:00 GMT' },
]);
const heraldFeed = rss('Caspian Herald', [
  {
    title: 'Iranian missiles hit targets in Pakistan’s Balochistan province',
    link: 'https://caspian-herald.example/iran-missiles-balochistan',
    description: 'Islamabad condemned the strike in which it said two children were killed.',
    pubDate: 'Wed, 17 Jan 2024 08:30:00 GMT',
  },
]);

describe('ingestFeed against dynalite', () => {
  let table: TestTable;
  let deps: IngestDeps;
  let fetcher: FakeFetcher;

  beforeEach(async () => {
    table = await openTestTable();
    fetcher = new FakeFetcher({ indus: strikeFeed, herald: heraldFeed });
    deps = {
      fetcher,
      parser: new RssFeedParser(),
      store: table.store,
      classify: createClassifier(loadWatches()),
      clock: fixedClock('2024-01-17T09:00:00Z'),
      log: silentLog,
      policy: DEFAULT_ALERT_POLICY,
      pollIntervalMinutes: 5,
    };
  });
  afterEach(async () => table.close());

  it('stores new articles, opens a story for the relevant one and raises its alert level', async () => {
    const result = await ingestFeed(dawnlike, deps);
    expect(result.outcome).toBe('ok');
    expect(result.articles).toEqual({ new: 2, duplicate: 0, relevant: 1, queued: 0 });
    expect(result.stories).toEqual({ new: 1, updated: 0 });
    expect(result.changes).toHaveLength(1);
    expect(result.changes[0]).toMatchObject({ level: 1, rose: true });
    const story = await table.store.getStory(result.changes[0]!.storyId);
    expect(story).toMatchObject({ primaryType: 'strike', severity: 5, sourceCount: 1, alertLevel: 1, version: 1 });
    expect(story!.articles[0]!.url).toBe('https://indus-daily.example/2024/01/17/iran-strike');
    // the feed now counts as one that carries the dyad (the dispatcher's surge, surge.ts)
    expect((await table.store.getFeedStates(['indus'])).get('indus')?.dyads).toEqual({ [story!.dyad]: '2024-01-17T09:00:00.000Z' });
  });

  it('skips what is already stored on a second ingest and writes no story', async () => {
    await ingestFeed(dawnlike, deps);
    fetcher.bodies.indus = strikeFeed.replace('</channel>', ' </channel>'); // new ETag, same items
    const second = await ingestFeed(dawnlike, deps);
    expect(second.articles).toEqual({ new: 0, duplicate: 2, relevant: 0, queued: 0 });
    expect(second.stories).toEqual({ new: 0, updated: 0 });
    expect(second.changes).toEqual([]);
  });

  it('answers a 304 without parsing and without rewriting a healthy feed state', async () => {
    await ingestFeed(dawnlike, deps);
    const before = (await table.store.getFeedStates(['indus'])).get('indus');
    const second = await ingestFeed(dawnlike, deps);
    expect(second.outcome).toBe('not-modified');
    const state = (await table.store.getFeedStates(['indus'])).get('indus');
    expect(state).toEqual(before);
    expect(state).toMatchObject({ lastStatus: 'ok', consecutiveFailures: 0, etag: `"${strikeFeed.length}"` });
  });

  it('moves a due feed on by its own interval after a 304, so a slow feed stays slow', async () => {
    const hourly = rss('Indus Daily', [0, 1, 2, 3].map((h) => ({ title: `Wheat prices item ${h}`, link: `https://indus-daily.example/wheat/${h}`, pubDate: new Date(Date.parse('2024-01-17T08:00:00Z') - h * 3_600_000).toUTCString() })));
    fetcher.bodies.indus = hourly;
    await ingestFeed(dawnlike, deps);
    expect((await table.store.getFeedStates(['indus'])).get('indus')?.nextPollAt).toBe('2024-01-17T10:00:00.000Z');
    deps.clock = fixedClock('2024-01-17T10:01:00Z');
    expect((await ingestFeed(dawnlike, deps)).outcome).toBe('not-modified');
    expect((await table.store.getFeedStates(['indus'])).get('indus')).toMatchObject({ lastStatus: 'not-modified', nextPollAt: '2024-01-17T11:01:00.000Z' });
  });

  it('records a 304 that follows failures, clearing them', async () => {
    await ingestFeed(dawnlike, deps);
    const etag = `"${strikeFeed.length}"`;
    await table.store.putFeedState({ feedId: 'indus', lastStatus: 'failed', consecutiveFailures: 2, etag, lastError: 'timeout' });
    expect((await ingestFeed(dawnlike, deps)).outcome).toBe('not-modified');
    expect((await table.store.getFeedStates(['indus'])).get('indus')).toMatchObject({ lastStatus: 'not-modified', consecutiveFailures: 0, etag });
  });

  it('joins a second outlet’s report of the same strike to the story without re-alerting', async () => {
    const first = await ingestFeed(dawnlike, deps);
    const notify = { store: table.store, publisher: new RecordingPublisher(), clock: deps.clock, log: silentLog };
    expect(await notifyStory((await table.store.getStory(first.changes[0]!.storyId))!, notify)).toBe('published');
    const second = await ingestFeed(herald, deps);
    expect(second.stories).toEqual({ new: 0, updated: 1 });
    expect(second.changes[0]).toMatchObject({ storyId: first.changes[0]!.storyId, level: 1 });
    const story = await table.store.getStory(first.changes[0]!.storyId);
    expect(story).toMatchObject({ sourceCount: 2, alertLevel: 1, version: 2 });
    // Notify is asked, and finds nothing subscribers were not told.
    expect(await notifyStory(story!, notify)).toBe('duplicate');
    expect(notify.publisher.alerts).toHaveLength(1);
  });

  it('stores each article once and opens one story when two workers ingest the same feed at once', async () => {
    const [a, b] = await Promise.all([ingestFeed(dawnlike, deps), ingestFeed(dawnlike, deps)]);
    // The relevant article is written once (conditional put); the irrelevant one is not stored.
    expect(a.articles.relevant + b.articles.relevant).toBe(1);
    const ids = [stableId('url', 'https://indus-daily.example/2024/01/17/iran-strike'), stableId('url', 'https://indus-daily.example/2024/01/17/wheat')];
    expect(await table.store.existingArticleIds(ids)).toEqual(new Set([ids[0]]));
    const stories = await table.store.queryStories({ dyad: 'IR-PK', since: '2024-01-01T00:00:00Z', until: '2024-02-01T00:00:00Z' });
    expect(stories).toHaveLength(1);
    expect(stories[0]!.articles).toHaveLength(1);
  });

  it('puts four outlets’ reports of one strike, ingested at once, into one story that holds all four', async () => {
    const outlets = ['a', 'b', 'c', 'd'];
    for (const o of outlets) {
      fetcher.bodies[o] = rss(`Outlet ${o}`, [
        { title: `Iranian missiles strike militant camps inside Pakistan, ${o} reports`, link: `https://${o}.example/iran-strike`, description: 'Pakistan condemned the missile and drone attack in Balochistan.', pubDate: 'Wed, 17 Jan 2024 07:00:00 GMT' },
      ]);
    }
    const feeds: FeedDefinition[] = outlets.map((o) => ({ id: o, url: `https://${o}.example/feed`, outlet: `Outlet ${o}`, language: 'en' }));
    const shared = { ...deps, storyBatcher: createStoryBatcher() };
    const results = await Promise.all(feeds.map((f) => ingestFeed(f, shared)));
    expect(results.reduce((n, r) => n + r.stories.new, 0)).toBe(1);
    const stories = await table.store.queryStories({ dyad: 'IR-PK', since: '2024-01-01T00:00:00Z', until: '2024-02-01T00:00:00Z' });
    expect(stories).toHaveLength(1);
    expect(stories[0]).toMatchObject({ sourceCount: 4, alertLevel: 1 });
    expect(stories[0]!.articles.map((a) => a.outlet).sort()).toEqual(['Outlet a', 'Outlet b', 'Outlet c', 'Outlet d']);
    // One story rose (to level 1), so one alert goes out, however the four were batched.
    expect(new Set(results.flatMap((r) => r.changes).filter((c) => c.rose).map((c) => c.storyId))).toEqual(new Set([stories[0]!.storyId]));
  });

  it('names a feed without an outlet by its title, as plain text', async () => {
    fetcher.bodies.bare = rss('&lt;img src=x onerror=alert(1)&gt;Border &amp;amp; Wire', [
      { title: 'Iran strikes militant hideouts inside Pakistan, Islamabad says two children killed', link: 'https://border-wire.example/strike', pubDate: 'Wed, 17 Jan 2024 06:00:00 GMT' },
    ]);
    const result = await ingestFeed({ id: 'bare', url: 'https://border-wire.example/feed', outlet: '', language: 'en' }, deps);
    const story = await table.store.getStory(result.changes[0]!.storyId);
    expect(story!.articles[0]!.outlet).toBe('Border & Wire');
  });

  it('reruns a batch whose story write lost a race, and keeps both writers\' changes', async () => {
    const first = await ingestFeed(herald, deps);
    const storyId = first.changes[0]!.storyId;
    let raced = false;
    const store = new Proxy(table.store, {
      get(target, key) {
        const value = Reflect.get(target, key);
        if (key === 'putStory' && !raced) {
          return async (story: Story, expected: number) => {
            raced = true;
            // Another writer (a second Lambda) changes the story between our read and our write.
            const theirs = (await target.getStory(storyId))!;
            expect(await target.putStory({ ...theirs, stateNote: 'their change' }, theirs.version)).toBe(true);
            return target.putStory(story, expected);
          };
        }
        return typeof value === 'function' ? value.bind(target) : value;
      },
    });
    const second = await ingestFeed(dawnlike, { ...deps, store });
    expect(raced).toBe(true);
    expect(second.stories).toEqual({ new: 0, updated: 1 });
    const story = (await table.store.getStory(storyId))!;
    expect(story).toMatchObject({ sourceCount: 2, stateNote: 'their change', version: 3 });
    expect(story.articles.map((a) => a.outlet).sort()).toEqual(['Caspian Herald', 'Indus Daily']);
  });

  it('records the WebSub hub and topic a feed advertises in its state, and forgets them when it stops', async () => {
    const withHub = strikeFeed.replace('<channel>', '<channel><atom:link xmlns:atom="http://www.w3.org/2005/Atom" rel="hub" href="https://hub.example/"/><atom:link xmlns:atom="http://www.w3.org/2005/Atom" rel="self" href="https://indus-daily.example/feed"/>');
    fetcher.bodies.indus = withHub;
    await ingestFeed(dawnlike, deps);
    expect((await table.store.getFeedStates(['indus'])).get('indus')?.websub).toEqual({ hubs: ['https://hub.example/'], topic: 'https://indus-daily.example/feed' });
    fetcher.bodies.indus = strikeFeed;
    await ingestFeed(dawnlike, deps);
    expect((await table.store.getFeedStates(['indus'])).get('indus')).not.toHaveProperty('websub');
  });

  it('records a failed fetch in the feed state with a growing backoff, and clears it on success', async () => {
    fetcher.bodies.indus = new FetchError('timeout', 'timed out after 10000 ms waiting for the headers of https://indus-daily.example/feed');
    const r1 = await ingestFeed(dawnlike, deps);
    expect(r1).toMatchObject({ outcome: 'failed', error: expect.stringContaining('timed out') });
    await ingestFeed(dawnlike, deps);
    let state = (await table.store.getFeedStates(['indus'])).get('indus')!;
    expect(state).toMatchObject({ lastStatus: 'failed', consecutiveFailures: 2 });
    expect(state.nextPollAt).toBe('2024-01-17T09:20:00.000Z'); // 5 min × 2²
    fetcher.bodies.indus = strikeFeed;
    await ingestFeed(dawnlike, deps);
    state = (await table.store.getFeedStates(['indus'])).get('indus')!;
    expect(state).toMatchObject({ lastStatus: 'ok', consecutiveFailures: 0 });
    expect(state.lastError).toBeUndefined();
  });

  it('records a refused address as a failure with reason blocked-address in the feed state, cleared on success', async () => {
    const message = 'blocked address: indus-daily.example resolves to 10.1.2.3, private (RFC 1918) 10.0.0.0/8; https://indus-daily.example/feed was not fetched';
    fetcher.bodies.indus = new FetchError('blocked-address', message);
    const failed = await ingestFeed(dawnlike, deps);
    expect(failed).toMatchObject({ outcome: 'failed', errorReason: 'blocked-address', error: message });
    expect((await table.store.getFeedStates(['indus'])).get('indus')).toMatchObject({ lastStatus: 'failed', consecutiveFailures: 1, lastError: message, lastErrorReason: 'blocked-address' });
    fetcher.bodies.indus = strikeFeed;
    await ingestFeed(dawnlike, deps);
    const state = (await table.store.getFeedStates(['indus'])).get('indus')!;
    expect(state).toMatchObject({ lastStatus: 'ok', consecutiveFailures: 0 });
    expect(state.lastErrorReason).toBeUndefined();
  });

  it('records a feed that is not XML as a parse failure, not a crash', async () => {
    fetcher.bodies.indus = '<html><body>Service temporarily unavailable</body>';
    const result = await ingestFeed(dawnlike, deps);
    expect(result.outcome).toBe('failed');
    expect(result.error).toMatch(/ParseError/);
  });

  it('stores but does not alert reports older than the maximum alert age', async () => {
    deps.clock = fixedClock('2024-01-25T09:00:00Z'); // 8 days after the strike
    const result = await ingestFeed(dawnlike, deps);
    expect(result.articles.relevant).toBe(1);
    expect(result.changes[0]).toMatchObject({ level: 0, rose: false });
  });

  it('stores nothing for an irrelevant article, and costs nothing for items the feed showed before', async () => {
    await ingestFeed(dawnlike, deps);
    const wheatId = stableId('url', 'https://indus-daily.example/2024/01/17/wheat');
    const doc = createDocumentClient(table.local.client);
    const { Item } = await doc.send(new GetCommand({ TableName: TABLE.defaultName, Key: KEY.article(wheatId) }));
    expect(Item).toBeUndefined();
    expect((await table.store.getFeedStates(['indus'])).get('indus')!.seen).toHaveLength(2);

    // The feed gains one more irrelevant item: only that one is new, and the store sees one read
    // of the feed state and one write of it; no article is read or written.
    fetcher.bodies.indus = rss('Indus Daily', [
      { title: 'Rain expected in Karachi this weekend', link: 'https://indus-daily.example/2024/01/17/rain', pubDate: 'Wed, 17 Jan 2024 09:05:00 GMT' },
      { title: 'Iran strikes militant hideouts inside Pakistan, Islamabad says two children killed', link: 'https://indus-daily.example/2024/01/17/iran-strike?utm_source=rss', pubDate: 'Wed, 17 Jan 2024 06:00:00 GMT' },
      { title: 'Wheat prices steady in Lahore market', link: 'https://indus-daily.example/2024/01/17/wheat', pubDate: 'Wed, 17 Jan 2024 05:00:00 GMT' },
    ]);
    const calls: string[] = [];
    const store = new Proxy(table.store, {
      get(target, key) {
        const value = Reflect.get(target, key);
        return typeof value === 'function' ? (...args: unknown[]) => (calls.push(String(key)), value.apply(target, args)) : value;
      },
    });
    deps.clock = fixedClock('2024-01-17T09:10:00Z');
    const again = await ingestFeed(dawnlike, { ...deps, store });
    expect(again.articles).toEqual({ new: 1, duplicate: 2, relevant: 0, queued: 0 });
    expect(calls).toEqual(['getFeedStates', 'putFeedState']);
    expect((await table.store.getFeedStates(['indus'])).get('indus')!.seen).toHaveLength(3);
  });

  it('reads a feed in full again after a store failure half-way, without duplicating anything', async () => {
    let failStory = true;
    const store = new Proxy(table.store, {
      get(target, key) {
        const value = Reflect.get(target, key);
        if (key === 'putArticleIfNew' && failStory) return async () => { failStory = false; throw new Error('throttled'); };
        return typeof value === 'function' ? value.bind(target) : value;
      },
    });
    await expect(ingestFeed(dawnlike, { ...deps, store })).rejects.toThrow('throttled');
    expect((await table.store.getFeedStates(['indus'])).get('indus')).toBeUndefined();
    const retried = await ingestFeed(dawnlike, { ...deps, store });
    expect(retried.articles).toMatchObject({ relevant: 1 });
    const stories = await table.store.queryStories({ dyad: 'IR-PK', since: '2024-01-01T00:00:00Z', until: '2024-02-01T00:00:00Z' });
    expect(stories).toHaveLength(1);
    expect(stories[0]!.articles).toHaveLength(1);
  });
});

describe('ingestFeed with a lazy classifier (as the ingest Lambda runs it)', () => {
  let table: TestTable;
  let parser: RssFeedParser;
  afterEach(async () => {
    await parser.close();
    await table.close();
  });

  it('builds the classifier only for the first salvaged item, and classifies salvaged items with it', async () => {
    table = await openTestTable();
    parser = new RssFeedParser({ prepare: true });
    const lazy = lazyClassifier(() => loadWatches());
    let loads = 0;
    const counted = { load: () => (loads++, lazy.load()) };
    // An undeclared entity makes rss-parser reject the whole feed; the lenient reader salvages it.
    const broken = (n: number) =>
      `<rss version="2.0"><channel><title>Frontier Post</title><item><title>Pakistan recalls its ambassador from Tehran &bogus; report ${n}</title><link>https://frontier-post.example/recall-${n}</link><pubDate>Wed, 17 Jan 2024 0${n}:00:00 GMT</pubDate></item></channel></rss>`;
    const fetcher = new FakeFetcher({ indus: strikeFeed, quiet: rss('Quiet Wire', []), frontier1: broken(1), frontier2: broken(2) });
    const deps: IngestDeps = { fetcher, parser, store: table.store, classify: counted, clock: fixedClock('2024-01-17T09:00:00Z'), log: silentLog, policy: DEFAULT_ALERT_POLICY, pollIntervalMinutes: 5 };

    const prepared = await ingestFeed(dawnlike, deps);
    expect(prepared).toMatchObject({ outcome: 'ok', parsePath: 'rss-parser', articles: { new: 2, relevant: 1 } });
    expect(loads).toBe(0); // the workers classified these
    const quiet = await ingestFeed({ id: 'quiet', url: 'https://quiet-wire.example/feed', outlet: 'Quiet Wire', language: 'en' }, deps);
    expect(quiet).toMatchObject({ outcome: 'ok', articles: { new: 0 } });
    expect(loads).toBe(0); // a feed with no items needs no classifier

    const first = await ingestFeed({ id: 'frontier1', url: 'https://frontier-post.example/feed', outlet: 'Frontier Post', language: 'en' }, deps);
    const second = await ingestFeed({ id: 'frontier2', url: 'https://frontier-post.example/feed', outlet: 'Frontier Post', language: 'en' }, deps);
    for (const result of [first, second]) expect(result).toMatchObject({ outcome: 'ok', parsePath: 'salvaged', articles: { new: 1, relevant: 1 } });
    expect(loads).toBe(2);
    expect(lazy.load()).toBe(lazy.load()); // built once: every caller gets the same one
    const stories = await table.store.queryStories({ dyad: 'IR-PK', since: '2024-01-01T00:00:00.000Z', until: '2024-02-01T00:00:00.000Z' });
    expect(stories.map((s) => s.primaryType).sort()).toEqual(['envoy_recall', 'strike']);
  });
});
