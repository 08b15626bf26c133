import { Worker } from 'node:worker_threads';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { dirname, join } from 'node:path';
import type { FeedParser, ParsedFeed } from '../ports.ts';
import type { RawFeedItem } from '../domain/types.ts';
import { readLenient } from '../domain/lenient-feed.ts';
import { ParseError } from '../errors.ts';
import { fieldToString } from '../domain/text.ts';

export interface RssFeedParserOptions {
  /** rss-parser's time for one feed; past it the worker is replaced and the lenient reader runs */
  budgetMs?: number;
  /** heap of the parser worker: a feed that needs more fails alone instead of the process */
  maxWorkerHeapMb?: number;
}

interface Pending {
  resolve: (value: { ok: boolean; title?: unknown; items?: RawFeedItem[]; error?: string }) => void;
  timer: NodeJS.Timeout;
}

/**
 * Feed text to items. rss-parser (defaultRSS: 2) runs in a worker thread with a time budget,
 * since it can block for a minute on one markup-heavy item; when it rejects the feed, times out
 * or finds nothing, the lenient reader salvages the readable items. The result says which path
 * was taken. parseURL is never used: fetching is the fetcher's job.
 */
export class RssFeedParser implements FeedParser {
  private worker: Worker | null = null;
  private readonly pending = new Map<number, Pending>();
  private nextId = 0;
  private readonly budgetMs: number;
  private readonly maxWorkerHeapMb: number;

  constructor(options: RssFeedParserOptions = {}) {
    this.budgetMs = options.budgetMs ?? 5000;
    this.maxWorkerHeapMb = options.maxWorkerHeapMb ?? 512;
  }

  async parse(text: string): Promise<ParsedFeed> {
    const body = text.replace(/^\uFEFF/, '');
    if (!body.trim()) throw new ParseError('empty body', { cause: 'empty' });
    const strict = looksLikeJson(body) ? null : await this.strictParse(withoutDoctype(body));
    if (strict?.ok && (strict.items?.length ?? 0) > 0) {
      const title = fieldToString(strict.title);
      return { ...(title ? { title } : {}), items: strict.items ?? [], path: 'rss-parser' };
    }
    const lenient = readLenient(body);
    if (lenient.items.length > 0) {
      const path = lenient.format === 'json-feed' ? 'json-feed' : strict?.ok ? 'lenient' : strict?.error === 'timeout' ? 'salvaged-after-timeout' : 'salvaged';
      return { ...(lenient.title ? { title: lenient.title } : {}), items: lenient.items, path };
    }
    if (strict?.ok || lenient.format !== 'none') {
      // A readable feed with no items is a result, not an error.
      const title = fieldToString(strict?.title) || lenient.title;
      return { ...(title ? { title } : {}), items: [], path: strict?.ok ? 'rss-parser' : 'lenient' };
    }
    const reason = /^\s*<(?:!doctype\s+html|html)/i.test(body) ? 'an HTML page, not a feed' : strict?.error === 'timeout' ? `parser exceeded its ${this.budgetMs} ms budget and nothing was salvageable` : `not a readable feed: ${strict?.error ?? 'no items found'}`;
    throw new ParseError(reason);
  }

  /** Stops the worker; pending parses resolve as failed. */
  async close(): Promise<void> {
    const worker = this.worker;
    this.worker = null;
    for (const [id, p] of this.pending) {
      clearTimeout(p.timer);
      p.resolve({ ok: false, error: 'parser closed' });
      this.pending.delete(id);
    }
    await worker?.terminate();
  }

  private strictParse(text: string): Promise<{ ok: boolean; title?: unknown; items?: RawFeedItem[]; error?: string }> {
    const worker = this.ensureWorker();
    const id = this.nextId++;
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        this.pending.delete(id);
        // The worker is stuck in this feed: replace it; other parses in it fail over to lenient.
        this.restartWorker('timeout');
        resolve({ ok: false, error: 'timeout' });
      }, this.budgetMs);
      this.pending.set(id, { resolve, timer });
      worker.postMessage({ id, text });
    });
  }

  private ensureWorker(): Worker {
    if (this.worker) return this.worker;
    const worker = new Worker(workerPath(), { resourceLimits: { maxOldGenerationSizeMb: this.maxWorkerHeapMb } });
    worker.on('message', (msg: { id: number; ok: boolean; title?: unknown; items?: RawFeedItem[]; error?: string }) => {
      const p = this.pending.get(msg.id);
      if (!p) return;
      clearTimeout(p.timer);
      this.pending.delete(msg.id);
      p.resolve(msg);
    });
    worker.on('error', (error) => {
      if (this.worker === worker) this.restartWorker(`worker failed: ${error.message.split('\n')[0]}`);
    });
    worker.on('exit', () => {
      if (this.worker === worker) this.restartWorker('worker exited');
    });
    // An idle parser must not keep a CLI or a test alive (unref after the listeners: they re-ref).
    worker.unref();
    this.worker = worker;
    return worker;
  }

  private restartWorker(reason: string): void {
    const old = this.worker;
    this.worker = null;
    for (const [id, p] of this.pending) {
      clearTimeout(p.timer);
      p.resolve({ ok: false, error: reason });
      this.pending.delete(id);
    }
    void old?.terminate();
  }
}

function looksLikeJson(text: string): boolean {
  return text.trimStart().startsWith('{');
}

/** rss-parser rejects any feed that declares entities; the lenient reader never expands them. */
function withoutDoctype(text: string): string {
  return text.replace(/<!DOCTYPE[^[>]*(?:\[[\s\S]*?\])?\s*>/gi, '');
}

/** Beside this file in the repository; beside index.mjs in a Lambda bundle. */
function workerPath(): string {
  const here = dirname(fileURLToPath(import.meta.url));
  const candidates = [join(here, 'rss-parse-worker.mjs'), join(here, 'adapters', 'rss-parse-worker.mjs')];
  const found = candidates.find((p) => existsSync(p));
  if (!found) throw new ParseError(`rss-parse-worker.mjs not found beside ${here}`);
  return found;
}
