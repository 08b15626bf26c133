import { describe, expect, it } from 'vitest';
import { KeyBatcher } from '#shared/use-cases/key-lock.ts';

const tick = () => new Promise((r) => setTimeout(r, 5));

describe('KeyBatcher (group commit)', () => {
  it('runs what arrives during a batch as one next batch, and hands each caller its own results', async () => {
    const batches: number[][] = [];
    const batcher = new KeyBatcher<number, string>();
    const commit = async (items: number[]) => {
      batches.push(items);
      await tick();
      return items.map((n) => `r${n}`);
    };
    const first = batcher.run('IR-PK', [1], commit);
    const second = batcher.run('IR-PK', [2, 3], commit);
    const third = batcher.run('IR-PK', [4], commit);
    expect(await Promise.all([first, second, third])).toEqual([['r1'], ['r2', 'r3'], ['r4']]);
    expect(batches).toEqual([[1], [2, 3, 4]]);
  });

  it('keeps keys apart: batches of different keys run at the same time', async () => {
    const running = new Set<string>();
    let overlap = false;
    const batcher = new KeyBatcher<string, string>();
    const commit = async (items: string[]) => {
      running.add(items[0]!);
      if (running.size > 1) overlap = true;
      await tick();
      running.delete(items[0]!);
      return items;
    };
    await Promise.all([batcher.run('IR-PK', ['a'], commit), batcher.run('AF-PK', ['b'], commit)]);
    expect(overlap).toBe(true);
  });

  it('fails every submission of a batch that throws, and goes on with the next', async () => {
    const batcher = new KeyBatcher<number, number>();
    let calls = 0;
    const commit = async (items: number[]) => {
      calls++;
      await tick();
      if (calls === 2) throw new Error('store unavailable');
      return items;
    };
    const a = batcher.run('k', [1], commit);
    const b = batcher.run('k', [2], commit);
    const c = batcher.run('k', [3], commit);
    await expect(a).resolves.toEqual([1]);
    await expect(b).rejects.toThrow('store unavailable');
    await expect(c).rejects.toThrow('store unavailable');
    await expect(batcher.run('k', [4], commit)).resolves.toEqual([4]);
  });

  it('answers an empty submission at once', async () => {
    await expect(new KeyBatcher<number, number>().run('k', [], async () => [])).resolves.toEqual([]);
  });
});
