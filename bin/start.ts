/**
 * `npm start`: the pipeline on a laptop. One cycle over the feed registry (or --feeds) with an
 * embedded DynamoDB under --data-dir and alerts to the console and <data-dir>/alerts.jsonl.
 */
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { fileURLToPath } from 'node:url';
import { createClassifier } from '#shared/domain/classify.ts';
import { loadWatches } from '#shared/watches.ts';
import { DEFAULT_ALERT_POLICY, DEFAULT_STALE_AFTER_HOURS } from '#shared/config.ts';
import { TABLE } from '#shared/table-schema.ts';
import { HttpFeedFetcher } from '#shared/adapters/http-feed-fetcher.ts';
import { RssFeedParser } from '#shared/adapters/rss-feed-parser.ts';
import { DynamoDbEventStore, createDocumentClient } from '#shared/adapters/dynamodb-event-store.ts';
import { ensureTable, startLocalDynamo } from '#shared/adapters/local-dynalite.ts';
import { ConsoleAlertPublisher } from '#shared/adapters/console-alert-publisher.ts';
import { runCycle, type CycleSummary } from '#shared/use-cases/run-cycle.ts';
import { describeError } from '#shared/errors.ts';
import type { FeedDefinition } from '#shared/domain/types.ts';
import { UsageError, parseOrExit, loadFeeds, parseInterval, parseTime, stderrLog } from './lib/cli.ts';
import { feedHealth } from '#shared/domain/feed-health.ts';

const USAGE = `Usage: npm start -- [options]

Runs one ingest cycle over config/feeds.json (or --feeds) with an embedded DynamoDB.

  --feeds <list>       comma-separated URLs or file paths, or a text file with one per line
  --data-dir <dir>     where the local table and alerts.jsonl live (default .data)
  --now <time>         run the pipeline clock at this ISO time (replays)
  --no-alerts          store and classify, but send no alert (backfills)
  --watch              repeat the cycle until interrupted
  --interval <d>       time between --watch cycles: 30s, 5m, 1h (default 5m)
  --concurrency <n>    feeds fetched at once (default 8)
  --per-host <n>       requests to one host at once (default 2)
  --allow-private-networks
                       also fetch feeds on loopback, private and link-local addresses
                       (refused by default; file paths are always read)
  --json               print one JSON summary line per cycle and nothing else on stdout
  --verbose            log each feed on stderr
  -h, --help           this text`;

const ROOT = resolve(fileURLToPath(import.meta.url), '../..');

function parse(argv: string[]) {
  const { values } = parseArgs({
    args: argv,
    options: {
      feeds: { type: 'string' },
      'data-dir': { type: 'string', default: '.data' },
      now: { type: 'string' },
      'no-alerts': { type: 'boolean', default: false },
      watch: { type: 'boolean', default: false },
      interval: { type: 'string', default: '5m' },
      concurrency: { type: 'string', default: '8' },
      'per-host': { type: 'string', default: '2' },
      'allow-private-networks': { type: 'boolean', default: false },
      json: { type: 'boolean', default: false },
      verbose: { type: 'boolean', default: false },
      help: { type: 'boolean', short: 'h', default: false },
    },
    strict: true,
    allowPositionals: false,
  });
  const concurrency = Number(values.concurrency);
  if (!Number.isInteger(concurrency) || concurrency < 1 || concurrency > 256) throw new UsageError(`--concurrency must be a whole number from 1 to 256, got "${values.concurrency}"`);
  const perHost = Number(values['per-host']);
  if (!Number.isInteger(perHost) || perHost < 1 || perHost > 64) throw new UsageError(`--per-host must be a whole number from 1 to 64, got "${values['per-host']}"`);
  return {
    perHost,
    help: values.help,
    feeds: values.feeds,
    dataDir: resolve(values['data-dir']),
    now: values.now ? parseTime(values.now, '--now') : undefined,
    noAlerts: values['no-alerts'],
    watch: values.watch,
    intervalMs: parseInterval(values.interval),
    concurrency,
    allowPrivateNetworks: values['allow-private-networks'],
    json: values.json,
    verbose: values.verbose,
  };
}


function printSummary(summary: CycleSummary, seconds: number): void {
  const total = summary.feeds.ok + summary.feeds.notModified + summary.feeds.failed;
  const lines = [
    `Cycle finished in ${seconds.toFixed(1)} s: ${total} feeds - ${summary.feeds.ok} read, ${summary.feeds.notModified} unchanged (304), ${summary.feeds.failed} failed.`,
    `Articles: ${summary.articles.new} new (${summary.articles.relevant} Iran-Pakistan events), ${summary.articles.duplicate} already seen.`,
    `Stories: ${summary.stories.new} new, ${summary.stories.updated} updated. Alerts published: ${summary.alerts.published}.`,
  ];
  if (summary.failures.length) {
    lines.push('Failed:');
    for (const f of summary.failures) lines.push(`  ${f.feed}: ${f.error}`);
  }
  process.stdout.write(`${lines.join('\n')}\n`);
}

const UNHEALTHY_AFTER_FAILURES = 3;

/**
 * Feeds failing several polls in a row, or silent for two days, with what last went wrong. A feed
 * refused for its address shows at once: it fails on every poll until private networks are allowed.
 */
async function unhealthyFeeds(store: DynamoDbEventStore, feeds: FeedDefinition[], now: string): Promise<string[]> {
  const states = await store.getFeedStates(feeds.map((f) => f.id));
  const lines: string[] = [];
  for (const feed of feeds) {
    const state = states.get(feed.id);
    const health = feedHealth(feed, state, undefined, now, DEFAULT_STALE_AFTER_HOURS);
    if (health.status === 'failing' && health.lastErrorReason === 'blocked-address') lines.push(`  ${feed.id}: fails on every poll (blocked-address): ${health.lastError ?? 'unknown'}`);
    else if (health.status === 'failing' && health.consecutiveFailures >= UNHEALTHY_AFTER_FAILURES) lines.push(`  ${feed.id}: failed ${health.consecutiveFailures} times in a row; last error: ${health.lastError ?? 'unknown'}; next try ${health.nextPollAt ?? 'next cycle'}`);
    else if (health.status === 'stale') lines.push(`  ${feed.id}: nothing new since ${state?.lastNewAt ?? state?.firstPolledAt}`);
  }
  return lines;
}

function printUnhealthy(lines: string[]): void {
  if (lines.length) process.stdout.write(`Unhealthy feeds:\n${lines.join('\n')}\n`);
}

async function main(): Promise<number> {
  const options = parseOrExit(parse, USAGE);
  if (typeof options === 'number') return options;
  let feeds: FeedDefinition[];
  try {
    feeds = loadFeeds(options.feeds, join(ROOT, 'config', 'feeds.json'));
  } catch (error) {
    process.stderr.write(`${describeError(error)}\n`);
    return error instanceof UsageError ? 2 : 1;
  }

  const log = stderrLog(options.verbose);
  const realStart = Date.now();
  const startAt = options.now ? Date.parse(options.now) : realStart;
  // --now shifts the pipeline clock; it still advances in real time during the run.
  const clock = () => new Date(startAt + (Date.now() - realStart));

  let local;
  try {
    local = await startLocalDynamo(options.dataDir);
    await ensureTable(local.client, TABLE.defaultName);
  } catch (error) {
    process.stderr.write(`cannot open the local table in ${options.dataDir}: ${describeError(error)}\n`);
    await local?.close();
    return 1;
  }
  const store = new DynamoDbEventStore(TABLE.defaultName, createDocumentClient(local.client));
  const deps = {
    fetcher: new HttpFeedFetcher({ allowPrivateNetworks: options.allowPrivateNetworks }),
    // Workers parse, normalise and classify; the event loop stores (same watch files as `classify`).
    parser: new RssFeedParser({ prepare: true }),
    store,
    classify: createClassifier(loadWatches()),
    clock,
    log,
    policy: DEFAULT_ALERT_POLICY,
    pollIntervalMinutes: Math.max(1, Math.round(options.intervalMs / 60_000)),
    publisher: new ConsoleAlertPublisher(join(options.dataDir, 'alerts.jsonl'), clock, options.json ? (text) => process.stderr.write(text) : (text) => process.stdout.write(text)),
  };

  let stopping = false;
  const stop = () => {
    stopping = true;
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
  const tty = process.stderr.isTTY;
  try {
    do {
      const started = Date.now();
      if (!options.json) process.stderr.write(`Fetching ${feeds.length} feeds...\n`);
      const summary = await runCycle(feeds, deps, {
        concurrency: options.concurrency,
        perHost: options.perHost,
        noAlerts: options.noAlerts,
        onFeedDone: options.json
          ? undefined
          : (result, done, total) => {
              const line = `[${done}/${total}] ${result.feedId}: ${result.outcome}${result.error ? ` (${result.error})` : result.articles.new ? `, ${result.articles.new} new` : ''}`;
              process.stderr.write(tty ? `\r\x1b[K${line.slice(0, (process.stderr.columns ?? 100) - 1)}${done === total ? '\n' : ''}` : `${line}\n`);
            },
      });
      const seconds = (Date.now() - started) / 1000;
      if (options.json) process.stdout.write(`${JSON.stringify(summary)}\n`);
      else {
        printSummary(summary, seconds);
        printUnhealthy(await unhealthyFeeds(store, feeds, clock().toISOString()));
      }
      if (!options.watch || stopping) break;
      const wakeAt = Date.now() + options.intervalMs;
      while (!stopping && Date.now() < wakeAt) await new Promise((r) => setTimeout(r, Math.min(500, wakeAt - Date.now())));
    } while (!stopping);
  } catch (error) {
    process.stderr.write(`the cycle could not run: ${describeError(error)}\n`);
    return 1;
  } finally {
    await deps.parser.close();
    await local.close();
  }
  return 0;
}

process.exitCode = await main();
