import { readFile, stat } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { gunzipSync } from 'node:zlib';
import type { FeedFetcher, FetchResult } from '../ports.ts';
import type { FeedDefinition } from '../domain/types.ts';
import { decodeFeed } from '../domain/decode.ts';
import { FetchError } from '../errors.ts';
import { blockedAddressCause, guardedAgents, openAgents, type AddressGuardOptions } from './address-guard.ts';
import { nodeHttpGet, type HttpGet, type HttpResponse } from './http-get.ts';

export interface HttpFetcherOptions {
  /** until response headers arrive (connect + server think time) */
  headersTimeoutMs?: number;
  /** for the whole body after the headers */
  bodyTimeoutMs?: number;
  maxBytes?: number;
  maxRedirects?: number;
  userAgent?: string;
  /**
   * Connect to loopback, private, link-local and other internal addresses too (off by default:
   * see address-guard.ts). For operators whose feeds live on an internal host, and for tests.
   */
  allowPrivateNetworks?: boolean;
  /** the guard's resolver and test-only exceptions (address-guard.ts) */
  guard?: AddressGuardOptions;
  /** how one GET is made: node:http(s) through the guarded agents unless a test passes its own */
  get?: HttpGet;
}

export const DEFAULTS = {
  headersTimeoutMs: 10_000,
  bodyTimeoutMs: 20_000,
  maxBytes: 5 * 1024 * 1024,
  maxRedirects: 5,
  userAgent: 'iran-pakistan-watch/0.1 (news feed reader; conditional GET, at most one poll per feed per cycle)',
};

/**
 * Fetches a feed over HTTP(S) with the stored validators (ETag, Last-Modified), bounded in time,
 * size and redirects; `file:` URLs read a local file, whose mtime stands in for Last-Modified.
 * Bytes are decoded by BOM, HTTP charset and XML declaration before anyone parses them.
 * Unless private networks are allowed, no connection (the feed's or a redirect hop's) goes to an
 * internal address (address-guard.ts), and no redirect drops from https to http.
 */
export class HttpFeedFetcher implements FeedFetcher {
  private readonly options: typeof DEFAULTS;
  private readonly get: HttpGet;

  constructor(options: HttpFetcherOptions = {}) {
    const { get, allowPrivateNetworks = false, guard, ...rest } = options;
    this.options = { ...DEFAULTS, ...rest };
    this.get = get ?? nodeHttpGet(allowPrivateNetworks ? openAgents(guard) : guardedAgents(guard));
  }

  async fetch(feed: FeedDefinition, validators: { etag?: string; lastModified?: string }): Promise<FetchResult> {
    let url: URL;
    try {
      url = new URL(feed.url);
    } catch (cause) {
      throw new FetchError('bad-url', `not a URL: ${feed.url}`, undefined, { cause });
    }
    if (url.protocol === 'file:') return this.readLocal(url, validators);
    if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new FetchError('unsupported-scheme', `unsupported scheme ${url.protocol} in ${feed.url}`);

    const controller = new AbortController();
    let phase: 'headers' | 'body' = 'headers';
    let timer = setTimeout(() => controller.abort(), this.options.headersTimeoutMs);
    let redirectedFrom: string | undefined;
    try {
      let response: HttpResponse | undefined;
      for (let redirects = 0; ; redirects++) {
        const headers: Record<string, string> = {
          'user-agent': this.options.userAgent,
          accept: 'application/rss+xml, application/atom+xml, application/feed+json, application/xml;q=0.9, text/xml;q=0.9, */*;q=0.5',
          'accept-encoding': 'gzip, deflate, br',
        };
        // Validators belong to the URL the feed was registered under; a redirect target is fetched afresh.
        if (redirects === 0 && validators.etag) headers['if-none-match'] = validators.etag;
        if (redirects === 0 && validators.lastModified) headers['if-modified-since'] = validators.lastModified;
        response = await this.get(url, headers, controller.signal);
        if (response.status < 300 || response.status >= 400 || response.status === 304) break;
        const location = response.headers.get('location');
        await response.discard();
        if (!location) throw new FetchError('http-status', `HTTP ${response.status} without a Location header from ${url.href}`, response.status);
        if (redirects >= this.options.maxRedirects) throw new FetchError('too-many-redirects', `more than ${this.options.maxRedirects} redirects from ${feed.url}`);
        const next = new URL(location, url);
        if (next.protocol !== 'http:' && next.protocol !== 'https:') throw new FetchError('unsupported-scheme', `redirect to unsupported scheme ${next.protocol} from ${url.href}`);
        // A feed registered over HTTPS is never read in clear text, whoever asks for it.
        if (url.protocol === 'https:' && next.protocol === 'http:') throw new FetchError('insecure-redirect', `redirect from ${url.href} to ${next.href} refused: it drops HTTPS`);
        redirectedFrom = url.href;
        url = next;
      }
      if (!response) throw new FetchError('network', `no response from ${feed.url}`);
      const etag = response.headers.get('etag') ?? undefined;
      const lastModified = response.headers.get('last-modified') ?? undefined;
      const cacheMaxAgeSeconds = cacheLifetime(response.headers, Date.now());
      const cache = cacheMaxAgeSeconds !== undefined ? { cacheMaxAgeSeconds } : {};
      if (response.status === 304) {
        await response.discard();
        return { status: 'not-modified', ...(etag ? { etag } : {}), ...(lastModified ? { lastModified } : {}), ...cache };
      }
      if (response.status === 429 || response.status === 503) {
        await response.discard();
        const retryAfterSeconds = parseRetryAfter(response.headers.get('retry-after'), Date.now());
        throw new FetchError('rate-limited', `HTTP ${response.status} from ${url.href}${retryAfterSeconds !== undefined ? `, retry after ${retryAfterSeconds} s` : ''}`, response.status, retryAfterSeconds !== undefined ? { retryAfterSeconds } : {});
      }
      if (response.status < 200 || response.status >= 300) {
        await response.discard();
        throw new FetchError(response.status === 404 || response.status === 410 ? 'not-found' : 'http-status', `HTTP ${response.status} from ${url.href}`, response.status);
      }
      const declared = Number(response.headers.get('content-length'));
      if (declared > this.options.maxBytes) {
        await response.discard();
        throw new FetchError('too-large', `body of ${declared} bytes exceeds the ${this.options.maxBytes}-byte cap at ${url.href}`);
      }
      clearTimeout(timer);
      phase = 'body';
      timer = setTimeout(() => controller.abort(), this.options.bodyTimeoutMs);
      const bytes = gunzipIfCompressed(await readCapped(response, this.options.maxBytes, url.href), this.options.maxBytes, url.href);
      const contentType = response.headers.get('content-type') ?? undefined;
      // WebSub discovery reads hubs from it (ingest); node caps all headers at 16 KB anyway.
      const link = response.headers.get('link')?.slice(0, 16 * 1024) || undefined;
      const { text } = decodeFeed(bytes, contentType);
      return {
        status: 'ok',
        body: text,
        bytes: bytes.byteLength,
        finalUrl: url.href,
        ...(etag ? { etag } : {}),
        ...(lastModified ? { lastModified } : {}),
        ...(contentType ? { contentType } : {}),
        ...(link ? { link } : {}),
        ...cache,
      };
    } catch (error) {
      if (error instanceof FetchError) throw error;
      const blocked = blockedAddressCause(error);
      if (blocked) {
        // Named by host and rule only: nothing was sent to the address, nothing read from it.
        const what = redirectedFrom ? `the redirect from ${redirectedFrom} to ${url.href}` : url.href;
        throw new FetchError('blocked-address', `blocked address: ${blocked.message}; ${what} was not fetched (private networks are fetched only when allowed: npm start -- --allow-private-networks, or -c allowPrivateNetworks=true in AWS)`, undefined, { cause: error });
      }
      if (controller.signal.aborted) {
        const limit = phase === 'headers' ? this.options.headersTimeoutMs : this.options.bodyTimeoutMs;
        throw new FetchError('timeout', `timed out after ${limit} ms waiting for the ${phase} of ${url.href}`, undefined, { cause: error });
      }
      const code = (error as { code?: string }).code ?? (error as { cause?: { code?: string } }).cause?.code;
      throw new FetchError('network', `network error fetching ${url.href}: ${code ?? (error as Error).message}`, undefined, { cause: error });
    } finally {
      clearTimeout(timer);
    }
  }

  private async readLocal(url: URL, validators: { lastModified?: string }): Promise<FetchResult> {
    const path = fileURLToPath(url);
    let info;
    try {
      info = await stat(path);
    } catch (cause) {
      throw new FetchError('not-found', `no such file: ${path}`, undefined, { cause });
    }
    const lastModified = info.mtime.toUTCString();
    if (validators.lastModified === lastModified) return { status: 'not-modified', lastModified };
    if (info.size > this.options.maxBytes) throw new FetchError('too-large', `file of ${info.size} bytes exceeds the ${this.options.maxBytes}-byte cap: ${path}`);
    const bytes = await readFile(path);
    return { status: 'ok', body: decodeFeed(bytes).text, bytes: bytes.byteLength, finalUrl: url.href, lastModified };
  }
}

/**
 * Some servers send gzip bytes without Content-Encoding (fetch then does not decompress).
 * The magic bytes tell; the output is capped like any body.
 */
function gunzipIfCompressed(bytes: Uint8Array, maxBytes: number, href: string): Uint8Array {
  if (bytes[0] !== 0x1f || bytes[1] !== 0x8b) return bytes;
  try {
    return gunzipSync(bytes, { maxOutputLength: maxBytes });
  } catch (cause) {
    if ((cause as { code?: string }).code === 'ERR_BUFFER_TOO_LARGE') throw new FetchError('too-large', `gzip body expands past the ${maxBytes}-byte cap at ${href}`, undefined, { cause });
    return bytes;
  }
}

/** How long the server says the feed stays fresh: Cache-Control max-age, else Expires. */
export function cacheLifetime(headers: Headers, nowMs: number): number | undefined {
  const maxAge = /\bmax-age\s*=\s*(\d+)/i.exec(headers.get('cache-control') ?? '')?.[1];
  if (maxAge) return Number(maxAge);
  const expires = Date.parse(headers.get('expires') ?? '');
  return Number.isFinite(expires) ? Math.max(0, Math.round((expires - nowMs) / 1000)) : undefined;
}

/** Retry-After as seconds (delta-seconds or an HTTP date), capped at a day; undefined when absent or unreadable. */
export function parseRetryAfter(value: string | null, nowMs: number): number | undefined {
  if (!value) return undefined;
  const trimmed = value.trim();
  const seconds = /^\d+$/.test(trimmed) ? Number(trimmed) : Math.ceil((Date.parse(trimmed) - nowMs) / 1000);
  if (!Number.isFinite(seconds)) return undefined;
  return Math.min(Math.max(seconds, 0), 86_400);
}

async function readCapped(response: HttpResponse, maxBytes: number, href: string): Promise<Uint8Array> {
  const chunks: Uint8Array[] = [];
  let total = 0;
  for await (const value of response.body) {
    total += value.byteLength;
    if (total > maxBytes) {
      await response.discard();
      throw new FetchError('too-large', `body exceeds the ${maxBytes}-byte cap at ${href}`);
    }
    chunks.push(value);
  }
  const out = new Uint8Array(total);
  let offset = 0;
  for (const chunk of chunks) {
    out.set(chunk, offset);
    offset += chunk.byteLength;
  }
  return out;
}
