import { describe, expect, it } from 'vitest';
import { loadOnce } from '#shared/load-once.ts';

describe('loadOnce', () => {
  it('runs the load on the first call and shares it with every later one', async () => {
    let runs = 0;
    const get = loadOnce(async () => ({ run: ++runs }));
    expect(runs).toBe(0);
    const [a, b] = await Promise.all([get(), get()]);
    expect(await get()).toBe(a);
    expect(b).toBe(a);
    expect(runs).toBe(1);
  });

  it('does not keep a failed load: the next call tries again', async () => {
    let runs = 0;
    const get = loadOnce(async () => {
      if (++runs === 1) throw new Error('chunk missing');
      return 'loaded';
    });
    await expect(get()).rejects.toThrow('chunk missing');
    expect(await get()).toBe('loaded');
    expect(await get()).toBe('loaded');
    expect(runs).toBe(2);
  });
});
