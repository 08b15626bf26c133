/**
 * The benchmark's feed server, run as its own process (`tsx scripts/lib/bench-feed-server.ts`):
 * GET /feed/<n> answers generated feed n (50 items) with an ETag, and 304 to a matching
 * If-None-Match. Bodies are generated per request, so neither this process nor the one being
 * measured holds thousands of feeds; the port is written to stdout as one line.
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { generateFeed } from './bench-feeds.ts';

const server = createServer((req, res) => {
  const match = /^\/feed\/(\d+)$/.exec(req.url ?? '');
  if (!match) {
    res.writeHead(404).end();
    return;
  }
  const index = Number(match[1]);
  const etag = `"v1-${index}"`;
  if (req.headers['if-none-match'] === etag) res.writeHead(304, { etag }).end();
  else res.writeHead(200, { 'content-type': 'application/rss+xml; charset=utf-8', etag }).end(generateFeed(index, 50));
});
server.keepAliveTimeout = 30_000;
server.listen(0, '127.0.0.1', () => process.stdout.write(`${(server.address() as AddressInfo).port}\n`));
process.on('SIGTERM', () => server.close(() => process.exit(0)));
