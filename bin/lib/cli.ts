import { existsSync, readFileSync, statSync } from 'node:fs';
import { basename, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { FeedDefinition } from '#shared/domain/types.ts';
import { parseFeedRegistry } from '#shared/feed-registry.ts';
import type { Log } from '#shared/ports.ts';
import { stableId } from '#shared/domain/canonical-url.ts';

/** A bad command line: the CLIs print the message and the usage, and exit 2. */
export class UsageError extends Error {
  override readonly name = 'UsageError';
}

/** Log lines on stderr, so stdout stays the program's output (JSON lines, tables). */
export function stderrLog(verbose: boolean): Log {
  const line = (level: string) => (message: string, extra?: Record<string, unknown>) => {
    process.stderr.write(`${level} ${message}${extra ? ` ${JSON.stringify(extra)}` : ''}\n`);
  };
  const quiet = () => {};
  return { debug: verbose ? line('debug') : quiet, info: verbose ? line('info') : quiet, warn: verbose ? line('warn') : quiet, error: line('error') };
}

/** "2024-01-22" or a full ISO time; `endOfDay` makes a bare date inclusive of that whole day. */
export function parseTime(value: string, flag: string, endOfDay = false): string {
  const bare = /^\d{4}-\d{2}-\d{2}$/.test(value);
  const time = Date.parse(bare ? `${value}T${endOfDay ? '23:59:59.999' : '00:00:00.000'}Z` : value);
  if (Number.isNaN(time)) throw new UsageError(`${flag} needs a date (YYYY-MM-DD) or an ISO time, got "${value}"`);
  return new Date(time).toISOString();
}

/** The --since/--until window of the reading CLIs; by default the 30 days up to now. */
export const WINDOW_USAGE = `  --since <date|time>    first reported on or after (default: 30 days before now)
  --until <date|time>    first reported on or before (default: now)`;

export const WINDOW_OPTIONS = { since: { type: 'string' }, until: { type: 'string' } } as const;

export function parseWindow(values: { since?: string | undefined; until?: string | undefined }, now = Date.now()): { since: string; until: string } {
  return {
    since: values.since ? parseTime(values.since, '--since') : new Date(now - 30 * 86_400_000).toISOString(),
    until: values.until ? parseTime(values.until, '--until', true) : new Date(now).toISOString(),
  };
}

/** "5m", "30s", "1h" or plain seconds, to milliseconds. */
export function parseInterval(value: string): number {
  const match = /^(\d+)(s|m|h)?$/.exec(value.trim());
  if (!match) throw new UsageError(`--interval needs a duration such as 5m, 30s or 1h, got "${value}"`);
  const n = Number(match[1]);
  const ms = n * (match[2] === 'h' ? 3_600_000 : match[2] === 'm' ? 60_000 : 1000);
  if (ms < 1000) throw new UsageError('--interval must be at least 1s');
  return ms;
}

/** The feeds a CLI works on: those of --feeds, else the registry at `registryPath`, validated. */
export function loadFeeds(feedsArg: string | undefined, registryPath: string): FeedDefinition[] {
  if (feedsArg) return feedsFromArgument(feedsArg);
  if (!existsSync(registryPath)) throw new UsageError(`no feed registry at ${registryPath}`);
  return parseFeedRegistry(JSON.parse(readFileSync(registryPath, 'utf8')), registryPath);
}

/**
 * `--feeds`: comma-separated URLs or file paths, or the path of a text file listing one per line
 * (blank lines and # comments ignored). A path whose content starts like a feed ("<" or "{") is a
 * feed, not a list. Outlets of ad-hoc feeds come from the feed's own title when it is read.
 */
export function feedsFromArgument(value: string, cwd = process.cwd()): FeedDefinition[] {
  const trimmed = value.trim();
  if (!trimmed) throw new UsageError('--feeds is empty');
  let entries: string[];
  const asPath = resolve(cwd, trimmed);
  if (!trimmed.includes(',') && !/^[a-z]+:\/\//i.test(trimmed) && existsSync(asPath) && statSync(asPath).isFile() && !looksLikeFeed(asPath)) {
    entries = readFileSync(asPath, 'utf8')
      .split(/\r?\n/)
      .map((l) => l.trim())
      .filter((l) => l && !l.startsWith('#'));
    if (!entries.length) throw new UsageError(`the feed list ${trimmed} has no entries`);
  } else {
    entries = trimmed.split(',').map((e) => e.trim()).filter(Boolean);
  }
  const seen = new Set<string>();
  const feeds: FeedDefinition[] = [];
  for (const entry of entries) {
    const url = toFeedUrl(entry, cwd);
    if (seen.has(url)) continue;
    seen.add(url);
    feeds.push({ id: adHocId(url), url, outlet: '', language: 'und' });
  }
  return feeds;
}

function looksLikeFeed(path: string): boolean {
  const head = readFileSync(path, { encoding: 'utf8' }).slice(0, 512).replace(/^\uFEFF/, '').trimStart();
  return head.startsWith('<') || head.startsWith('{');
}

function toFeedUrl(entry: string, cwd: string): string {
  if (/^https?:\/\//i.test(entry) || /^file:\/\//i.test(entry)) {
    try {
      return new URL(entry).href;
    } catch {
      throw new UsageError(`not a valid URL in --feeds: ${entry}`);
    }
  }
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(entry)) throw new UsageError(`unsupported scheme in --feeds: ${entry} (http, https or a file path)`);
  return pathToFileURL(resolve(cwd, entry)).href;
}

/** A readable, stable id for a feed given on the command line: its host or file name plus a hash. */
function adHocId(url: string): string {
  const u = new URL(url);
  const label = (u.protocol === 'file:' ? basename(u.pathname).replace(/\.[a-z]+$/i, '') : `${u.hostname}${u.pathname}`)
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 40);
  return `${label || 'feed'}-${stableId(url).slice(0, 6)}`;
}

/**
 * Parses the command line with `parse`; a bad line prints the message and the usage on stderr
 * (exit 2), --help prints the usage on stdout (exit 0). Returns the options or the exit code.
 */
export function parseOrExit<T extends { help: boolean }>(parse: (argv: string[]) => T, usage: string, argv = process.argv.slice(2)): T | number {
  // The SDK warns on every client that Node 20 support ends in 2027; the Lambdas run Node 24.
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
  let options: T;
  try {
    options = parse(argv);
  } catch (error) {
    process.stderr.write(`${(error as Error).message}\n\n${usage}\n`);
    return 2;
  }
  if (options.help) {
    process.stdout.write(`${usage}\n`);
    return 0;
  }
  return options;
}
