/**
 * One GET over node:http(s) through the given agents: the status, the headers, and the body with
 * its Content-Encoding undone. The fetcher uses this rather than fetch because undici's Agent,
 * the only way to give fetch a connect-time address check, would add about 290 KB to the ingest
 * bundle (measured with esbuild, minified), past its budget; node:http takes the check in its
 * agents and costs nothing.
 */
import { request as httpRequest, type IncomingMessage } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { pipeline, type Readable } from 'node:stream';
import { constants, createBrotliDecompress, createGunzip, createInflate } from 'node:zlib';
import type { Agents } from './address-guard.ts';

export interface HttpResponse {
  status: number;
  headers: Headers;
  /** the body, decoded when the server compressed it (gzip, deflate, br) */
  body: AsyncIterable<Uint8Array>;
  /**
   * Stops reading the body: one known to be short is drained, so the connection can be reused
   * (resolves once it is), any other is cut off at once.
   */
  discard(): Promise<void>;
}

export type HttpGet = (url: URL, headers: Record<string, string>, signal: AbortSignal) => Promise<HttpResponse>;

export function nodeHttpGet(agents: Agents): HttpGet {
  return (url, headers, signal) =>
    new Promise<HttpResponse>((resolve, reject) => {
      const options = { headers, signal };
      const request = url.protocol === 'https:' ? httpsRequest(url, { ...options, agent: agents.https }) : httpRequest(url, { ...options, agent: agents.http });
      request.once('error', reject);
      request.once('response', (response) => resolve(toHttpResponse(response)));
      request.end();
    });
}

function toHttpResponse(response: IncomingMessage): HttpResponse {
  const headers = new Headers();
  for (const [name, value] of Object.entries(response.headers)) {
    if (value === undefined) continue;
    for (const v of Array.isArray(value) ? value : [value]) headers.append(name, v);
  }
  let body: Readable | undefined;
  return {
    status: response.statusCode ?? 0,
    headers,
    // The decoder is attached only when the body is read: a discarded body is drained raw.
    get body() {
      return (body ??= decoded(response));
    },
    discard: () =>
      new Promise<void>((done) => {
        if (response.readableEnded || response.destroyed) return done();
        const declared = Number(response.headers['content-length'] ?? NaN);
        // Once the body is being read (a cap was hit), draining it would mean reading on.
        if (body || (!response.complete && response.statusCode !== 304 && response.statusCode !== 204 && !(declared <= DRAIN_LIMIT_BYTES))) {
          response.destroy();
          return done();
        }
        // A server that declares a short body and then stalls does not keep the socket.
        const stalled = setTimeout(() => response.destroy(), DRAIN_TIMEOUT_MS).unref();
        response.once('close', () => {
          clearTimeout(stalled);
          done();
        });
        response.resume();
      }),
  };
}

/** A redirect's or error page's body up to this size is read and dropped rather than cutting the connection. */
const DRAIN_LIMIT_BYTES = 64 * 1024;
const DRAIN_TIMEOUT_MS = 5_000;

// Lenient like browsers: a truncated compressed body yields what it holds instead of an error.
const LENIENT = { flush: constants.Z_SYNC_FLUSH, finishFlush: constants.Z_SYNC_FLUSH };

function decoded(response: IncomingMessage): Readable {
  const encoding = (response.headers['content-encoding'] ?? '').trim().toLowerCase();
  const decoder =
    encoding === 'gzip' || encoding === 'x-gzip'
      ? createGunzip(LENIENT)
      : encoding === 'deflate'
        ? createInflate(LENIENT)
        : encoding === 'br'
          ? createBrotliDecompress({ flush: constants.BROTLI_OPERATION_FLUSH, finishFlush: constants.BROTLI_OPERATION_FLUSH })
          : undefined;
  if (!decoder) return response;
  // An error on either side (a reset connection, corrupt bytes) ends the decoded stream with it.
  return pipeline(response, decoder, () => {});
}
