import { expect } from 'vitest';
import type { AlertPublisher, FeedFetcher, FetchResult } from '#shared/ports.ts';
import type { Alert, FeedDefinition } from '#shared/domain/types.ts';
import { FetchError } from '#shared/errors.ts';

/** A fetcher that serves fixed bodies per feed id, with ETags, and counts calls. */
export class FakeFetcher implements FeedFetcher {
  calls = 0;
  constructor(public bodies: Record<string, string | FetchError>) {}

  async fetch(feed: FeedDefinition, validators: { etag?: string }): Promise<FetchResult> {
    this.calls++;
    const body = this.bodies[feed.id];
    if (body === undefined) throw new FetchError('not-found', `HTTP 404 from ${feed.url}`, 404);
    if (body instanceof FetchError) throw body;
    const etag = `"${body.length}"`;
    if (validators.etag === etag) return { status: 'not-modified', etag };
    return { status: 'ok', body, etag, finalUrl: feed.url, bytes: body.length };
  }
}

/** Records every alert; can be told to fail the next N publishes. */
export class RecordingPublisher implements AlertPublisher {
  alerts: Alert[] = [];
  failNext = 0;

  async publish(alert: Alert): Promise<string> {
    if (this.failNext > 0) {
      this.failNext--;
      throw new Error('SNS is unavailable');
    }
    this.alerts.push(alert);
    return `msg-${this.alerts.length}`;
  }
}

export const fixedClock = (iso: string) => () => new Date(iso);

export function rss(title: string, items: { title: string; link: string; description?: string; pubDate: string }[]): string {
  const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
  return `<?xml version="1.0" encoding="UTF-8"?><rss version="2.0"><channel><title>${esc(title)}</title>${items
    .map((i) => `<item><title>${esc(i.title)}</title><link>${esc(i.link)}</link><pubDate>${i.pubDate}</pubDate>${i.description ? `<description>${esc(i.description)}</description>` : ''}</item>`)
    .join('')}</channel></rss>`;
}

/** Runs the promise and hands back the FetchError it rejected with (failing if it resolved or threw something else). */
export async function fetchError(promise: Promise<unknown>): Promise<FetchError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(FetchError);
  return error as FetchError;
}
