/**
 * WebSub end to end on 127.0.0.1: a feed server whose feed advertises a fake hub, the fake hub
 * (subscribe -> verification GET -> signed content POST), and a callback server that hands each
 * request, shaped as a Lambda Function URL event, to the same functions the websub Lambda runs.
 * The real dispatcher, ingest and notify use cases run on dynalite; alerts go to a recording fake.
 */
import { randomBytes } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { LambdaFunctionURLEvent } from 'aws-lambda';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { GetCommand } from '@aws-sdk/lib-dynamodb';
import { HttpFeedFetcher } from '#shared/adapters/http-feed-fetcher.ts';
import { HttpHubClient } from '#shared/adapters/http-hub-client.ts';
import { RssFeedParser } from '#shared/adapters/rss-feed-parser.ts';
import { DynamoDbSubscriptionStore } from '#shared/adapters/dynamodb-subscription-store.ts';
import { createDocumentClient } from '#shared/adapters/dynamodb-event-store.ts';
import { callbackRequestFromFunctionUrl, functionUrlResult } from '#shared/adapters/function-url-callback.ts';
import { createClassifier } from '#shared/domain/classify.ts';
import { DEFAULT_WEBSUB_POLICY, type WebSubPolicy } from '#shared/domain/websub-subscription.ts';
import type { FeedDefinition, WebSubSubscription } from '#shared/domain/types.ts';
import { loadWatches } from '#shared/watches.ts';
import { DEFAULT_ALERT_POLICY } from '#shared/config.ts';
import type { Log } from '#shared/ports.ts';
import { KEY, TABLE } from '#shared/table-schema.ts';
import { dispatchFeeds, type DispatchResult } from '#shared/use-cases/dispatch-feeds.ts';
import { ingestFeed, type IngestDeps } from '#shared/use-cases/ingest-feed.ts';
import { notifyStory } from '#shared/use-cases/notify-story.ts';
import { handleCallback, type CallbackDeps } from '#shared/use-cases/websub-callback.ts';
import { openTestTable, type TestTable } from '../helpers/dynalite.ts';
import { startFeedServer, type FeedServer } from '../helpers/feed-server.ts';
import { FakeHub, pushTo } from '../helpers/fake-hub.ts';
import { RecordingPublisher } from '../helpers/fakes.ts';

const T0 = '2024-01-17T09:00:00.000Z';
const MINUTE = 60_000;
const at = (minutes: number) => new Date(Date.parse(T0) + minutes * MINUTE).toISOString();

const CALM_ITEM = '<item><title>Wheat prices steady in Lahore market</title><link>https://indus.example/wheat</link><pubDate>Wed, 17 Jan 2024 08:00:00 GMT</pubDate></item>';
const STRIKE_ITEM =
  '<item><title>Iran strikes militant hideouts inside Pakistan, Islamabad says two children killed</title><link>https://indus.example/iran-strike</link><description>Pakistan said the missile and drone attack in Balochistan was an unprovoked violation of its airspace.</description><pubDate>Wed, 17 Jan 2024 09:05:00 GMT</pubDate></item>';

function feedBody(hub: string, self: string, items: string): string {
  return `<?xml version="1.0" encoding="UTF-8"?><rss version="2.0" xmlns:atom="http://www.w3.org/2005/Atom"><channel><title>Indus Daily</title><atom:link rel="hub" href="${hub}"/><atom:link rel="self" href="${self}"/>${items}</channel></rss>`;
}

/** Records log lines, to show that no secret ever reaches one. */
class RecordingLog implements Log {
  lines: { level: string; message: string; extra?: Record<string, unknown> }[] = [];
  debug = (message: string, extra?: Record<string, unknown>) => void this.lines.push({ level: 'debug', message, ...(extra ? { extra } : {}) });
  info = (message: string, extra?: Record<string, unknown>) => void this.lines.push({ level: 'info', message, ...(extra ? { extra } : {}) });
  warn = (message: string, extra?: Record<string, unknown>) => void this.lines.push({ level: 'warn', message, ...(extra ? { extra } : {}) });
  error = (message: string, extra?: Record<string, unknown>) => void this.lines.push({ level: 'error', message, ...(extra ? { extra } : {}) });
}

/** Everything of one test: servers, table, the pipeline's use cases wired as in AWS. */
class World {
  now = T0;
  readonly clock = () => new Date(this.now);
  readonly log = new RecordingLog();
  readonly publisher = new RecordingPublisher();
  /** feed jobs sent by pushes (the callback's queue) and by the dispatcher */
  readonly pushJobs: FeedDefinition[] = [];
  readonly dispatchJobs: FeedDefinition[] = [];
  table!: TestTable;
  subscriptions!: DynamoDbSubscriptionStore;
  feedServer!: FeedServer;
  hub!: FakeHub;
  callbackBase = '';
  feed!: FeedDefinition;
  items = CALM_ITEM;
  registry = new Map<string, FeedDefinition>();
  hubClientOptions: { allowPrivateNetworks: boolean } = { allowPrivateNetworks: true };
  private callbackServer!: Server;

  async start(): Promise<this> {
    this.table = await openTestTable();
    this.subscriptions = new DynamoDbSubscriptionStore(TABLE.defaultName, createDocumentClient(this.table.local.client));
    this.hub = await new FakeHub().start();
    this.feedServer = await startFeedServer({
      '/feed.xml': (req, res) => {
        const body = feedBody(this.hub.url, `${this.feedServer.url}/feed.xml`, this.items);
        const etag = `"${body.length}-${this.items.length}"`;
        if (req.headers['if-none-match'] === etag) return void res.writeHead(304, { etag }).end();
        res.writeHead(200, { 'content-type': 'application/rss+xml; charset=utf-8', etag }).end(body);
      },
    });
    this.feed = { id: 'indus-daily', url: `${this.feedServer.url}/feed.xml`, outlet: 'Indus Daily', language: 'en' };
    this.registry.set(this.feed.id, this.feed);
    // The callback: each request becomes a Function URL event, read by the Lambda's own adapter.
    this.callbackServer = createServer(async (req, res) => {
      const chunks: Buffer[] = [];
      for await (const chunk of req) chunks.push(chunk as Buffer);
      const url = new URL(req.url ?? '/', 'http://x');
      const body = Buffer.concat(chunks);
      const event = {
        rawPath: url.pathname,
        rawQueryString: url.search.slice(1),
        headers: Object.fromEntries(Object.entries(req.headers).map(([k, v]) => [k, Array.isArray(v) ? v.join(',') : v])),
        body: body.length ? body.toString('base64') : undefined,
        isBase64Encoded: body.length > 0,
        requestContext: { http: { method: req.method ?? 'GET' } },
      } as unknown as LambdaFunctionURLEvent;
      const { response } = await handleCallback(callbackRequestFromFunctionUrl(event), this.callbackDeps());
      const result = functionUrlResult(response);
      res.writeHead(result.statusCode, result.headers).end(result.body);
    });
    await new Promise<void>((resolve) => this.callbackServer.listen(0, '127.0.0.1', resolve));
    this.callbackBase = `http://127.0.0.1:${(this.callbackServer.address() as AddressInfo).port}/`;
    return this;
  }

  async close(): Promise<void> {
    await this.hub.close();
    await this.feedServer.close();
    this.callbackServer.closeAllConnections();
    await new Promise<void>((resolve) => this.callbackServer.close(() => resolve()));
    await this.table.close();
  }

  get policy(): WebSubPolicy {
    return { ...DEFAULT_WEBSUB_POLICY, intervalMinutes: 5, insecureHubs: true };
  }

  callbackDeps(): CallbackDeps {
    return { feeds: this.registry, subscriptions: this.subscriptions, store: this.table.store, queue: { send: async (feeds) => void this.pushJobs.push(...feeds) }, clock: this.clock, log: this.log, policy: this.policy };
  }

  ingestDeps(): IngestDeps {
    return {
      fetcher: new HttpFeedFetcher({ allowPrivateNetworks: true }),
      parser: new RssFeedParser(),
      store: this.table.store,
      classify: createClassifier(loadWatches()),
      clock: this.clock,
      log: this.log,
      policy: DEFAULT_ALERT_POLICY,
      pollIntervalMinutes: 5,
    };
  }

  /** One dispatcher run with WebSub on; the feeds it sent are in dispatchJobs. */
  async dispatch(): Promise<DispatchResult> {
    this.dispatchJobs.length = 0;
    const result = await dispatchFeeds([...this.registry.values()], {
      store: this.table.store,
      queue: { send: async (feeds) => void this.dispatchJobs.push(...feeds) },
      clock: this.clock,
      staleAfterHours: 48,
      surge: { intervalMinutes: 5 },
      websub: {
        subscriptions: this.subscriptions,
        hub: new HttpHubClient(this.hubClientOptions),
        callbackBaseUrl: this.callbackBase,
        clock: this.clock,
        log: this.log,
        policy: this.policy,
        randomHex: (n) => randomBytes(n).toString('hex'),
      },
    });
    await this.hub.settled();
    return result;
  }

  /** Ingests each queued feed job (as the ingest Lambda does) and notifies stories whose level rose. */
  async runJobs(jobs: FeedDefinition[]): Promise<void> {
    const deps = this.ingestDeps();
    for (const feed of jobs.splice(0)) {
      const result = await ingestFeed(feed, deps);
      for (const change of result.changes.filter((c) => c.rose)) {
        const story = await this.table.store.getStory(change.storyId);
        if (story) await notifyStory(story, { store: this.table.store, publisher: this.publisher, clock: this.clock, log: this.log });
      }
    }
  }

  async subscription(): Promise<WebSubSubscription> {
    const sub = await this.subscriptions.getSubscription(this.feed.id);
    if (!sub) throw new Error('no subscription stored');
    return sub;
  }

  async pushCounts(): Promise<Record<string, unknown> | undefined> {
    return (await createDocumentClient(this.table.local.client).send(new GetCommand({ TableName: TABLE.defaultName, Key: KEY.pushCounts(this.feed.id) }))).Item;
  }

  /** Poll once (discovers the hub), then a dispatcher run subscribes and the hub verifies. */
  async subscribed(): Promise<WebSubSubscription> {
    await this.runJobs([this.feed]);
    await this.dispatch();
    return this.subscription();
  }
}

describe('WebSub against a fake hub on 127.0.0.1', () => {
  let w: World;
  beforeEach(async () => {
    w = await new World().start();
  });
  afterEach(async () => w.close());

  it('subscribes through the advertised hub, echoes the challenge, and turns a signed push into a story and one alert', async () => {
    await w.runJobs([w.feed]);
    expect((await w.table.store.getFeedStates([w.feed.id])).get(w.feed.id)?.websub).toEqual({ hubs: [w.hub.url], topic: w.feed.url });

    const first = await w.dispatch();
    expect(first.websub).toMatchObject({ subscribed: 1, failed: 0 });
    const [request] = w.hub.requests;
    expect(request).toMatchObject({ topic: w.feed.url, leaseSeconds: DEFAULT_WEBSUB_POLICY.leaseSeconds });
    expect(request!.callback).toMatch(new RegExp(`^${w.callbackBase}indus-daily/[0-9a-f]{32}$`));
    expect(request!.secret).toMatch(/^[0-9a-f]{64}$/);
    // The hub's verification GET got its challenge back, and the lease runs from now.
    expect(w.hub.verifications).toEqual([expect.objectContaining({ status: 200, body: w.hub.verifications[0]!.challenge })]);
    expect(await w.subscription()).toMatchObject({ status: 'verified', hub: w.hub.url, leaseExpiresAt: at(DEFAULT_WEBSUB_POLICY.leaseSeconds / 60), failures: 0 });

    // The publisher adds a strike report and pings its hub; the hub pushes the new feed, signed.
    w.now = at(6);
    w.items = STRIKE_ITEM + CALM_ITEM;
    expect(await w.hub.publish(w.feed.url, feedBody(w.hub.url, w.feed.url, w.items))).toEqual([202]);
    expect(w.pushJobs).toEqual([w.feed]);
    await w.runJobs(w.pushJobs);
    expect(w.publisher.alerts).toHaveLength(1);
    expect(w.publisher.alerts[0]).toMatchObject({ level: 1, attributes: { eventType: 'strike', severity: 5 } });

    // The hub pushes again (a retry, or a second ping): no duplicate story, no second alert.
    expect(await w.hub.publish(w.feed.url, feedBody(w.hub.url, w.feed.url, w.items))).toEqual([202]);
    await w.runJobs(w.pushJobs);
    expect(w.publisher.alerts).toHaveLength(1);
    expect(await w.pushCounts()).toMatchObject({ accepted: 2, lastPushAt: at(6) });
    expect((await w.table.store.queryStories({ since: at(-60), until: at(60) })).length).toBe(1);
  });

  it('refuses unsigned, mismatched, weakly signed, oversize and unknown pushes, counts them, and logs no secret', async () => {
    const sub = await w.subscribed();
    const body = feedBody(w.hub.url, w.feed.url, STRIKE_ITEM);
    const callback = `${w.callbackBase}${w.feed.id}/${sub.callbackId}`;
    expect(await w.hub.publish(w.feed.url, body, 'none')).toEqual([403]);
    expect(await w.hub.publish(w.feed.url, body, 'wrong-secret')).toEqual([403]);
    // sha1 through the spec's X-Hub-Signature header: too weak to take.
    const sha1 = await fetch(callback, { method: 'POST', headers: { 'x-hub-signature': `sha1=${'ab'.repeat(20)}` }, body });
    expect(sha1.status).toBe(403);
    // Signed correctly, but over the 1 MiB cap.
    expect(await pushTo(callback, Buffer.alloc(1024 * 1024 + 1, 'a'), sub.secret)).toBe(413);
    // A callback id we never handed out, and a feed that is not in the registry (a dropped one): 410.
    expect(await pushTo(`${w.callbackBase}${w.feed.id}/${'0'.repeat(32)}`, body, sub.secret)).toBe(410);
    expect(await pushTo(`${w.callbackBase}dropped-feed/${sub.callbackId}`, body, sub.secret)).toBe(410);
    // The spec's X-Hub-Signature with sha256 is taken.
    expect(await pushTo(callback, body, sub.secret, 'x-hub-signature')).toBe(202);

    expect(w.pushJobs).toEqual([w.feed]);
    expect(await w.pushCounts()).toMatchObject({ refused: 5, accepted: 1 });
    const refusals = w.log.lines.filter((l) => l.message === 'push refused').map((l) => l.extra?.reason);
    expect(refusals).toEqual(['unsigned', 'bad-signature', 'bad-signature', 'too-large', 'unknown-subscription', 'unknown-subscription']);
    expect(JSON.stringify(w.log.lines)).not.toContain(sub.secret);
  });

  it('echoes a challenge only for a subscription it asked for, on the topic it asked for', async () => {
    w.hub.mode = 'silent';
    await w.runJobs([w.feed]);
    await w.dispatch();
    const [request] = w.hub.requests;
    const pending = await w.subscription();
    expect(pending.status).toBe('pending');
    // Another topic, a callback id never handed out, and unsubscribe (never asked): 404, nothing echoed.
    expect(await w.hub.verify(request!, { topic: 'https://elsewhere.example/feed' })).toMatchObject({ status: 404, body: '' });
    expect(await w.hub.verify({ ...request!, callback: `${w.callbackBase}${w.feed.id}/${'f'.repeat(32)}` })).toMatchObject({ status: 404 });
    const unsubscribe = await fetch(`${request!.callback}?${new URLSearchParams({ 'hub.mode': 'unsubscribe', 'hub.topic': request!.topic, 'hub.challenge': 'x' })}`);
    expect(unsubscribe.status).toBe(404);
    expect((await w.subscription()).status).toBe('pending');
    // The real one.
    const ok = await w.hub.verify(request!);
    expect(ok).toMatchObject({ status: 200, body: ok.challenge });
    // Replayed once verified, with no renewal asked: not ours to confirm.
    expect(await w.hub.verify(request!)).toMatchObject({ status: 404 });
  });

  it('renews the lease before it lapses, and polls a feed with live push only as a safety net', async () => {
    w.hub.grantSeconds = 3600;
    // The feed carries a severity-5 strike: without push, the surge would poll it every run.
    w.items = STRIKE_ITEM + CALM_ITEM;
    const sub = await w.subscribed();
    expect(sub.leaseExpiresAt).toBe(at(60));
    expect(w.publisher.alerts).toHaveLength(1);

    // Half-way through the lease: no renewal; the feed is due by its schedule and its dyad is
    // surging, but push is live and it was fetched 30 minutes ago, so it is not polled.
    w.now = at(30);
    const mid = await w.dispatch();
    expect(mid.websub).toMatchObject({ live: 1, renewed: 0, subscribed: 0 });
    expect(mid.surging).toEqual(['IR-PK']);
    expect(w.dispatchJobs).toEqual([]);

    // Within the margin (10 % of the lease, at least two runs: 10 minutes): renewed with the same
    // callback and secret, verified again, the lease extended.
    w.now = at(51);
    const late = await w.dispatch();
    expect(late.websub).toMatchObject({ renewed: 1 });
    expect(w.hub.requests).toHaveLength(2);
    expect(w.hub.requests[1]).toMatchObject({ callback: w.hub.requests[0]!.callback, secret: sub.secret });
    const renewed = await w.subscription();
    expect(renewed).toMatchObject({ status: 'verified', leaseExpiresAt: at(111) });
    expect(renewed).not.toHaveProperty('renewalRequestedAt');
    // The safety-net poll: an hour after the last fetch.
    expect(w.dispatchJobs).toEqual([]);
    w.now = at(60);
    expect((await w.dispatch()).reasons).toEqual({ scheduled: 1 });
    expect(w.dispatchJobs).toEqual([w.feed]);
  });

  it('falls back to polling when the hub denies the subscription, and asks again after a backoff', async () => {
    w.hub.mode = 'deny';
    w.items = STRIKE_ITEM + CALM_ITEM;
    await w.runJobs([w.feed]);
    const first = await w.dispatch();
    expect(first.websub).toMatchObject({ subscribed: 1 });
    expect(await w.subscription()).toMatchObject({ status: 'denied', lastError: 'denied by the hub: topic not allowed', retryAt: at(60) });
    // Polled as if it had no hub: here before its own schedule (at +5 min), since its dyad surges.
    // No new request before the backoff ends.
    w.now = at(3);
    expect((await w.dispatch()).reasons).toEqual({ surge: 1 });
    expect(w.dispatchJobs).toEqual([w.feed]);
    expect(w.hub.requests).toHaveLength(1);
    // After it, asked again (the hub now accepts), with a new callback and secret.
    w.hub.mode = 'verify';
    w.now = at(61);
    await w.dispatch();
    expect(w.hub.requests).toHaveLength(2);
    expect(w.hub.requests[1]!.callback).not.toBe(w.hub.requests[0]!.callback);
    expect((await w.subscription()).status).toBe('verified');
  });

  it('falls back to polling when the hub refuses the request, keeping its secret out of the error', async () => {
    w.hub.mode = 'error';
    w.items = STRIKE_ITEM + CALM_ITEM;
    await w.runJobs([w.feed]);
    const result = await w.dispatch();
    expect(result.websub).toMatchObject({ subscribed: 0, failed: 1 });
    const sub = await w.subscription();
    expect(sub).toMatchObject({ status: 'failed', failures: 1, retryAt: at(60) });
    expect(sub.lastError).toMatch(/answered HTTP 500: hub is down, it would not take \[secret\]/);
    expect(sub.lastError).not.toContain(sub.secret);
    w.now = at(10);
    await w.dispatch();
    expect(w.dispatchJobs).toEqual([w.feed]);
    // The backoff doubles on the next failure.
    w.now = at(61);
    await w.dispatch();
    expect(await w.subscription()).toMatchObject({ failures: 2, retryAt: at(61 + 120) });
  });

  it('gives up on a subscription the hub never verifies, and polls the feed', async () => {
    w.hub.mode = 'silent';
    w.items = STRIKE_ITEM + CALM_ITEM;
    await w.runJobs([w.feed]);
    await w.dispatch();
    expect((await w.subscription()).status).toBe('pending');
    w.now = at(31);
    const result = await w.dispatch();
    expect(result.websub).toMatchObject({ failed: 1 });
    expect(await w.subscription()).toMatchObject({ status: 'failed', lastError: 'not verified by the hub within 30 minutes' });
    expect(w.dispatchJobs).toEqual([w.feed]);
  });

  it('refuses to ask a hub on an internal address unless private networks are allowed', async () => {
    w.hubClientOptions = { allowPrivateNetworks: false };
    await w.runJobs([w.feed]);
    await w.dispatch();
    expect(w.hub.requests).toHaveLength(0);
    expect(await w.subscription()).toMatchObject({ status: 'failed', lastError: expect.stringMatching(/^HubError: blocked address: 127\.0\.0\.1 is loopback/) });
  });

  it('stops renewing the subscription of a feed dropped from the registry, and tells its hub 410', async () => {
    w.hub.grantSeconds = 3600;
    const sub = await w.subscribed();
    w.registry.delete(w.feed.id);
    w.now = at(55);
    const result = await w.dispatch();
    expect(result.websub).toMatchObject({ renewed: 0, subscribed: 0 });
    expect(w.hub.requests).toHaveLength(1);
    expect(await pushTo(`${w.callbackBase}${w.feed.id}/${sub.callbackId}`, 'anything', sub.secret)).toBe(410);
  });
});
