/**
 * `npm run bench` (`-- --json` for one JSON line): measures the pipeline against its budgets.
 * A benchmark, not a test: it prints what it measured and which budgets hold; it asserts nothing.
 *
 *   cpu        decode + parse + normalise + classify + cluster, items/s, next to rss-parser alone
 *   cycle      one local cycle over N feeds of 50 items served on 127.0.0.1, then an unchanged one
 *   writes     DynamoDB writes per new article (counted at the store port)
 *   coldStart  each Lambda bundle's size and import time against an empty node process
 *   sms        share of alerts whose SMS fits one GSM-7 segment
 *   latency    a simulated week on a virtual clock (scripts/lib/latency-sim.ts): delay from first
 *              publication to alert, requests a day, today's adaptive policy beside the surge
 *              policy; and what the month would cost in AWS (scripts/lib/cost-model.ts)
 */
import { execFileSync, spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { performance } from 'node:perf_hooks';
import Parser from 'rss-parser';
import { buildSync } from 'esbuild';
import { RssFeedParser } from '../shared/adapters/rss-feed-parser.ts';
import { HttpFeedFetcher } from '../shared/adapters/http-feed-fetcher.ts';
import { DynamoDbEventStore, createDocumentClient } from '../shared/adapters/dynamodb-event-store.ts';
import { ensureTable, startLocalDynamo } from '../shared/adapters/local-dynalite.ts';
import { decodeFeed } from '../shared/domain/decode.ts';
import { prepareItems } from '../shared/domain/prepare-items.ts';
import { createClassifier } from '../shared/domain/classify.ts';
import { addToStory, findStory, newStory } from '../shared/domain/stories.ts';
import { fitsOneSegment } from '../shared/domain/gsm7.ts';
import { loadWatches } from '../shared/watches.ts';
import { DEFAULT_ALERT_POLICY } from '../shared/config.ts';
import { TABLE } from '../shared/table-schema.ts';
import { runCycle } from '../shared/use-cases/run-cycle.ts';
import { silentLog, type AlertPublisher, type EventStore, type FeedParser } from '../shared/ports.ts';
import type { Alert, Article, FeedDefinition, Story } from '../shared/domain/types.ts';
import { BUNDLE_BUDGET_BYTES, FUNCTION_ENTRIES, LAMBDA_NODE_OPTIONS, bundleLambda, esbuildOptions, type FunctionName } from '../infra/bundling.ts';
import { generateFeed } from './lib/bench-feeds.ts';
import { latencyAndCost, type LatencyAndCost } from './lib/latency-bench.ts';

process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
const ROOT = resolve(fileURLToPath(import.meta.url), '../..');
const USAGE = 'usage: npm run bench -- [--json] [--only cpu,cycle,cold,latency] [--feeds N] [--seeds N] [--warm-days N]';
const args = (() => {
  try {
    return parseArgs({ options: { json: { type: 'boolean', default: false }, feeds: { type: 'string', default: '2000' }, only: { type: 'string' }, seeds: { type: 'string', default: '3' }, 'warm-days': { type: 'string', default: '7' }, help: { type: 'boolean', default: false } }, strict: true });
  } catch (error) {
    process.stderr.write(`${(error as Error).message}\n${USAGE}\n`);
    process.exit(2);
  }
})();
const { values } = args;
if (values.help) {
  process.stdout.write(`${USAGE}\n`);
  process.exit(0);
}
for (const [name, value] of [['feeds', values.feeds], ['seeds', values.seeds], ['warm-days', values['warm-days']]] as const) {
  if (!/^[1-9]\d*$/.test(value)) {
    process.stderr.write(`--${name} must be a whole number from 1 up; got "${value}"\n${USAGE}\n`);
    process.exit(2);
  }
}
const FEEDS = Number(values.feeds);
const log = (line: string) => {
  if (!values.json) process.stderr.write(`${line}\n`);
};

// --- 1. CPU path -----------------------------------------------------------------------------------
/**
 * `items` items as feeds of 50 (the size of a real feed), through what ingest does to a body
 * short of the store: decode, parse, normalise and classify (in the parser's worker threads, as
 * `npm start` and the ingest Lambda run them), cluster (on the main thread). Feeds go through
 * `FEEDS_AT_ONCE` at a time, as the cycle runs them. Next to it: rss-parser's own parseString
 * on the same bodies, one after another on one thread (what parsing alone costs).
 * Reported as the median of 9 rounds (raw and pipeline alternate), after warming both up.
 */
const FEEDS_AT_ONCE = 8;
async function cpuPath(items: number) {
  const feedCount = Math.ceil(items / 50);
  const bodies = Array.from({ length: feedCount }, (_, i) => generateFeed(i, Math.min(50, items - i * 50), 7 + i));
  const bytes = bodies.map((b) => Buffer.from(b));
  const raw = new Parser({ defaultRSS: 2 });
  const classify = createClassifier(loadWatches());
  const parser = new RssFeedParser({ maxBudgetMs: 120_000, prepare: true });
  const fetchedAt = '2026-11-27T12:00:00.000Z';
  const pipeline = async () => {
    const stories: Story[] = [];
    let next = 0;
    const lane = async () => {
      while (next < bytes.length) {
        const index = next++;
        const feed: FeedDefinition = { id: `bench-${index}`, url: `https://outlet${index}.example/feed`, outlet: `Outlet ${index}`, language: 'en' };
        const context = { feed, fetchedAt };
        // As ingest does: the workers hand over prepared items; anything read otherwise is prepared here.
        const parsed = await parser.parse(decodeFeed(bytes[index] as Buffer, 'application/rss+xml; charset=utf-8').text, context);
        const { relevant } = parsed.prepared ?? prepareItems(parsed.items, context, classify);
        for (const { item, classification } of relevant) {
          const article: Article = { ...item, feedId: feed.id, outlet: feed.outlet, language: 'en', fetchedAt, classification, storyId: null };
          const story = findStory(article, stories);
          if (story) stories[stories.indexOf(story)] = addToStory(story, article);
          else stories.push(newStory(article));
        }
      }
    };
    await Promise.all(Array.from({ length: FEEDS_AT_ONCE }, lane));
  };
  const rawParse = async () => {
    for (const body of bodies) await raw.parseString(body);
  };
  const rawTimes: number[] = [];
  const pipeTimes: number[] = [];
  // Warm both up on at least 5,000 items (JIT, regex compilation, the workers' classifiers), so
  // the 1k case measures the same steady state as the 10k one.
  for (let warm = 0; warm < Math.ceil(5000 / items); warm++) {
    await rawParse();
    await pipeline();
  }
  const rawCpu: number[] = [];
  const pipeCpu: number[] = [];
  const cpuMs = (c: NodeJS.CpuUsage) => (c.user + c.system) / 1000;
  for (let round = 0; round < 9; round++) {
    let t = performance.now();
    let c = process.cpuUsage();
    await rawParse();
    rawTimes.push(performance.now() - t);
    rawCpu.push(cpuMs(process.cpuUsage(c)));
    t = performance.now();
    c = process.cpuUsage();
    await pipeline();
    pipeTimes.push(performance.now() - t);
    pipeCpu.push(cpuMs(process.cpuUsage(c)));
  }
  await parser.close();
  const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] as number;
  return {
    pipelineItemsPerSec: Math.round(items / (median(pipeTimes) / 1000)),
    rawParseItemsPerSec: Math.round(items / (median(rawTimes) / 1000)),
    bytesPerItem: Math.round(bytes.reduce((n, b) => n + b.length, 0) / items),
    // CPU time of all threads per item: what the pipeline costs whatever else runs on the machine
    pipelineCpuMicrosPerItem: Math.round((median(pipeCpu) * 1000) / items),
    rawParseCpuMicrosPerItem: Math.round((median(rawCpu) * 1000) / items),
  };
}

// --- 2./3. local cycle over many feeds, then an unchanged one ------------------------------------
/** Counts the calls at the store port, by method; writes are the methods that write an item. */
const WRITE_METHODS = new Set(['putFeedState', 'putArticleIfNew', 'putStory', 'claimAlert', 'markAlertSent', 'releaseAlert', 'putDyadState', 'countAlert']);
function countingStore(inner: EventStore) {
  const calls = new Map<string, number>();
  const store = new Proxy(inner, {
    get(target, key) {
      const value = Reflect.get(target, key);
      if (typeof value !== 'function') return value;
      return (...args: unknown[]) => {
        calls.set(String(key), (calls.get(String(key)) ?? 0) + 1);
        return value.apply(target, args);
      };
    },
  });
  const writes = () => [...calls].filter(([k]) => WRITE_METHODS.has(k)).reduce((n, [, v]) => n + v, 0);
  return { store, calls, writes };
}

class CountingParser implements FeedParser {
  parses = 0;
  constructor(private readonly inner: RssFeedParser) {}
  parse(text: string, context?: Parameters<FeedParser['parse']>[1]) {
    this.parses++;
    return this.inner.parse(text, context);
  }
  close() {
    return this.inner.close();
  }
}

/** The feed server in its own process, so the RSS measured here is the pipeline's alone. */
async function startBenchFeedServer(): Promise<{ url: string; close: () => Promise<void> }> {
  const child = spawn(process.execPath, ['--import', 'tsx', resolve(ROOT, 'scripts/lib/bench-feed-server.ts')], { stdio: ['ignore', 'pipe', 'inherit'] });
  const port = await new Promise<string>((done, fail) => {
    child.stdout.once('data', (chunk: Buffer) => done(chunk.toString().trim()));
    child.once('exit', (code) => fail(new Error(`bench feed server exited with ${code}`)));
  });
  return {
    url: `http://127.0.0.1:${port}`,
    close: () => new Promise<void>((done) => (child.exitCode !== null ? done() : (child.once('exit', () => done()), child.kill('SIGTERM')))),
  };
}

async function cycle(feeds: number) {
  const server = await startBenchFeedServer();
  const dir = mkdtempSync(join(tmpdir(), 'ipw-bench-'));
  const local = await startLocalDynamo(dir);
  await ensureTable(local.client, TABLE.defaultName);
  const counting = countingStore(new DynamoDbEventStore(TABLE.defaultName, createDocumentClient(local.client)));
  const store = counting.store;
  const parser = new CountingParser(new RssFeedParser({ prepare: true }));
  const alerts: Alert[] = [];
  const publisher: AlertPublisher = { publish: async (a) => (alerts.push(a), `m${alerts.length}`) };
  const clock = () => new Date('2026-11-27T12:00:00Z');
  // The feeds are served on 127.0.0.1, which the fetcher refuses unless told otherwise.
  const deps = { fetcher: new HttpFeedFetcher({ allowPrivateNetworks: true }), parser, store, classify: createClassifier(loadWatches()), clock, log: silentLog, policy: { ...DEFAULT_ALERT_POLICY, burstLimit: 1_000_000 }, pollIntervalMinutes: 5, publisher };
  const list: FeedDefinition[] = Array.from({ length: feeds }, (_, i) => ({ id: `feed-${i}`, url: `${server.url}/feed/${i}`, outlet: `Outlet ${i}`, language: 'en' }));
  let peak = 0;
  let peakHeap = 0;
  const sampler = setInterval(() => {
    const m = process.memoryUsage();
    peak = Math.max(peak, m.rss);
    peakHeap = Math.max(peakHeap, m.heapTotal);
  }, 50);
  try {
    const t = performance.now();
    // BENCH_DEBUG=1: memory every 250 feeds, to see whether it grows with the feed count.
    const onFeedDone = process.env.BENCH_DEBUG ? (_: unknown, done: number) => {
      if (done % 250 === 0) { const m = process.memoryUsage(); process.stderr.write(`${done} feeds: rss ${Math.round(m.rss / 2 ** 20)} MB, heap ${Math.round(m.heapTotal / 2 ** 20)} MB, external ${Math.round(m.external / 2 ** 20)} MB\n`); }
    } : undefined;
    const first = await runCycle(list, deps, { concurrency: 16, perHost: 16, noAlerts: false, ...(onFeedDone ? { onFeedDone } : {}) });
    if (process.env.BENCH_DEBUG) process.stderr.write(`first cycle: ${JSON.stringify(first.feeds)}; failures: ${JSON.stringify(first.failures.slice(0, 3))}\n`);
    const seconds = (performance.now() - t) / 1000;
    const firstWrites = counting.writes();
    const firstCalls = Object.fromEntries(counting.calls);
    const firstAlerts = alerts.length;
    counting.calls.clear();
    parser.parses = 0;
    const second = await runCycle(list, deps, { concurrency: 16, perHost: 16, noAlerts: false });
    clearInterval(sampler);
    return {
      cycle: { feeds, seconds: Math.round(seconds * 10) / 10, peakRssMB: Math.round(peak / 2 ** 20) },
      peakHeapMB: Math.round(peakHeap / 2 ** 20),
      unchanged: { parses: parser.parses, writes: counting.writes(), alerts: alerts.length - firstAlerts, notModified: second.feeds.notModified },
      writesPerNewArticle: Math.round((firstWrites / Math.max(1, first.articles.new)) * 100) / 100,
      firstCycle: first,
      firstCalls,
      smsOneSegmentShare: alerts.length ? alerts.filter((a) => fitsOneSegment(a.sms)).length / alerts.length : 1,
      alerts: alerts.length,
    };
  } finally {
    clearInterval(sampler);
    await parser.close();
    await local.close();
    await server.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

// --- 4. cold start -------------------------------------------------------------------------------
const COLD_RUNS = 25;
/** Rounds of the ingest Lambda's first feed (below): each spawns the parser's worker thread. */
const FIRST_FEED_RUNS = 11;
/** A Lambda's cold import may take at most this many times the floor (a bundle of the DynamoDB client alone). */
const COLD_FLOOR_BUDGET = 1.3;

/** Wall time of one fresh node process running `args`. */
function processMs(args: string[], env: NodeJS.ProcessEnv): number {
  const t = performance.now();
  execFileSync(process.execPath, args, { env, stdio: 'ignore' });
  return performance.now() - t;
}

/** The same, without blocking this process's event loop (it serves dynalite to the child). */
function processMsAsync(args: string[], env: NodeJS.ProcessEnv): Promise<number> {
  const t = performance.now();
  return new Promise((done, fail) => {
    const child = spawn(process.execPath, args, { env, stdio: ['ignore', 'ignore', 'inherit'] });
    child.once('error', fail);
    child.once('exit', (code) => (code === 0 ? done(performance.now() - t) : fail(new Error(`${args.join(' ')} exited with ${code}`))));
  });
}

/** The first generated feed from `from` on with no item about the dyad: its feed job sends no story job. */
function feedWithoutStoryJobs(from = 0): number {
  for (let index = from; index < from + 1000; index++) if (!/Pakistan|Iran|Tehran|Islamabad/.test(generateFeed(index, 50))) return index;
  throw new Error('no generated feed without a relevant item');
}

/**
 * The ingest Lambda's cold start followed by its first feed that answers with a body, in fresh
 * processes: import the bundle, then run the handler on one feed job whose feed (50 generated
 * items, served on 127.0.0.1 by the bench feed server) has no stored state, so it is fetched in
 * full, parsed in a new worker thread (rss-parser, the watches and the classifier load there), and
 * its state stored in dynalite. What a cold start defers until a feed has a body (the parser's
 * worker, the lenient reader, entities, normalising) is paid here, so this figure shows what
 * deferring saved and what it only moved. The feed has no item about the dyad, so no story job is
 * sent (the SQS client is imported on the first one; not measured here). Interleaved with the
 * floor and the import alone, timed the same way; medians of FIRST_FEED_RUNS.
 */
async function ingestFirstFeed(dir: string, env: NodeJS.ProcessEnv, floorLoader: string, importLoader: string) {
  const server = await startBenchFeedServer();
  const local = await startLocalDynamo(join(dir, 'dynalite'));
  try {
    await ensureTable(local.client, TABLE.defaultName);
    const index = feedWithoutStoryJobs();
    const runner = join(dir, 'ingest', 'first-feed.mjs');
    writeFileSync(runner, [
      "const { handler } = await import('./index.mjs');",
      "const feed = { id: process.env.BENCH_FEED_ID, url: process.env.BENCH_FEED_URL, outlet: 'Bench', language: 'en' };",
      "const out = await handler({ Records: [{ messageId: 'm-1', body: JSON.stringify({ feed }) }] });",
      // The parser's worker and keep-alive sockets would hold the process open; Lambda freezes it instead.
      'process.exit(out.batchItemFailures.length ? 1 : 0);',
      '',
    ].join('\n'));
    const runEnv = { ...env, TABLE_NAME: TABLE.defaultName, AWS_ENDPOINT_URL_DYNAMODB: local.endpoint, AWS_ACCESS_KEY_ID: 'local', AWS_SECRET_ACCESS_KEY: 'local', ALLOW_PRIVATE_NETWORKS: 'true', POWERTOOLS_LOG_LEVEL: 'ERROR', BENCH_FEED_URL: `${server.url}/feed/${index}` };
    const times = { floor: [] as number[], import: [] as number[], firstFeed: [] as number[] };
    const ids: string[] = [];
    for (let run = 0; run < FIRST_FEED_RUNS; run++) {
      times.floor.push(await processMsAsync([floorLoader], runEnv));
      times.import.push(await processMsAsync([importLoader], runEnv));
      // A new feed id each run: no stored validators, so the feed answers 200 with its body.
      ids.push(`cold-first-${run}`);
      times.firstFeed.push(await processMsAsync([runner], { ...runEnv, BENCH_FEED_ID: ids[run] }));
    }
    // Each run must have read the feed, not recorded a failure.
    const states = await new DynamoDbEventStore(TABLE.defaultName, createDocumentClient(local.client)).getFeedStates(ids);
    const read = ids.filter((id) => states.get(id)?.lastStatus === 'ok').length;
    if (read !== ids.length) throw new Error(`the first-feed runs read ${read} of ${ids.length} feeds: ${JSON.stringify([...states.values()].find((s) => s.lastStatus !== 'ok'))}`);
    const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] as number;
    const floor = median(times.floor);
    return { floorMs: Math.round(floor), importMs: Math.round(median(times.import)), firstFeedMs: Math.round(median(times.firstFeed)), floorRatio: Math.round((median(times.firstFeed) / floor) * 100) / 100 };
  } finally {
    await local.close();
    await server.close();
  }
}

/**
 * Each bundle imported in fresh processes with the Lambdas' NODE_OPTIONS, next to an empty node
 * process. The runs are interleaved (empty, dispatch, ingest, notify, empty, ...) so a busy
 * moment of this shared machine weighs on every figure alike; medians of COLD_RUNS.
 */
async function coldStart() {
  const dir = mkdtempSync(join(tmpdir(), 'ipw-cold-'));
  const env = { PATH: process.env.PATH, NODE_OPTIONS: LAMBDA_NODE_OPTIONS, AWS_REGION: 'eu-west-1', AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true', TABLE_NAME: 'events', FEED_QUEUE_URL: 'https://sqs.eu-west-1.amazonaws.com/123456789012/q', ALERT_TOPIC_ARN: 'arn:aws:sns:eu-west-1:123456789012:alerts', STORY_QUEUE_URL: 'https://sqs.eu-west-1.amazonaws.com/123456789012/story-jobs.fifo' };
  try {
    const loaders: Record<string, { loader: string; bundleKB: number; eagerKB: number; workerKB: number }> = {};
    for (const name of Object.keys(FUNCTION_ENTRIES) as FunctionName[]) {
      const bundle = bundleLambda(name, join(dir, name), ROOT);
      const loader = join(dir, name, 'load.mjs');
      writeFileSync(loader, "import('./index.mjs').then((m) => { if (typeof m.handler !== 'function') process.exit(1); });\n");
      // The parser worker is a bundle of its own, under the same budget.
      loaders[name] = { loader, bundleKB: Math.round(bundle.codeBytes / 1024), eagerKB: Math.round(bundle.eagerBytes / 1024), workerKB: Math.round((bundle.workerBytes ?? 0) / 1024) };
    }
    // The floor: the DynamoDB client alone, built the same way (see scripts/lib/sdk-floor-handler.ts).
    const floorDir = join(dir, 'sdk-floor');
    buildSync({ ...esbuildOptions(resolve(ROOT, 'scripts/lib/sdk-floor-handler.ts'), floorDir), absWorkingDir: ROOT });
    writeFileSync(join(floorDir, 'load.mjs'), "import('./index.mjs').then((m) => { if (typeof m.handler !== 'function') process.exit(1); });\n");
    const floorLoader = join(floorDir, 'load.mjs');
    const times: Record<string, number[]> = { empty: [], floor: [], ...Object.fromEntries(Object.keys(loaders).map((n) => [n, [] as number[]])) };
    processMs(['-e', '0'], env); // warm the file cache
    for (let run = 0; run < COLD_RUNS; run++) {
      times.empty?.push(processMs(['-e', '0'], env));
      times.floor?.push(processMs([floorLoader], env));
      for (const [name, { loader }] of Object.entries(loaders)) times[name]?.push(processMs([loader], env));
    }
    const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] as number;
    const empty = median(times.empty ?? []);
    const floor = median(times.floor ?? []);
    const out: Record<string, { bundleKB: number; eagerKB: number; workerKB: number; ratio: number; floorRatio: number; importMs: number }> = {};
    for (const [name, { bundleKB, eagerKB, workerKB }] of Object.entries(loaders)) {
      const ms = median(times[name] ?? []);
      out[name] = { bundleKB, eagerKB, workerKB, ratio: Math.round((ms / empty) * 100) / 100, floorRatio: Math.round((ms / floor) * 100) / 100, importMs: Math.round(ms) };
    }
    const firstFeed = await ingestFirstFeed(dir, env, floorLoader, loaders.ingest?.loader as string);
    return { emptyNodeMs: Math.round(empty), functions: out, floor: { importMs: Math.round(floor), ratio: Math.round((floor / empty) * 100) / 100 }, ingestFirstFeed: firstFeed };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

// --- run -------------------------------------------------------------------------------------------
const PARTS = ['cpu', 'cycle', 'cold', 'latency'] as const;
const only = new Set(values.only ? values.only.split(',').map((p) => p.trim()) : PARTS);
for (const part of only) {
  if ((PARTS as readonly string[]).includes(part)) continue;
  process.stderr.write(`--only takes ${PARTS.join(', ')}; got "${part}"\n${USAGE}\n`);
  process.exit(2);
}

let cpu1k: Awaited<ReturnType<typeof cpuPath>> | undefined;
let cpu10k: Awaited<ReturnType<typeof cpuPath>> | undefined;
if (only.has('cpu')) {
  log('CPU path (1k and 10k items)...');
  cpu1k = await cpuPath(1000);
  cpu10k = await cpuPath(10_000);
}
const cpu = cpu1k && cpu10k
  ? {
      pipelineItemsPerSec: Math.min(cpu1k.pipelineItemsPerSec, cpu10k.pipelineItemsPerSec),
      rawParseItemsPerSec: Math.min(cpu1k.rawParseItemsPerSec, cpu10k.rawParseItemsPerSec),
      ratio: Math.round(Math.min(cpu1k.pipelineItemsPerSec / cpu1k.rawParseItemsPerSec, cpu10k.pipelineItemsPerSec / cpu10k.rawParseItemsPerSec) * 100) / 100,
    }
  : undefined;
if (only.has('cycle')) log(`Local cycle over ${FEEDS} feeds of 50 items...`);
const c = only.has('cycle') ? await cycle(FEEDS) : undefined;
if (only.has('cold')) log('Cold starts...');
const cold = only.has('cold') ? await coldStart() : undefined;
if (only.has('latency')) log(`Latency and cost: a simulated week, ${values.seeds} seed(s), today's policy and the surge policy...`);
const latency: LatencyAndCost | undefined = only.has('latency') ? await latencyAndCost(Number(values.seeds), log, Number(values['warm-days'])) : undefined;

const result = {
  ...(cpu ? { cpu } : {}),
  ...(c
    ? {
        cycle: c.cycle,
        unchanged: { parses: c.unchanged.parses, writes: c.unchanged.writes, alerts: c.unchanged.alerts },
        writesPerNewArticle: c.writesPerNewArticle,
      }
    : {}),
  ...(cold ? { coldStart: Object.fromEntries(Object.entries(cold.functions).map(([k, v]) => [k, { bundleKB: v.bundleKB, ratio: v.ratio, floorRatio: v.floorRatio }])), coldStartSdkFloorRatio: cold.floor.ratio, coldStartIngestFirstFeed: cold.ingestFirstFeed } : {}),
  ...(c ? { smsOneSegmentShare: c.smsOneSegmentShare } : {}),
  ...(latency ? { latency: latency.json.surge, latencyBefore: latency.json.adaptive, latencyWebSub: latency.json.websub, costPerMonthUsd: latency.json.cost.surge, costPerMonthUsdBefore: latency.json.cost.adaptive } : {}),
};
if (values.json) {
  process.stdout.write(`${JSON.stringify(result)}\n`);
} else {
  const ok = (pass: boolean) => (pass ? 'ok' : 'OVER BUDGET');
  const ratio = (r: { pipelineItemsPerSec: number; rawParseItemsPerSec: number }) => r.pipelineItemsPerSec / r.rawParseItemsPerSec;
  const rows: string[][] = [];
  for (const [label, r] of [['CPU path, 1k items', cpu1k], ['CPU path, 10k items', cpu10k]] as const) {
    if (r) rows.push([`${label} (${r.bytesPerItem} B each)`, `${r.pipelineItemsPerSec.toLocaleString('en')} items/s vs rss-parser ${r.rawParseItemsPerSec.toLocaleString('en')} (CPU ${r.pipelineCpuMicrosPerItem} vs ${r.rawParseCpuMicrosPerItem} µs/item)`, `ratio ${ratio(r).toFixed(2)} ${ok(ratio(r) >= 0.8)} (>= 0.8)`]);
  }
  if (c) {
    log(`store calls in the first cycle: ${JSON.stringify(c.firstCalls)}`);
    rows.push(
      [`Cycle, ${FEEDS} feeds x 50`, `${c.cycle.seconds} s, peak RSS ${c.cycle.peakRssMB} MB (JS heap ${c.peakHeapMB} MB), ${c.firstCycle.articles.new} articles, ${c.alerts} alerts`, `${ok(c.cycle.seconds <= 60)} (<= 60 s)`],
      ['Unchanged second cycle', `${c.unchanged.notModified} x 304, ${c.unchanged.parses} parses, ${c.unchanged.writes} writes, ${c.unchanged.alerts} alerts`, ok(c.unchanged.parses === 0 && c.unchanged.writes === 0 && c.unchanged.alerts === 0)],
      ['Writes per new article', `${c.writesPerNewArticle}`, `${ok(c.writesPerNewArticle <= 2)} (<= 2)`],
    );
  }
  if (cold) {
    rows.push(...Object.entries(cold.functions).map(([name, v]) => [`Cold start, ${name}`, `${v.bundleKB} KB (${v.eagerKB} KB read)${v.workerKB ? ` + worker ${v.workerKB} KB` : ''}, ${v.importMs} ms vs ${cold.emptyNodeMs} ms empty node`, `${v.floorRatio} x floor ${ok(v.floorRatio <= COLD_FLOOR_BUDGET && Math.max(v.bundleKB, v.workerKB) * 1024 <= BUNDLE_BUDGET_BYTES)} (<= ${COLD_FLOOR_BUDGET} x floor, <= ${BUNDLE_BUDGET_BYTES / 1024} KB each)`]));
    rows.push(['  floor: DynamoDB client alone', `${cold.floor.importMs} ms, ${cold.floor.ratio} x empty node`, 'the budget is counted from it']);
    const f = cold.ingestFirstFeed;
    rows.push(['Cold start + first feed, ingest', `${f.firstFeedMs} ms: import (${f.importMs} ms) and one feed job whose feed has a body (fetch, parse in a new worker, store); floor ${f.floorMs} ms`, `${f.floorRatio} x floor (not budgeted: shows what the import defers)`]);
  }
  if (c) rows.push(['SMS in one GSM-7 segment', `${(c.smsOneSegmentShare * 100).toFixed(0)}% of ${c.alerts} alerts`, ok(c.smsOneSegmentShare === 1)]);
  if (latency) rows.push(...latency.rows);
  const w = [0, 1, 2].map((i) => Math.max(...rows.map((r) => (r[i] ?? '').length)));
  process.stdout.write(`${rows.map((r) => r.map((cell, i) => (cell ?? '').padEnd(w[i] ?? 0)).join('  ')).join('\n')}\n`);
}
