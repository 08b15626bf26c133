import { describe, expect, it } from 'vitest';
import { bCubed } from '#shared/clustering-score.ts';

const map = (o: Record<string, string>) => new Map(Object.entries(o));

describe('bCubed', () => {
  it('is 1 and 1 for a clustering equal to the gold groups, whatever the labels', () => {
    const s = bCubed(map({ a: 'x', b: 'x', c: 'y' }), map({ a: '1', b: '1', c: '2' }));
    expect(s).toMatchObject({ items: 3, precision: 1, recall: 1, clusters: 2, groups: 2 });
  });

  it('loses precision for a cluster that mixes groups and recall for a group split in two', () => {
    // one cluster of a,b,c where gold is {a,b},{c}: precision (2/3+2/3+1/3)/3 = 5/9, recall 1
    const mixed = bCubed(map({ a: 'x', b: 'x', c: 'x' }), map({ a: '1', b: '1', c: '2' }));
    expect(mixed.precision).toBeCloseTo(5 / 9, 12);
    expect(mixed.recall).toBe(1);
    // singletons where gold is {a,b}: precision 1, recall (1/2+1/2)/2
    expect(bCubed(map({ a: 'x', b: 'y' }), map({ a: '1', b: '1' }))).toMatchObject({ precision: 1, recall: 0.5 });
  });

  it('scores only items present in both maps', () => {
    expect(bCubed(map({ a: 'x', z: 'x' }), map({ a: '1', b: '1' })).items).toBe(1);
  });
});
