import { describe, expect, it } from 'vitest';
import { readLenient } from '#shared/domain/lenient-feed.ts';

describe('readLenient', () => {
  it('reads RSS items and Atom entries one by one', () => {
    const rss = readLenient('<rss><channel><title>T</title><item><title>A</title><link>https://a.example/1</link></item><item><title>B</title></item></channel></rss>');
    expect(rss).toMatchObject({ format: 'rss', title: 'T', items: [{ title: 'A', link: 'https://a.example/1' }, { title: 'B' }] });
    const atom = readLenient('<feed><entry><title>C</title><link rel="alternate" href="https://c.example/1"/></entry></feed>');
    expect(atom).toMatchObject({ format: 'atom', items: [{ title: 'C', link: 'https://c.example/1' }] });
  });

  it('decodes the entities of links and ids, as an XML parser does', () => {
    const feed = readLenient('<rss><channel><item><title>A &amp; B</title><link>https://a.example/p?x=1&amp;y=2</link><guid>id&amp;1</guid></item></channel></rss>');
    expect(feed.items[0]).toEqual({ title: 'A &amp; B', link: 'https://a.example/p?x=1&y=2', guid: 'id&1' });
  });

  it('stops at a tag that never closes instead of rescanning the rest from every one', () => {
    // Hostile bodies with 100,000 open tags and no '>': the reader must return (the test's
    // timeout is the only clock), with what it could read before them.
    const n = 100_000;
    expect(readLenient(`<feed><entry><title>Ok</title></entry><entry>${'<link href="x'.repeat(n)}</entry>`).items).toEqual([{ title: 'Ok' }]);
    expect(readLenient(`<rss><channel><item><title>Ok</title></item>${'<item x'.repeat(n)}`).items).toEqual([{ title: 'Ok' }]);
    expect(readLenient(`<rss><channel><item>${'<title x'.repeat(n)}</item>`).items).toEqual([]);
  });
});
