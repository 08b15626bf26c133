import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { gzipSync } from 'node:zlib';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULTS, HttpFeedFetcher } from '#shared/adapters/http-feed-fetcher.ts';
import type { FeedDefinition } from '#shared/domain/types.ts';
import { fetchError } from '../helpers/fakes.ts';
import { FetchError } from '#shared/errors.ts';
import { startFeedServer, withEtag, type FeedServer, type Handler } from '../helpers/feed-server.ts';

const RSS = '<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel><title>Test wire</title></channel></rss>';
const LAST_MODIFIED = 'Tue, 03 Mar 2026 08:00:00 GMT';
/** The test server listens on 127.0.0.1, which the fetcher refuses unless told otherwise. */
const LOOPBACK = { allowPrivateNetworks: true } as const;

function feed(url: string, overrides: Partial<FeedDefinition> = {}): FeedDefinition {
  return { id: 'test-feed', url, outlet: 'Test Wire', language: 'en', ...overrides };
}


/** 200 with validators; 304 when either validator comes back. */
const conditional: Handler = (req, res) => {
  if (req.headers['if-none-match'] === '"v1"' || req.headers['if-modified-since'] === LAST_MODIFIED) {
    res.writeHead(304, { etag: '"v1"', 'last-modified': LAST_MODIFIED }).end();
    return;
  }
  res.writeHead(200, { 'content-type': 'application/rss+xml; charset=utf-8', etag: '"v1"', 'last-modified': LAST_MODIFIED }).end(RSS);
};

function redirectTo(location: string, status = 302): Handler {
  return (_req, res) => {
    res.writeHead(status, { location }).end();
  };
}

describe('HttpFeedFetcher against a local HTTP server', () => {
  let server: FeedServer | undefined;

  async function serve(routes: Record<string, Handler>): Promise<FeedServer> {
    server = await startFeedServer(routes);
    return server;
  }

  afterEach(async () => {
    await server?.close();
    server = undefined;
  });

  it('returns the body with its etag, last-modified, content type, final URL and byte count on 200', async () => {
    const s = await serve({ '/feed.xml': conditional });
    const result = await new HttpFeedFetcher(LOOPBACK).fetch(feed(`${s.url}/feed.xml`), {});
    expect(result).toEqual({
      status: 'ok',
      body: RSS,
      etag: '"v1"',
      lastModified: LAST_MODIFIED,
      contentType: 'application/rss+xml; charset=utf-8',
      finalUrl: `${s.url}/feed.xml`,
      bytes: Buffer.byteLength(RSS),
    });
    expect(s.requests[0]).not.toHaveProperty('ifNoneMatch');
    expect(s.requests[0]).not.toHaveProperty('ifModifiedSince');
  });

  it('returns the Link header (WebSub discovery reads hubs from it)', async () => {
    const link = '<https://hub.example/>; rel="hub", <https://news.example/feed>; rel="self"';
    const s = await serve({ '/feed.xml': (_req, res) => void res.writeHead(200, { 'content-type': 'application/rss+xml', link }).end(RSS) });
    const result = await new HttpFeedFetcher(LOOPBACK).fetch(feed(`${s.url}/feed.xml`), {});
    expect(result).toMatchObject({ status: 'ok', link });
  });

  it('sends the stored validators back and reports not-modified on 304', async () => {
    const s = await serve({ '/feed.xml': conditional });
    const fetcher = new HttpFeedFetcher(LOOPBACK);
    const first = await fetcher.fetch(feed(`${s.url}/feed.xml`), {});
    expect(first.status).toBe('ok');
    const second = await fetcher.fetch(feed(`${s.url}/feed.xml`), { etag: first.etag, lastModified: first.lastModified });
    expect(second).toEqual({ status: 'not-modified', etag: '"v1"', lastModified: LAST_MODIFIED });
    expect(s.requests).toHaveLength(2);
    expect(s.requests[1]).toMatchObject({ path: '/feed.xml', ifNoneMatch: '"v1"', ifModifiedSince: LAST_MODIFIED });
  });

  it('works with the withEtag helper: a matching If-None-Match gives not-modified', async () => {
    const s = await serve({ '/e.xml': withEtag(RSS, '"abc"') });
    const fetcher = new HttpFeedFetcher(LOOPBACK);
    const first = await fetcher.fetch(feed(`${s.url}/e.xml`), {});
    expect(first).toMatchObject({ status: 'ok', etag: '"abc"', body: RSS });
    const second = await fetcher.fetch(feed(`${s.url}/e.xml`), { etag: '"abc"' });
    expect(second).toEqual({ status: 'not-modified', etag: '"abc"' });
  });

  it('sends its User-Agent', async () => {
    const s = await serve({ '/feed.xml': conditional });
    await new HttpFeedFetcher(LOOPBACK).fetch(feed(`${s.url}/feed.xml`), {});
    await new HttpFeedFetcher({ ...LOOPBACK, userAgent: 'custom-agent/1.0' }).fetch(feed(`${s.url}/feed.xml`), {});
    expect(s.requests.map((r) => r.userAgent)).toEqual([DEFAULTS.userAgent, 'custom-agent/1.0']);
  });

  it('maps 404 and 410 to reason not-found', async () => {
    const s = await serve({
      '/gone.xml': (_req, res) => {
        res.writeHead(410).end('gone');
      },
    });
    const fetcher = new HttpFeedFetcher(LOOPBACK);
    const missing = await fetchError(fetcher.fetch(feed(`${s.url}/missing.xml`), {}));
    expect(missing).toMatchObject({ reason: 'not-found', status: 404 });
    const gone = await fetchError(fetcher.fetch(feed(`${s.url}/gone.xml`), {}));
    expect(gone).toMatchObject({ reason: 'not-found', status: 410 });
  });

  it('maps 500 to reason http-status with the status', async () => {
    const s = await serve({
      '/boom.xml': (_req, res) => {
        res.writeHead(500, { 'content-type': 'text/plain' }).end('internal error');
      },
    });
    const error = await fetchError(new HttpFeedFetcher(LOOPBACK).fetch(feed(`${s.url}/boom.xml`), {}));
    expect(error.reason).toBe('http-status');
    expect(error.status).toBe(500);
  });

  it('times out when the server never sends headers', async () => {
    const s = await serve({
      '/hang.xml': () => {
        /* never answers */
      },
    });
    const error = await fetchError(new HttpFeedFetcher({ ...LOOPBACK, headersTimeoutMs: 200 }).fetch(feed(`${s.url}/hang.xml`), {}));
    expect(error.reason).toBe('timeout');
    expect(error.message).toContain('headers');
  });

  it('times out when the body stalls after the headers', async () => {
    const s = await serve({
      '/slow.xml': (_req, res) => {
        res.writeHead(200, { 'content-type': 'application/rss+xml' });
        res.write('<?xml version="1.0"?><rss version="2.0"><channel>');
        /* then stalls forever */
      },
    });
    const error = await fetchError(new HttpFeedFetcher({ ...LOOPBACK, headersTimeoutMs: 5_000, bodyTimeoutMs: 200 }).fetch(feed(`${s.url}/slow.xml`), {}));
    expect(error.reason).toBe('timeout');
    expect(error.message).toContain('body');
  });

  it('refuses a body whose Content-Length exceeds maxBytes', async () => {
    const big = 'x'.repeat(500);
    const s = await serve({
      '/big.xml': (_req, res) => {
        res.writeHead(200, { 'content-type': 'application/rss+xml', 'content-length': String(big.length) }).end(big);
      },
    });
    const error = await fetchError(new HttpFeedFetcher({ ...LOOPBACK, maxBytes: 100 }).fetch(feed(`${s.url}/big.xml`), {}));
    expect(error.reason).toBe('too-large');
    expect(error.message).toContain('500 bytes');
  });

  it('refuses a chunked body without Content-Length once it passes maxBytes', async () => {
    const s = await serve({
      '/chunked.xml': async (_req, res) => {
        res.writeHead(200, { 'content-type': 'application/rss+xml' });
        for (let i = 0; i < 10; i++) {
          res.write('y'.repeat(64));
          await new Promise((r) => setImmediate(r));
        }
        res.end();
      },
    });
    const error = await fetchError(new HttpFeedFetcher({ ...LOOPBACK, maxBytes: 100 }).fetch(feed(`${s.url}/chunked.xml`), {}));
    expect(error.reason).toBe('too-large');
  });

  it('accepts a chunked body at exactly maxBytes', async () => {
    const s = await serve({
      '/exact.xml': (_req, res) => {
        res.writeHead(200, { 'content-type': 'text/plain' });
        res.write('a'.repeat(60));
        res.end('b'.repeat(40));
      },
    });
    const result = await new HttpFeedFetcher({ ...LOOPBACK, maxBytes: 100 }).fetch(feed(`${s.url}/exact.xml`), {});
    expect(result).toMatchObject({ status: 'ok', bytes: 100 });
  });

  it('follows redirects up to maxRedirects and fails on one more', async () => {
    const s = await serve({
      '/r0': redirectTo('/r1', 301),
      '/r1': redirectTo('/r2', 302),
      '/r2': redirectTo('/feed.xml', 307),
      '/feed.xml': conditional,
    });
    const fetcher = new HttpFeedFetcher({ ...LOOPBACK, maxRedirects: 2 });
    const ok = await fetcher.fetch(feed(`${s.url}/r1`), {});
    expect(ok).toMatchObject({ status: 'ok', body: RSS, finalUrl: `${s.url}/feed.xml` });

    const error = await fetchError(fetcher.fetch(feed(`${s.url}/r0`), {}));
    expect(error.reason).toBe('too-many-redirects');
  });

  it('drains a short redirect body and reuses the connection; cuts off an endless one', async () => {
    const sockets = new Set<unknown>();
    let endless: NodeJS.Timeout | undefined;
    const s = await serve({
      '/short': (req, res) => {
        sockets.add(req.socket);
        res.writeHead(302, { location: '/feed.xml', 'content-type': 'text/html' }).end('<a href="/feed.xml">moved</a>');
      },
      '/endless': (req, res) => {
        sockets.add(req.socket);
        res.writeHead(302, { location: '/feed.xml' });
        endless = setInterval(() => res.write('x'.repeat(1024)), 5);
        res.on('close', () => clearInterval(endless));
      },
      '/feed.xml': (req, res) => {
        sockets.add(req.socket);
        conditional(req, res);
      },
    });
    const fetcher = new HttpFeedFetcher(LOOPBACK);
    expect(await fetcher.fetch(feed(`${s.url}/short`), {})).toMatchObject({ status: 'ok', body: RSS });
    expect(sockets.size).toBe(1);
    expect(await fetcher.fetch(feed(`${s.url}/endless`), {})).toMatchObject({ status: 'ok', body: RSS, finalUrl: `${s.url}/feed.xml` });
    clearInterval(endless);
  });

  it('does not carry the validators to a redirect target', async () => {
    const s = await serve({ '/moved': redirectTo('/feed.xml'), '/feed.xml': conditional });
    const result = await new HttpFeedFetcher(LOOPBACK).fetch(feed(`${s.url}/moved`), { etag: '"v1"', lastModified: LAST_MODIFIED });
    expect(result.status).toBe('ok');
    expect(s.requests[0]).toMatchObject({ path: '/moved', ifNoneMatch: '"v1"' });
    expect(s.requests[1]?.path).toBe('/feed.xml');
    expect(s.requests[1]).not.toHaveProperty('ifNoneMatch');
  });

  it('refuses a redirect to a non-http scheme', async () => {
    const s = await serve({ '/ftp': redirectTo('ftp://files.example.org/feed.xml'), '/file': redirectTo('file:///etc/passwd') });
    const fetcher = new HttpFeedFetcher(LOOPBACK);
    expect((await fetchError(fetcher.fetch(feed(`${s.url}/ftp`), {}))).reason).toBe('unsupported-scheme');
    expect((await fetchError(fetcher.fetch(feed(`${s.url}/file`), {}))).reason).toBe('unsupported-scheme');
  });

  it('reports a 3xx without Location as http-status', async () => {
    const s = await serve({
      '/nowhere': (_req, res) => {
        res.writeHead(302).end();
      },
    });
    const error = await fetchError(new HttpFeedFetcher(LOOPBACK).fetch(feed(`${s.url}/nowhere`), {}));
    expect(error).toMatchObject({ reason: 'http-status', status: 302 });
  });

  it('decodes a gzip-encoded response', async () => {
    const s = await serve({
      '/gz.xml': (_req, res) => {
        const zipped = gzipSync(Buffer.from(RSS, 'utf8'));
        res.writeHead(200, { 'content-type': 'application/rss+xml; charset=utf-8', 'content-encoding': 'gzip', 'content-length': String(zipped.length) }).end(zipped);
      },
    });
    const result = await new HttpFeedFetcher(LOOPBACK).fetch(feed(`${s.url}/gz.xml`), {});
    expect(result).toMatchObject({ status: 'ok', body: RSS });
  });

  it('decodes a windows-1252 body by the HTTP charset', async () => {
    // 0xE9 is "é" and 0xA9 "©" in windows-1252; read as UTF-8 they would be invalid bytes (U+FFFD).
    // The C1-range bytes (0x93/0x94 → “ ”) are deliberately not asserted: on Node 20.18.3+ / 22.13+
    // TextDecoder('windows-1252') decodes them as U+0093/U+0094 (nodejs/node#60888), see the report.
    const bytes = Buffer.concat([
      Buffer.from('<rss version="2.0"><channel><title>Caf', 'latin1'),
      Buffer.from([0xe9, 0x20, 0xa9]),
      Buffer.from(' Tehran</title></channel></rss>', 'latin1'),
    ]);
    const s = await serve({
      '/cp1252.xml': (_req, res) => {
        res.writeHead(200, { 'content-type': 'application/rss+xml; charset=windows-1252' }).end(bytes);
      },
    });
    const result = await new HttpFeedFetcher(LOOPBACK).fetch(feed(`${s.url}/cp1252.xml`), {});
    expect(result.status).toBe('ok');
    if (result.status !== 'ok') return;
    expect(result.body).toBe('<rss version="2.0"><channel><title>Caf\u00E9 \u00A9 Tehran</title></channel></rss>');
    expect(result.body).not.toContain('\uFFFD');
    expect(result.bytes).toBe(bytes.length);
  });

  it('refuses a non-http URL scheme and a malformed URL', async () => {
    const fetcher = new HttpFeedFetcher(LOOPBACK);
    expect((await fetchError(fetcher.fetch(feed('ftp://files.example.org/feed.xml'), {}))).reason).toBe('unsupported-scheme');
    expect((await fetchError(fetcher.fetch(feed('not a url'), {}))).reason).toBe('bad-url');
  });
});

describe('HttpFeedFetcher on file: URLs', () => {
  let dir: string;

  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'ipw-fetch-'));
  });

  afterAll(() => {
    rmSync(dir, { recursive: true, force: true });
  });

  it('reads a local file and reports not-modified when its lastModified comes back', async () => {
    const path = join(dir, 'local.xml');
    writeFileSync(path, RSS);
    const url = pathToFileURL(path).href;
    const fetcher = new HttpFeedFetcher();
    const first = await fetcher.fetch(feed(url), {});
    expect(first).toMatchObject({ status: 'ok', body: RSS, finalUrl: url, bytes: Buffer.byteLength(RSS) });
    expect(first.lastModified).toEqual(expect.any(String));

    const second = await fetcher.fetch(feed(url), { lastModified: first.lastModified });
    expect(second).toEqual({ status: 'not-modified', lastModified: first.lastModified });
  });

  it('refuses a local file larger than maxBytes', async () => {
    const path = join(dir, 'large.xml');
    writeFileSync(path, 'z'.repeat(300));
    const error = await fetchError(new HttpFeedFetcher({ maxBytes: 100 }).fetch(feed(pathToFileURL(path).href), {}));
    expect(error.reason).toBe('too-large');
  });

  it('reports a missing file as not-found', async () => {
    const error = await fetchError(new HttpFeedFetcher().fetch(feed(pathToFileURL(join(dir, 'absent.xml')).href), {}));
    expect(error.reason).toBe('not-found');
  });
});
