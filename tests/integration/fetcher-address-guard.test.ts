import type { LookupAddress } from 'node:dns';
import { isIP, type LookupFunction } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { HttpFeedFetcher } from '#shared/adapters/http-feed-fetcher.ts';
import { guardedLookup } from '#shared/adapters/address-guard.ts';
import type { HttpGet, HttpResponse } from '#shared/adapters/http-get.ts';
import type { FeedDefinition } from '#shared/domain/types.ts';
import { fetchError } from '../helpers/fakes.ts';
import { BlockedAddressError, FetchError } from '#shared/errors.ts';
import { startFeedServer, withEtag, type FeedServer, type Handler } from '../helpers/feed-server.ts';

const RSS = '<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel><title>Guarded wire</title></channel></rss>';
const SECRET = 'AWS_SECRET_FROM_THE_INTERNAL_SERVICE';

const feed = (url: string): FeedDefinition => ({ id: 'guarded', url, outlet: 'Guarded Wire', language: 'en' });
const redirectTo =
  (location: string): Handler =>
  (_req, res) => {
    res.writeHead(302, { location }).end();
  };


/**
 * A resolver standing in for DNS: `answer` gives the addresses of a name on its nth look-up
 * (from 1). It answers as dns.lookup does, one address or all of them as net.connect asks.
 */
function stubResolver(answer: (host: string, nth: number) => string[]): LookupFunction & { calls: string[] } {
  const calls: string[] = [];
  const lookup = ((hostname, options, callback) => {
    calls.push(hostname);
    const addresses: LookupAddress[] = answer(hostname, calls.filter((h) => h === hostname).length).map((address) => ({ address, family: isIP(address) }));
    setImmediate(() => {
      const first = addresses[0];
      if (!first) return callback(Object.assign(new Error(`getaddrinfo ENOTFOUND ${hostname}`), { code: 'ENOTFOUND' }), '', 0);
      if (options.all) callback(null, addresses);
      else callback(null, first.address, first.family);
    });
  }) as LookupFunction & { calls: string[] };
  lookup.calls = calls;
  return lookup;
}

const servers: FeedServer[] = [];
async function serve(routes: Record<string, Handler>, host?: string): Promise<FeedServer> {
  const server = await startFeedServer(routes, host ? { host } : {});
  servers.push(server);
  return server;
}
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => s.close()));
});

const port = (server: FeedServer) => new URL(server.url).port;

describe('the fetcher refuses internal addresses by default', () => {
  it('refuses a feed served on 127.0.0.1 with reason blocked-address, naming the host and the rule, and sends it nothing', async () => {
    const server = await serve({ '/feed.xml': withEtag(RSS, '"v1"') });
    const error = await fetchError(new HttpFeedFetcher().fetch(feed(`${server.url}/feed.xml`), {}));
    expect(error.reason).toBe('blocked-address');
    expect(error.message).toContain('127.0.0.1 is loopback 127.0.0.0/8');
    expect(error.message).toContain('--allow-private-networks');
    expect(server.requests).toEqual([]);
  });

  it('reads the same feed when private networks are allowed', async () => {
    const server = await serve({ '/feed.xml': withEtag(RSS, '"v1"') });
    const result = await new HttpFeedFetcher({ allowPrivateNetworks: true }).fetch(feed(`${server.url}/feed.xml`), {});
    expect(result).toMatchObject({ status: 'ok', body: RSS });
  });

  it.each(['0x7f.1', '2130706433', '0177.0.0.1', '127.1', '0x7f000001', '[::ffff:127.0.0.1]', '[::ffff:7f00:1]'])(
    'refuses the loopback literal %s, which the socket would use as 127.0.0.1',
    async (literal) => {
      const server = await serve({ '/feed.xml': withEtag(RSS, '"v1"') });
      const url = `http://${literal}:${port(server)}/feed.xml`;
      const error = await fetchError(new HttpFeedFetcher().fetch(feed(url), {}));
      expect(error.reason).toBe('blocked-address');
      expect(error.message).toMatch(/loopback 127\.0\.0\.0\/8/);
      expect(server.requests).toEqual([]);
    },
  );

  it('connects to the server behind such a literal when allowed: the refusal was of a real target', async () => {
    const server = await serve({ '/feed.xml': withEtag(RSS, '"v1"') });
    const result = await new HttpFeedFetcher({ allowPrivateNetworks: true }).fetch(feed(`http://0x7f.1:${port(server)}/feed.xml`), {});
    expect(result).toMatchObject({ status: 'ok', body: RSS, finalUrl: `http://127.0.0.1:${port(server)}/feed.xml` });
  });

  it.each([
    ['http://169.254.169.254/latest/meta-data/', 'link-local 169.254.0.0/16'],
    ['http://[fd00:ec2::254]/latest/meta-data/', 'unique-local fc00::/7'],
    ['http://10.0.0.1/feed', 'private (RFC 1918) 10.0.0.0/8'],
    ['http://100.100.100.200/latest/meta-data/', 'carrier-grade NAT 100.64.0.0/10'],
    ['http://[64:ff9b::a9fe:a9fe]/', 'NAT64 64:ff9b::/96'],
    ['http://0.0.0.0:8080/', 'unspecified 0.0.0.0/8'],
    ['https://169.254.169.254/latest/meta-data/', 'link-local 169.254.0.0/16'],
    ['https://[::1]:8443/', 'loopback ::1/128'],
    ['http://[::]:8080/', 'unspecified ::/128'],
  ])('refuses %s before connecting (%s)', async (url, rule) => {
    const error = await fetchError(new HttpFeedFetcher({ headersTimeoutMs: 2_000 }).fetch(feed(url), {}));
    expect(error.reason).toBe('blocked-address');
    expect(error.message).toContain(rule);
  });
});

describe('the check is on the address the socket uses (stubbed resolver)', () => {
  it('refuses localhost through the system resolver (no stub): the name is judged by its address', async () => {
    const server = await serve({ '/feed.xml': withEtag(RSS, '"v1"') });
    const error = await fetchError(new HttpFeedFetcher().fetch(feed(`http://localhost:${port(server)}/feed.xml`), {}));
    expect(error.reason).toBe('blocked-address');
    expect(error.message).toMatch(/^blocked address: localhost resolves to (127\.0\.0\.1, loopback 127\.0\.0\.0\/8|::1, loopback ::1\/128);/);
    expect(server.requests).toEqual([]);
  });


  it('refuses a public-looking name that resolves to a private address', async () => {
    const lookup = stubResolver(() => ['10.20.30.40']);
    const error = await fetchError(new HttpFeedFetcher({ guard: { lookup } }).fetch(feed('https://news.example.com/feed.xml'), {}));
    expect(error.reason).toBe('blocked-address');
    expect(error.message).toContain('news.example.com resolves to 10.20.30.40, private (RFC 1918) 10.0.0.0/8');
    expect(lookup.calls).toEqual(['news.example.com']);
  });

  it('refuses a name with one internal address among public ones', async () => {
    const lookup = stubResolver(() => ['203.0.113.10', '::ffff:169.254.169.254']);
    const error = await fetchError(new HttpFeedFetcher({ guard: { lookup } }).fetch(feed('http://mixed.example/feed.xml'), {}));
    expect(error.reason).toBe('blocked-address');
    expect(error.message).toContain('IPv4-mapped IPv6 of link-local 169.254.0.0/16');
  });

  it('refuses a name that resolved to a public address once and a private one at the next connect (DNS rebinding)', async () => {
    // The server on 127.0.0.1 plays the public host; it closes each connection, so the next
    // fetch must connect (and resolve) again, as a fresh poll would.
    const server = await serve({
      '/feed.xml': (_req, res) => {
        res.writeHead(200, { 'content-type': 'application/rss+xml', connection: 'close' }).end(RSS);
      },
    });
    const lookup = stubResolver((_host, nth) => (nth === 1 ? ['127.0.0.1'] : ['10.0.0.5']));
    const fetcher = new HttpFeedFetcher({ guard: { lookup, trustedAddresses: ['127.0.0.1'] } });
    const url = `http://rebind.example:${port(server)}/feed.xml`;
    expect(await fetcher.fetch(feed(url), {})).toMatchObject({ status: 'ok', body: RSS });
    const error = await fetchError(fetcher.fetch(feed(url), {}));
    expect(error.reason).toBe('blocked-address');
    expect(error.message).toContain('rebind.example resolves to 10.0.0.5');
    expect(lookup.calls).toEqual(['rebind.example', 'rebind.example']);
    expect(server.requests).toHaveLength(1);
  });

  it('hands the socket exactly the address it checked (the guarded lookup passes the answer through)', async () => {
    const inner = stubResolver(() => ['203.0.113.10', '2001:db8::10']);
    const guarded = guardedLookup({ lookup: inner });
    const all = await new Promise((resolve, reject) => guarded('pub.example', { all: true }, (error, addresses) => (error ? reject(error) : resolve(addresses))));
    expect(all).toEqual([
      { address: '203.0.113.10', family: 4 },
      { address: '2001:db8::10', family: 6 },
    ]);
    const one = await new Promise((resolve, reject) => guarded('pub.example', {}, (error, address, family) => (error ? reject(error) : resolve([address, family]))));
    expect(one).toEqual(['203.0.113.10', 4]);
    const refused = await new Promise((resolve) => guardedLookup({ lookup: stubResolver(() => ['127.0.0.53']) })('dns.example', {}, (error) => resolve(error)));
    expect(refused).toBeInstanceOf(BlockedAddressError);
    expect(refused).toMatchObject({ host: 'dns.example', address: '127.0.0.53', rule: 'loopback 127.0.0.0/8' });
  });
});

describe('every redirect hop is checked', () => {
  /** A public-looking feed host: feed.example resolves to a server on ::1, let through as if public. */
  async function publicFeedHost(routes: Record<string, Handler>, resolve: Record<string, string[]> = {}) {
    const server = await serve(routes, '::1');
    const lookup = stubResolver((host) => (host === 'feed.example' ? ['::1'] : (resolve[host] ?? [])));
    const fetcher = new HttpFeedFetcher({ guard: { lookup, trustedAddresses: ['::1'] } });
    return { server, fetcher, base: `http://feed.example:${port(server)}` };
  }

  it('follows an ordinary redirect on the public host and records the final URL', async () => {
    const { fetcher, base } = await publicFeedHost({ '/old': redirectTo('/new.xml'), '/new.xml': withEtag(RSS, '"v1"') });
    expect(await fetcher.fetch(feed(`${base}/old`), {})).toMatchObject({ status: 'ok', body: RSS, finalUrl: `${base}/new.xml` });
  });

  it('refuses a redirect to the metadata service at 169.254.169.254', async () => {
    const { fetcher, base } = await publicFeedHost({ '/feed.xml': redirectTo('http://169.254.169.254/latest/meta-data/iam/security-credentials/') });
    const error = await fetchError(fetcher.fetch(feed(`${base}/feed.xml`), {}));
    expect(error.reason).toBe('blocked-address');
    expect(error.message).toContain('169.254.169.254 is link-local 169.254.0.0/16');
    expect(error.message).toContain(`the redirect from ${base}/feed.xml to http://169.254.169.254/latest/meta-data/iam/security-credentials/`);
  });

  it('refuses a redirect to a name that resolves to the metadata service', async () => {
    const { fetcher, base } = await publicFeedHost({ '/feed.xml': redirectTo('http://metadata.example/latest/') }, { 'metadata.example': ['169.254.169.254'] });
    const error = await fetchError(fetcher.fetch(feed(`${base}/feed.xml`), {}));
    expect(error.reason).toBe('blocked-address');
    expect(error.message).toContain('metadata.example resolves to 169.254.169.254, link-local 169.254.0.0/16');
  });

  it("refuses a redirect to 127.0.0.1:9001 (Lambda's Runtime API)", async () => {
    const { fetcher, base } = await publicFeedHost({ '/feed.xml': redirectTo('http://127.0.0.1:9001/2018-06-01/runtime/invocation/next') });
    const error = await fetchError(fetcher.fetch(feed(`${base}/feed.xml`), {}));
    expect(error.reason).toBe('blocked-address');
    expect(error.message).toContain('127.0.0.1 is loopback 127.0.0.0/8');
  });

  it('sends nothing to an internal service behind a redirect and never shows its answer', async () => {
    const internal = await serve({ '/secret': (_req, res) => void res.writeHead(200, { 'content-type': 'text/plain' }).end(SECRET) });
    const { fetcher, base } = await publicFeedHost({ '/feed.xml': redirectTo(`${internal.url}/secret`) });
    const error = await fetchError(fetcher.fetch(feed(`${base}/feed.xml`), {}));
    expect(error.reason).toBe('blocked-address');
    expect(internal.requests).toEqual([]);
    expect(error.message).not.toContain(SECRET);
  });

  it('refuses a redirect from https to http, and follows one from http to https', async () => {
    const calls: string[] = [];
    const answer = (status: number, headers: Record<string, string>, body = ''): HttpResponse => ({
      status,
      headers: new Headers(headers),
      body: (async function* () {
        if (body) yield Buffer.from(body);
      })(),
      discard: async () => {},
    });
    // No TLS server in tests: a stand-in transport answers as the two hosts would.
    const get: HttpGet = async (url) => {
      calls.push(url.href);
      if (url.href === 'https://secure.example/feed.xml') return answer(301, { location: 'http://secure.example/feed.xml' });
      if (url.href === 'http://plain.example/feed.xml') return answer(301, { location: 'https://plain.example/feed.xml' });
      return answer(200, { 'content-type': 'application/rss+xml' }, RSS);
    };
    const fetcher = new HttpFeedFetcher({ get });
    const error = await fetchError(fetcher.fetch(feed('https://secure.example/feed.xml'), {}));
    expect(error.reason).toBe('insecure-redirect');
    expect(error.message).toBe('redirect from https://secure.example/feed.xml to http://secure.example/feed.xml refused: it drops HTTPS');
    expect(calls).toEqual(['https://secure.example/feed.xml']);
    expect(await fetcher.fetch(feed('http://plain.example/feed.xml'), {})).toMatchObject({ status: 'ok', body: RSS, finalUrl: 'https://plain.example/feed.xml' });
  });
});
