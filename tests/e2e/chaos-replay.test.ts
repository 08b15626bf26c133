import { beforeAll, describe, expect, it } from 'vitest';
import { createClassifier } from '#shared/domain/classify.ts';
import { loadWatches } from '#shared/watches.ts';
import { DEFAULT_ALERT_POLICY } from '#shared/config.ts';
import { silentLog, type EventStore } from '#shared/ports.ts';
import { RssFeedParser } from '#shared/adapters/rss-feed-parser.ts';
import { createStoryBatcher, ingestFeed, type IngestDeps } from '#shared/use-cases/ingest-feed.ts';
import { formStories } from '#shared/use-cases/form-stories.ts';
import { notifyStory } from '#shared/use-cases/notify-story.ts';
import { REAL_NEWS_FILE, dayOf, readRealNews } from '#shared/real-news.ts';
import type { FeedDefinition, Story } from '#shared/domain/types.ts';
import { openTestTable } from '../helpers/dynalite.ts';
import { FakeFetcher, RecordingPublisher } from '../helpers/fakes.ts';
import { crisis, dayIso, escapeXml } from '../helpers/crisis-feeds.ts';
import { FifoStoryQueue, FlakyPublisher, faultyStore, seededRandom, type FaultCounts } from '../helpers/chaos.ts';
import { shuffled } from '#shared/evaluation-orders.ts';
import { canonicalUrl, stableId } from '#shared/domain/canonical-url.ts';

/**
 * The chaos replay: the own-words crisis and the real-news corpus's event groups, day by day,
 * through the real use cases on one dynalite table. A calm run (one worker, publish order, no
 * faults) sets the expectation; each chaos run has four concurrent ingest workers, a seeded
 * arrival order, feed jobs delivered twice and out of order, story jobs delivered twice, and
 * about one store or publish call in seven failing (throttled, dropped, or failing after the
 * write went through). Every run must end with the calm run's stories and alerts.
 */

const FAULT_RATE = 0.15;
const WORKERS = 4;
const FEEDS_PER_DAY = 6;

interface ReplayItem {
  id: string;
  /** the cycle it is fetched in (YYYY-MM-DD) */
  day: string;
  /** pubDate, absent for an item whose page gave no date (the fetch time stands in) */
  published?: string;
  title: string;
  summary: string;
  link: string;
  outlet: string;
  event: string | null;
  source: 'crisis' | 'real-news';
}

function replayItems(): { items: ReplayItem[]; realNews: boolean } {
  const items: ReplayItem[] = crisis.items.map((i) => ({
    id: `crisis-${i.slug}`,
    day: dayIso(i.day).slice(0, 10),
    published: dayIso(i.day, i.time),
    title: i.title,
    summary: i.summary,
    link: `https://${i.outlet}.example/2024/03/${i.slug}`,
    outlet: crisis.outlets[i.outlet] as string,
    event: i.event,
    source: 'crisis',
  }));
  const corpus = readRealNews(REAL_NEWS_FILE);
  if (!corpus) return { items, realNews: false };
  for (const i of corpus) {
    if (!i.label.relevant || !i.event) continue;
    items.push({ id: i.id, day: dayOf(i), ...(i.date ? { published: `${i.date}T12:00:00.000Z` } : {}), title: i.title, summary: i.summary, link: i.source, outlet: i.outlet, event: i.event, source: 'real-news' });
  }
  return { items, realNews: true };
}

function feedXml(items: ReplayItem[]): string {
  const body = items
    .map((i) => `<item><title>${escapeXml(i.title)}</title><link>${escapeXml(i.link)}</link>${i.published ? `<pubDate>${new Date(i.published).toUTCString()}</pubDate>` : ''}<description>${escapeXml(i.summary)}</description></item>`)
    .join('');
  return `<?xml version="1.0" encoding="UTF-8"?><rss version="2.0"><channel><title>Replay</title>${body}</channel></rss>`;
}

interface RunResult {
  /** each story as the sorted ids of its articles */
  stories: string[];
  /** each alert as (the story it belongs to now, level) */
  alerts: string[];
  /** each alert as (the story it was sent for, level) */
  sent: string[];
  storedRelevant: Set<string>;
  articlesInStories: string[];
  faults: { store: FaultCounts; publish: FaultCounts; ingestRetries: number; storyRedeliveries: number; duplicateJobs: number; duplicateStoryJobs: number; duplicateNotifies: number };
}

interface RunOptions {
  seed: number;
  chaos: boolean;
  /** AWS: ingest sends to the story FIFO queue; local: ingest places stories itself, serialised per dyad in process */
  mode: 'fifo' | 'local';
}

const storyKey = (s: Story) => s.articles.map((a) => a.articleId).sort().join(',');

async function replay(items: ReplayItem[], options: RunOptions): Promise<RunResult> {
  const table = await openTestTable();
  const random = seededRandom(options.seed);
  const storeFaults: FaultCounts = { calls: 0, throttled: 0, failed: 0, afterWrite: 0 };
  const publishFaults: FaultCounts = { calls: 0, throttled: 0, failed: 0, afterWrite: 0 };
  const store: EventStore = options.chaos ? faultyStore(table.store, FAULT_RATE, random, storeFaults) : table.store;
  const publisher = options.chaos ? new FlakyPublisher(FAULT_RATE, random, publishFaults) : new RecordingPublisher();
  const parser = new RssFeedParser();
  const classify = createClassifier(loadWatches());
  const queue = new FifoStoryQueue(random, options.chaos ? 0.2 : 0);
  const batcher = createStoryBatcher();
  const counters = { ingestRetries: 0, duplicateJobs: 0, duplicateNotifies: 0 };
  const days = [...new Set(items.map((i) => i.day))].sort();
  try {
    for (const day of days) {
      const now = `${day}T23:30:00.000Z`;
      const clock = () => new Date(now);
      const today = items.filter((i) => i.day === day);
      // The day's items over a few feeds, as several outlets' feeds would carry them.
      const feeds: FeedDefinition[] = [];
      const bodies: Record<string, string> = {};
      for (let f = 0; f < FEEDS_PER_DAY; f++) {
        const carried = today.filter((_, k) => k % FEEDS_PER_DAY === f);
        if (!carried.length) continue;
        const id = `feed-${f}`;
        feeds.push({ id, url: `https://replay.example/${id}.xml`, outlet: `Replay ${f}`, language: 'en' });
        bodies[id] = feedXml(options.chaos ? shuffled(carried, options.seed * 1000 + f) : carried);
      }
      const fetcher = new FakeFetcher(bodies);
      const risen = new Set<string>();
      const deps: IngestDeps = {
        fetcher, parser, store, classify, clock, log: silentLog, policy: DEFAULT_ALERT_POLICY, pollIntervalMinutes: 5, storyBatcher: batcher,
        // As run-cycle does: stories are collected when placed, so a feed retried after that is no loss.
        onStories: (outcomes) => outcomes.forEach((o) => o.rose && risen.add(o.story.storyId)),
        ...(options.mode === 'fifo' ? { storyQueue: queue } : {}),
      };

      // Feed jobs: in a seeded order, some delivered twice; a job that throws comes back later.
      const jobs = options.chaos ? shuffled(feeds, options.seed * 7919 + days.indexOf(day)) : [...feeds];
      if (options.chaos) {
        for (const feed of feeds) {
          if (random() < 0.2) {
            jobs.splice(Math.floor(random() * (jobs.length + 1)), 0, feed);
            counters.duplicateJobs++;
          }
        }
      }
      const attempts = new Map<string, number>();
      let ingesting = 0;
      const ingestWorker = async () => {
        for (let feed = jobs.shift(); feed; feed = jobs.shift()) {
          ingesting++;
          try {
            await ingestFeed(feed, deps);
          } catch {
            const n = (attempts.get(feed.id) ?? 0) + 1;
            attempts.set(feed.id, n);
            if (n > 60) throw new Error(`feed ${feed.id} on ${day} kept failing`);
            counters.ingestRetries++;
            jobs.push(feed);
          } finally {
            ingesting--;
          }
        }
      };
      // The story function (FIFO mode): runs beside ingest, one batch of a dyad at a time.
      let storyAttempts = 0;
      const storyWorker = async () => {
        for (;;) {
          const delivered = await queue.deliverOne(async (batch) => {
            const outcomes = await formStories(batch, { store, log: silentLog, policy: DEFAULT_ALERT_POLICY });
            for (const o of outcomes) if (o.rose) risen.add(o.story.storyId);
          });
          if (delivered && ++storyAttempts > 5000) throw new Error('story jobs kept failing');
          if (!delivered) {
            if (!ingesting && !jobs.length && !queue.pending) return;
            await new Promise((r) => setTimeout(r, 2));
          }
        }
      };
      const workers = Array.from({ length: options.chaos ? WORKERS : 1 }, ingestWorker);
      await Promise.all(options.mode === 'fifo' ? [...workers, storyWorker()] : workers);
      if (options.mode === 'fifo') await storyWorker();

      // Notify, as the stream would drive it: every story the day changed, some twice, retried until it goes through.
      const toNotify = options.chaos ? shuffled([...risen].sort(), options.seed * 7919 + days.indexOf(day)) : [...risen].sort();
      if (options.chaos) {
        for (const id of [...toNotify]) {
          if (random() < 0.2) {
            toNotify.push(id);
            counters.duplicateNotifies++;
          }
        }
      }
      for (const storyId of toNotify) {
        for (let attempt = 1; ; attempt++) {
          try {
            const story = await store.getStory(storyId);
            if (story) await notifyStory(story, { store, publisher, clock, log: silentLog });
            break;
          } catch (error) {
            if (attempt > 60) throw error;
          }
        }
      }
    }

    // What the run left, read without faults.
    const stories = await table.store.queryStories({ dyad: 'IR-PK', since: '2000-01-01T00:00:00.000Z', until: '2100-01-01T00:00:00.000Z' });
    const owner = new Map<string, string>();
    for (const s of stories) for (const id of [s.storyId, ...(s.mergedFrom ?? [])]) owner.set(id, storyKey(s));
    const alerts = publisher.alerts.map((a) => `${owner.get(a.storyId) ?? `gone:${a.storyId}`}#${a.level}`).sort();
    const inStories = stories.flatMap((s) => s.articles.map((a) => a.articleId));
    const stored = await table.store.existingArticleIds(inStories);
    return {
      stories: stories.map(storyKey).sort(),
      alerts,
      sent: publisher.alerts.map((a) => `${a.storyId}#${a.level}`),
      storedRelevant: stored,
      articlesInStories: inStories,
      faults: { store: storeFaults, publish: publishFaults, ...counters, storyRedeliveries: queue.redeliveries, duplicateStoryJobs: queue.duplicates },
    };
  } finally {
    await parser.close();
    await table.close();
  }
}

describe('chaos replay: the same stories and alerts whatever the order, the concurrency and the faults', () => {
  const { items, realNews } = replayItems();
  const runs: { options: RunOptions; result: RunResult }[] = [];
  let calm: RunResult;
  const CHAOS: RunOptions[] = [
    { seed: 11, chaos: true, mode: 'fifo' },
    { seed: 23, chaos: true, mode: 'local' },
    { seed: 37, chaos: true, mode: 'fifo' },
    { seed: 51, chaos: true, mode: 'local' },
  ];

  beforeAll(async () => {
    if (!realNews) console.log(`chaos replay: ../shared/corpora/real-news is absent (${REAL_NEWS_FILE}); replaying the own-words crisis only`);
    calm = await replay(items, { seed: 0, chaos: false, mode: 'local' });
    for (const options of CHAOS) runs.push({ options, result: await replay(items, options) });
    const f = (r: RunResult) => `${r.faults.store.throttled + r.faults.store.failed + r.faults.store.afterWrite} of ${r.faults.store.calls} store calls failed (${r.faults.store.afterWrite} after the write), ${r.faults.publish.throttled} of ${r.faults.publish.calls} publishes; ${r.faults.ingestRetries} ingest retries, ${r.faults.storyRedeliveries} story-batch redeliveries, ${r.faults.duplicateJobs + r.faults.duplicateStoryJobs + r.faults.duplicateNotifies} duplicate deliveries`;
    console.log(
      [
        `chaos replay: ${items.length} items (${items.filter((i) => i.source === 'real-news').length} real-news), calm run: ${calm.stories.length} stories, ${calm.alerts.length} alerts, ${calm.storedRelevant.size} relevant articles stored`,
        ...runs.map(({ options, result }) => `  seed ${options.seed} (${options.mode}): ${result.stories.length} stories, ${result.alerts.length} alerts; ${f(result)}`),
      ].join('\n'),
    );
  }, 600_000);

  it('ends every chaos run with exactly the calm run’s stories', () => {
    for (const { result } of runs) expect(result.stories).toEqual(calm.stories);
  });

  it('ends every chaos run with exactly the calm run’s alerts, at most one per story and level', () => {
    for (const { result } of [{ result: calm }, ...runs]) expect(new Set(result.sent).size).toBe(result.sent.length);
    for (const { result } of runs) {
      expect(result.alerts).toEqual(calm.alerts);
      expect(result.alerts.every((a) => !a.startsWith('gone:'))).toBe(true);
    }
  });

  it('loses no relevant article: each is stored and in exactly one story', () => {
    for (const { result } of [{ result: calm }, ...runs]) {
      expect(new Set(result.articlesInStories).size).toBe(result.articlesInStories.length);
      expect(result.storedRelevant).toEqual(new Set(result.articlesInStories));
      expect(result.storedRelevant).toEqual(calm.storedRelevant);
    }
  });

  it('injects faults into at least one in ten store and publish calls, of every kind', () => {
    // Over all chaos runs together: without the corpus a run makes only a few hundred calls.
    const sum = (pick: (r: RunResult) => number) => runs.reduce((n, { result }) => n + pick(result), 0);
    const failedCalls = sum((r) => r.faults.store.throttled + r.faults.store.failed + r.faults.store.afterWrite + r.faults.publish.throttled);
    expect(failedCalls / sum((r) => r.faults.store.calls + r.faults.publish.calls)).toBeGreaterThanOrEqual(0.1);
    expect(sum((r) => r.faults.store.afterWrite)).toBeGreaterThan(0);
    expect(sum((r) => r.faults.store.throttled)).toBeGreaterThan(0);
    expect(sum((r) => r.faults.publish.throttled)).toBeGreaterThan(0);
    expect(sum((r) => r.faults.duplicateJobs + r.faults.duplicateNotifies + r.faults.duplicateStoryJobs)).toBeGreaterThan(0);
  });

  it('gives the own-words crisis one story per event', () => {
    // Article ids as the normaliser makes them: from the canonical link.
    const crisisIds = new Map(items.filter((i) => i.source === 'crisis' && i.event).map((i) => [stableId('url', canonicalUrl(i.link) as string), i.event as string]));
    const byEvent = new Map<string, Set<string>>();
    for (const key of calm.stories) {
      const crisisMembers = key.split(',').filter((id) => crisisIds.has(id));
      for (const id of crisisMembers) {
        const event = crisisIds.get(id) as string;
        if (!byEvent.has(event)) byEvent.set(event, new Set());
        byEvent.get(event)?.add(key);
      }
    }
    const expected = [...new Set(crisis.items.flatMap((i) => (i.event ? [i.event] : [])))].sort();
    expect([...byEvent.keys()].sort()).toEqual(expected);
    for (const [event, stories] of byEvent) expect({ event, stories: stories.size }).toEqual({ event, stories: 1 });
  });
});
