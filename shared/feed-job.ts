import type { FeedDefinition } from './domain/types.ts';
import { isUrl } from './config.ts';

/** The body of one feed-jobs message: the dispatcher (or the websub callback) writes it, the ingest handler reads it. */
export interface FeedJob {
  feed: FeedDefinition;
}

/**
 * A feed-jobs message body as ingest receives it, checked by hand for its shape. What it carries
 * was validated where it was made (the registry when the bundle was built, or by the CLI that
 * read it); this stops a message that is not a feed job at all (one sent by hand, or by another
 * producer) with the field that is wrong. Not with the registry's zod schema: loading zod and
 * building that schema cost about 3 ms of each ingest cold start (`npm run bench -- --only cold`).
 */
export function parseFeedJob(body: unknown, source: string): FeedJob {
  const fail = (what: string): never => {
    throw new Error(`${source} is not a feed job: ${what}`);
  };
  if (typeof body !== 'object' || body === null) fail('the body is not an object');
  const feed = (body as { feed?: unknown }).feed;
  if (typeof feed !== 'object' || feed === null) fail('feed is missing');
  const f = feed as Record<string, unknown>;
  for (const key of ['id', 'url', 'outlet', 'language'] as const) if (typeof f[key] !== 'string' || f[key] === '') fail(`feed.${key} must be a non-empty string`);
  if (!isUrl(f.url as string, ['http:', 'https:'])) fail('feed.url must be an http(s) URL');
  if (f.priority !== undefined && typeof f.priority !== 'boolean') fail('feed.priority must be true or false');
  return { feed: { id: f.id as string, url: f.url as string, outlet: f.outlet as string, language: f.language as string, ...(f.priority !== undefined ? { priority: f.priority as boolean } : {}) } };
}
