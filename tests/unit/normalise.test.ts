import { describe, it, expect } from 'vitest';
import { normaliseItem, SUMMARY_MAX, TITLE_MAX } from '#shared/domain/normalise.ts';
import type { FeedDefinition, RawFeedItem } from '#shared/domain/types.ts';

const FETCHED = '2024-01-22T12:00:00.000Z';

function feed(overrides: Partial<FeedDefinition> = {}): FeedDefinition {
  return { id: 'wire-world', url: 'https://wire.example.com/world/rss.xml', outlet: 'Example Wire', language: 'en', ...overrides };
}

function item(overrides: Partial<RawFeedItem> = {}): RawFeedItem {
  return {
    title: 'Iran and Pakistan agree to return ambassadors',
    link: 'https://news.example.com/world/envoys-return',
    guid: 'urn:example:1001',
    summary: 'The two neighbours said their envoys will be back at their posts this week.',
    isoDate: '2024-01-22T08:30:00.000Z',
    ...overrides,
  };
}

describe('normaliseItem', () => {
  it('gives plain text, the canonical URL and the feed publish time', () => {
    const out = normaliseItem(item({ title: '<b>Iran</b> &amp; Pakistan agree', link: 'https://news.example.com/a?utm_source=rss#top' }), feed(), FETCHED);
    expect(out).toMatchObject({
      title: 'Iran & Pakistan agree',
      url: 'https://news.example.com/a',
      publishedAt: '2024-01-22T08:30:00.000Z',
      publishedFromFeed: true,
    });
    expect(out?.articleId).toMatch(/^[0-9a-f]{24}$/);
  });

  it('gives one articleId to the same article reached through two feeds with different utm parameters', () => {
    const a = normaliseItem(item({ link: 'https://news.example.com/world/envoys-return?utm_source=feed-a&utm_medium=rss', guid: 'a-1' }), feed({ id: 'feed-a' }), FETCHED);
    const b = normaliseItem(item({ link: 'https://news.example.com/world/envoys-return?utm_source=feed-b#comments', guid: 'b-9' }), feed({ id: 'feed-b' }), FETCHED);
    expect(a?.articleId).toBeDefined();
    expect(a?.articleId).toBe(b?.articleId);
  });

  it('gives different articleIds to different article URLs', () => {
    const a = normaliseItem(item({ link: 'https://news.example.com/one' }), feed(), FETCHED);
    const b = normaliseItem(item({ link: 'https://news.example.com/two' }), feed(), FETCHED);
    expect(a?.articleId).not.toBe(b?.articleId);
  });

  it('resolves a relative link against the feed URL', () => {
    const out = normaliseItem(item({ link: '/world/envoys-return' }), feed(), FETCHED);
    expect(out?.url).toBe('https://wire.example.com/world/envoys-return');
  });

  it('falls back to the GUID when the link is unusable, and keeps url null', () => {
    const a = normaliseItem(item({ link: 'javascript:void(0)', guid: 'urn:example:42' }), feed(), FETCHED);
    const b = normaliseItem(item({ link: undefined, guid: 'urn:example:42', title: 'A different title' }), feed(), FETCHED);
    expect(a?.url).toBeNull();
    expect(a?.articleId).toBe(b?.articleId);
  });

  it('scopes a GUID-based id to its feed', () => {
    const a = normaliseItem(item({ link: undefined, guid: '42' }), feed({ id: 'feed-a' }), FETCHED);
    const b = normaliseItem(item({ link: undefined, guid: '42' }), feed({ id: 'feed-b' }), FETCHED);
    expect(a?.articleId).not.toBe(b?.articleId);
  });

  it('reads an xml2js-style GUID object and falls back to `id`', () => {
    const a = normaliseItem(item({ link: undefined, guid: { _: 'urn:example:7', $: { isPermaLink: 'false' } } }), feed(), FETCHED);
    const b = normaliseItem(item({ link: undefined, guid: undefined, id: 'urn:example:7' }), feed(), FETCHED);
    expect(a?.articleId).toBe(b?.articleId);
  });

  it('still gives a stable id with no link and no GUID', () => {
    const raw = item({ link: undefined, guid: undefined });
    expect(normaliseItem(raw, feed(), FETCHED)?.articleId).toBe(normaliseItem(raw, feed(), FETCHED)?.articleId);
  });

  it('takes the summary from content first (our own HTML stripping), then summary', () => {
    expect(normaliseItem(item({ content: '<p>from <i>content</i></p>', summary: 'summary' }), feed(), FETCHED)?.summary).toBe('from content');
    expect(normaliseItem(item({ content: '  ', summary: 'summary' }), feed(), FETCHED)?.summary).toBe('summary');
  });

  it('keeps script text out of the summary', () => {
    const out = normaliseItem(item({ content: '<p>Envoys return</p><script>track("x")</script>' }), feed(), FETCHED);
    expect(out?.summary).toBe('Envoys return');
  });

  it('caps title and summary lengths', () => {
    const out = normaliseItem(item({ title: 'word '.repeat(200), summary: 'text '.repeat(1000) }), feed(), FETCHED);
    expect(out?.title.length).toBeLessThanOrEqual(TITLE_MAX);
    expect(out?.summary.length).toBeLessThanOrEqual(SUMMARY_MAX);
  });

  it('uses the start of the summary as the title when the item has no title', () => {
    const out = normaliseItem(item({ title: undefined, summary: 'Envoys return to their posts.' }), feed(), FETCHED);
    expect(out?.title).toBe('Envoys return to their posts.');
  });

  it('returns null for an item with no title and no summary', () => {
    expect(normaliseItem({ link: 'https://news.example.com/a', isoDate: '2024-01-22T08:00:00Z' }, feed(), FETCHED)).toBeNull();
    expect(normaliseItem(item({ title: '<p> </p>', summary: { $: {} }, content: undefined }), feed(), FETCHED)).toBeNull();
  });

  it('falls back to pubDate when isoDate is missing', () => {
    const out = normaliseItem(item({ isoDate: undefined, pubDate: 'Mon, 22 Jan 2024 07:15:00 GMT' }), feed(), FETCHED);
    expect(out).toMatchObject({ publishedAt: '2024-01-22T07:15:00.000Z', publishedFromFeed: true });
  });

  it('falls back to the fetch time, with publishedFromFeed=false, for a date more than a day in the future', () => {
    const out = normaliseItem(item({ isoDate: '2024-01-24T12:00:00.000Z' }), feed(), FETCHED);
    expect(out).toMatchObject({ publishedAt: FETCHED, publishedFromFeed: false });
  });

  it('clamps a date slightly in the future (within a day) to the fetch time but keeps it as from the feed', () => {
    const out = normaliseItem(item({ isoDate: '2024-01-22T18:00:00.000Z' }), feed(), FETCHED);
    expect(out).toMatchObject({ publishedAt: FETCHED, publishedFromFeed: true });
  });

  it.each([['not a date'], ['1970-01-01T00:00:00Z'], [''], [{ weird: true }]])(
    'falls back to the fetch time, with publishedFromFeed=false, for an invalid date (%j)',
    (isoDate) => {
      const out = normaliseItem(item({ isoDate, pubDate: undefined }), feed(), FETCHED);
      expect(out).toMatchObject({ publishedAt: FETCHED, publishedFromFeed: false });
    },
  );

  it('does not use a URL from a feed whose own URL is not http(s) as a base', () => {
    const out = normaliseItem(item({ link: '/relative' }), feed({ url: 'file:///tmp/feed.xml' }), FETCHED);
    expect(out?.url).toBeNull();
  });
});
