// Runs rss-parser off the main thread. Plain JavaScript so it starts the same way under tsx,
// vitest and in the Lambda bundle (where it is bundled beside index.mjs by AppFunction's hook).
// Each message: { id, text }; each reply: { id, ok, title?, items?, error? }.
import { parentPort } from 'node:worker_threads';
import Parser from 'rss-parser';

const parser = new Parser({ defaultRSS: 2, timeout: 0, customFields: { item: ['summary', 'id'] } });
const pick = (item) => ({
  title: item.title,
  link: item.link,
  guid: item.guid,
  id: item.id,
  summary: item.summary,
  contentSnippet: item.contentSnippet,
  content: item.content,
  isoDate: item.isoDate,
  pubDate: item.pubDate,
});
// Values that cannot cross to the main thread (functions, symbols) become undefined.
const plain = (value) => JSON.parse(JSON.stringify(value ?? null)) ?? undefined;

parentPort.on('message', async ({ id, text }) => {
  try {
    const feed = await parser.parseString(text);
    parentPort.postMessage({ id, ok: true, title: plain(feed.title), items: (feed.items ?? []).map((i) => plain(pick(i))) });
  } catch (error) {
    parentPort.postMessage({ id, ok: false, error: String(error?.message ?? error).split('\n')[0].slice(0, 200) });
  }
});
