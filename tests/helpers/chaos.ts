import type { AlertPublisher, EventStore, StoryQueue } from '#shared/ports.ts';
import type { Alert, Article } from '#shared/domain/types.ts';
import type { PendingArticle } from '#shared/use-cases/form-stories.ts';

/** A seeded random source: a run's faults and orders repeat from its seed. */
export { seededRandom } from '#shared/evaluation-orders.ts';

export interface FaultCounts {
  calls: number;
  throttled: number;
  failed: number;
  /** the write went through, then the caller was told it failed */
  afterWrite: number;
}

const WRITES = new Set(['putFeedState', 'putArticleIfNew', 'putStory', 'retireStory', 'claimAlert', 'markAlertSent', 'releaseAlert', 'putDyadState', 'countAlert']);

/** An error shaped as the SDK throws it, so code that looks at `name` sees a real one. */
function sdkError(name: string, message: string): Error {
  const e = new Error(message);
  e.name = name;
  return e;
}

/**
 * The store with faults: each call throws with probability `rate`, as throttling (the SDK's
 * ThrottlingException or ProvisionedThroughputExceededException once its own retries are spent),
 * as a dropped connection, or, for writes, after the write went through.
 */
export function faultyStore(store: EventStore, rate: number, random: () => number, counts: FaultCounts): EventStore {
  return new Proxy(store, {
    get(target, key) {
      const value = Reflect.get(target, key);
      if (typeof value !== 'function') return value;
      return async (...args: unknown[]) => {
        counts.calls++;
        if (random() >= rate) return value.apply(target, args);
        const kind = random();
        if (WRITES.has(String(key)) && kind < 0.34) {
          await value.apply(target, args);
          counts.afterWrite++;
          throw sdkError('TimeoutError', `${String(key)}: the connection dropped after the write was applied`);
        }
        if (kind < 0.67) {
          counts.throttled++;
          throw sdkError(kind < 0.5 ? 'ThrottlingException' : 'ProvisionedThroughputExceededException', `${String(key)}: rate of requests exceeds the allowed throughput`);
        }
        counts.failed++;
        throw sdkError('InternalServerError', `${String(key)}: socket hang up`);
      };
    },
  });
}

/** Records what was published; fails (before publishing) with probability `rate`. */
export class FlakyPublisher implements AlertPublisher {
  readonly alerts: Alert[] = [];
  constructor(
    private readonly rate: number,
    private readonly random: () => number,
    readonly counts: FaultCounts,
  ) {}

  async publish(alert: Alert): Promise<string> {
    this.counts.calls++;
    if (this.random() < this.rate) {
      this.counts.throttled++;
      throw sdkError('ThrottledException', 'SNS: rate exceeded');
    }
    this.alerts.push(alert);
    return `msg-${this.alerts.length}`;
  }
}

/**
 * An SQS FIFO queue in miniature, as the story function sees it: messages grouped by dyad, one
 * batch (up to ten, in order) of a group in flight at a time, a failed batch back at the head of
 * its group, sends deduplicated by article id (SQS's five-minute window: the whole run here), and,
 * when asked, some delivered twice regardless (SQS delivers at least once).
 */
export class FifoStoryQueue implements StoryQueue {
  private readonly groups = new Map<string, { id: string; job: PendingArticle }[]>();
  private readonly seen = new Set<string>();
  private readonly busy = new Set<string>();
  redeliveries = 0;
  duplicates = 0;

  constructor(
    private readonly random: () => number,
    private readonly duplicateRate = 0,
  ) {}

  async send(articles: { article: Article; alertable: boolean }[]): Promise<void> {
    for (const job of articles) {
      if (this.seen.has(job.article.articleId)) continue;
      this.seen.add(job.article.articleId);
      // Through JSON, as SQS carries it.
      this.push(job.article.classification.dyad ?? 'none', { id: job.article.articleId, job: JSON.parse(JSON.stringify(job)) as PendingArticle });
    }
  }

  get pending(): number {
    return [...this.groups.values()].reduce((n, g) => n + g.length, 0) + this.busy.size;
  }

  /**
   * Hands out one batch of a group not in flight, to `handle`; a batch that throws goes back to
   * the head of its group. Returns false when no group is ready.
   */
  async deliverOne(handle: (batch: PendingArticle[]) => Promise<void>): Promise<boolean> {
    const group = [...this.groups.keys()].find((g) => !this.busy.has(g) && (this.groups.get(g)?.length ?? 0) > 0);
    if (group === undefined) return false;
    const queue = this.groups.get(group) as { id: string; job: PendingArticle }[];
    const batch = queue.splice(0, 10);
    this.busy.add(group);
    try {
      await handle(batch.map((m) => m.job));
      if (this.duplicateRate && this.random() < this.duplicateRate) {
        // Delivered again later, as SQS may.
        this.duplicates++;
        this.push(group, batch[Math.floor(this.random() * batch.length)] as { id: string; job: PendingArticle });
      }
    } catch {
      this.redeliveries++;
      queue.unshift(...batch);
    } finally {
      this.busy.delete(group);
    }
    return true;
  }

  private push(group: string, message: { id: string; job: PendingArticle }): void {
    if (!this.groups.has(group)) this.groups.set(group, []);
    this.groups.get(group)?.push(message);
  }
}
