/**
 * The parser's worker thread: rss-parser off the event loop, and, when the parser was made with
 * `prepare`, the items normalised and the new ones classified right after the parse, so the main
 * thread only stores. In the repository rss-parse-worker.mjs starts this file through tsx; in a
 * Lambda bundle it is bundled as rss-parse-worker.mjs itself (bundleLambda in infra/bundling.ts).
 *
 * Each message: { id, text, context? }; the replies: { id, ok, stage: 'parsing' } and { id, ok,
 * stage: 'parsed' } around rss-parser's parse (the main thread times it alone), then { id, ok,
 * json?, error? }, where json is the
 * text of { title, count, items, prepared? }: one string crosses to the main thread instead of a
 * structured clone of every item, and JSON drops what cannot cross (functions, symbols). Prepared,
 * only stamps and the relevant items cross: a small fraction of the feed's text.
 */
import { parentPort, workerData } from 'node:worker_threads';
import Parser from 'rss-parser';
import rssParserUtils from 'rss-parser/lib/utils.js';
import type { PrepareContext, PreparedItems } from '../domain/prepare-items.ts';
import type { RawFeedItem } from '../domain/types.ts';

interface Options {
  prepare?: boolean;
  watchesDir?: string;
}
const options = (workerData ?? {}) as Options;

// rss-parser builds a contentSnippet for every item (and for content:encoded) with regexes that
// are quadratic on markup-heavy text: a 60 KB item took 9 to 16 s (docs: rss-parser's hazards).
// Nothing here reads it: it is derived from content, which normalisation reads first. Not built,
// it costs neither that hazard nor about a tenth of every parse.
rssParserUtils.getSnippet = () => '';

// A fresh rss-parser per feed: it keeps one xml2js parser, which carries state from one document
// into the next (after a rejected body, the next feed's items came back cut short).
const newParser = () => new Parser({ defaultRSS: 2, timeout: 0, customFields: { item: ['summary', 'id'] } });

// Only what normalisation reads. It takes the first non-empty of content and summary, so with a
// content the summary stays behind.
const hasText = (v: unknown) => typeof v === 'string' && v.trim().length > 0;
const pick = (item: Record<string, unknown>): RawFeedItem => ({
  title: item.title,
  link: item.link,
  guid: item.guid,
  id: item.id,
  content: item.content,
  ...(hasText(item.content) ? {} : { summary: item.summary }),
  isoDate: item.isoDate,
  pubDate: item.pubDate,
});

/** Built on the first feed to prepare: the classifier from the same watch files as the main thread's. */
let preparer: Promise<(raw: RawFeedItem[], context: PrepareContext) => PreparedItems> | null = null;
function getPreparer() {
  preparer ??= (async () => {
    const [{ prepareItems }, { createClassifier }, { loadWatches }] = await Promise.all([import('../domain/prepare-items.ts'), import('../domain/classify.ts'), import('../watches.ts')]);
    const classify = createClassifier(options.watchesDir ? loadWatches(options.watchesDir) : loadWatches());
    return (raw: RawFeedItem[], context: PrepareContext) => prepareItems(raw, context, classify);
  })();
  return preparer;
}

const port = parentPort;
if (!port) throw new Error('feed-worker.ts runs as a worker thread');
port.on('message', async ({ id, text, context }: { id: number; text: string; context?: PrepareContext }) => {
  try {
    // The main thread times the parse alone: it starts the feed's budget here and stops it below.
    port.postMessage({ id, ok: true, stage: 'parsing' });
    const feed = await newParser().parseString(text);
    port.postMessage({ id, ok: true, stage: 'parsed' });
    const items = (feed.items ?? []).map((i) => pick(i as unknown as Record<string, unknown>));
    const prepared = options.prepare && context && items.length ? (await getPreparer())(items, context) : undefined;
    const json = JSON.stringify({ title: feed.title ?? null, count: items.length, items: prepared ? [] : items, ...(prepared ? { prepared } : {}) });
    port.postMessage({ id, ok: true, json });
  } catch (error) {
    port.postMessage({ id, ok: false, error: String((error as Error)?.message ?? error).split('\n')[0]?.slice(0, 200) });
  }
});
