import type { NormalisedItem } from './types.ts';

/**
 * What a feed showed last time, kept in its feed state so that an item seen before costs no read,
 * no write and no classification. Most items are not about the dyad; storing a marker for each
 * (as this pipeline once did) made them most of the table's writes.
 *
 * Keys are the first 12 hex digits (48 bits) of the article id: within one feed's few hundred
 * items a collision is about as likely as one in 10^9, and would only skip one item.
 */
export const SEEN_KEY_LENGTH = 12;
/** More than any news feed carries at once; a bigger feed keeps its newest items. */
export const SEEN_MAX = 1000;

export function seenKey(articleId: string): string {
  return articleId.slice(0, SEEN_KEY_LENGTH);
}

/** The items not in the feed's last set, in their order. */
export function unseen<T extends Pick<NormalisedItem, 'articleId'>>(items: readonly T[], seen: readonly string[] | undefined): T[] {
  if (!seen?.length) return [...items];
  const known = new Set(seen);
  return items.filter((i) => !known.has(seenKey(i.articleId)));
}

/** The set to remember: the items of this body, newest first, up to SEEN_MAX. */
export function nextSeen(items: readonly Pick<NormalisedItem, 'articleId' | 'publishedAt'>[]): string[] {
  return [...items]
    .sort((a, b) => b.publishedAt.localeCompare(a.publishedAt))
    .slice(0, SEEN_MAX)
    .map((i) => seenKey(i.articleId));
}
