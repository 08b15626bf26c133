import { describe, expect, it } from 'vitest';
import { prepareItems } from '#shared/domain/prepare-items.ts';
import { nextSeen } from '#shared/domain/seen-items.ts';
import type { Classifier } from '#shared/domain/classify.ts';
import type { Classification } from '#shared/domain/types.ts';

const feed = { id: 'f', url: 'https://news.example/feed', outlet: 'News', language: 'en' };
const fetchedAt = '2024-01-18T00:00:00.000Z';
/** A stand-in classifier: relevant when the headline names Iran, and it records what it was asked. */
function fakeClassifier() {
  const asked: string[] = [];
  const classify: Classifier = ({ title }) => {
    asked.push(title);
    return { relevant: title.includes('Iran'), types: [], primary: null, severity: 0, confidence: 0, actors: [], dates: [], evidence: '', dyad: title.includes('Iran') ? 'IR-PK' : null } as unknown as Classification;
  };
  return { classify, asked };
}

describe('prepareItems', () => {
  const raw = [
    { title: 'Iran and Pakistan talk', link: 'https://news.example/a?utm_source=rss', pubDate: 'Wed, 17 Jan 2024 10:00:00 GMT' },
    { title: 'Rain in Lahore', link: 'https://news.example/b', pubDate: 'Wed, 17 Jan 2024 08:00:00 GMT' },
    { title: 'Same story, tracking link', link: 'https://news.example/a', pubDate: 'Wed, 17 Jan 2024 10:00:00 GMT' },
    { link: 'https://news.example/empty' },
  ];

  it('stamps every readable item once, oldest first, and keeps only the relevant new ones in full', () => {
    const { classify, asked } = fakeClassifier();
    const prepared = prepareItems(raw, { feed, fetchedAt }, classify);
    expect(prepared.stamps.map((s) => s.publishedAt)).toEqual(['2024-01-17T08:00:00.000Z', '2024-01-17T10:00:00.000Z']);
    expect(prepared.relevant.map((r) => r.item.title)).toEqual(['Iran and Pakistan talk']);
    expect(prepared.irrelevant).toBe(1);
    expect(asked).toEqual(['Rain in Lahore', 'Iran and Pakistan talk']);
  });

  it('classifies nothing the feed showed last time', () => {
    const first = prepareItems(raw, { feed, fetchedAt }, fakeClassifier().classify);
    const { classify, asked } = fakeClassifier();
    const again = prepareItems(raw, { feed, fetchedAt, seen: nextSeen(first.stamps) }, classify);
    expect(asked).toEqual([]);
    expect(again).toMatchObject({ relevant: [], irrelevant: 0 });
    expect(again.stamps).toHaveLength(2);
  });
});
