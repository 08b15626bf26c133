import { request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';
import type { HubClient } from '../ports.ts';
import { HubError } from '../errors.ts';
import { blockedAddressCause, guardedAgents, openAgents, type AddressGuardOptions, type Agents } from './address-guard.ts';

export interface HubClientOptions {
  timeoutMs?: number;
  /** connect to internal addresses too (the fetcher's switch; tests with a hub on 127.0.0.1) */
  allowPrivateNetworks?: boolean;
  guard?: AddressGuardOptions;
}

const USER_AGENT = 'iran-pakistan-watch/0.1 (news feed reader; WebSub subscriber)';
/** What of a hub's error page goes into the subscription's lastError. */
const ERROR_EXCERPT_CHARS = 200;
const MAX_RESPONSE_BYTES = 16 * 1024;

/**
 * Subscription requests to WebSub hubs (W3C WebSub 5.1): a form POST of hub.mode=subscribe,
 * topic, callback, secret and lease, answered 202 (any 2xx is taken as accepted). Through the
 * fetcher's address guard (address-guard.ts): a hub URL from a feed is as untrusted as the feed,
 * and must not make the dispatcher post to the metadata service or a VPC host. No redirects are
 * followed (the secret would go wherever a hub sent it). Error messages never hold the secret,
 * even when a hub's error page echoes it.
 */
export class HttpHubClient implements HubClient {
  private readonly agents: Agents;
  private readonly timeoutMs: number;

  constructor(options: HubClientOptions = {}) {
    this.agents = options.allowPrivateNetworks ? openAgents(options.guard) : guardedAgents(options.guard);
    this.timeoutMs = options.timeoutMs ?? 10_000;
  }

  async subscribe(request: { hub: string; topic: string; callback: string; secret: string; leaseSeconds: number }): Promise<void> {
    let url: URL;
    try {
      url = new URL(request.hub);
    } catch (cause) {
      throw new HubError('bad-url', `hub URL is not a URL: ${request.hub}`, undefined, { cause });
    }
    if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new HubError('bad-url', `hub URL is not http(s): ${request.hub}`);
    const form = new URLSearchParams({
      'hub.mode': 'subscribe',
      'hub.topic': request.topic,
      'hub.callback': request.callback,
      'hub.secret': request.secret,
      'hub.lease_seconds': String(request.leaseSeconds),
    }).toString();
    const controller = new AbortController();
    const timer = setTimeout(() => controller.abort(), this.timeoutMs);
    try {
      const { status, text } = await new Promise<{ status: number; text: string }>((resolve, reject) => {
        const options = {
          method: 'POST',
          signal: controller.signal,
          headers: { 'content-type': 'application/x-www-form-urlencoded', 'content-length': String(Buffer.byteLength(form)), 'user-agent': USER_AGENT },
        };
        const req = url.protocol === 'https:' ? httpsRequest(url, { ...options, agent: this.agents.https }) : httpRequest(url, { ...options, agent: this.agents.http });
        req.once('error', reject);
        req.once('response', (response) => {
          const chunks: Buffer[] = [];
          let size = 0;
          response.on('data', (chunk: Buffer) => {
            size += chunk.length;
            if (size <= MAX_RESPONSE_BYTES) chunks.push(chunk);
            else response.destroy();
          });
          response.once('close', () => resolve({ status: response.statusCode ?? 0, text: Buffer.concat(chunks).toString('utf8') }));
          response.once('error', () => resolve({ status: response.statusCode ?? 0, text: Buffer.concat(chunks).toString('utf8') }));
        });
        req.end(form);
      });
      if (status >= 200 && status < 300) return;
      const excerpt = text.split(request.secret).join('[secret]').replace(/[\u0000-\u001f\u007f]+/g, ' ').trim().slice(0, ERROR_EXCERPT_CHARS);
      throw new HubError('http-status', `hub ${url.origin} answered HTTP ${status}${status >= 300 && status < 400 ? ' (redirects are not followed)' : ''}${excerpt ? `: ${excerpt}` : ''}`, status);
    } catch (error) {
      if (error instanceof HubError) throw error;
      const blocked = blockedAddressCause(error);
      if (blocked) throw new HubError('blocked-address', `blocked address: ${blocked.message}; hub ${url.origin} was not asked (private networks only when allowed)`, undefined, { cause: error });
      if (controller.signal.aborted) throw new HubError('timeout', `hub ${url.origin} did not answer within ${this.timeoutMs} ms`, undefined, { cause: error });
      const code = (error as { code?: string }).code;
      throw new HubError('network', `network error asking hub ${url.origin}: ${code ?? (error as Error).message}`, undefined, { cause: error });
    } finally {
      clearTimeout(timer);
    }
  }
}
