import { createHash } from 'node:crypto';
import { blockedAddressRule, parseIPv4 } from './blocked-address.ts';

/** Query parameters that only track the reader; removing them makes one story one URL. */
const TRACKING_PARAM = /^(utm_[a-z_]+|fbclid|gclid|dclid|gbraid|wbraid|msclkid|mc_cid|mc_eid|yclid|igshid|_ga|_gl|ref|ref_src|referrer|cmpid|ocid|at_medium|at_campaign|at_custom\d*|ito|ns_source|ns_mchannel|ns_campaign|ns_linkname|ns_fee|rss|src|source|feature|spm|share|s_cid)$/i;

/**
 * A URL that may be shown to people and used as an article's identity: http(s) only, no
 * credentials, no host that points inside a network, no tracking parameters, no fragment.
 * Returns null for anything else, including javascript:, data: and file: links.
 */
export function canonicalUrl(input: unknown, base?: string): string | null {
  if (typeof input !== 'string') return null;
  const trimmed = input.trim();
  if (!trimmed || trimmed.length > 2048) return null;
  let url: URL;
  try {
    url = base ? new URL(trimmed, base) : new URL(trimmed);
  } catch {
    return null;
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return null;
  if (url.username || url.password) return null;
  if (isUnsafeHost(url.hostname)) return null;
  url.hash = '';
  if (url.search) {
    const kept = [...url.searchParams.entries()].filter(([key]) => !TRACKING_PARAM.test(key));
    kept.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    url.search = kept.length ? `?${new URLSearchParams(kept).toString()}` : '';
  }
  url.hostname = url.hostname.toLowerCase().replace(/\.$/, '');
  return url.toString();
}

/** Loopback, private, link-local, unspecified and single-label hosts are never article links. */
export function isUnsafeHost(hostname: string): boolean {
  const host = hostname.toLowerCase().replace(/^\[|\]$/g, '').replace(/\.$/, '');
  if (!host || host === 'localhost' || host.endsWith('.localhost') || host.endsWith('.local') || host.endsWith('.internal')) return true;
  // The fetcher's rules (blocked-address.ts); a dotted quad that is no address is refused too.
  if (/^\d{1,3}(\.\d{1,3}){3}$/.test(host)) return parseIPv4(host) === undefined || blockedAddressRule(host) !== undefined;
  // News links never use IPv6 literals; the many forms that reach inside a network
  // (::1, fc00::/7, fe80::/10, ::ffff:127.0.0.1, ::7f00:1) are simplest refused together.
  if (host.includes(':')) return true;
  // A bare number or a single label (http://intranet/) names no public site.
  return /^\d+$/.test(host) || !host.includes('.');
}

/** Short stable id: hex of SHA-256, 24 characters (96 bits: collisions are not a practical concern). */
export function stableId(...parts: string[]): string {
  return createHash('sha256').update(parts.join('\u0000')).digest('hex').slice(0, 24);
}
