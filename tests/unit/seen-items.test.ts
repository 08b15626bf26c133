import { describe, expect, it } from 'vitest';
import { SEEN_MAX, nextSeen, seenKey, unseen } from '#shared/domain/seen-items.ts';

const item = (n: number) => ({ articleId: `${String(n).padStart(12, '0')}abcdefabcdef`, publishedAt: new Date(Date.UTC(2024, 0, 1) + n * 60_000).toISOString() });

describe('seen items', () => {
  it('treats every item as new when the feed has no seen set yet', () => {
    expect(unseen([item(1), item(2)], undefined)).toHaveLength(2);
  });

  it('keeps only the items the last body did not show, in order', () => {
    const seen = nextSeen([item(1), item(2)]);
    expect(unseen([item(3), item(2), item(1), item(4)], seen).map((i) => i.articleId)).toEqual([item(3).articleId, item(4).articleId]);
  });

  it('remembers the newest items first, at most SEEN_MAX, as short keys', () => {
    const many = Array.from({ length: SEEN_MAX + 5 }, (_, n) => item(n));
    const seen = nextSeen(many);
    expect(seen).toHaveLength(SEEN_MAX);
    expect(seen[0]).toBe(seenKey(item(SEEN_MAX + 4).articleId));
    expect(seen).not.toContain(seenKey(item(0).articleId));
    expect(seen[0]).toHaveLength(12);
  });
});
