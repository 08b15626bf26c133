/**
 * Runs tasks with the same key one after another within this process. Story upserts of one
 * dyad take it so two feeds ingested at once cannot both start a story for the same event
 * before either is written. (Across Lambdas the story's version check guards the write; two
 * concurrent first reports can still open two stories there: see the README's limits.)
 */
export class KeyLock {
  private readonly tails = new Map<string, Promise<unknown>>();

  async run<T>(key: string, task: () => Promise<T>): Promise<T> {
    const previous = this.tails.get(key) ?? Promise.resolve();
    const current = previous.then(task, task);
    const tail = current.catch(() => undefined);
    this.tails.set(key, tail);
    try {
      return await current;
    } finally {
      if (this.tails.get(key) === tail) this.tails.delete(key);
    }
  }
}
