/**
 * WebSub discovery (W3C WebSub, section 4): the hubs and the topic (self) URL a feed advertises,
 * in its HTTP `Link` header or in the document's `<link>` elements (Atom's own, or `atom:link`
 * inside RSS). Pure: the fetcher hands over the header and the decoded body.
 *
 * What counts, and why:
 * - The Link header first: the spec has subscribers look there first, and a publisher can set
 *   it for any content type. Document links are used when the header names no hub.
 * - The topic is the advertised self URL (hubs key subscriptions by it); without one, the URL
 *   the feed was read from.
 * - Only http(s) URLs without credentials, resolved against the URL the body came from; at most
 *   MAX_HUBS hubs, in the order given. Internal hosts are not judged here: the hub client's
 *   address guard refuses them at connect time, as the fetcher does.
 * - Bounded work on hostile input: the header is read up to MAX_LINK_HEADER characters and the
 *   document up to its first item or entry (hubs belong to the feed, not to its items), at most
 *   MAX_SCAN characters, with linear-time scans only.
 */
export interface WebSubDiscovery {
  /** hub URLs, in the order the feed gave them */
  hubs: string[];
  /** the topic URL to subscribe to */
  topic: string;
}

export const MAX_HUBS = 3;
export const MAX_LINK_HEADER = 8 * 1024;
export const MAX_SCAN = 256 * 1024;
const MAX_URL = 2048;

export function discoverWebSub(input: { body: string; linkHeader?: string; url: string }): WebSubDiscovery | null {
  const header = input.linkHeader ? linksInHeader(input.linkHeader.slice(0, MAX_LINK_HEADER)) : [];
  const document = linksInDocument(feedHead(input.body));
  const fromHeader = header.filter((l) => l.rels.includes('hub'));
  const hubs = dedupe((fromHeader.length ? fromHeader : document.filter((l) => l.rels.includes('hub'))).map((l) => absoluteHttpUrl(l.href, input.url)));
  if (!hubs.length) return null;
  const self = [...header, ...document].filter((l) => l.rels.includes('self')).map((l) => absoluteHttpUrl(l.href, input.url)).find((u) => u !== null);
  const topic = self ?? absoluteHttpUrl(input.url, input.url);
  if (!topic) return null;
  return { hubs: hubs.slice(0, MAX_HUBS), topic };
}

interface Link {
  href: string;
  rels: string[];
}

/** `<url>; rel="hub", <url>; rel=self` (RFC 8288); a URL may hold commas, so links are cut at each `<`. */
function linksInHeader(header: string): Link[] {
  const out: Link[] = [];
  for (const match of header.matchAll(/<([^<>]*)>([^<]*)/g)) {
    const rel = /(?:^|;)\s*rel\s*=\s*(?:"([^"]*)"|([^\s;,"]+))/i.exec(match[2] ?? '');
    if (rel) out.push({ href: match[1] ?? '', rels: relList(rel[1] ?? rel[2] ?? '') });
  }
  return out;
}

/** The document before its first item or entry, without comments, at most MAX_SCAN characters. */
function feedHead(body: string): string {
  const capped = body.slice(0, MAX_SCAN);
  const firstItem = /<(?:[A-Za-z0-9_.-]+:)?(?:item|entry)[\s>/]/i.exec(capped);
  return withoutComments(firstItem ? capped.slice(0, firstItem.index) : capped);
}

/** Comments removed by index (a lazy regex over an unterminated comment is quadratic). */
function withoutComments(text: string): string {
  let out = '';
  let at = 0;
  for (;;) {
    const open = text.indexOf('<!--', at);
    if (open < 0) return out + text.slice(at);
    out += text.slice(at, open);
    const close = text.indexOf('-->', open + 4);
    if (close < 0) return out;
    at = close + 3;
  }
}

/** A link element needs at most two URLs of MAX_URL; longer tags are not links we would use. */
const MAX_TAG = 3 * MAX_URL;

/**
 * Each tag is cut out by index, from the last `<` before its `>`: a regex over tags would scan to
 * the end of the text from every unclosed `<link` (quadratic on hostile bodies).
 */
function linksInDocument(head: string): Link[] {
  const out: Link[] = [];
  for (let at = 0; ; ) {
    const start = head.indexOf('<', at);
    const close = start < 0 ? -1 : head.indexOf('>', start + 1);
    if (close < 0) return out;
    const open = head.lastIndexOf('<', close);
    at = close + 1;
    if (close - open > MAX_TAG) continue;
    const tag = /^<(?:[A-Za-z0-9_.-]+:)?link\b([^>]*)>$/i.exec(head.slice(open, close + 1));
    if (!tag) continue;
    let href: string | undefined;
    let rel: string | undefined;
    for (const attr of (tag[1] ?? '').matchAll(/(?:^|\s)(rel|href)\s*=\s*(?:"([^"]*)"|'([^']*)')/gi)) {
      const value = decodeEntities(attr[2] ?? attr[3] ?? '');
      if ((attr[1] ?? '').toLowerCase() === 'href') href ??= value;
      else rel ??= value;
    }
    if (href !== undefined && rel !== undefined) out.push({ href, rels: relList(rel) });
  }
}

function relList(value: string): string[] {
  return value.toLowerCase().split(/\s+/).filter(Boolean);
}

const NAMED: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };

function decodeEntities(text: string): string {
  return text.replace(/&(?:#(\d{1,7})|#x([0-9a-f]{1,6})|(amp|lt|gt|quot|apos));/gi, (whole, dec?: string, hex?: string, name?: string) => {
    if (name) return NAMED[name.toLowerCase()] ?? whole;
    const code = dec ? Number(dec) : parseInt(hex ?? '', 16);
    return code > 0 && code <= 0x10ffff ? String.fromCodePoint(code) : whole;
  });
}

function absoluteHttpUrl(href: string, base: string): string | null {
  const trimmed = href.trim();
  if (!trimmed || trimmed.length > MAX_URL) return null;
  let url: URL;
  try {
    url = new URL(trimmed, base);
  } catch {
    return null;
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return null;
  if (url.username || url.password) return null;
  url.hash = '';
  return url.href.length <= MAX_URL ? url.href : null;
}

function dedupe(urls: (string | null)[]): string[] {
  return [...new Set(urls.filter((u): u is string => u !== null))];
}
