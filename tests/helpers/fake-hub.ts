import { createHmac, randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/** How the hub answers a subscription request. */
export type HubMode = 'verify' | 'deny' | 'error' | 'silent';

export interface SubscriptionRequest {
  topic: string;
  callback: string;
  secret: string;
  leaseSeconds: number;
}

export interface Verification {
  callback: string;
  challenge: string;
  status: number;
  body: string;
}

/**
 * A WebSub hub on 127.0.0.1 that does what the W3C spec asks of one: a subscription request is
 * answered 202 and then verified with a GET to the callback (challenge, topic, lease); a
 * subscription counts only when the callback echoed the challenge with a 2xx. `publish` signs
 * the content with each verified subscriber's secret (X-Hub-Signature-256). `mode` makes it deny
 * (hub.mode=denied to the callback), fail (500) or never verify.
 */
export class FakeHub {
  mode: HubMode = 'verify';
  /** what hub.lease_seconds the verification grants (undefined: what was asked) */
  grantSeconds: number | undefined;
  readonly requests: SubscriptionRequest[] = [];
  readonly verifications: Verification[] = [];
  /** callback -> the verified subscription */
  readonly active = new Map<string, SubscriptionRequest>();
  private pending: Promise<unknown>[] = [];
  private server!: Server;
  url = '';

  async start(): Promise<this> {
    this.server = createServer(async (req, res) => {
      const form = new URLSearchParams(await text(req));
      if (req.method !== 'POST' || form.get('hub.mode') !== 'subscribe') return void res.writeHead(400).end('subscribe only');
      const request = { topic: form.get('hub.topic') ?? '', callback: form.get('hub.callback') ?? '', secret: form.get('hub.secret') ?? '', leaseSeconds: Number(form.get('hub.lease_seconds')) };
      this.requests.push(request);
      if (this.mode === 'error') return void res.writeHead(500, { 'content-type': 'text/plain' }).end(`hub is down, it would not take ${request.secret}`);
      res.writeHead(202).end();
      // Verification is asynchronous, after the 202, as the spec has it.
      if (this.mode === 'verify') this.pending.push(this.verify(request));
      if (this.mode === 'deny') this.pending.push(this.deny(request, 'topic not allowed'));
    });
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}/hub`;
    return this;
  }

  /** Waits for the verifications and denials sent so far. */
  async settled(): Promise<void> {
    const pending = this.pending;
    this.pending = [];
    await Promise.all(pending);
  }

  async verify(request: SubscriptionRequest, overrides: { topic?: string; challenge?: string } = {}): Promise<Verification> {
    const challenge = overrides.challenge ?? randomBytes(12).toString('hex');
    const query = new URLSearchParams({ 'hub.mode': 'subscribe', 'hub.topic': overrides.topic ?? request.topic, 'hub.challenge': challenge, 'hub.lease_seconds': String(this.grantSeconds ?? request.leaseSeconds) });
    const response = await fetch(`${request.callback}?${query}`);
    const verification = { callback: request.callback, challenge, status: response.status, body: await response.text() };
    this.verifications.push(verification);
    if (response.ok && verification.body === challenge) this.active.set(request.callback, request);
    return verification;
  }

  async deny(request: SubscriptionRequest, reason: string): Promise<number> {
    const query = new URLSearchParams({ 'hub.mode': 'denied', 'hub.topic': request.topic, 'hub.reason': reason });
    return (await fetch(`${request.callback}?${query}`)).status;
  }

  /** Pushes `body` to every verified subscriber of `topic`; the statuses their callbacks answered. */
  async publish(topic: string, body: string | Buffer, sign: 'sha256' | 'none' | 'wrong-secret' = 'sha256'): Promise<number[]> {
    const statuses: number[] = [];
    for (const sub of this.active.values()) {
      if (sub.topic !== topic) continue;
      statuses.push(await pushTo(sub.callback, body, sign === 'none' ? undefined : sign === 'wrong-secret' ? 'not-the-secret' : sub.secret));
    }
    return statuses;
  }

  async close(): Promise<void> {
    await this.settled();
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }
}

/** A content distribution POST (WebSub 7), signed with `secret` unless it is undefined. */
export async function pushTo(callback: string, body: string | Buffer, secret?: string, header = 'x-hub-signature-256'): Promise<number> {
  const headers: Record<string, string> = { 'content-type': 'application/rss+xml' };
  if (secret !== undefined) headers[header] = `sha256=${createHmac('sha256', secret).update(body).digest('hex')}`;
  const response = await fetch(callback, { method: 'POST', headers, body });
  await response.arrayBuffer();
  return response.status;
}

async function text(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}
