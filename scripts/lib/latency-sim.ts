/**
 * Time to alert on a virtual clock: the real dispatcher (dispatch-feeds.ts, polling.ts, surge.ts)
 * and the real ingest use case (ingest-feed.ts: conditional GET, seen set, stories, alert levels)
 * run every `intervalMinutes` of simulated time over simulated feeds; nothing waits on the wall
 * clock. What is simulated: the publishers (fetcher and parser over generated items), the
 * classifier (it reads the event an item reports from the item, so the figures do not move with
 * the classifier's tuning) and the table (the in-memory store with DynamoDB's conditional writes).
 *
 * The world, from one seed:
 * - feeds publish ordinary items as Poisson processes, mean gaps log-uniform between
 *   `minGapMinutes` (several an hour) and a day; `regionalShare` of them cover the region;
 * - Iran–Pakistan events on ordinary days (about 5 a day, severities as TAXONOMY.md: deadly
 *   incidents a few times a month, strikes rarer), and a scripted crisis on `crisisDay`: a strike,
 *   recalls, more strikes and incidents, then talks, over two days;
 * - each event is first published on a random feed (a regional one nine times in ten), then
 *   picked up by more feeds minutes to hours later (more, and sooner, the graver it is).
 * A week of warm-up (`warmDays`, events included) runs first, unmeasured. The delay of an event
 * is from its first publication to the dispatcher run whose poll raised its
 * story's alert level (the seconds from there through the stream to SNS are not simulated).
 * With `hubShare`, that share of the feeds advertises a WebSub hub (a Link header): the real
 * dispatcher subscribes, a simulated hub verifies through the real callback use case at once, and
 * each item a hub feed publishes is pushed `pushDelaySeconds` later (signed, through the callback),
 * which sends the feed to be ingested right then; live-push feeds are polled only as a safety net.
 * SIM_DEBUG=1 prints the events never alerted and the severity >= 4 ones slower than 7 minutes,
 * with the feeds that carried them and when.
 */
import { dispatchFeeds } from '../../shared/use-cases/dispatch-feeds.ts';
import { createStoryBatcher, ingestFeed, type IngestDeps } from '../../shared/use-cases/ingest-feed.ts';
import { notifyStory, publishDigest } from '../../shared/use-cases/notify-story.ts';
import { DEFAULT_ALERT_POLICY } from '../../shared/config.ts';
import type { Classifier } from '../../shared/domain/classify.ts';
import type { Alert, EventType, FeedDefinition, FeedState, RawFeedItem, Story } from '../../shared/domain/types.ts';
import type { EventStore, FeedFetcher, FeedParser, FetchResult, Log } from '../../shared/ports.ts';
import { DEFAULT_SURGE_POLICY, type SurgePolicy } from '../../shared/domain/surge.ts';
import { MemoryEventStore, MemorySubscriptionStore } from '../../tests/helpers/memory-store.ts';
import { createHmac } from 'node:crypto';
import { DEFAULT_WEBSUB_POLICY } from '../../shared/domain/websub-subscription.ts';
import { handleCallback, type CallbackDeps } from '../../shared/use-cases/websub-callback.ts';
import type { WebSubDeps } from '../../shared/use-cases/maintain-subscriptions.ts';
import { seededRandom } from '../../shared/evaluation-orders.ts';

export type PollPolicy = 'adaptive' | 'surge';

export interface LatencySimOptions {
  seed: number;
  feeds: number;
  /** measured days */
  days: number;
  /** days run before them, with events, unmeasured: feeds come to the measured week with a record of what they carried */
  warmDays: number;
  intervalMinutes: number;
  policy: PollPolicy;
  surgePolicy?: SurgePolicy;
  /** day (0-based, of the measured days) the crisis starts; -1 for none */
  crisisDay: number;
  regionalShare: number;
  minGapMinutes: number;
  /** ordinary dyad events a day */
  eventsPerDay: number;
  /** the feeds themselves (the registry), instead of generated ones */
  feedList?: FeedDefinition[];
  /** wraps the store (the cost model counts at the port) */
  wrapStore?: (store: EventStore) => EventStore;
  log?: Log;
  /** share of feeds that advertise a WebSub hub and push (0: none, the world as before) */
  hubShare?: number;
  /** from an item's publication to its push reaching the callback (the hub's fetch and delivery) */
  pushDelaySeconds?: number;
}

/** What the measured week used, for the cost model (cost-model.ts). */
export interface SimUsage {
  dispatchRuns: number;
  /** feed jobs sent, and per dispatcher run (ingest invocations are batches of ten) */
  feedJobs: number;
  feedJobsPerRun: number[];
  /** ingest invocations (batches of ten jobs), and those with at least one body to read */
  ingestBatches: number;
  ingestBatchesWithBody: number;
  fetched: number;
  notModified: number;
  bodyBytes: number;
  /** dispatcher runs after which notify ran, and the stories it was given */
  notifyRuns: number;
  storiesNotified: number;
  alertsPublished: number;
  /** relevant new articles (each a story job on the FIFO queue in AWS), and ingest batches that sent any (each a story function run) */
  storyJobs: number;
  storyBatches: number;
  /** pushes accepted by the callback (each a feed job at once) */
  pushes: number;
}

export const DEFAULT_SIM: Omit<LatencySimOptions, 'policy'> = { seed: 20261206, feeds: 2000, days: 7, warmDays: 7, intervalMinutes: 5, crisisDay: 3, regionalShare: 0.15, minGapMinutes: 10, eventsPerDay: 5 };

interface SimEvent {
  id: number;
  at: number;
  severity: number;
  type: EventType;
  words: string;
  carriers: number;
  alertAt?: number;
}

interface SimItem {
  at: number;
  guid: string;
  link: string;
  title: string;
  summary: string;
}

export interface LatencyResult {
  policy: PollPolicy;
  events: number;
  eventsSev4: number;
  alerted: number;
  p50Sev4Min: number;
  p95Sev4Min: number;
  p50AllMin: number;
  p95AllMin: number;
  requestsPerDay: number;
  /** every severity >= 4 event's delay, sorted: the bench pools them over seeds (one seed's 14 or so make its p95 its worst) */
  delaysSev4Min: number[];
  usage: SimUsage;
  /** with hubShare: severity >= 4 events first published on a feed with a hub */
  eventsSev4Hub?: number;
  p50Sev4HubMin?: number;
  p95Sev4HubMin?: number;
}

const MIN = 60_000;
const DAY = 86_400_000;
const START = Date.parse('2026-03-02T00:00:00Z');
const BODY_ITEMS = 10;


// Severities as TAXONOMY.md: 5 military action, 4 recalls and deadly border incidents, 3 top-level
// visits and de-escalation, 2 ministerial talks and trade steps, 1 other contacts.
const TYPE_BY_SEVERITY: Record<number, EventType[]> = { 1: ['other'], 2: ['talks', 'trade_energy'], 3: ['visit', 'de_escalation'], 4: ['envoy_recall', 'border_incident'], 5: ['strike'] };
/** Ordinary days: cumulative shares of severities 1..5 (deadly incidents a few times a month, strikes rarer). */
const ORDINARY_SEVERITY = [0.3, 0.65, 0.92, 0.99, 1];
const SYLLABLES = ['ka', 'zor', 'vel', 'mun', 'tri', 'sab', 'dor', 'lix', 'pen', 'quo', 'ram', 'hul', 'gev', 'nir', 'tas', 'bol'];

export async function simulateLatency(options: LatencySimOptions): Promise<LatencyResult> {
  // One seed gives one world.
  const random = seededRandom(options.seed);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(random() * xs.length)] as T;
  const exp = (mean: number) => -Math.log(1 - random()) * mean;
  const word = () => Array.from({ length: 3 }, () => pick(SYLLABLES)).join('');
  const warmStart = START - options.warmDays * DAY;
  const end = START + options.days * DAY;
  // Polling goes on for a day after the measured week, uncounted, so its last events can alert.
  const tail = end + DAY;

  // --- feeds and their ordinary items -----------------------------------------------------
  const feeds: FeedDefinition[] = options.feedList ?? Array.from({ length: options.feeds }, (_, i) => ({ id: `sim-${i}`, url: `https://outlet${i}.example/feed`, outlet: `Outlet ${i}`, language: 'en' }));
  const regional = options.feedList ? feeds.map((_, i) => i) : feeds.map((_, i) => i).filter(() => random() < options.regionalShare);
  const items: SimItem[][] = feeds.map(() => []);
  feeds.forEach((feed, i) => {
    const gap = options.minGapMinutes * (1440 / options.minGapMinutes) ** random();
    for (let t = warmStart - 2 * DAY + exp(gap * MIN), n = 0; t < tail; t += exp(gap * MIN), n++) {
      items[i]?.push({ at: t, guid: `${feed.id}-${n}`, link: `${feed.url.replace('/feed', '')}/n/${n}`, title: `Local report ${word()} ${word()}`, summary: 'ordinary news' });
    }
  });

  // --- events: ordinary days and the crisis ------------------------------------------------
  const events: SimEvent[] = [];
  const addEvent = (at: number, severity: number) => {
    const id = events.length;
    const grave = severity >= 4;
    events.push({ id, at, severity, type: pick(TYPE_BY_SEVERITY[severity] ?? ['other']), words: Array.from({ length: 6 }, () => `${word()}${id}`).join(' '), carriers: Math.min(feeds.length, (grave ? 8 : 2) + Math.floor(random() * (grave ? 12 : 6))) });
  };
  // From the warm-up on, so feeds have a record of the dyads they carry when the week starts.
  for (let day = -options.warmDays; day < options.days; day++) {
    const count = Math.round(options.eventsPerDay * (0.5 + random()));
    for (let k = 0; k < count; k++) {
      const r = random();
      addEvent(START + day * DAY + random() * DAY, ORDINARY_SEVERITY.findIndex((share) => r < share) + 1);
    }
  }
  if (options.crisisDay >= 0 && options.crisisDay < options.days) {
    const crisis = START + options.crisisDay * DAY + 2 * 3_600_000 + random() * 6 * 3_600_000;
    // A strike, the other side's recall and retaliation, incidents along the border, then talks.
    const script: [number, number][] = [[0, 5], [40, 4], [95, 4], [180, 5], [260, 4], [420, 4], [600, 3], [700, 4], [900, 5], [1100, 4], [1300, 3], [1500, 4], [1700, 4], [2000, 3], [2300, 4], [2600, 2], [2900, 3], [2950, 2]];
    for (const [minutes, severity] of script) addEvent(crisis + minutes * MIN + random() * 20 * MIN, severity);
  }
  // Its own generator: the same seed gives the same world whatever the hub share.
  const hubRandom = seededRandom(options.seed ^ 0x5eb5ab);
  const hubFeeds = new Set(feeds.map((_, i) => i).filter(() => hubRandom() < (options.hubShare ?? 0)));
  const firstOnHub = new Map<number, boolean>();
  const eventItems = new Map<string, number>();
  const firstCarriers = new Map<number, string[]>();
  for (const e of events) {
    const first = random() < 0.9 && regional.length ? pick(regional) : Math.floor(random() * feeds.length);
    const carriers = new Set<number>([first]);
    while (carriers.size < e.carriers) carriers.add(random() < 0.85 && regional.length ? pick(regional) : Math.floor(random() * feeds.length));
    firstOnHub.set(e.id, hubFeeds.has(first));
    let k = 0;
    for (const f of carriers) {
      const at = k === 0 ? e.at : e.at + exp((e.severity >= 4 ? 20 : 90) * MIN);
      const feed = feeds[f] as FeedDefinition;
      const link = `${feed.url.replace('/feed', '')}/e/${e.id}`;
      items[f]?.push({ at, guid: `${feed.id}-e${e.id}`, link, title: `Iran Pakistan ${e.words}`, summary: `e${e.id}` });
      eventItems.set(link, e.id);
      if (process.env.SIM_DEBUG) firstCarriers.set(e.id, [...(firstCarriers.get(e.id) ?? []), `${feed.id}@${Math.round((at - e.at) / MIN)}m`]);
      k++;
    }
  }
  for (const list of items) list.sort((a, b) => a.at - b.at);

  // --- the publishers' side: conditional GET over the items published so far -----------------
  let clock = warmStart;
  let measuring = false;
  let requests = 0;
  const published = (f: number) => {
    const list = items[f] as SimItem[];
    let lo = 0;
    let hi = list.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if ((list[mid] as SimItem).at <= clock) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  };
  const index = new Map(feeds.map((f, i) => [f.id, i]));
  const bodyBytes = new Map<string, number>();
  const fetcher: FeedFetcher = {
    async fetch(feed, validators): Promise<FetchResult> {
      if (measuring) requests++;
      const f = index.get(feed.id) as number;
      const count = published(f);
      const etag = `"${count}"`;
      if (validators.etag === etag) return { status: 'not-modified', etag };
      const body = JSON.stringify((items[f] as SimItem[]).slice(Math.max(0, count - BODY_ITEMS), count).reverse().map((i) => ({ guid: i.guid, link: i.link, title: i.title, summary: i.summary, isoDate: new Date(i.at).toISOString() })));
      bodyBytes.set(feed.id, body.length);
      return { status: 'ok', body, etag, finalUrl: feed.url, bytes: body.length, ...(hubFeeds.has(f) ? { link: '<https://hub.sim.example/>; rel="hub"' } : {}) };
    },
  };
  const parser: FeedParser = { parse: async (text) => ({ items: JSON.parse(text) as RawFeedItem[], path: 'rss-parser' }) };
  const classify: Classifier = (input) => {
    const match = /^e(\d+)$/.exec(input.summary ?? '');
    const e = match ? events[Number(match[1])] : undefined;
    if (!e) return { relevant: false, types: [], primary: null, severity: 0, confidence: 0, actors: [], dates: [], evidence: '', dyad: null };
    return { relevant: true, types: [e.type], primary: e.type, severity: e.severity, confidence: 0.9, actors: [], dates: [], evidence: input.title, dyad: 'IR-PK' };
  };

  const memory = new SimStore();
  const store = options.wrapStore ? options.wrapStore(memory) : memory;
  const log = options.log ?? { debug() {}, info() {}, warn() {}, error() {} };
  const deps: IngestDeps = { fetcher, parser, store, classify, clock: () => new Date(clock), log, policy: DEFAULT_ALERT_POLICY, pollIntervalMinutes: options.intervalMinutes };
  const surge = options.policy === 'surge' ? { intervalMinutes: options.intervalMinutes, policy: options.surgePolicy ?? DEFAULT_SURGE_POLICY } : undefined;
  const usage: SimUsage = { dispatchRuns: 0, feedJobs: 0, feedJobsPerRun: [], ingestBatches: 0, ingestBatchesWithBody: 0, fetched: 0, notModified: 0, bodyBytes: 0, notifyRuns: 0, storiesNotified: 0, alertsPublished: 0, storyJobs: 0, storyBatches: 0, pushes: 0 };
  const alerts: Alert[] = [];
  const notifyDeps = { store, clock: deps.clock, log, publisher: { publish: async (a: Alert) => (alerts.push(a), `m${alerts.length}`) } };

  // --- WebSub: subscriptions through the real dispatcher, verification and pushes through the real callback ---
  const subscriptions = new MemorySubscriptionStore();
  let pushed: FeedDefinition[] = [];
  const callbackDeps: CallbackDeps = { feeds: new Map(feeds.map((f) => [f.id, f])), subscriptions, store, queue: { send: async (f) => void pushed.push(...f) }, clock: deps.clock, log, policy: DEFAULT_WEBSUB_POLICY };
  const websub: WebSubDeps | undefined = hubFeeds.size
    ? {
        subscriptions,
        // The hub verifies at once: a GET to the callback with its challenge.
        hub: {
          subscribe: async (request) => {
            const path = new URL(request.callback).pathname;
            const query = new URLSearchParams({ 'hub.mode': 'subscribe', 'hub.topic': request.topic, 'hub.challenge': 'sim', 'hub.lease_seconds': String(request.leaseSeconds) }).toString();
            await handleCallback({ method: 'GET', path, query, headers: {}, body: new Uint8Array() }, callbackDeps);
          },
        },
        callbackBaseUrl: 'https://callback.sim.example',
        clock: deps.clock,
        log,
        policy: { ...DEFAULT_WEBSUB_POLICY, intervalMinutes: options.intervalMinutes },
        randomHex: (bytes) => Array.from({ length: bytes * 2 }, () => Math.floor(hubRandom() * 16).toString(16)).join(''),
        maxRequests: feeds.length,
      }
    : undefined;
  const notifyRisen = async (risen: Set<string>) => {
    const before = alerts.length;
    const digest: Story[] = [];
    for (const id of risen) {
      const story = await store.getStory(id);
      if (story) await notifyStory(story, notifyDeps, { burstLimit: DEFAULT_ALERT_POLICY.burstLimit, digest });
    }
    await publishDigest(digest, notifyDeps);
    if (measuring) {
      usage.notifyRuns++;
      usage.storiesNotified += risen.size;
      usage.alertsPublished += alerts.length - before;
    }
  };
  const markAlerted = (storyId: string, at: number) => {
    for (const ref of memory.stories.get(storyId)?.articles ?? []) {
      const e = events[eventItems.get(ref.url ?? '') ?? -1];
      if (e && e.alertAt === undefined) e.alertAt = at;
    }
  };
  const pushDelay = (options.pushDelaySeconds ?? 20) * 1000;
  const pushCursor = new Map<number, number>();

  for (let tick = warmStart; tick < tail; tick += options.intervalMinutes * MIN) {
    // Pushes whose delivery fell since the last run, in time order: each a feed job ingested then.
    if (hubFeeds.size) {
      const due: [number, number][] = [];
      for (const f of hubFeeds) {
        const list = items[f] as SimItem[];
        let c = pushCursor.get(f) ?? 0;
        // Items before the first run were published before anyone could subscribe.
        for (; c < list.length && (list[c] as SimItem).at + pushDelay <= tick; c++) if ((list[c] as SimItem).at + pushDelay > tick - options.intervalMinutes * MIN) due.push([(list[c] as SimItem).at + pushDelay, f]);
        pushCursor.set(f, c);
      }
      due.sort((a, b) => a[0] - b[0]);
      for (const [at, f] of due) {
        clock = at;
        measuring = at >= START && at < end;
        const feed = feeds[f] as FeedDefinition;
        const sub = await subscriptions.getSubscription(feed.id);
        if (!sub) continue;
        const body = Buffer.from(`<push at="${at}"/>`);
        const signature = `sha256=${createHmac('sha256', sub.secret).update(body).digest('hex')}`;
        await handleCallback({ method: 'POST', path: `/${feed.id}/${sub.callbackId}`, query: '', headers: { 'x-hub-signature-256': signature }, body }, callbackDeps);
        for (const job of pushed.splice(0)) {
          if (measuring) usage.pushes++;
          const result = await ingestFeed(job, deps);
          if (measuring) {
            if (result.outcome === 'ok') usage.fetched++;
            if (result.outcome === 'not-modified') usage.notModified++;
          }
          const risen = new Set(result.changes.filter((c) => c.rose && c.level >= 1).map((c) => c.storyId));
          for (const id of risen) markAlerted(id, at);
          if (risen.size) await notifyRisen(risen);
        }
      }
    }
    clock = tick;
    measuring = tick >= START && tick < end;
    let sent: FeedDefinition[] = [];
    await dispatchFeeds(feeds, { store, queue: { send: async (due) => void (sent = due) }, clock: deps.clock, staleAfterHours: 48, ...(surge ? { surge } : {}), ...(websub ? { websub } : {}) });
    if (measuring) {
      usage.dispatchRuns++;
      usage.feedJobs += sent.length;
      usage.feedJobsPerRun.push(sent.length);
    }
    const batcher = createStoryBatcher();
    const risen = new Set<string>();
    let batchHasBody = false;
    let batchStoryJobs = 0;
    for (const [i, feed] of sent.entries()) {
      bodyBytes.delete(feed.id);
      const result = await ingestFeed(feed, { ...deps, storyBatcher: batcher });
      const rose = result.changes.filter((c) => c.rose && c.level >= 1);
      if (measuring) {
        if (result.outcome === 'ok') usage.fetched++;
        batchHasBody ||= result.outcome === 'ok';
        batchStoryJobs += result.articles.relevant;
        if (i % 10 === 9 || i === sent.length - 1) {
          usage.ingestBatches++;
          if (batchHasBody) usage.ingestBatchesWithBody++;
          usage.storyJobs += batchStoryJobs;
          if (batchStoryJobs) usage.storyBatches++;
          batchHasBody = false;
          batchStoryJobs = 0;
        }
        if (result.outcome === 'not-modified') usage.notModified++;
        usage.bodyBytes += bodyBytes.get(feed.id) ?? 0;
      }
      for (const change of rose) {
        risen.add(change.storyId);
        markAlerted(change.storyId, tick);
      }
    }
    // The stream hands notify the stories whose alert level rose (in AWS, seconds later).
    if (risen.size) await notifyRisen(risen);
  }

  const delays = (list: SimEvent[]) => list.map((e) => ((e.alertAt ?? tail) - e.at) / MIN).sort((a, b) => a - b);
  if (process.env.SIM_DEBUG) for (const e of events) if (e.alertAt === undefined && e.at >= START) {
    process.stderr.write(`never alerted: ${JSON.stringify({ ...e, at: new Date(e.at).toISOString() })}\n`);
    for (const a of memory.articles.values()) if (eventItems.get(a.url ?? '') === e.id) { const st = memory.stories.get(a.storyId ?? ''); process.stderr.write(`  ${a.feedId} ${a.publishedAt} fetched ${a.fetchedAt} story ${st?.headline} level ${st?.alertLevel} n ${st?.articles.length} sev ${st?.severity}\n`); }
  }
  if (process.env.SIM_DEBUG) for (const e of events) if (e.severity >= 4 && e.at >= START && (e.alertAt ?? tail) - e.at > 7 * MIN) process.stderr.write(`slow: ${JSON.stringify({ ...e, at: new Date(e.at).toISOString(), delayMin: ((e.alertAt ?? tail) - e.at) / MIN, firstFeeds: firstCarriers.get(e.id) })}\n`);
  const measured = events.filter((e) => e.at >= START);
  const grave = measured.filter((e) => e.severity >= 4);
  const graveOnHub = grave.filter((e) => firstOnHub.get(e.id));
  return {
    policy: options.policy,
    events: measured.length,
    eventsSev4: grave.length,
    alerted: measured.filter((e) => e.alertAt !== undefined).length,
    p50Sev4Min: quantile(delays(grave), 0.5),
    p95Sev4Min: quantile(delays(grave), 0.95),
    p50AllMin: quantile(delays(measured), 0.5),
    p95AllMin: quantile(delays(measured), 0.95),
    requestsPerDay: Math.round(requests / options.days),
    delaysSev4Min: delays(grave),
    usage,
    ...(hubFeeds.size ? { eventsSev4Hub: graveOnHub.length, p50Sev4HubMin: quantile(delays(graveOnHub), 0.5), p95Sev4HubMin: quantile(delays(graveOnHub), 0.95) } : {}),
  };
}

/** Nearest-rank quantile, in minutes to one decimal; an event never alerted counts as alerted at the end of the run. */
export function quantile(sorted: number[], q: number): number {
  if (!sorted.length) return 0;
  const v = sorted[Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)] as number;
  return Math.round(v * 10) / 10;
}

/**
 * The in-memory store of the tests with the feed states kept as shallow copies: the dispatcher
 * reads every feed's state every run, and deep copies of them were most of the simulation's time.
 * The use cases never mutate a state they read (ingest copies it), so the copies can be shallow.
 */
class SimStore extends MemoryEventStore {
  private readonly states = new Map<string, FeedState>();
  override async getFeedStates(ids: string[]) {
    const out = new Map<string, FeedState>();
    for (const id of ids) {
      const s = this.states.get(id);
      if (s) out.set(id, { ...s });
    }
    return out;
  }
  override async putFeedState(state: FeedState) {
    this.writes++;
    const copy = { ...state } as Record<string, unknown>;
    for (const k of Object.keys(copy)) if (copy[k] === undefined) delete copy[k];
    this.states.set(state.feedId, copy as unknown as FeedState);
  }
}
