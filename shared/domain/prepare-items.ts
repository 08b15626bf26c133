import type { Classification, FeedDefinition, NormalisedItem, RawFeedItem } from './types.ts';
import type { Classifier } from './classify.ts';
import { normaliseItem } from './normalise.ts';
import { unseen } from './seen-items.ts';

/** A feed's items ready for the store: all of them (for the seen set and polling), and the new ones classified. */
export interface PreparedItems {
  /** every readable item once (by article id), oldest first */
  items: NormalisedItem[];
  /** the items not in the feed's seen set, each with its classification */
  fresh: { item: NormalisedItem; classification: Classification }[];
}

/** What preparing a feed's items needs besides the items. */
export interface PrepareContext {
  feed: FeedDefinition;
  fetchedAt: string;
  /** the feed's seen set (see seen-items.ts) */
  seen?: string[];
}

/**
 * Parsed items to what ingest stores: normalised, one per article id, oldest first; those the feed
 * did not show last time are classified. Pure: the parser's worker threads run it next to the
 * parse (so the event loop only stores), and ingest runs it itself for items read otherwise.
 */
export function prepareItems(raw: readonly RawFeedItem[], context: PrepareContext, classify: Classifier): PreparedItems {
  const byId = new Map<string, NormalisedItem>();
  for (const r of raw) {
    const item = normaliseItem(r, context.feed, context.fetchedAt);
    if (item && !byId.has(item.articleId)) byId.set(item.articleId, item);
  }
  const items = [...byId.values()].sort((a, b) => a.publishedAt.localeCompare(b.publishedAt));
  const fresh = unseen(items, context.seen).map((item) => ({ item, classification: classify({ title: item.title, summary: item.summary, published: item.publishedAt }) }));
  return { items, fresh };
}
