import { ConfigError } from './errors.ts';
import { DEFAULT_STORY_POLICY, type StoryPolicy } from './domain/story-policy.ts';
import { DEFAULT_LEASE_SECONDS } from './domain/websub-subscription.ts';

/** Environment variable names, shared by the CDK constructs that set them and the loader that reads them. */
export const ENV = {
  tableName: 'TABLE_NAME',
  alertTopicArn: 'ALERT_TOPIC_ARN',
  feedQueueUrl: 'FEED_QUEUE_URL',
  storyQueueUrl: 'STORY_QUEUE_URL',
  singleSourceMinSeverity: 'ALERT_SINGLE_SOURCE_MIN_SEVERITY',
  minSources: 'ALERT_MIN_SOURCES',
  maxAlertAgeHours: 'ALERT_MAX_AGE_HOURS',
  pollIntervalMinutes: 'POLL_INTERVAL_MINUTES',
  staleAfterHours: 'STALE_AFTER_HOURS',
  burstLimit: 'ALERT_BURST_LIMIT',
  allowPrivateNetworks: 'ALLOW_PRIVATE_NETWORKS',
  /** the WebSub callback's public URL (the websub function's Function URL); WebSub is off without it */
  websubCallbackUrl: 'WEBSUB_CALLBACK_URL',
  websubLeaseSeconds: 'WEBSUB_LEASE_SECONDS',
} as const;

export interface AlertPolicy extends StoryPolicy {
  /** reports older than this (against the pipeline clock) are stored but never alert */
  maxAlertAgeHours: number;
  /** past this many alerts in a clock hour, the rest go out as one digest */
  burstLimit: number;
}

/** A feed with nothing new for this long is stale (the dispatcher's metric and alarm, `npm run feeds`). */
export const DEFAULT_STALE_AFTER_HOURS = 48;

export const DEFAULT_ALERT_POLICY: AlertPolicy = { ...DEFAULT_STORY_POLICY, maxAlertAgeHours: 72, burstLimit: 6 };

/**
 * The Lambda environment, read by hand rather than through a zod schema: every Lambda reads it at
 * cold start, and building and running the schema (7 coerced, range-checked integers among 13
 * variables) cost about 4 ms of each import against a 65 ms floor (`npm run bench -- --only cold`).
 * Each rule takes the raw value (undefined when unset) and returns the value or throws what is wrong.
 */
type Rule<T> = (raw: string | undefined) => T;

class EnvValueError extends Error {}
const fail = (message: string): never => {
  throw new EnvValueError(message);
};

/** Whether `raw` parses as a URL with one of these protocols ("https:"); also the feed-job check's. */
export const isUrl = (raw: string, protocols: readonly string[]) => {
  try {
    return protocols.includes(new URL(raw).protocol);
  } catch {
    return false;
  }
};

const optional =
  <T>(rule: Rule<T>): Rule<T | undefined> =>
  (raw) =>
    raw === undefined ? undefined : rule(raw);

const url =
  (protocols: readonly string[], message: string): Rule<string> =>
  (raw) =>
    raw !== undefined && isUrl(raw, protocols) ? raw : fail(message);

/** A whole number in [min, max]; `fallback` when unset. */
const intFrom =
  (min: number, max: number, fallback: number): Rule<number> =>
  (raw) => {
    if (raw === undefined) return fallback;
    const value = Number(raw.trim() === '' ? Number.NaN : raw);
    if (!Number.isInteger(value)) fail(`must be a whole number, got "${raw}"`);
    if (value < min || value > max) fail(`must be from ${min} to ${max}, got ${value}`);
    return value;
  };

const ENV_RULES = {
  [ENV.tableName]: (raw: string | undefined) => (raw !== undefined && raw.length >= 3 ? raw : fail('is required')),
  [ENV.alertTopicArn]: optional((raw) => (raw?.startsWith('arn:') ? raw : fail('must be an ARN'))),
  [ENV.feedQueueUrl]: optional(url(['https:', 'http:'], 'must be a URL')),
  [ENV.storyQueueUrl]: optional(url(['https:', 'http:'], 'must be a URL')),
  [ENV.singleSourceMinSeverity]: intFrom(1, 6, DEFAULT_ALERT_POLICY.singleSourceMinSeverity),
  [ENV.minSources]: intFrom(1, 20, DEFAULT_ALERT_POLICY.minSources),
  [ENV.maxAlertAgeHours]: intFrom(1, 24 * 365, DEFAULT_ALERT_POLICY.maxAlertAgeHours),
  [ENV.pollIntervalMinutes]: intFrom(1, 24 * 60, 5),
  [ENV.staleAfterHours]: intFrom(1, 24 * 90, DEFAULT_STALE_AFTER_HOURS),
  [ENV.burstLimit]: intFrom(1, 1000, DEFAULT_ALERT_POLICY.burstLimit),
  // Spelled out: a typo must not open the fetcher to internal addresses, nor quietly close it.
  [ENV.allowPrivateNetworks]: (raw: string | undefined) => (raw === undefined || raw === 'false' ? false : raw === 'true' ? true : fail('must be true or false')),
  // https only: hubs ignore hub.secret unless the callback is https, and a Function URL always is.
  [ENV.websubCallbackUrl]: optional(url(['https:'], 'must be an https URL')),
  // Hubs grant at most what they like (commonly 10 days); an hour at least, or renewals crowd the dispatcher.
  [ENV.websubLeaseSeconds]: intFrom(3600, 30 * 86_400, DEFAULT_LEASE_SECONDS),
} satisfies Record<(typeof ENV)[keyof typeof ENV], Rule<unknown>>;

type EnvValues = { [K in keyof typeof ENV_RULES]: ReturnType<(typeof ENV_RULES)[K]> };

/** Every variable read by its rule; the first bad one throws a ConfigError naming it. */
function readEnv(env: Record<string, string | undefined>): EnvValues {
  const out: Record<string, unknown> = {};
  for (const [name, rule] of Object.entries(ENV_RULES) as [string, Rule<unknown>][]) {
    try {
      out[name] = rule(env[name]);
    } catch (error) {
      if (!(error instanceof EnvValueError)) throw error;
      throw new ConfigError(`invalid environment: ${name}: ${error.message}`);
    }
  }
  return out as EnvValues;
}

export interface LambdaConfig {
  tableName: string;
  alertTopicArn?: string;
  feedQueueUrl?: string;
  storyQueueUrl?: string;
  policy: AlertPolicy;
  pollIntervalMinutes: number;
  staleAfterHours: number;
  /** fetch feeds on loopback, private and link-local addresses too (address-guard.ts) */
  allowPrivateNetworks: boolean;
  /** WebSub push, when a callback URL is configured */
  websub?: { callbackBaseUrl: string; leaseSeconds: number };
}

/**
 * Reads and validates the Lambda environment at cold start; throws on the first bad value.
 * `require` names the variables this function cannot run without.
 */
export function loadConfig(env: Record<string, string | undefined>, require: (keyof typeof ENV)[] = []): LambdaConfig {
  const e = readEnv(env);
  for (const key of require) {
    if (!env[ENV[key]]) throw new ConfigError(`invalid environment: ${ENV[key]} is required`);
  }
  return {
    tableName: e[ENV.tableName],
    ...(e[ENV.alertTopicArn] ? { alertTopicArn: e[ENV.alertTopicArn] } : {}),
    ...(e[ENV.feedQueueUrl] ? { feedQueueUrl: e[ENV.feedQueueUrl] } : {}),
    ...(e[ENV.storyQueueUrl] ? { storyQueueUrl: e[ENV.storyQueueUrl] } : {}),
    policy: {
      ...DEFAULT_ALERT_POLICY,
      singleSourceMinSeverity: e[ENV.singleSourceMinSeverity],
      minSources: e[ENV.minSources],
      maxAlertAgeHours: e[ENV.maxAlertAgeHours],
      burstLimit: e[ENV.burstLimit],
    },
    pollIntervalMinutes: e[ENV.pollIntervalMinutes],
    staleAfterHours: e[ENV.staleAfterHours],
    allowPrivateNetworks: e[ENV.allowPrivateNetworks],
    ...(e[ENV.websubCallbackUrl] ? { websub: { callbackBaseUrl: e[ENV.websubCallbackUrl] as string, leaseSeconds: e[ENV.websubLeaseSeconds] } } : {}),
  };
}
