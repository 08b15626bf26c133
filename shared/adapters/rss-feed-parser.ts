import { Worker } from 'node:worker_threads';
import { existsSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { fileURLToPath } from 'node:url';
import { dirname, join } from 'node:path';
import type { FeedParser, ParsedFeed } from '../ports.ts';
import type { RawFeedItem } from '../domain/types.ts';
import type { PrepareContext, PreparedItems } from '../domain/prepare-items.ts';
import { ParseError } from '../errors.ts';
import { loadOnce } from '../load-once.ts';

/**
 * The lenient reader and the text helpers, imported on the first parse: entities (which both use)
 * builds its decode table when imported, and a cold start whose feeds all answer 304 parses
 * nothing. A failed import is not kept: the next parse tries again.
 */
const loadReaders = loadOnce(() => Promise.all([import('../domain/lenient-feed.ts'), import('../domain/text.ts')]));

export interface RssFeedParserOptions {
  /**
   * rss-parser's time for one feed: this base plus budgetPer100KbMs per 100 KB of text (a large
   * feed needs longer; a small feed that takes long is the quadratic-snippet hazard), capped at
   * maxBudgetMs. Past it the worker is replaced and the lenient reader runs.
   */
  budgetMs?: number;
  budgetPer100KbMs?: number;
  maxBudgetMs?: number;
  /** worker threads (default: up to 2, as many as cores) */
  threads?: number;
  /** heap of the parser worker: a feed that needs more fails alone instead of the process */
  maxWorkerHeapMb?: number;
  /**
   * Normalise and classify in the worker threads too, when parse() is given a context: the event
   * loop then only stores. The workers build their classifier from the watch files (`watchesDir`,
   * default as loadWatches finds them): use it only beside a classifier made from the same files.
   */
  prepare?: boolean | { watchesDir?: string };
}

type StrictResult = { ok: boolean; title?: unknown; count?: number; items?: RawFeedItem[]; prepared?: PreparedItems; error?: string };

interface Job {
  text: string;
  context?: PrepareContext;
  budgetMs: number;
  resolve: (value: StrictResult) => void;
}

/**
 * Feed text to items. rss-parser (defaultRSS: 2) runs in worker threads, one parse at a time
 * each, with a time budget that starts when its parse starts: it can block for a minute on one
 * markup-heavy item. When it rejects the feed, times out or finds nothing, the lenient reader
 * salvages the readable items. The result says which path was taken. parseURL is never used.
 */
export class RssFeedParser implements FeedParser {
  private readonly workers: ParserWorker[];
  private readonly queue: Job[] = [];
  private readonly budgetMs: number;
  private readonly budgetPer100KbMs: number;
  private readonly maxBudgetMs: number;

  constructor(options: RssFeedParserOptions = {}) {
    this.budgetMs = options.budgetMs ?? 3000;
    this.budgetPer100KbMs = options.budgetPer100KbMs ?? 1000;
    this.maxBudgetMs = options.maxBudgetMs ?? 30_000;
    const threads = Math.max(1, options.threads ?? Math.min(2, availableParallelism()));
    const prepare = options.prepare ? { prepare: true, ...(typeof options.prepare === 'object' && options.prepare.watchesDir ? { watchesDir: options.prepare.watchesDir } : {}) } : {};
    this.workers = Array.from({ length: threads }, () => new ParserWorker(options.maxWorkerHeapMb ?? 512, prepare, () => this.pump()));
  }

  async parse(text: string, context?: PrepareContext): Promise<ParsedFeed> {
    const body = text.replace(/^\uFEFF/, '');
    if (!body.trim()) throw new ParseError('empty body', { cause: 'empty' });
    const budget = Math.min(this.maxBudgetMs, this.budgetMs + Math.floor(body.length / 102_400) * this.budgetPer100KbMs);
    const [strict, [{ readLenient }, { fieldToString }]] = await Promise.all([looksLikeJson(body) ? null : this.strictParse(withoutDoctype(body), budget, context), loadReaders()]);
    if (strict?.ok && (strict.count ?? strict.items?.length ?? 0) > 0) {
      const title = fieldToString(strict.title);
      return { ...(title ? { title } : {}), items: strict.items ?? [], ...(strict.prepared ? { prepared: strict.prepared } : {}), path: 'rss-parser' };
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
    const reason = /^\s*<(?:!doctype\s+html|html)/i.test(body) ? 'an HTML page, not a feed' : strict?.error === 'timeout' ? `parser exceeded its ${budget} ms budget and nothing was salvageable` : `not a readable feed: ${strict?.error ?? 'no items found'}`;
    throw new ParseError(reason);
  }

  /** Stops the workers; queued parses resolve as failed (and fall back to the lenient reader). */
  async close(): Promise<void> {
    for (const job of this.queue.splice(0)) job.resolve({ ok: false, error: 'parser closed' });
    await Promise.all(this.workers.map((w) => w.close()));
  }

  private strictParse(text: string, budgetMs: number, context?: PrepareContext): Promise<StrictResult> {
    return new Promise((resolve) => {
      this.queue.push({ text, budgetMs, resolve, ...(context ? { context } : {}) });
      this.pump();
    });
  }

  private pump(): void {
    for (const worker of this.workers) {
      if (!this.queue.length) return;
      if (!worker.busy) worker.run(this.queue.shift() as Job);
    }
  }
}

/** How long a worker may take to start, or to normalise and classify a parsed feed (its first builds the classifier). */
const STARTUP_AND_PREPARE_MS = 30_000;

/** One worker thread doing one parse at a time. */
class ParserWorker {
  private worker: Worker | null = null;
  private job: { id: number; timer: NodeJS.Timeout; budgetMs: number; resolve: (value: StrictResult) => void } | null = null;
  private nextId = 0;

  constructor(
    private readonly maxHeapMb: number,
    private readonly workerData: { prepare?: boolean; watchesDir?: string },
    private readonly onIdle: () => void,
  ) {}

  get busy(): boolean {
    return this.job !== null;
  }

  run(job: Job): void {
    const worker = this.ensure();
    const id = this.nextId++;
    // The feed's budget is for rss-parser's parse alone, so it starts when the worker says it
    // began (a new thread first loads its modules) and ends when it says the parse is done (the
    // classifier it then builds on its first feed is ours and linear). Loading and preparing get
    // the longest budget, so a thread that never answers is still replaced.
    this.job = { id, timer: this.deadline(id, STARTUP_AND_PREPARE_MS), resolve: job.resolve, budgetMs: job.budgetMs };
    worker.postMessage({ id, text: job.text, ...(job.context ? { context: job.context } : {}) });
  }

  private deadline(id: number, ms: number): NodeJS.Timeout {
    return setTimeout(() => {
      // Stuck in this feed: replace the thread; this feed fails over to the lenient reader.
      this.discard();
      this.finish(id, { ok: false, error: 'timeout' });
    }, ms);
  }

  /** The worker began (stage 'parsing') or finished (stage 'parsed') rss-parser's parse of job `id`. */
  private stage(id: number, stage: 'parsing' | 'parsed'): void {
    if (!this.job || this.job.id !== id) return;
    clearTimeout(this.job.timer);
    this.job.timer = this.deadline(id, stage === 'parsing' ? this.job.budgetMs : STARTUP_AND_PREPARE_MS);
  }

  async close(): Promise<void> {
    if (this.job) this.finish(this.job.id, { ok: false, error: 'parser closed' }, false);
    const worker = this.worker;
    this.worker = null;
    worker?.removeAllListeners();
    await worker?.terminate();
  }

  private finish(id: number, result: StrictResult, next = true): void {
    if (!this.job || this.job.id !== id) return;
    clearTimeout(this.job.timer);
    const { resolve } = this.job;
    this.job = null;
    resolve(result);
    if (next) this.onIdle();
  }

  private discard(): void {
    const worker = this.worker;
    this.worker = null;
    worker?.removeAllListeners();
    void worker?.terminate();
  }

  private ensure(): Worker {
    if (this.worker) return this.worker;
    // No loader hooks are passed on: in the repository rss-parse-worker.mjs registers tsx itself.
    const worker = new Worker(workerPath(), { execArgv: [], workerData: this.workerData, resourceLimits: { maxOldGenerationSizeMb: this.maxHeapMb } });
    worker.on('message', (msg: { id: number; ok: boolean; stage?: 'parsing' | 'parsed'; json?: string; error?: string }) => {
      if (msg.stage) return this.stage(msg.id, msg.stage);
      if (!msg.ok || msg.json === undefined) return this.finish(msg.id, { ok: false, error: msg.error ?? 'no result' });
      const { title, count, items, prepared } = JSON.parse(msg.json) as { title: unknown; count: number; items: RawFeedItem[]; prepared?: PreparedItems };
      this.finish(msg.id, { ok: true, title, count, items, ...(prepared ? { prepared } : {}) });
    });
    const lost = (reason: string) => {
      if (this.worker !== worker) return;
      // Out of memory on one feed, say: that feed fails over to the lenient reader.
      this.worker = null;
      if (this.job) this.finish(this.job.id, { ok: false, error: reason });
    };
    worker.on('error', (error) => lost(`parser worker failed: ${error.message.split('\n')[0]}`));
    worker.on('exit', () => lost('parser worker exited'));
    // An idle parser must not keep a CLI or a test alive (unref after the listeners: they re-ref).
    worker.unref();
    this.worker = worker;
    return worker;
  }
}

function looksLikeJson(text: string): boolean {
  return text.trimStart().startsWith('{');
}

/**
 * rss-parser rejects any feed that declares entities; the lenient reader never expands them.
 * A DOCTYPE can only come before the root element, so only that prolog is searched (not the
 * whole body, on every feed).
 */
function withoutDoctype(text: string): string {
  const root = text.search(/<[A-Za-z]/);
  const prolog = root < 0 ? text : text.slice(0, root);
  // (a comment in the prolog may hide what looks like the root: then search everything)
  if (!/<!DOCTYPE|<!--/i.test(prolog)) return text;
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
