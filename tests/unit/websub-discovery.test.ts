import { describe, expect, it } from 'vitest';
import { MAX_HUBS, MAX_SCAN, discoverWebSub } from '#shared/domain/websub-discovery.ts';

const FEED_URL = 'https://news.example/feeds/main.xml';

const atom = (head: string, entries = '<entry><title>Harbour reopens after storm</title></entry>') =>
  `<?xml version="1.0"?><feed xmlns="http://www.w3.org/2005/Atom"><title>Example News</title>${head}${entries}</feed>`;
const rss = (channelHead: string, items = '<item><title>Markets close flat</title></item>') =>
  `<?xml version="1.0"?><rss version="2.0" xmlns:atom="http://www.w3.org/2005/Atom"><channel><title>Example</title>${channelHead}${items}</channel></rss>`;

describe('WebSub discovery', () => {
  it('finds the hub and self links of an Atom feed', () => {
    const body = atom('<link rel="hub" href="https://hub.example/"/><link rel="self" href="https://news.example/feeds/main.xml"/>');
    expect(discoverWebSub({ body, url: FEED_URL })).toEqual({ hubs: ['https://hub.example/'], topic: 'https://news.example/feeds/main.xml' });
  });

  it('finds atom:link hub and self inside RSS, attributes in any order and quoted either way', () => {
    const body = rss(`<atom:link href='https://hub.example/push' rel='hub' /><atom:link type="application/rss+xml" href="https://news.example/rss" rel="self"/>`);
    expect(discoverWebSub({ body, url: FEED_URL })).toEqual({ hubs: ['https://hub.example/push'], topic: 'https://news.example/rss' });
  });

  it('reads the HTTP Link header, and prefers its hubs to the document’s', () => {
    const body = atom('<link rel="hub" href="https://doc-hub.example/"/>');
    const linkHeader = '<https://header-hub.example/a,b>; rel="hub", <https://news.example/topic>; rel=self';
    expect(discoverWebSub({ body, linkHeader, url: FEED_URL })).toEqual({ hubs: ['https://header-hub.example/a,b'], topic: 'https://news.example/topic' });
  });

  it('takes the document’s self link when the header names only a hub', () => {
    const body = atom('<link rel="self" href="/feeds/self.xml"/>');
    expect(discoverWebSub({ body, linkHeader: '<https://hub.example/>; rel="hub"', url: FEED_URL })).toEqual({ hubs: ['https://hub.example/'], topic: 'https://news.example/feeds/self.xml' });
  });

  it('falls back to the URL the feed was read from when no self link is given', () => {
    expect(discoverWebSub({ body: atom('<link rel="hub" href="https://hub.example/"/>'), url: FEED_URL })?.topic).toBe(FEED_URL);
  });

  it('resolves relative URLs against the feed URL and drops fragments', () => {
    const body = atom('<link rel="hub" href="../hub#frag"/><link rel="self" href="main.xml"/>');
    expect(discoverWebSub({ body, url: FEED_URL })).toEqual({ hubs: ['https://news.example/hub'], topic: 'https://news.example/feeds/main.xml' });
  });

  it('keeps several hubs in order, without repeats, at most MAX_HUBS', () => {
    const links = ['a', 'b', 'a', 'c', 'd', 'e'].map((h) => `<link rel="hub" href="https://${h}.hub.example/"/>`).join('');
    const found = discoverWebSub({ body: atom(links), url: FEED_URL });
    expect(found?.hubs).toEqual(['https://a.hub.example/', 'https://b.hub.example/', 'https://c.hub.example/'].slice(0, MAX_HUBS));
  });

  it('ignores non-http schemes, URLs with credentials and unparsable hrefs', () => {
    const body = atom(
      ['javascript:alert(1)', 'file:///etc/passwd', 'ftp://hub.example/', 'data:text/plain,hub', 'https://user:pw@hub.example/', 'http://[::1', ''].map((h) => `<link rel="hub" href="${h}"/>`).join(''),
    );
    expect(discoverWebSub({ body, url: FEED_URL })).toBeNull();
    const mixed = atom('<link rel="hub" href="javascript:void(0)"/><link rel="hub" href="http://plain-hub.example/"/>');
    expect(discoverWebSub({ body: mixed, url: FEED_URL })?.hubs).toEqual(['http://plain-hub.example/']);
  });

  it('decodes entities in hrefs and reads a rel list', () => {
    const body = atom('<link rel="alternate hub" href="https://hub.example/?a=1&amp;b=2"/>');
    expect(discoverWebSub({ body, url: FEED_URL })?.hubs).toEqual(['https://hub.example/?a=1&b=2']);
  });

  it('finds no hub in a feed without one, nor in links inside items or comments', () => {
    expect(discoverWebSub({ body: rss('<link>https://news.example/</link>'), url: FEED_URL })).toBeNull();
    expect(discoverWebSub({ body: atom('', '<entry><link rel="hub" href="https://item-hub.example/"/></entry>'), url: FEED_URL })).toBeNull();
    expect(discoverWebSub({ body: atom('<!-- <link rel="hub" href="https://commented.example/"/> -->'), url: FEED_URL })).toBeNull();
    expect(discoverWebSub({ body: 'not a feed at all', linkHeader: '<https://news.example/>; rel="alternate"', url: FEED_URL })).toBeNull();
  });

  it('ignores Link header entries without a rel, and reads rel among other parameters', () => {
    const header = '<https://nothing.example/>, <https://hub.example/>; title="the hub"; REL="hub"';
    expect(discoverWebSub({ body: '', linkHeader: header, url: FEED_URL })?.hubs).toEqual(['https://hub.example/']);
  });

  it('stays linear on hostile input: a huge header, an unterminated comment, endless link tags', () => {
    const hugeHeader = `${'<https://x.example/>; rel="alternate", '.repeat(20_000)}<https://late-hub.example/>; rel="hub"`;
    const comments = atom(`<link rel="hub" href="https://hub.example/"/>${'<!--'.repeat(100_000)}`);
    const endless = atom('<link rel="hub" '.repeat(50_000));
    const t0 = performance.now();
    // Past the header cap: the late hub is not read (and nothing throws).
    expect(discoverWebSub({ body: '', linkHeader: hugeHeader, url: FEED_URL })).toBeNull();
    expect(discoverWebSub({ body: comments, url: FEED_URL })?.hubs).toEqual(['https://hub.example/']);
    expect(discoverWebSub({ body: endless, url: FEED_URL })).toBeNull();
    // Not a timing assertion on the machine: a guard against a quadratic scan (minutes, not ms).
    expect(performance.now() - t0).toBeLessThan(20_000);
  });

  it('reads the document only up to MAX_SCAN characters', () => {
    const body = atom(`${' '.repeat(MAX_SCAN)}<link rel="hub" href="https://too-far.example/"/>`, '');
    expect(discoverWebSub({ body, url: FEED_URL })).toBeNull();
  });
});
