import { describe, expect, it } from 'vitest';
import { lazyClassifier } from '#shared/lazy-classifier.ts';
import { createClassifier } from '#shared/domain/classify.ts';
import { loadWatches } from '#shared/watches.ts';
import type { Classifier } from '#shared/domain/classify.ts';

describe('lazyClassifier', () => {
  const watches = loadWatches();
  const input = { title: 'Pakistan recalls its ambassador from Tehran', summary: '', published: '2024-01-17T20:00:00Z' };

  it('builds nothing until asked, then once for every caller', async () => {
    let builds = 0;
    const lazy = lazyClassifier(() => watches, async (w) => (builds++, createClassifier(w)));
    expect(builds).toBe(0);
    const [a, b] = await Promise.all([lazy.load(), lazy.load()]);
    expect(a).toBe(b);
    expect(await lazy.load()).toBe(a);
    expect(builds).toBe(1);
    expect(a(input).primary).toBe('envoy_recall');
  });

  it('builds from the real classifier module by default', async () => {
    expect((await lazyClassifier(() => watches).load())(input).primary).toBe('envoy_recall');
  });

  it('does not keep a failed build: the next caller tries again', async () => {
    let builds = 0;
    const lazy = lazyClassifier(() => watches, async (w): Promise<Classifier> => {
      builds++;
      if (builds === 1) throw new Error('EMFILE: too many open files');
      return createClassifier(w);
    });
    await expect(lazy.load()).rejects.toThrow(/EMFILE/);
    expect((await lazy.load())(input).relevant).toBe(true);
    expect(builds).toBe(2);
  });
});
