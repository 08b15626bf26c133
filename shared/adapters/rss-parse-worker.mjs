// Runs rss-parser off the main thread. Plain JavaScript so it starts the same way under tsx,
// vitest and in the Lambda bundle (where it is bundled beside index.mjs by AppFunction's hook).
// Each message: { id, text }; each reply: { id, ok, json?, error? }, where json is the text of
// { title, items }: one string crosses to the main thread (a copy of bytes) instead of a structured
// clone of every item, and JSON drops what cannot cross (functions, symbols) on the way.
import { parentPort } from 'node:worker_threads';
import Parser from 'rss-parser';

// A fresh rss-parser per feed: it keeps one xml2js parser, which carries state from one document
// into the next (after a rejected body, the next feed's items came back cut short).
const newParser = () => new Parser({ defaultRSS: 2, timeout: 0, customFields: { item: ['summary', 'id'] } });
// Only what normalisation reads. It takes the first non-empty of content, summary and
// contentSnippet, so with a content the other two (copies of the same text) stay behind.
const hasText = (v) => typeof v === 'string' && v.trim().length > 0;
const pick = (item) => ({
  title: item.title,
  link: item.link,
  guid: item.guid,
  id: item.id,
  content: item.content,
  ...(hasText(item.content) ? {} : { summary: item.summary, contentSnippet: item.contentSnippet }),
  isoDate: item.isoDate,
  pubDate: item.pubDate,
});
parentPort.on('message', async ({ id, text }) => {
  try {
    const feed = await newParser().parseString(text);
    parentPort.postMessage({ id, ok: true, json: JSON.stringify({ title: feed.title ?? null, items: (feed.items ?? []).map(pick) }) });
  } catch (error) {
    parentPort.postMessage({ id, ok: false, error: String(error?.message ?? error).split('\n')[0].slice(0, 200) });
  }
});
