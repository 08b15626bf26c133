/** Base of the product's errors: a name, a message that says what failed, the cause chained. */
export class BaseError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = new.target.name;
  }
}

/** A feed could not be fetched. `reason` is short and stable, for counts and the summary. */
export class FetchError extends BaseError {
  constructor(
    readonly reason: 'timeout' | 'http-status' | 'too-large' | 'too-many-redirects' | 'bad-url' | 'network' | 'unsupported-scheme' | 'not-found' | 'rate-limited' | 'blocked-address' | 'insecure-redirect',
    message: string,
    readonly status?: number,
    options?: { cause?: unknown; retryAfterSeconds?: number },
  ) {
    super(message, options);
    this.retryAfterSeconds = options?.retryAfterSeconds;
  }

  /** From a 429/503 Retry-After header: the publisher asks us not to come back sooner. */
  readonly retryAfterSeconds: number | undefined;
}

/**
 * The fetcher refused to connect: the address a socket was about to use reaches inside a network
 * (loopback, private, link-local, ...). Raised before any byte is sent.
 */
export class BlockedAddressError extends BaseError {
  constructor(
    readonly host: string,
    readonly address: string,
    /** the rule that refused it, e.g. "link-local 169.254.0.0/16" */
    readonly rule: string,
  ) {
    super(host === address ? `${address} is ${rule}` : `${host} resolves to ${address}, ${rule}`);
  }
}

export class ParseError extends BaseError {}

export class ConfigError extends BaseError {}

export class StoreError extends BaseError {}

/** A WebSub hub refused a subscription request or could not be reached. Its message never holds the secret. */
export class HubError extends BaseError {
  constructor(
    readonly reason: 'blocked-address' | 'http-status' | 'timeout' | 'network' | 'bad-url',
    message: string,
    readonly status?: number,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

/** A queue refused messages. */
export class QueueError extends BaseError {}

/** A query an analyst asked for is malformed. */
export class QueryError extends BaseError {}

export function isError(value: unknown): value is Error {
  return value instanceof Error;
}

/** A one-line description of any thrown value, for summaries and feed state. */
export function describeError(value: unknown): string {
  if (value instanceof FetchError) return value.message;
  if (isError(value)) return `${value.name}: ${value.message}`;
  return String(value);
}
