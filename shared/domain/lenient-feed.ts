import { decodeHTML } from 'entities';
import type { RawFeedItem } from './types.ts';

/**
 * A forgiving reader for feeds a strict XML parser rejects: RSS 0.9x/1.0/2.0 items and Atom
 * entries are cut out one by one, so one broken item, an undeclared entity or a truncated body
 * loses only what is broken. It never expands entities (no XXE, no billion laughs) and runs in
 * linear time: tags are found by their literal names and closed at the next '>' with indexOf
 * (a pattern like `<link\b[^>]*>` rescans to the end of the text from every '<link' of a body that
 * has no '>': quadratic), and item blocks are capped in size.
 * JSON Feed 1.x is read as JSON.
 */

export interface LenientFeed {
  title?: string;
  items: RawFeedItem[];
  format: 'rss' | 'atom' | 'json-feed' | 'none';
}

/** Larger items are cut: no reader needs 1 MB of one item to classify it. */
const MAX_ITEM_CHARS = 256 * 1024;
const MAX_ITEMS = 20_000;

export function readLenient(text: string): LenientFeed {
  const body = stripPreamble(text);
  if (body.startsWith('{')) return readJsonFeed(body);
  const items: RawFeedItem[] = [];
  let format: LenientFeed['format'] = 'none';
  const blocks = /<(item|entry)(?=[\s>/])/gi;
  for (let open = blocks.exec(body); open && items.length < MAX_ITEMS; open = blocks.exec(body)) {
    const tag = (open[1] as string).toLowerCase();
    const gt = body.indexOf('>', open.index);
    // No '>' after this tag means no complete tag anywhere after it.
    if (gt < 0) break;
    format = tag === 'entry' ? 'atom' : 'rss';
    const start = gt + 1;
    const close = indexOfIgnoreCase(body, `</${tag}`, start);
    // A truncated body: the last item runs to the end; take what is readable.
    const next = indexOfIgnoreCase(body, `<${tag}`, start);
    const end = close >= 0 && (next < 0 || close < next) ? close : next >= 0 ? next : body.length;
    const block = body.slice(start, Math.min(end, start + MAX_ITEM_CHARS));
    blocks.lastIndex = Math.max(end, start);
    const item = readItem(block, tag === 'entry');
    if (item) items.push(item);
  }
  const head = body.slice(0, Math.min(body.length, 64 * 1024)).split(/<(?:item|entry)[\s>/]/i)[0] ?? '';
  // A feed document with no items is still a feed: "nothing new", not an error.
  if (format === 'none' && /<(?:[\w-]+:)?(?:rss|rdf:RDF|RDF|channel)(?=[\s>/])/i.test(head)) format = 'rss';
  if (format === 'none' && /<(?:[\w-]+:)?feed(?=[\s>/])/i.test(head)) format = 'atom';
  const title = textOf(head, 'title');
  return { ...(title ? { title } : {}), items, format };
}

function stripPreamble(text: string): string {
  const s = text.replace(/^\uFEFF/, '').trimStart();
  if (s.startsWith('<') || s.startsWith('{')) return s;
  // PHP warnings or junk before the document: start at the first tag that opens a feed.
  const at = s.search(/<\?xml|<rss|<feed|<rdf:RDF|<channel/i);
  return at >= 0 ? s.slice(at) : s;
}

function indexOfIgnoreCase(haystack: string, needle: string, from: number): number {
  const re = new RegExp(needle.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&'), 'gi');
  re.lastIndex = from;
  const m = re.exec(haystack);
  return m ? m.index : -1;
}

function readItem(block: string, atom: boolean): RawFeedItem | null {
  const title = textOf(block, 'title');
  const summary = textOf(block, 'description') ?? textOf(block, 'summary');
  const content = textOf(block, 'content:encoded') ?? textOf(block, 'content');
  // Links, ids and dates are plain XML text: their entities are decoded once, as an XML parser
  // does ("?a=1&amp;b=2" is "?a=1&b=2"). Titles and summaries stay as they are: the plain-text
  // step decodes those.
  const rssLink = atom ? undefined : textOf(block, 'link');
  const link = rssLink !== undefined ? decodeHTML(rssLink) : atomLink(block);
  const guid = decoded(textOf(block, 'guid') ?? textOf(block, 'id'));
  const date = decoded(textOf(block, 'pubDate') ?? textOf(block, 'published') ?? textOf(block, 'updated') ?? textOf(block, 'dc:date') ?? textOf(block, 'issued') ?? textOf(block, 'modified'));
  if (!title && !summary && !content) return null;
  return {
    ...(title ? { title } : {}),
    ...(link ? { link } : {}),
    ...(guid ? { guid } : {}),
    ...(summary ? { summary } : {}),
    ...(content ? { content } : {}),
    ...(date ? { pubDate: date } : {}),
  };
}

function decoded(value: string | undefined): string | undefined {
  return value === undefined ? undefined : decodeHTML(value);
}

/** The text of the first <tag>…</tag>, CDATA unwrapped. */
function textOf(block: string, tag: string): string | undefined {
  const open = new RegExp(`<${tag.replace(':', '\\:')}(?=[\\s>/])`, 'i').exec(block);
  if (!open) return undefined;
  const gt = block.indexOf('>', open.index);
  if (gt < 0 || block[gt - 1] === '/') return undefined;
  const start = gt + 1;
  const close = indexOfIgnoreCase(block, `</${tag}`, start);
  const raw = block.slice(start, close >= 0 ? close : block.length);
  const value = raw.replace(/<!\[CDATA\[([\s\S]*?)(?:\]\]>|$)/g, '$1').trim();
  return value || undefined;
}

/** Atom: the href of rel="alternate" (or of a link without rel); RSS readers put it in text. */
function atomLink(block: string): string | undefined {
  let fallback: string | undefined;
  const links = /<link\b/gi;
  for (let m = links.exec(block); m; m = links.exec(block)) {
    const gt = block.indexOf('>', m.index);
    if (gt < 0) break;
    const attrs = block.slice(m.index + m[0].length, gt);
    links.lastIndex = gt;
    const href = /\bhref\s*=\s*(["'])(.*?)\1/i.exec(attrs)?.[2];
    if (!href) continue;
    const rel = /\brel\s*=\s*(["'])(.*?)\1/i.exec(attrs)?.[2];
    if (!rel || rel === 'alternate') return decodeHTML(href);
    fallback ??= decodeHTML(href);
  }
  return fallback;
}

function readJsonFeed(body: string): LenientFeed {
  let data: unknown;
  try {
    data = JSON.parse(body);
  } catch {
    return { items: [], format: 'none' };
  }
  if (!data || typeof data !== 'object' || !Array.isArray((data as { items?: unknown }).items)) return { items: [], format: 'none' };
  const feed = data as { title?: unknown; items: unknown[] };
  const items: RawFeedItem[] = [];
  for (const entry of feed.items.slice(0, MAX_ITEMS)) {
    if (!entry || typeof entry !== 'object') continue;
    const e = entry as Record<string, unknown>;
    const item: RawFeedItem = {
      title: e.title,
      link: e.url ?? e.external_url,
      id: e.id,
      summary: e.summary,
      content: e.content_html ?? e.content_text,
      isoDate: e.date_published ?? e.date_modified,
    };
    if (item.title || item.summary || item.content) items.push(item);
  }
  return { ...(typeof feed.title === 'string' ? { title: feed.title } : {}), items, format: 'json-feed' };
}
