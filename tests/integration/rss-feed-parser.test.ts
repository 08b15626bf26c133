import { describe, expect, it } from 'vitest';
import { RssFeedParser } from '#shared/adapters/rss-feed-parser.ts';
import { prepareItems } from '#shared/domain/prepare-items.ts';
import { nextSeen } from '#shared/domain/seen-items.ts';
import { createClassifier } from '#shared/domain/classify.ts';
import { loadWatches } from '#shared/watches.ts';
import { ParseError } from '#shared/errors.ts';

const RSS2 = `<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0">
  <channel>
    <title>Frontier Bulletin</title>
    <link>https://bulletin.example.org/</link>
    <description>Border news</description>
    <item>
      <title>Ministers meet at the border crossing</title>
      <link>https://bulletin.example.org/a/1</link>
      <guid isPermaLink="false">bulletin-1</guid>
      <description>Two ministers held talks on trade.</description>
      <pubDate>Mon, 02 Mar 2026 09:30:00 GMT</pubDate>
    </item>
    <item>
      <title>Rail link study announced</title>
      <link>https://bulletin.example.org/a/2</link>
      <guid>https://bulletin.example.org/a/2</guid>
      <pubDate>Tue, 03 Mar 2026 11:00:00 GMT</pubDate>
    </item>
  </channel>
</rss>`;

const ATOM = `<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom">
  <title>Gulf Desk</title>
  <id>urn:example:gulf-desk</id>
  <updated>2026-03-04T10:00:00Z</updated>
  <entry>
    <title>Envoy returns to the capital</title>
    <id>urn:example:gulf-desk:42</id>
    <link href="https://gulf.example.net/story/42"/>
    <updated>2026-03-04T09:15:00Z</updated>
    <summary>The ambassador resumed duties after a short recall.</summary>
  </entry>
</feed>`;

const RSS_NO_VERSION = `<rss>
  <channel>
    <title>Plain Wire</title>
    <item>
      <title>Talks set for next week</title>
      <link>https://plain.example.com/talks</link>
      <pubDate>Wed, 04 Mar 2026 07:00:00 GMT</pubDate>
    </item>
  </channel>
</rss>`;

const ITEM_KEYS = ['title', 'link', 'guid', 'id', 'summary', 'content', 'isoDate', 'pubDate'].sort();

describe('RssFeedParser', () => {
  const parser = new RssFeedParser();

  it('parses RSS 2.0 with title, links, guids and dates', async () => {
    const feed = await parser.parse(RSS2);
    expect(feed.title).toBe('Frontier Bulletin');
    expect(feed.items).toHaveLength(2);
    expect(feed.items[0]).toMatchObject({
      title: 'Ministers meet at the border crossing',
      link: 'https://bulletin.example.org/a/1',
      guid: 'bulletin-1',
      pubDate: 'Mon, 02 Mar 2026 09:30:00 GMT',
      isoDate: '2026-03-02T09:30:00.000Z',
      content: expect.stringContaining('Two ministers held talks on trade.'),
    });
    // rss-parser's contentSnippet is not built, and with a content the summary is not carried
    // across from the worker: normalisation reads content first
    expect(feed.items[0]).not.toHaveProperty('contentSnippet');
    expect(feed.items[0]).not.toHaveProperty('summary');
    expect(feed.items[1]).toMatchObject({ title: 'Rail link study announced', isoDate: '2026-03-03T11:00:00.000Z' });
  });

  it('parses Atom entries with id, link and summary', async () => {
    const feed = await parser.parse(ATOM);
    expect(feed.title).toBe('Gulf Desk');
    expect(feed.items).toHaveLength(1);
    expect(feed.items[0]).toMatchObject({
      title: 'Envoy returns to the capital',
      link: 'https://gulf.example.net/story/42',
      id: 'urn:example:gulf-desk:42',
      isoDate: '2026-03-04T09:15:00.000Z',
    });
    expect(String(feed.items[0]?.content ?? feed.items[0]?.summary)).toContain('resumed duties');
  });

  it('parses <rss> without a version attribute as RSS 2', async () => {
    const feed = await parser.parse(RSS_NO_VERSION);
    expect(feed.title).toBe('Plain Wire');
    expect(feed.items).toHaveLength(1);
    expect(feed.items[0]).toMatchObject({ title: 'Talks set for next week', link: 'https://plain.example.com/talks', isoDate: '2026-03-04T07:00:00.000Z' });
  });

  it('returns items as plain objects carrying only the normalisation fields', async () => {
    for (const text of [RSS2, ATOM, RSS_NO_VERSION]) {
      const feed = await parser.parse(text);
      for (const item of feed.items) {
        expect(Object.getPrototypeOf(item)).toBe(Object.prototype);
        // fields the feed lacks are absent (they do not survive the worker's JSON)
        for (const key of Object.keys(item)) expect(ITEM_KEYS).toContain(key);
        expect(Object.keys(item)).toEqual(expect.arrayContaining(['title', 'link']));
        // for these simple feeds every field is a string or absent: nothing of the parser's object graph
        for (const value of Object.values(item)) expect(['string', 'undefined']).toContain(typeof value);
      }
    }
  });

  it('leaves out the feed title when there is none', async () => {
    const feed = await parser.parse('<rss version="2.0"><channel><item><title>Only item</title></item></channel></rss>');
    expect(feed).not.toHaveProperty('title');
    expect(feed.items).toHaveLength(1);
  });

  it('prepares in its workers exactly what ingest would prepare itself', async () => {
    const text = `<?xml version="1.0"?><rss version="2.0"><channel><title>Frontier Bulletin</title>
      <item><title>Pakistan recalls its ambassador from Tehran after &lt;b&gt;strikes&lt;/b&gt;</title><link>https://bulletin.example.org/a/1?utm_source=rss&amp;id=7</link><description>&lt;p&gt;Islamabad said the envoy would not return for now.&lt;/p&gt;</description><pubDate>Wed, 17 Jan 2024 20:00:00 GMT</pubDate></item>
      <item><title>Wheat prices steady in Lahore market</title><link>https://bulletin.example.org/a/2</link><pubDate>Wed, 17 Jan 2024 08:00:00 GMT</pubDate></item>
      <item><title>Seen before</title><link>https://bulletin.example.org/a/3</link><pubDate>Tue, 16 Jan 2024 08:00:00 GMT</pubDate></item>
    </channel></rss>`;
    const feed = { id: 'bulletin', url: 'https://bulletin.example.org/feed', outlet: 'Frontier Bulletin', language: 'en' };
    const classify = createClassifier(loadWatches());
    const plain = await parser.parse(text);
    const seen = nextSeen(prepareItems(plain.items, { feed, fetchedAt: '2024-01-18T00:00:00.000Z' }, classify).stamps.filter((i) => i.publishedAt.startsWith('2024-01-16')));
    const context = { feed, fetchedAt: '2024-01-18T00:00:00.000Z', seen };
    const preparing = new RssFeedParser({ prepare: true });
    try {
      const inWorker = await preparing.parse(text, context);
      expect(inWorker.prepared).toBeDefined();
      expect(inWorker.prepared).toEqual(prepareItems(plain.items, context, classify));
      expect(inWorker.prepared!.stamps).toHaveLength(3);
      expect(inWorker.prepared!.relevant.map((f) => [f.item.title, f.classification.primary])).toEqual([['Pakistan recalls its ambassador from Tehran after strikes', 'envoy_recall']]);
      expect(inWorker.prepared!.irrelevant).toBe(1); // the wheat prices; the seen item is neither
      // without a context there is nothing to prepare: the items come back as read
      expect((await preparing.parse(text)).prepared).toBeUndefined();
    } finally {
      await preparing.close();
    }
  });


  it("spends a feed's parse budget on the parse, not on a new thread's start or its first classifier build", async () => {
    // 300 ms is ample for this small feed, and less than a new worker takes to load its modules
    // and build the classifier: a budget that started at the hand-off ran out before the parse began.
    const feed = { id: 'bulletin', url: 'https://bulletin.example.org/feed', outlet: 'Frontier Bulletin', language: 'en' };
    const cold = new RssFeedParser({ prepare: true, budgetMs: 300, threads: 1 });
    try {
      const parsed = await cold.parse(RSS2, { feed, fetchedAt: '2026-03-04T00:00:00.000Z', seen: [] });
      expect(parsed.path).toBe('rss-parser');
      expect(parsed.prepared?.stamps).toHaveLength(2);
    } finally {
      await cold.close();
    }
  });
  it('reads each feed the same whatever failed before it in the same worker', async () => {
    // Our own small documents: one rss-parser rejects (a server warning before the XML), and one
    // with a tag left open. Alone, the second is salvaged by the lenient reader with its link;
    // after the first failed, rss-parser's reused XML parser once accepted it, cut short.
    const warningFirst = 'Warning: feed cache is stale\n<?xml version="1.0"?><rss version="2.0"><channel><title>A</title><item><title>Tea time</title><link>https://a.example/1</link></item></channel></rss>';
    const unclosed = '<?xml version="1.0"?><rss version="2.0"><channel><title>B</title><item><title>Open<link>https://b.example/1</link><guid>b1</guid></item></channel></rss>';
    const single = new RssFeedParser({ threads: 1 });
    try {
      const alone = await single.parse(unclosed);
      expect(alone.items[0]).toMatchObject({ link: 'https://b.example/1' });
      for (let i = 0; i < 3; i++) {
        await single.parse(warningFirst).catch(() => undefined);
        expect(await single.parse(unclosed)).toEqual(alone);
      }
    } finally {
      await single.close();
    }
  });

  it('throws ParseError on text that is not XML', async () => {
    await expect(parser.parse('this is just some words, not a feed')).rejects.toBeInstanceOf(ParseError);
  });

  it('throws ParseError on XML that is not a feed', async () => {
    await expect(parser.parse('<?xml version="1.0"?><html><body>hello</body></html>')).rejects.toBeInstanceOf(ParseError);
  });

  it('throws ParseError on empty input', async () => {
    await expect(parser.parse('')).rejects.toBeInstanceOf(ParseError);
  });
});
