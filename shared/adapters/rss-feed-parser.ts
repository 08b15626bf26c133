import Parser from 'rss-parser';
import type { FeedParser, ParsedFeed } from '../ports.ts';
import type { RawFeedItem } from '../domain/types.ts';
import { ParseError } from '../errors.ts';
import { fieldToString } from '../domain/text.ts';

/**
 * rss-parser's parseString (never parseURL: it has no body cap, gzip or redirect limit).
 * `defaultRSS: 2` accepts <rss> without a version attribute. Results are plain data: each item
 * keeps only the fields normalisation reads, so nothing of the parser's object graph leaks on.
 */
export class RssFeedParser implements FeedParser {
  private readonly parser = new Parser({ defaultRSS: 2, timeout: 0, customFields: { item: ['summary', 'id'] } });

  async parse(text: string): Promise<ParsedFeed> {
    let feed;
    try {
      feed = await this.parser.parseString(text);
    } catch (error) {
      throw new ParseError(`not a readable feed: ${firstLine(error)}`, { cause: error });
    }
    const items: RawFeedItem[] = (feed.items ?? []).map((item) => {
      const raw = item as unknown as Record<string, unknown>;
      return {
        title: raw.title,
        link: raw.link,
        guid: raw.guid,
        id: raw.id,
        summary: raw.summary,
        contentSnippet: raw.contentSnippet,
        content: raw.content,
        isoDate: raw.isoDate,
        pubDate: raw.pubDate,
      };
    });
    const title = fieldToString(feed.title);
    return { ...(title ? { title } : {}), items };
  }
}

function firstLine(error: unknown): string {
  return (error instanceof Error ? error.message : String(error)).split('\n')[0]?.slice(0, 200) ?? 'unknown error';
}
