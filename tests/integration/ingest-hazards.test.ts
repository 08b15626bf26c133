import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HttpFeedFetcher, parseRetryAfter } from '#shared/adapters/http-feed-fetcher.ts';
import { RssFeedParser } from '#shared/adapters/rss-feed-parser.ts';
import { readLenient } from '#shared/domain/lenient-feed.ts';
import { createClassifier } from '#shared/domain/classify.ts';
import { loadWatches } from '#shared/watches.ts';
import { DEFAULT_ALERT_POLICY } from '#shared/config.ts';
import { ingestFeed, type IngestDeps } from '#shared/use-cases/ingest-feed.ts';
import { notifyStory } from '#shared/use-cases/notify-story.ts';
import { KeyedLimiter } from '#shared/use-cases/key-lock.ts';
import { medianGapMinutes, nextPollTime } from '#shared/domain/polling.ts';
import { silentLog } from '#shared/ports.ts';
import { FetchError } from '#shared/errors.ts';
import type { FeedDefinition } from '#shared/domain/types.ts';
import { startFeedServer, type FeedServer } from '../helpers/feed-server.ts';
import { MemoryEventStore } from '../helpers/memory-store.ts';
import { RecordingPublisher, rss } from '../helpers/fakes.ts';

/** One test per hazard of ../shared/docs/ARCHITECTURE.md and issue 4, with feeds of our own. */

const feed = (url: string): FeedDefinition => ({ id: 'hazard', url, outlet: 'Hazard Wire', language: 'en' });
/** The feed servers here listen on 127.0.0.1, which the fetcher refuses unless told otherwise. */
const LOOPBACK = { allowPrivateNetworks: true } as const;

describe('polite fetching', () => {
  let server: FeedServer;
  beforeAll(async () => {
    server = await startFeedServer({
      '/busy': (_req, res) => {
        res.writeHead(429, { 'retry-after': '120' }).end('slow down');
      },
      '/maintenance': (_req, res) => {
        res.writeHead(503, { 'retry-after': new Date(Date.now() + 600_000).toUTCString() }).end();
      },
      '/cached': (_req, res) => {
        res.writeHead(200, { 'content-type': 'application/rss+xml', 'cache-control': 'public, max-age=1800' }).end(rss('C', []));
      },
      '/raw-gzip': (_req, res) => {
        res.writeHead(200, { 'content-type': 'application/rss+xml' }).end(gzipSync(rss('Gz', [{ title: 'Zipped', link: 'https://gz.example/a', pubDate: 'Mon, 22 Jan 2024 10:00:00 GMT' }])));
      },
      '/gzip-bomb': (_req, res) => {
        res.writeHead(200, { 'content-type': 'application/rss+xml' }).end(gzipSync(Buffer.alloc(2 * 1024 * 1024, 0x20)));
      },
    });
  });
  afterAll(async () => server.close());

  it('honours 429 with Retry-After in seconds', async () => {
    const error = await new HttpFeedFetcher(LOOPBACK).fetch(feed(`${server.url}/busy`), {}).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(FetchError);
    expect(error).toMatchObject({ reason: 'rate-limited', status: 429, retryAfterSeconds: 120 });
  });

  it('honours 503 with Retry-After as an HTTP date', async () => {
    const error = (await new HttpFeedFetcher(LOOPBACK).fetch(feed(`${server.url}/maintenance`), {}).catch((e: unknown) => e)) as FetchError;
    expect(error.reason).toBe('rate-limited');
    expect(error.retryAfterSeconds).toBeGreaterThan(500);
    expect(error.retryAfterSeconds).toBeLessThanOrEqual(600);
    expect(parseRetryAfter('soon', Date.now())).toBeUndefined();
    expect(parseRetryAfter('999999', Date.now())).toBe(86_400);
  });

  it('reports the cache lifetime the server gives', async () => {
    const out = await new HttpFeedFetcher(LOOPBACK).fetch(feed(`${server.url}/cached`), {});
    expect(out).toMatchObject({ status: 'ok', cacheMaxAgeSeconds: 1800 });
  });

  it('decompresses gzip bytes sent without Content-Encoding, within the size cap', async () => {
    const out = await new HttpFeedFetcher(LOOPBACK).fetch(feed(`${server.url}/raw-gzip`), {});
    expect(out.status === 'ok' && out.body).toContain('<title>Zipped</title>');
    const bomb = await new HttpFeedFetcher({ ...LOOPBACK, maxBytes: 1024 * 1024 }).fetch(feed(`${server.url}/gzip-bomb`), {}).catch((e: unknown) => e);
    expect(bomb).toMatchObject({ reason: 'too-large' });
  });

  it('limits requests per host while other hosts proceed', async () => {
    const limiter = new KeyedLimiter(2);
    let active = 0;
    let peak = 0;
    const task = () => async () => {
      active++;
      peak = Math.max(peak, active);
      await new Promise((r) => setTimeout(r, 20));
      active--;
    };
    await Promise.all(Array.from({ length: 6 }, () => limiter.run('dawn.example', task())));
    expect(peak).toBe(2);
    peak = 0;
    await Promise.all([...Array.from({ length: 2 }, () => limiter.run('a.example', task())), ...Array.from({ length: 2 }, () => limiter.run('b.example', task()))]);
    expect(peak).toBe(4);
  });
});

describe('adaptive polling', () => {
  it('polls about as often as the feed publishes, within bounds', () => {
    const hourly = ['2024-01-22T10:00:00Z', '2024-01-22T09:00:00Z', '2024-01-22T08:00:00Z', '2024-01-22T07:00:00Z'];
    expect(medianGapMinutes(hourly)).toBe(60);
    expect(nextPollTime('2024-01-22T10:05:00Z', 0, 5, { itemTimes: hourly })).toBe('2024-01-22T11:05:00.000Z');
    const daily = ['2024-01-22T10:00:00Z', '2024-01-21T10:00:00Z', '2024-01-20T10:00:00Z'];
    expect(nextPollTime('2024-01-22T10:05:00Z', 0, 5, { itemTimes: daily })).toBe('2024-01-22T16:05:00.000Z'); // capped at 6 h
    expect(nextPollTime('2024-01-22T10:05:00Z', 0, 5, { itemTimes: ['2024-01-22T10:00:00Z'] })).toBe('2024-01-22T10:10:00.000Z');
  });

  it('waits at least the cache lifetime and the Retry-After', () => {
    expect(nextPollTime('2024-01-22T10:00:00Z', 0, 5, { cacheMaxAgeSeconds: 1800 })).toBe('2024-01-22T10:30:00.000Z');
    expect(nextPollTime('2024-01-22T10:00:00Z', 1, 5, { retryAfterSeconds: 3600 })).toBe('2024-01-22T11:00:00.000Z');
  });
});

describe('parsing that salvages', () => {
  const parser = new RssFeedParser();
  afterAll(async () => parser.close());

  const item = (title: string, extra = '') => `<item><title>${title}</title><link>https://wire.example/${encodeURIComponent(title)}</link>${extra}</item>`;

  it('keeps the readable items when one item breaks rss-parser (an undeclared entity)', async () => {
    const text = `<rss version="2.0"><channel><title>Wire</title>${item('Good one')}${item('Bad &bogus; one')}${item('Good two')}</channel></rss>`;
    const out = await parser.parse(text);
    expect(out.path).toMatch(/salvaged|lenient/);
    expect(out.items.map((i) => i.title)).toEqual(['Good one', 'Bad &bogus; one', 'Good two']);
  });

  it('never expands declared entities (billion laughs, external files)', async () => {
    const text = `<?xml version="1.0"?><!DOCTYPE rss [<!ENTITY a "AAAAAAAAAA"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;"><!ENTITY x SYSTEM "file:///etc/passwd">]><rss version="2.0"><channel><title>T</title>${item('Laugh &b; and &x;')}</channel></rss>`;
    const out = await parser.parse(text);
    const title = String(out.items[0]?.title ?? '');
    expect(title).not.toContain('AAAAAAAAAA');
    expect(title).not.toContain('root:');
  });

  it('falls back to the lenient reader when rss-parser runs past its budget, and stays usable', async () => {
    const slow = new RssFeedParser({ budgetMs: 1, budgetPer100KbMs: 0, maxBudgetMs: 1 });
    try {
      const many = Array.from({ length: 3000 }, (_, i) => item(`Item ${i}`, `<description>${'<b>x</b> '.repeat(20)}</description>`)).join('');
      const out = await slow.parse(`<rss version="2.0"><channel><title>Big</title>${many}</channel></rss>`);
      expect(out.path).toBe('salvaged-after-timeout');
      expect(out.items).toHaveLength(3000);
    } finally {
      await slow.close();
    }
    expect((await parser.parse(`<rss version="2.0"><channel>${item('After')}</channel></rss>`)).path).toBe('rss-parser');
  });

  it('reads RSS 0.91, RDF 1.0, Atom with a link lacking href, and JSON Feed', async () => {
    expect((await parser.parse(`<rss version="0.91"><channel><title>Old</title>${item('Old item')}</channel></rss>`)).items).toHaveLength(1);
    const rdf = `<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" xmlns="http://purl.org/rss/1.0/"><channel><title>R</title></channel><item><title>RDF item</title><link>https://r.example/1</link></item></rdf:RDF>`;
    expect((await parser.parse(rdf)).items.map((i) => i.title)).toEqual(['RDF item']);
    const atom = `<feed xmlns="http://www.w3.org/2005/Atom"><title>A</title><entry><title>No href</title><link/><link rel="alternate" href="https://a.example/x?a=1&amp;b=2"/><updated> 2024-01-22T10:00:00Z </updated></entry></feed>`;
    const parsed = await parser.parse(atom);
    expect(parsed.items[0]).toMatchObject({ title: 'No href' });
    expect(lenientLink(atom)).toBe('https://a.example/x?a=1&b=2');
    const json = JSON.stringify({ version: 'https://jsonfeed.org/version/1.1', title: 'J', items: [{ id: '1', title: 'Json item', url: 'https://j.example/1', date_published: '2024-01-22T10:00:00Z' }] });
    expect(await parser.parse(json)).toMatchObject({ path: 'json-feed', items: [{ title: 'Json item', link: 'https://j.example/1' }] });
  });

  it('treats an empty feed as a feed and an HTML page as a named error', async () => {
    expect(await parser.parse('<rss>\n</rss>')).toMatchObject({ items: [] });
    await expect(parser.parse('<!DOCTYPE html><html><body>Sign in to the Wi-Fi</body></html>')).rejects.toThrow(/HTML page/);
    await expect(parser.parse('   ')).rejects.toThrow(/empty/);
  });

  it('starts at the feed when a server prints warnings before it', () => {
    const out = readLenient(`Warning: something in /var/www/feed.php on line 3\n<?xml version="1.0"?><rss><channel>${item('Still here')}</channel></rss>`);
    expect(out.items.map((i) => i.title)).toEqual(['Still here']);
  });
});

function lenientLink(atom: string): unknown {
  return readLenient(atom).items[0]?.link;
}

describe('hostile items of an Iran–Pakistan event, end to end', () => {
  let server: FeedServer;
  const store = new MemoryEventStore();
  const publisher = new RecordingPublisher();
  const parser = new RssFeedParser();
  let deps: IngestDeps;

  beforeAll(async () => {
    const body = `<?xml version="1.0"?><rss version="2.0"><channel><title>Hostile Wire</title>
      <item><title><![CDATA[Pakistan recalls its ambassador from Tehran <script>alert(1)</script>]]></title>
        <link>javascript:alert(document.cookie)</link>
        <description>&lt;img src=x onerror=alert(1)&gt;Islamabad said the envoy was &lt;a href="javascript:evil()"&gt;called back&lt;/a&gt; after the strike.</description>
        <pubDate>Wed, 17 Jan 2024 20:00:00 GMT</pubDate></item>
      <item><title>Iran strikes militant camps inside Pakistan</title><link>http://169.254.169.254/latest/meta-data</link><pubDate>Tue, 16 Jan 2024 20:00:00 GMT</pubDate></item>
      <item><title>Iran and Pakistan agree envoys will return to their posts</title><link>https://user:pass@evil.example/x</link><pubDate>Mon, 22 Jan 2024 09:00:00 GMT</pubDate></item>
    </channel></rss>`;
    server = await startFeedServer({
      '/feed': (_req, res) => {
        res.writeHead(200, { 'content-type': 'application/rss+xml' }).end(body);
      },
    });
    deps = { fetcher: new HttpFeedFetcher(LOOPBACK), parser, store, classify: createClassifier(loadWatches()), clock: () => new Date('2024-01-22T12:00:00Z'), log: silentLog, policy: { ...DEFAULT_ALERT_POLICY, maxAlertAgeHours: 24 * 30 }, pollIntervalMinutes: 5 };
  });
  afterAll(async () => {
    await parser.close();
    await server.close();
  });

  it('stores plain text and no unsafe link, and alerts without markup or script links', async () => {
    const result = await ingestFeed(feed(`${server.url}/feed`), deps);
    expect(result).toMatchObject({ outcome: 'ok', articles: { new: 3, relevant: 3 } });
    for (const a of store.articles.values()) {
      expect(`${a.title} ${a.summary}`).not.toMatch(/<|>|javascript:|onerror/i);
      expect(a.url).toBeNull();
    }
    expect([...store.articles.values()].map((a) => a.title)).toContain('Pakistan recalls its ambassador from Tehran');
    for (const story of store.stories.values()) await notifyStory(story, { store, publisher, clock: deps.clock, log: silentLog });
    expect(publisher.alerts.length).toBeGreaterThanOrEqual(2);
    for (const alert of publisher.alerts) {
      expect(`${alert.subject}\n${alert.email}\n${alert.sms}`).not.toMatch(/<|>|javascript:|169\.254|user:pass|onerror/i);
    }
  });

  it('stores each article once and alerts once when the same feed is ingested twice at once', async () => {
    const fresh = new MemoryEventStore();
    const sent = new RecordingPublisher();
    const d = { ...deps, store: fresh };
    const [a, b] = await Promise.all([ingestFeed(feed(`${server.url}/feed`), d), ingestFeed(feed(`${server.url}/feed`), d)]);
    expect(a.articles.new + b.articles.new).toBe(3);
    const stories = [...fresh.stories.values()];
    await Promise.all(stories.flatMap((s) => [notifyStory(s, { store: fresh, publisher: sent, clock: d.clock, log: silentLog }), notifyStory(s, { store: fresh, publisher: sent, clock: d.clock, log: silentLog })]));
    expect(sent.alerts.length).toBe(stories.filter((s) => s.alertLevel > 0).length);
  });

  it('fails a feed on 127.0.0.1 with reason blocked-address when private networks are not allowed, and backs off like any failure', async () => {
    const fresh = new MemoryEventStore();
    const before = server.requests.length;
    const result = await ingestFeed(feed(`${server.url}/feed`), { ...deps, store: fresh, fetcher: new HttpFeedFetcher() });
    expect(result).toMatchObject({ outcome: 'failed', errorReason: 'blocked-address' });
    expect(result.error).toMatch(/^blocked address: 127\.0\.0\.1 is loopback 127\.0\.0\.0\/8; /);
    expect(fresh.feeds.get('hazard')).toMatchObject({ lastStatus: 'failed', consecutiveFailures: 1, lastErrorReason: 'blocked-address', nextPollAt: '2024-01-22T12:10:00.000Z' }); // 5 min × 2¹, as any first failure
    expect(server.requests.length).toBe(before);
  });

  it('backs off a rate-limited feed until its Retry-After', async () => {
    const limited = await startFeedServer({
      '/feed': (_req, res) => {
        res.writeHead(429, { 'retry-after': '7200' }).end();
      },
    });
    try {
      const fresh = new MemoryEventStore();
      const result = await ingestFeed(feed(`${limited.url}/feed`), { ...deps, store: fresh });
      expect(result).toMatchObject({ outcome: 'failed', errorReason: 'rate-limited' });
      expect(fresh.feeds.get('hazard')).toMatchObject({ consecutiveFailures: 1, nextPollAt: '2024-01-22T14:00:00.000Z' });
    } finally {
      await limited.close();
    }
  });
});
