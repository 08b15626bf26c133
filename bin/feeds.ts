/**
 * `npm run feeds`: the health of every feed, from the local data dir or the table in AWS: read,
 * failing (and why), silent, or never polled; when it is polled next; whether its WebSub hub
 * pushes to us. Reads the feed states and subscriptions by the registry's ids, never a Scan, and
 * never prints a subscription's secret.
 */
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { DEFAULT_STALE_AFTER_HOURS } from '#shared/config.ts';
import { needsAttention, type FeedHealth } from '#shared/domain/feed-health.ts';
import { feedHealthReport } from '#shared/use-cases/feed-health-report.ts';
import { UsageError, loadFeeds, parseOrExit } from './lib/cli.ts';
import { STORE_OPTIONS, STORE_USAGE, storeChoice, withEventStore } from './lib/open-store.ts';

const ROOT = resolve(fileURLToPath(import.meta.url), '../..');

const USAGE = `Usage: npm run feeds -- [options]

Lists every feed of the registry with its health, problems first: failing (with the reason),
stale (nothing new for --stale-after-hours), never polled, or ok; when it was last read and is
polled next; and its WebSub push (live, lapsed, pending, denied, failed, or a hub it advertises
that we have not subscribed to).

  --registry <path>            the feed registry (default config/feeds.json)
  --feeds <list>               these feeds instead, as \`npm start -- --feeds\` takes them
  --problems                   only the feeds that need attention
  --stale-after-hours <n>      silent this long is stale (default ${DEFAULT_STALE_AFTER_HOURS}, as the Lambdas' STALE_AFTER_HOURS)
  --format <f>                 table (default) or json
${STORE_USAGE}
  -h, --help                   this text`;

function parse(argv: string[]) {
  const { values } = parseArgs({
    args: argv,
    options: {
      registry: { type: 'string' },
      feeds: { type: 'string' },
      problems: { type: 'boolean', default: false },
      'stale-after-hours': { type: 'string' },
      format: { type: 'string', default: 'table' },
      ...STORE_OPTIONS,
      help: { type: 'boolean', short: 'h', default: false },
    },
    strict: true,
    allowPositionals: false,
  });
  const format = values.format as 'table' | 'json';
  if (format !== 'table' && format !== 'json') throw new UsageError(`--format must be table or json, got "${format}"`);
  if (values.registry && values.feeds) throw new UsageError('--registry and --feeds are alternatives: give one');
  const stale = values['stale-after-hours'] === undefined ? DEFAULT_STALE_AFTER_HOURS : Number(values['stale-after-hours']);
  if (!Number.isInteger(stale) || stale < 1) throw new UsageError(`--stale-after-hours must be a whole number of hours, at least 1, got "${values['stale-after-hours']}"`);
  return {
    help: values.help,
    format,
    problems: values.problems,
    staleAfterHours: stale,
    feedsArg: values.feeds,
    registry: resolve(values.registry ?? join(ROOT, 'config', 'feeds.json')),
    ...storeChoice(values),
  };
}

/** "5m ago", "in 2h", "3d ago": how far a time is from now, for a table. */
function relative(iso: string | undefined, nowMs: number): string {
  if (!iso) return '-';
  const ms = Date.parse(iso) - nowMs;
  const abs = Math.abs(ms);
  const span = abs < 3_600_000 ? `${Math.round(abs / 60_000)}m` : abs < 2 * 86_400_000 ? `${Math.round(abs / 3_600_000)}h` : `${Math.round(abs / 86_400_000)}d`;
  return ms < 0 ? `${span} ago` : ms < 60_000 ? 'now' : `in ${span}`;
}

function pushText(h: FeedHealth, nowMs: number): string {
  if (!h.push) return '-';
  const { status, leaseExpiresAt, retryAt, lastError } = h.push;
  if (status === 'live') return `live, lease ends ${relative(leaseExpiresAt, nowMs)}`;
  if (status === 'advertised') return 'hub advertised, not subscribed';
  return [status, retryAt ? `retry ${relative(retryAt, nowMs)}` : '', lastError ?? ''].filter(Boolean).join(', ');
}

function render(rows: FeedHealth[], all: FeedHealth[], format: 'table' | 'json', nowMs: number): string {
  if (format === 'json') return `${JSON.stringify(rows, null, 2)}\n`;
  const count = (status: string) => all.filter((h) => h.status === status).length;
  const pushes = ['live', 'lapsed', 'pending', 'denied', 'failed'].map((s) => [s, all.filter((h) => h.push?.status === s).length] as const).filter(([, n]) => n);
  const summary = `${all.length} feeds: ${count('ok')} ok, ${count('failing')} failing, ${count('stale')} stale, ${count('never-polled')} never polled${pushes.length ? `; push ${pushes.map(([s, n]) => `${n} ${s}`).join(', ')}` : ''}.`;
  if (!rows.length) return `${summary}\nNo feed needs attention.\n`;
  const table = [['feed', 'status', 'last read', 'last new', 'fails', 'why', 'next poll', 'push']];
  for (const h of rows) {
    // The error's last clause says what happened ("... fetching <url>: ENOTFOUND"); --format json has all of it.
    const why = h.status === 'failing' ? `${h.lastErrorReason ?? 'error'}: ${(h.lastError ?? '').split(': ').at(-1)}`.slice(0, 60) : h.status === 'ok' && h.parsePath && h.parsePath !== 'rss-parser' ? `read by ${h.parsePath}` : '';
    table.push([h.feedId, h.status, relative(h.lastFetchedAt, nowMs), relative(h.lastNewAt, nowMs), String(h.consecutiveFailures), why || '-', relative(h.nextPollAt, nowMs), pushText(h, nowMs)]);
  }
  const widths = (table[0] as string[]).map((_, i) => Math.max(...table.map((r) => (r[i] as string).length)));
  const lines = table.map((r) => r.map((cell, i) => (i === r.length - 1 ? cell : cell.padEnd(widths[i] as number))).join('  ').trimEnd());
  return `${lines.join('\n')}\n${summary}\n`;
}

async function main(): Promise<number> {
  const options = parseOrExit(parse, USAGE);
  if (typeof options === 'number') return options;
  let feeds;
  try {
    feeds = loadFeeds(options.feedsArg, options.registry);
  } catch (error) {
    process.stderr.write(`${(error as Error).message}\n`);
    return 2;
  }
  return withEventStore(options, async (store, { subscriptions }) => {
    const now = new Date();
    const all = await feedHealthReport(feeds, { store, subscriptions }, now.toISOString(), options.staleAfterHours);
    process.stdout.write(render(options.problems ? all.filter(needsAttention) : all, all, options.format, now.getTime()));
  });
}

process.exitCode = await main();
