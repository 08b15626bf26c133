/**
 * The SSRF guard of the feed fetcher: HTTP(S) agents that refuse, at connect time, every address
 * the blocked-address rules name. The check sits where the socket gets its address: the `lookup`
 * net.connect calls for a host name, and the host itself when it is an IP literal (which
 * net.connect uses as it is, without a lookup). So there is no separate resolution that a second,
 * different DNS answer could slip past (DNS rebinding), and every connection is checked: the
 * feed's own and each redirect hop's.
 */
import { lookup as dnsLookup, type LookupAddress } from 'node:dns';
import { Agent as HttpAgent, type AgentOptions } from 'node:http';
import { Agent as HttpsAgent } from 'node:https';
import type { LookupFunction, Socket } from 'node:net';
import { blockedAddressRule } from '../domain/blocked-address.ts';
import { BlockedAddressError } from '../errors.ts';

export interface AddressGuardOptions {
  /** resolves host names; dns.lookup (what net.connect uses by default) unless a test stubs it */
  lookup?: LookupFunction;
  /**
   * Addresses let through although a rule refuses them. Only for tests, where a server on a
   * loopback address stands in for a public host; no configuration can set it.
   */
  trustedAddresses?: readonly string[];
}

export interface Agents {
  http: HttpAgent;
  https: HttpsAgent;
}

function ruleFor(address: string, trusted: readonly string[]): string | undefined {
  return trusted.includes(address) ? undefined : blockedAddressRule(address);
}

/** A lookup that resolves as `lookup` does, then refuses the answer if any address in it is blocked. */
export function guardedLookup(options: AddressGuardOptions = {}): LookupFunction {
  const inner = options.lookup ?? (dnsLookup as LookupFunction);
  const trusted = options.trustedAddresses ?? [];
  return (hostname, lookupOptions, callback) => {
    inner(hostname, lookupOptions, (error, address, family) => {
      if (error) return callback(error, address, family);
      const addresses = Array.isArray(address) ? address.map((a: LookupAddress) => a.address) : [address];
      // A name with one internal address among public ones is refused whole: happy eyeballs
      // (autoSelectFamily) may try any of them.
      for (const candidate of addresses) {
        const rule = ruleFor(candidate, trusted);
        if (rule) return callback(new BlockedAddressError(hostname, candidate, rule), address, family);
      }
      callback(null, address, family);
    });
  };
}

type CreateConnection = (options: { host?: string | null }, callback: (error: Error | null, socket?: Socket) => void) => Socket | undefined;

/**
 * Makes the agent's connections refuse blocked IP-literal hosts (the URL parser has already
 * turned 0x7f.1, 2130706433 and the like into 127.0.0.1, which is what reaches here), and look
 * host names up through the guarded lookup.
 */
function guard<T extends HttpAgent>(agent: T, trusted: readonly string[]): T {
  const original = (agent as unknown as { createConnection: CreateConnection }).createConnection.bind(agent);
  const createConnection: CreateConnection = (options, callback) => {
    const host = (options.host ?? '').replace(/^\[|\]$/g, '');
    const rule = ruleFor(host, trusted);
    if (rule) {
      callback(new BlockedAddressError(host, host, rule));
      return undefined;
    }
    return original(options, callback);
  };
  (agent as unknown as { createConnection: CreateConnection }).createConnection = createConnection;
  return agent;
}

/**
 * Keep-alive agents for the fetcher. Idle sockets close after 4 s, before the 5 s idle limit
 * common on servers, so a reused socket is rarely one the server has just closed.
 */
const AGENT_OPTIONS: AgentOptions = { keepAlive: true, timeout: 4_000 };

/** Agents that refuse internal addresses (the default for every fetch). */
export function guardedAgents(options: AddressGuardOptions = {}): Agents {
  const trusted = options.trustedAddresses ?? [];
  const lookup = guardedLookup(options);
  return {
    http: guard(new HttpAgent({ ...AGENT_OPTIONS, lookup }), trusted),
    https: guard(new HttpsAgent({ ...AGENT_OPTIONS, lookup }), trusted),
  };
}

/** Agents that connect anywhere: for operators who allow private networks, and tests. */
export function openAgents(options: Pick<AddressGuardOptions, 'lookup'> = {}): Agents {
  const lookup = options.lookup ? { lookup: options.lookup } : {};
  return { http: new HttpAgent({ ...AGENT_OPTIONS, ...lookup }), https: new HttpsAgent({ ...AGENT_OPTIONS, ...lookup }) };
}

/** The BlockedAddressError behind a failed request, if that is why it failed. */
export function blockedAddressCause(error: unknown): BlockedAddressError | undefined {
  for (let e: unknown = error, depth = 0; e && depth < 5; e = (e as { cause?: unknown }).cause, depth++) {
    if (e instanceof BlockedAddressError) return e;
  }
  return undefined;
}
