import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export type Handler = (req: IncomingMessage, res: ServerResponse) => void | Promise<void>;

export interface FeedServer {
  url: string;
  /** requests seen, in order: method, path and the conditional headers */
  requests: { path: string; ifNoneMatch?: string; ifModifiedSince?: string; userAgent?: string }[];
  close(): Promise<void>;
}

/**
 * A local HTTP server on 127.0.0.1 (or `host`, e.g. ::1) for fetcher and end-to-end tests; routes
 * by path. The fetcher refuses loopback addresses by default: a test fetching from here passes
 * `allowPrivateNetworks` (or --allow-private-networks) unless it tests that refusal.
 */
export async function startFeedServer(routes: Record<string, Handler>, options: { host?: string } = {}): Promise<FeedServer> {
  const host = options.host ?? '127.0.0.1';
  const requests: FeedServer['requests'] = [];
  const server: Server = createServer(async (req, res) => {
    const path = new URL(req.url ?? '/', 'http://x').pathname;
    requests.push({
      path,
      ...(req.headers['if-none-match'] ? { ifNoneMatch: String(req.headers['if-none-match']) } : {}),
      ...(req.headers['if-modified-since'] ? { ifModifiedSince: String(req.headers['if-modified-since']) } : {}),
      ...(req.headers['user-agent'] ? { userAgent: String(req.headers['user-agent']) } : {}),
    });
    const handler = routes[path];
    if (!handler) {
      res.writeHead(404, { 'content-type': 'text/plain' }).end('not found');
      return;
    }
    try {
      await handler(req, res);
    } catch (error) {
      if (!res.headersSent) res.writeHead(500);
      res.end(String(error));
    }
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, host, resolve);
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://${host.includes(':') ? `[${host}]` : host}:${port}`,
    requests,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** Serves a body with a fixed ETag and answers 304 when the client sends it back. */
export function withEtag(body: string | Buffer, etag: string, contentType = 'application/rss+xml; charset=utf-8'): Handler {
  return (req, res) => {
    if (req.headers['if-none-match'] === etag) {
      res.writeHead(304, { etag }).end();
      return;
    }
    res.writeHead(200, { 'content-type': contentType, etag }).end(body);
  };
}
