/**
 * Which addresses the feed fetcher must never connect to: those that reach inside a network
 * (our host, our VPC, the cloud's metadata service) rather than a publisher on the internet.
 * Pure: the adapter asks about each address a socket is about to use.
 */

interface Range {
  /** what the range is, as an operator reads it in a feed's error */
  name: string;
  cidr: string;
  /** the IPv4 address inside an IPv6 one that decides (mapped, 6to4) */
  embedsIPv4?: (hextets: number[]) => number;
  base: bigint;
  bits: number;
}

/**
 * Marked free of side effects so that a bundle that never checks an address (the story function
 * reaches this file only through canonical-url's stableId) drops the tables instead of building
 * them at its cold start.
 */
/* @__NO_SIDE_EFFECTS__ */ function range(name: string, cidr: string, embedsIPv4?: Range['embedsIPv4']): Range {
  const [address = '', bits = ''] = cidr.split('/');
  const v4 = parseIPv4(address);
  const value = v4 !== undefined ? BigInt(v4) : hextetsToBigInt(parseIPv6(address) ?? []);
  return { name, cidr, base: value, bits: Number(bits), ...(embedsIPv4 ? { embedsIPv4 } : {}) };
}

// Most specific first: the first match names the rule.
const IPV4_RANGES: Range[] = [
  range('broadcast', '255.255.255.255/32'),
  // Linux connects 0.0.0.0 to the host itself.
  range('unspecified', '0.0.0.0/8'),
  range('private (RFC 1918)', '10.0.0.0/8'),
  range('carrier-grade NAT', '100.64.0.0/10'),
  range('loopback', '127.0.0.0/8'),
  // 169.254.169.254 is the metadata service of AWS, GCP, Azure and others.
  range('link-local', '169.254.0.0/16'),
  range('private (RFC 1918)', '172.16.0.0/12'),
  range('private (RFC 1918)', '192.168.0.0/16'),
  range('multicast', '224.0.0.0/4'),
  range('reserved', '240.0.0.0/4'),
];

const IPV6_RANGES: Range[] = [
  range('unspecified', '::/128'),
  range('loopback', '::1/128'),
  range('IPv4-mapped', '::ffff:0:0/96', (h) => h[6]! * 0x10000 + h[7]!),
  // Deprecated, and no public host uses one.
  range('IPv4-compatible', '::/96'),
  // A NAT64 gateway turns these into the IPv4 address inside, which could be any internal one.
  range('NAT64', '64:ff9b::/96'),
  range('local NAT64', '64:ff9b:1::/48'),
  range('6to4', '2002::/16', (h) => h[1]! * 0x10000 + h[2]!),
  // AWS's IPv6 metadata address, fd00:ec2::254, is one of these.
  range('unique-local', 'fc00::/7'),
  range('link-local', 'fe80::/10'),
  range('site-local', 'fec0::/10'),
  range('multicast', 'ff00::/8'),
];

function inRange(value: bigint, width: number, r: Range): boolean {
  const shift = BigInt(width - r.bits);
  return value >> shift === r.base >> shift;
}

function ipv4Rule(value: number): string | undefined {
  const r = IPV4_RANGES.find((candidate) => inRange(BigInt(value), 32, candidate));
  return r && `${r.name} ${r.cidr}`;
}

/**
 * The rule that refuses this address (for example "loopback 127.0.0.0/8"), or undefined when it
 * may be fetched. Takes an IPv4 address in any notation a URL host accepts (dotted, shortened
 * like 127.1, decimal, octal, hex) or an IPv6 address, with or without brackets or a zone;
 * anything that is not an IP address (a host name) gives undefined: names are judged by the
 * addresses they resolve to.
 */
export function blockedAddressRule(address: string): string | undefined {
  const v4 = parseIPv4(address);
  if (v4 !== undefined) return ipv4Rule(v4);
  const hextets = parseIPv6(address);
  if (!hextets) return undefined;
  const value = hextetsToBigInt(hextets);
  for (const r of IPV6_RANGES) {
    if (!inRange(value, 128, r)) continue;
    if (!r.embedsIPv4) return `${r.name} ${r.cidr}`;
    // Mapped and 6to4 addresses are as safe as the IPv4 address they carry.
    const inner = ipv4Rule(r.embedsIPv4(hextets));
    return inner && `${r.name} IPv6 of ${inner}`;
  }
  return undefined;
}

/** True when the text is an IP address (any notation above), not a name. */
export function isIpAddress(host: string): boolean {
  return parseIPv4(host) !== undefined || parseIPv6(host) !== undefined;
}

/**
 * An IPv4 address as the WHATWG URL parser reads a host: one to four dot-separated numbers,
 * each decimal, octal (leading 0) or hex (0x); the last fills the remaining bytes, so 127.1,
 * 2130706433, 0x7f.1 and 0177.0.0.1 are all 127.0.0.1. A trailing dot is allowed.
 */
export function parseIPv4(host: string): number | undefined {
  const parts = host.split('.');
  if (parts.length > 1 && parts[parts.length - 1] === '') parts.pop();
  if (parts.length === 0 || parts.length > 4) return undefined;
  const numbers: number[] = [];
  for (const part of parts) {
    const n = parseIPv4Number(part);
    if (n === undefined) return undefined;
    numbers.push(n);
  }
  const last = numbers.pop() as number;
  if (numbers.some((n) => n > 255) || last >= 256 ** (4 - numbers.length)) return undefined;
  return numbers.reduce((sum, n, i) => sum + n * 256 ** (3 - i), last);
}

function parseIPv4Number(part: string): number | undefined {
  if (part === '') return undefined;
  let digits = part;
  let radix = 10;
  if (/^0x/i.test(part)) {
    digits = part.slice(2);
    radix = 16;
  } else if (part.length > 1 && part.startsWith('0')) {
    digits = part.slice(1);
    radix = 8;
  }
  if (digits === '') return 0;
  const valid = radix === 16 ? /^[0-9a-f]+$/i : radix === 8 ? /^[0-7]+$/ : /^[0-9]+$/;
  if (!valid.test(digits)) return undefined;
  const n = parseInt(digits, radix);
  return Number.isSafeInteger(n) ? n : undefined;
}

/** An IPv6 address as eight 16-bit numbers; brackets and a zone (%eth0) are ignored. */
export function parseIPv6(text: string): number[] | undefined {
  let host = text.startsWith('[') && text.endsWith(']') ? text.slice(1, -1) : text;
  const zone = host.indexOf('%');
  if (zone >= 0) host = host.slice(0, zone);
  if (!host.includes(':')) return undefined;
  const halves = host.split('::');
  if (halves.length > 2) return undefined;
  const groups = (half: string | undefined): number[] | undefined => {
    if (!half) return [];
    const out: number[] = [];
    const pieces = half.split(':');
    for (let i = 0; i < pieces.length; i++) {
      const piece = pieces[i] as string;
      if (i === pieces.length - 1 && piece.includes('.')) {
        const v4 = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/.exec(piece);
        if (!v4 || v4.slice(1).some((b) => Number(b) > 255)) return undefined;
        const [a, b, c, d] = v4.slice(1).map(Number) as [number, number, number, number];
        out.push(a * 256 + b, c * 256 + d);
      } else if (/^[0-9a-f]{1,4}$/i.test(piece)) {
        out.push(parseInt(piece, 16));
      } else {
        return undefined;
      }
    }
    return out;
  };
  const head = groups(halves[0]);
  const tail = groups(halves[1]);
  if (!head || !tail) return undefined;
  if (halves.length === 1) return head.length === 8 ? head : undefined;
  const missing = 8 - head.length - tail.length;
  if (missing < 1) return undefined;
  return [...head, ...Array<number>(missing).fill(0), ...tail];
}

function hextetsToBigInt(hextets: number[]): bigint {
  return hextets.reduce((sum, h) => (sum << 16n) + BigInt(h), 0n);
}
