import { BlockList, isIP } from 'node:net';
import { describe, expect, it } from 'vitest';
import { blockedAddressRule, isIpAddress, parseIPv4 } from '#shared/domain/blocked-address.ts';

describe('blockedAddressRule: IPv4 ranges, at their edges', () => {
  it.each([
    ['0.0.0.0', 'unspecified 0.0.0.0/8'],
    ['0.255.255.255', 'unspecified 0.0.0.0/8'],
    ['10.0.0.0', 'private (RFC 1918) 10.0.0.0/8'],
    ['10.255.255.255', 'private (RFC 1918) 10.0.0.0/8'],
    ['100.64.0.0', 'carrier-grade NAT 100.64.0.0/10'],
    ['100.127.255.255', 'carrier-grade NAT 100.64.0.0/10'],
    ['127.0.0.1', 'loopback 127.0.0.0/8'],
    ['127.255.255.254', 'loopback 127.0.0.0/8'],
    ['169.254.169.254', 'link-local 169.254.0.0/16'],
    ['169.254.0.1', 'link-local 169.254.0.0/16'],
    ['172.16.0.0', 'private (RFC 1918) 172.16.0.0/12'],
    ['172.31.255.255', 'private (RFC 1918) 172.16.0.0/12'],
    ['192.168.0.1', 'private (RFC 1918) 192.168.0.0/16'],
    ['192.168.255.255', 'private (RFC 1918) 192.168.0.0/16'],
    ['224.0.0.1', 'multicast 224.0.0.0/4'],
    ['239.255.255.250', 'multicast 224.0.0.0/4'],
    ['240.0.0.1', 'reserved 240.0.0.0/4'],
    ['255.255.255.255', 'broadcast 255.255.255.255/32'],
  ])('refuses %s as %s', (address, rule) => {
    expect(blockedAddressRule(address)).toBe(rule);
  });

  it.each(['1.1.1.1', '8.8.8.8', '9.255.255.255', '11.0.0.0', '100.63.255.255', '100.128.0.0', '126.255.255.255', '128.0.0.0', '169.253.255.255', '169.255.0.0', '172.15.255.255', '172.32.0.0', '192.167.255.255', '192.169.0.0', '223.255.255.255', '203.0.113.7'])(
    'lets a public address through: %s',
    (address) => {
      expect(blockedAddressRule(address)).toBeUndefined();
    },
  );
});

describe('blockedAddressRule: IPv6 ranges', () => {
  it.each([
    ['::', 'unspecified ::/128'],
    ['::1', 'loopback ::1/128'],
    ['0:0:0:0:0:0:0:1', 'loopback ::1/128'],
    ['[::1]', 'loopback ::1/128'],
    ['fc00::1', 'unique-local fc00::/7'],
    ['fdff:ffff::1', 'unique-local fc00::/7'],
    ['fd00:ec2::254', 'unique-local fc00::/7'],
    ['fe80::1', 'link-local fe80::/10'],
    ['fe80::1%eth0', 'link-local fe80::/10'],
    ['febf:ffff::1', 'link-local fe80::/10'],
    ['fec0::1', 'site-local fec0::/10'],
    ['ff02::1', 'multicast ff00::/8'],
    ['ff05::1:3', 'multicast ff00::/8'],
    ['64:ff9b::a9fe:a9fe', 'NAT64 64:ff9b::/96'],
    ['64:ff9b::8.8.8.8', 'NAT64 64:ff9b::/96'],
    ['64:ff9b:1::10.0.0.1', 'local NAT64 64:ff9b:1::/48'],
    ['::127.0.0.1', 'IPv4-compatible ::/96'],
    ['::7f00:1', 'IPv4-compatible ::/96'],
  ])('refuses %s as %s', (address, rule) => {
    expect(blockedAddressRule(address)).toBe(rule);
  });

  it.each(['2001:db8::1', '2606:4700:4700::1111', '2a00:1450:4009:81f::200e', 'fbff:ffff::1', 'fe7f::1', '64:ff9b:2::1', '64:ff9a::1', '::1:0:0:0'])('lets a public address through: %s', (address) => {
    expect(blockedAddressRule(address)).toBeUndefined();
  });
});

describe('blockedAddressRule: IPv4 inside IPv6', () => {
  it.each([
    ['::ffff:127.0.0.1', 'IPv4-mapped IPv6 of loopback 127.0.0.0/8'],
    ['::ffff:7f00:1', 'IPv4-mapped IPv6 of loopback 127.0.0.0/8'],
    ['0:0:0:0:0:ffff:7f00:0001', 'IPv4-mapped IPv6 of loopback 127.0.0.0/8'],
    ['[::ffff:169.254.169.254]', 'IPv4-mapped IPv6 of link-local 169.254.0.0/16'],
    ['::ffff:a9fe:a9fe', 'IPv4-mapped IPv6 of link-local 169.254.0.0/16'],
    ['::ffff:10.1.2.3', 'IPv4-mapped IPv6 of private (RFC 1918) 10.0.0.0/8'],
    ['::ffff:6440:1', 'IPv4-mapped IPv6 of carrier-grade NAT 100.64.0.0/10'],
    ['::ffff:0.0.0.0', 'IPv4-mapped IPv6 of unspecified 0.0.0.0/8'],
    ['2002:7f00:1::1', '6to4 IPv6 of loopback 127.0.0.0/8'],
    ['2002:c0a8:101::', '6to4 IPv6 of private (RFC 1918) 192.168.0.0/16'],
  ])('refuses %s as %s', (address, rule) => {
    expect(blockedAddressRule(address)).toBe(rule);
  });

  it('lets the mapped or 6to4 form of a public address through', () => {
    expect(blockedAddressRule('::ffff:8.8.8.8')).toBeUndefined();
    expect(blockedAddressRule('::ffff:808:808')).toBeUndefined();
    expect(blockedAddressRule('2002:808:808::1')).toBeUndefined();
  });
});

describe('blockedAddressRule: every notation of an IPv4 literal', () => {
  // Each is what someone could write in a feed URL or a Location header; the URL parser turns
  // them all into the dotted form the socket uses, and the rule must hold on either.
  const loopbackForms = ['127.0.0.1', '127.1', '127.0.1', '2130706433', '0x7f000001', '0X7F000001', '017700000001', '0x7f.1', '0x7f.0.0.1', '0177.0.0.1', '0177.1', '0x7f.0x00.0x00.0x01', '127.0.0.1.', '127.000.000.001'];
  it.each(loopbackForms)('reads %s as loopback, as the URL parser does', (form) => {
    expect(parseIPv4(form)).toBe(0x7f000001);
    expect(new URL(`http://${form}/`).hostname).toBe('127.0.0.1');
    expect(blockedAddressRule(form)).toBe('loopback 127.0.0.0/8');
  });

  it.each([
    ['2852039166', '169.254.169.254'],
    ['0xa9fea9fe', '169.254.169.254'],
    ['0251.0376.0251.0376', '169.254.169.254'],
    ['169.254.43518', '169.254.169.254'],
    ['0xa9.0xfe.0xa9fe', '169.254.169.254'],
    ['167772161', '10.0.0.1'],
    ['012.1', '10.0.0.1'],
    ['0', '0.0.0.0'],
    ['0x0', '0.0.0.0'],
    ['3232235777', '192.168.1.1'],
  ])('reads %s as %s, as the URL parser does, and refuses it', (form, dotted) => {
    expect(new URL(`http://${form}/`).hostname).toBe(dotted);
    expect(blockedAddressRule(form)).toBe(blockedAddressRule(dotted));
    expect(blockedAddressRule(form)).toBeDefined();
  });

  it('reads the IPv6 forms the URL parser writes for mapped loopback', () => {
    const host = new URL('http://[::ffff:127.0.0.1]/').hostname;
    expect(host).toBe('[::ffff:7f00:1]');
    expect(blockedAddressRule(host)).toBe('IPv4-mapped IPv6 of loopback 127.0.0.0/8');
  });

  it('lets a public address through in any notation', () => {
    for (const form of ['134744072', '0x08080808', '010.010.010.010', '8.8.2056']) {
      expect(new URL(`http://${form}/`).hostname).toBe('8.8.8.8');
      expect(blockedAddressRule(form)).toBeUndefined();
    }
  });
});

describe('names and malformed text', () => {
  it.each(['feed.example', 'localhost', 'news.example.org', '1.2.3.4.example', '0x7g.1', '08.0.0.1', '256.0.0.1', '1.2.3.4.5', '4294967296', '', '::1::', '1:2:3:4:5:6:7:8:9', 'gggg::1', '::ffff:300.0.0.1'])(
    'judges no rule for %j: not an IP address',
    (text) => {
      expect(blockedAddressRule(text)).toBeUndefined();
      expect(isIpAddress(text)).toBe(false);
    },
  );

  it('agrees with node:net on what is an IP address in canonical form', () => {
    for (const text of ['127.0.0.1', '8.8.8.8', '::1', '::ffff:127.0.0.1', 'fe80::1', '1:2:3:4:5:6:7:8', '1::', '::', '1:2:3:4:5:6:1.2.3.4', 'feed.example', '::ffff:1.2.3', '1:2:3:4:5:6:7', ':1:2']) {
      expect(isIpAddress(text), text).toBe(isIP(text) !== 0);
    }
  });

  it('agrees with node:net BlockList on the ranges both know', () => {
    const list = new BlockList();
    for (const [net, bits] of [['0.0.0.0', 8], ['10.0.0.0', 8], ['100.64.0.0', 10], ['127.0.0.0', 8], ['169.254.0.0', 16], ['172.16.0.0', 12], ['192.168.0.0', 16], ['224.0.0.0', 4], ['240.0.0.0', 4]] as const) list.addSubnet(net, bits, 'ipv4');
    for (const [net, bits] of [['fc00::', 7], ['fe80::', 10], ['fec0::', 10], ['ff00::', 8], ['64:ff9b::', 96], ['64:ff9b:1::', 48]] as const) list.addSubnet(net, bits, 'ipv6');
    // Addresses spread over the whole space, both families, mapped forms included.
    const samples: string[] = [];
    for (let a = 0; a < 256; a += 3) for (const b of [0, 63, 64, 127, 128, 168, 254, 255]) samples.push(`${a}.${b}.${(a * 7) % 256}.${(b * 5) % 256}`);
    for (const prefix of ['fc00', 'fbff', 'fdab', 'fe80', 'febf', 'fec0', 'ff02', '2001', '64:ff9b:0', '64:ff9c:0']) samples.push(`${prefix}::1234`);
    for (const v4 of ['127.0.0.1', '10.9.8.7', '8.8.4.4', '169.254.169.254']) samples.push(`::ffff:${v4}`);
    for (const address of samples) {
      const family = isIP(address) === 6 ? 'ipv6' : 'ipv4';
      expect(blockedAddressRule(address) !== undefined, address).toBe(list.check(address, family));
    }
  });
});
