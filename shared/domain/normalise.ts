import type { FeedDefinition, NormalisedItem, RawFeedItem } from './types.ts';
import { canonicalUrl, stableId } from './canonical-url.ts';
import { fieldToString, toPlainText } from './text.ts';

export const TITLE_MAX = 300;
export const SUMMARY_MAX = 1200;
/** Publish times this far ahead of the fetch are clock errors, not news from the future. */
const FUTURE_TOLERANCE_MS = 24 * 3600 * 1000;

/**
 * A parsed feed item to an article candidate: plain text, canonical link, a publish time.
 * Returns null when the item has neither a title nor a summary: nothing a reader could use.
 * The id is the hash of the canonical URL, so the same article from two feeds is one article;
 * without a usable link the feed's GUID (or title and date) stands in, scoped to the feed.
 */
export function normaliseItem(raw: RawFeedItem, feed: FeedDefinition, fetchedAt: string): NormalisedItem | null {
  const title = toPlainText(raw.title, TITLE_MAX);
  // Our own stripping of the HTML (rss-parser's contentSnippet kept <script> text, and is not built).
  const summary = toPlainText(firstText(raw.content, raw.summary), SUMMARY_MAX);
  if (!title && !summary) return null;
  const url = canonicalUrl(fieldToString(raw.link), feed.url.startsWith('http') ? feed.url : undefined);
  const { publishedAt, publishedFromFeed } = publishTime(raw, fetchedAt);
  const guid = fieldToString(raw.guid) || fieldToString(raw.id);
  const articleId = url
    ? stableId('url', url)
    : guid
      ? stableId('guid', feed.id, guid.trim())
      : stableId('item', feed.id, title, summary.slice(0, 200), publishedFromFeed ? publishedAt : '');
  return { articleId, url, title: title || summary.slice(0, 120), summary, publishedAt, publishedFromFeed };
}

function firstText(...values: unknown[]): unknown {
  return values.find((v) => fieldToString(v).trim().length > 0);
}

function publishTime(raw: RawFeedItem, fetchedAt: string): { publishedAt: string; publishedFromFeed: boolean } {
  const fetched = Date.parse(fetchedAt);
  for (const candidate of [raw.isoDate, raw.pubDate]) {
    const text = fieldToString(candidate).trim();
    if (!text) continue;
    const time = Date.parse(text);
    if (Number.isNaN(time) || time < Date.UTC(1995, 0, 1)) continue;
    if (time > fetched + FUTURE_TOLERANCE_MS) continue;
    return { publishedAt: new Date(Math.min(time, fetched)).toISOString(), publishedFromFeed: true };
  }
  return { publishedAt: new Date(fetched).toISOString(), publishedFromFeed: false };
}
