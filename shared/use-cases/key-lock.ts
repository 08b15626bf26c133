/** At most `limit` tasks with the same key at once (politeness: requests per host). */
export class KeyedLimiter {
  private readonly active = new Map<string, number>();
  private readonly waiting = new Map<string, (() => void)[]>();

  constructor(private readonly limit: number) {}

  async run<T>(key: string, task: () => Promise<T>): Promise<T> {
    if ((this.active.get(key) ?? 0) >= this.limit) {
      await new Promise<void>((resolve) => {
        const queue = this.waiting.get(key) ?? [];
        queue.push(resolve);
        this.waiting.set(key, queue);
      });
    }
    this.active.set(key, (this.active.get(key) ?? 0) + 1);
    try {
      return await task();
    } finally {
      const left = (this.active.get(key) ?? 1) - 1;
      if (left) this.active.set(key, left);
      else this.active.delete(key);
      const next = this.waiting.get(key)?.shift();
      if (next) next();
      if (this.waiting.get(key)?.length === 0) this.waiting.delete(key);
    }
  }
}

/**
 * Group commit by key: one batch of a key runs at a time, and everything submitted while it runs
 * goes into the next batch together. Local story formation for one dyad goes through it, so two
 * feeds ingested at once cannot both start a story for the same event before either is written,
 * and a story that ten feeds report in one cycle is written once per batch rather than ten times.
 * (In AWS the story FIFO queue does the same across Lambdas: one batch per dyad at a time.)
 *
 * A batch runs with the commit function of its first submission: callers sharing one batcher
 * must pass equivalent ones. A batch that throws fails every submission in it.
 */
export class KeyBatcher<T, R> {
  private readonly queues = new Map<string, { items: T[]; commit: (items: T[]) => Promise<R[]>; resolve: (r: R[]) => void; reject: (e: unknown) => void }[]>();

  run(key: string, items: T[], commit: (items: T[]) => Promise<R[]>): Promise<R[]> {
    if (!items.length) return Promise.resolve([]);
    return new Promise<R[]>((resolve, reject) => {
      const queue = this.queues.get(key);
      if (queue) {
        queue.push({ items, commit, resolve, reject });
        return;
      }
      this.queues.set(key, [{ items, commit, resolve, reject }]);
      void this.drain(key);
    });
  }

  private async drain(key: string): Promise<void> {
    for (;;) {
      const batch = this.queues.get(key)?.splice(0) ?? [];
      if (!batch.length) {
        this.queues.delete(key);
        return;
      }
      try {
        const results = await (batch[0] as (typeof batch)[number]).commit(batch.flatMap((b) => b.items));
        let at = 0;
        for (const b of batch) {
          b.resolve(results.slice(at, at + b.items.length));
          at += b.items.length;
        }
      } catch (error) {
        for (const b of batch) b.reject(error);
      }
    }
  }
}
