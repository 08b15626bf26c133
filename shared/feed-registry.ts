// zod/mini: the classic API bundles every locale (~440 KB of each Lambda); mini is ~20 KB.
import * as z from 'zod/mini';
import { ConfigError } from './errors.ts';
import type { FeedDefinition } from './domain/types.ts';

/**
 * The feed registry (config/feeds.json) and the feed definitions feed jobs carry. Apart from
 * config.ts, so that a Lambda that reads no registry and no feed job (notify, story) does not load
 * zod at its cold start.
 */
export const FeedSchema = z.object({
  id: z.string().check(z.regex(/^[a-z0-9][a-z0-9-]{0,62}$/, 'feed id must be kebab-case, at most 63 characters')),
  url: z.url({ protocol: /^https?$/, error: 'feed url must be an http(s) URL' }),
  outlet: z.string().check(z.minLength(1, 'outlet is required')),
  language: z.string().check(z.regex(/^[a-z]{2,3}(-[A-Za-z0-9]+)?$/, 'language must be a BCP 47 tag such as "en"')),
  /** polled every cycle while any dyad is in a surge (shared/domain/surge.ts) */
  priority: z.optional(z.boolean()),
});

/**
 * Built on first use: only the dispatcher and the CLIs read a registry, and building a zod schema
 * is work a cold start of the other Lambdas can skip.
 */
const buildFeedRegistrySchema = () =>
  z
    .object({ feeds: z.array(FeedSchema).check(z.minLength(1, 'the registry lists no feeds')) })
    .check(z.refine((r) => new Set(r.feeds.map((f) => f.id)).size === r.feeds.length, { message: 'feed ids must be unique', path: ['feeds'] }));
let feedRegistrySchema: ReturnType<typeof buildFeedRegistrySchema> | undefined;

/** Validates a feed registry, naming the source and the first bad entry. */
export function parseFeedRegistry(data: unknown, source: string): FeedDefinition[] {
  feedRegistrySchema ??= buildFeedRegistrySchema();
  const result = feedRegistrySchema.safeParse(data);
  if (!result.success) throw new ConfigError(`invalid feed registry ${source}: ${formatIssue(result.error)}`);
  return result.data.feeds;
}

export function formatIssue(error: { issues: readonly { path: readonly PropertyKey[]; message: string }[] }): string {
  const issue = error.issues[0];
  return `${issue?.path.join('.') || '(root)'}: ${issue?.message ?? 'invalid'}`;
}
