import { describe, it, expect } from 'vitest';
import { canonicalUrl, isUnsafeHost, stableId } from '#shared/domain/canonical-url.ts';

describe('canonicalUrl', () => {
  it('drops utm_* parameters and the fragment', () => {
    expect(canonicalUrl('https://news.example.com/world/iran-pakistan?utm_source=rss&utm_medium=feed&utm_campaign=x#comments')).toBe(
      'https://news.example.com/world/iran-pakistan',
    );
  });

  it('drops other click-tracking parameters (fbclid, gclid, ref) regardless of their case', () => {
    expect(canonicalUrl('https://news.example.com/a?fbclid=abc&GCLID=def&ref=home&UTM_Source=x&id=7')).toBe('https://news.example.com/a?id=7');
  });

  it('keeps meaningful parameters and sorts them by name', () => {
    expect(canonicalUrl('https://news.example.com/story?page=2&id=991&utm_source=x')).toBe('https://news.example.com/story?id=991&page=2');
  });

  it('gives the same URL whatever order the parameters came in', () => {
    expect(canonicalUrl('https://news.example.com/s?b=2&a=1')).toBe(canonicalUrl('https://news.example.com/s?a=1&b=2'));
  });

  it('lower-cases the host, keeps the path case, and removes a trailing dot from the host', () => {
    expect(canonicalUrl('HTTPS://News.EXAMPLE.com./World/Story-A')).toBe('https://news.example.com/World/Story-A');
  });

  it('leaves no bare "?" when every parameter was tracking', () => {
    expect(canonicalUrl('https://news.example.com/a?utm_source=x')).toBe('https://news.example.com/a');
  });

  it('trims surrounding whitespace', () => {
    expect(canonicalUrl('  https://news.example.com/a  ')).toBe('https://news.example.com/a');
  });

  it.each([
    ['javascript:', 'javascript:alert(1)'],
    ['data:', 'data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg=='],
    ['file:', 'file:///etc/passwd'],
    ['ftp:', 'ftp://files.example.com/a'],
    ['mailto:', 'mailto:desk@example.com'],
  ])('rejects %s links', (_scheme, input) => {
    expect(canonicalUrl(input)).toBeNull();
  });

  it('rejects a javascript: link even when a base URL is given', () => {
    expect(canonicalUrl('javascript:alert(1)', 'https://feeds.example.com/rss')).toBeNull();
  });

  it.each(['https://user:secret@news.example.com/a', 'https://user@news.example.com/a', 'https://:secret@news.example.com/a'])(
    'rejects URLs carrying credentials: %s',
    (input) => {
      expect(canonicalUrl(input)).toBeNull();
    },
  );

  it.each([
    'http://localhost/a',
    'http://localhost./a',
    'http://api.localhost/a',
    'http://127.0.0.1/a',
    'http://127.8.9.10:8080/a',
    'http://10.0.0.5/a',
    'http://192.168.1.1/a',
    'http://169.254.169.254/latest/meta-data/',
    'http://172.16.0.1/a',
    'http://0.0.0.0/a',
    'http://[::1]/a',
    'http://[0:0:0:0:0:0:0:1]/a',
    'http://[::ffff:127.0.0.1]/a',
    'http://[fe80::1]/a',
    'http://[fd00::1]/a',
    'http://2130706433/a',
    'http://0x7f.1/a',
    'http://intranet/a',
    'http://printer.local/a',
    'http://metadata.google.internal/a',
  ])('rejects a host that points inside a network or names no public site: %s', (input) => {
    expect(canonicalUrl(input)).toBeNull();
  });

  it('resolves a relative link against the base URL', () => {
    expect(canonicalUrl('/world/2024/01/envoys?utm_source=rss', 'https://www.example.org/feeds/world.xml')).toBe('https://www.example.org/world/2024/01/envoys');
  });

  it('resolves a protocol-relative link against the base URL', () => {
    expect(canonicalUrl('//cdn.example.org/x', 'https://www.example.org/rss')).toBe('https://cdn.example.org/x');
  });

  it('rejects a relative link when no base is given', () => {
    expect(canonicalUrl('/world/story')).toBeNull();
  });

  it('rejects a relative link that resolves onto an unsafe base', () => {
    expect(canonicalUrl('/a', 'http://localhost:3000/feed')).toBeNull();
  });

  it.each([undefined, null, 42, {}, ['https://news.example.com/a'], '', '   '])('returns null for a non-URL value (%j)', (input) => {
    expect(canonicalUrl(input)).toBeNull();
  });

  it('rejects URLs longer than 2048 characters', () => {
    expect(canonicalUrl(`https://news.example.com/${'a'.repeat(2100)}`)).toBeNull();
  });

  it('returns null for text that is not a URL at all', () => {
    expect(canonicalUrl('not a url')).toBeNull();
    expect(canonicalUrl('https://')).toBeNull();
  });
});

describe('isUnsafeHost', () => {
  it('accepts ordinary public hostnames and addresses', () => {
    expect(isUnsafeHost('www.dawn.example')).toBe(false);
    expect(isUnsafeHost('8.8.8.8')).toBe(false);
  });

  it('refuses every IPv6 literal, including the IPv4-compatible form of loopback', () => {
    expect(isUnsafeHost('[2001:db8::1]')).toBe(true);
    expect(isUnsafeHost('[::7f00:1]')).toBe(true);
    expect(canonicalUrl('http://[::127.0.0.1]/')).toBeNull();
  });

  it('rejects the empty host and single labels', () => {
    expect(isUnsafeHost('')).toBe(true);
    expect(isUnsafeHost('intranet')).toBe(true);
  });
});

describe('stableId', () => {
  it('is deterministic: the same parts give the same id', () => {
    expect(stableId('url', 'https://news.example.com/a')).toBe(stableId('url', 'https://news.example.com/a'));
  });

  it('is 24 lower-case hex characters', () => {
    expect(stableId('anything')).toMatch(/^[0-9a-f]{24}$/);
  });

  it('gives different ids for different inputs', () => {
    expect(stableId('url', 'https://news.example.com/a')).not.toBe(stableId('url', 'https://news.example.com/b'));
  });

  it('keeps part boundaries: ("ab", "c") and ("a", "bc") differ', () => {
    expect(stableId('ab', 'c')).not.toBe(stableId('a', 'bc'));
  });
});
