// zod/mini: the classic API bundles every locale (~440 KB of each Lambda); mini is ~20 KB.
import * as z from 'zod/mini';
import { ConfigError } from './errors.ts';
import type { FeedDefinition } from './domain/types.ts';
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

export const FeedSchema = z.object({
  id: z.string().check(z.regex(/^[a-z0-9][a-z0-9-]{0,62}$/, 'feed id must be kebab-case, at most 63 characters')),
  url: z.url({ protocol: /^https?$/, error: 'feed url must be an http(s) URL' }),
  outlet: z.string().check(z.minLength(1, 'outlet is required')),
  language: z.string().check(z.regex(/^[a-z]{2,3}(-[A-Za-z0-9]+)?$/, 'language must be a BCP 47 tag such as "en"')),
  /** polled every cycle while any dyad is in a surge (shared/domain/surge.ts) */
  priority: z.optional(z.boolean()),
});

/**
 * Built on first use: only the dispatcher and the CLIs read a registry, and building a zod schema
 * is work a cold start of the other Lambdas can skip.
 */
const buildFeedRegistrySchema = () =>
  z
    .object({ feeds: z.array(FeedSchema).check(z.minLength(1, 'the registry lists no feeds')) })
    .check(z.refine((r) => new Set(r.feeds.map((f) => f.id)).size === r.feeds.length, { message: 'feed ids must be unique', path: ['feeds'] }));
let feedRegistrySchema: ReturnType<typeof buildFeedRegistrySchema> | undefined;

/** Validates a feed registry, naming the source and the first bad entry. */
export function parseFeedRegistry(data: unknown, source: string): FeedDefinition[] {
  feedRegistrySchema ??= buildFeedRegistrySchema();
  const result = feedRegistrySchema.safeParse(data);
  if (!result.success) throw new ConfigError(`invalid feed registry ${source}: ${formatIssue(result.error)}`);
  return result.data.feeds;
}

export function formatIssue(error: { issues: readonly { path: readonly PropertyKey[]; message: string }[] }): string {
  const issue = error.issues[0];
  return `${issue?.path.join('.') || '(root)'}: ${issue?.message ?? 'invalid'}`;
}

export interface AlertPolicy extends StoryPolicy {
  /** reports older than this (against the pipeline clock) are stored but never alert */
  maxAlertAgeHours: number;
  /** past this many alerts in a clock hour, the rest go out as one digest */
  burstLimit: number;
}

export const DEFAULT_ALERT_POLICY: AlertPolicy = { ...DEFAULT_STORY_POLICY, maxAlertAgeHours: 72, burstLimit: 6 };

const intFrom = (min: number, max: number, fallback: number) =>
  z._default(z.coerce.number().check(z.refine(Number.isInteger, 'must be a whole number'), z.gte(min), z.lte(max)), fallback);

const LambdaEnvSchema = z.object({
  [ENV.tableName]: z.string().check(z.minLength(3, 'is required')),
  [ENV.alertTopicArn]: z.optional(z.string().check(z.startsWith('arn:', 'must be an ARN'))),
  [ENV.feedQueueUrl]: z.optional(z.url()),
  [ENV.storyQueueUrl]: z.optional(z.url()),
  [ENV.singleSourceMinSeverity]: intFrom(1, 6, DEFAULT_ALERT_POLICY.singleSourceMinSeverity),
  [ENV.minSources]: intFrom(1, 20, DEFAULT_ALERT_POLICY.minSources),
  [ENV.maxAlertAgeHours]: intFrom(1, 24 * 365, DEFAULT_ALERT_POLICY.maxAlertAgeHours),
  [ENV.pollIntervalMinutes]: intFrom(1, 24 * 60, 5),
  [ENV.staleAfterHours]: intFrom(1, 24 * 90, 48),
  [ENV.burstLimit]: intFrom(1, 1000, DEFAULT_ALERT_POLICY.burstLimit),
  // Spelled out: a typo must not open the fetcher to internal addresses, nor quietly close it.
  [ENV.allowPrivateNetworks]: z._default(z.enum(['true', 'false'], 'must be true or false'), 'false'),
  // https only: hubs ignore hub.secret unless the callback is https, and a Function URL always is.
  [ENV.websubCallbackUrl]: z.optional(z.url({ protocol: /^https$/, error: 'must be an https URL' })),
  // Hubs grant at most what they like (commonly 10 days); an hour at least, or renewals crowd the dispatcher.
  [ENV.websubLeaseSeconds]: intFrom(3600, 30 * 86_400, DEFAULT_LEASE_SECONDS),
});

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
  const result = LambdaEnvSchema.safeParse(env);
  if (!result.success) throw new ConfigError(`invalid environment: ${formatIssue(result.error)}`);
  const e = result.data;
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
    allowPrivateNetworks: e[ENV.allowPrivateNetworks] === 'true',
    ...(e[ENV.websubCallbackUrl] ? { websub: { callbackBaseUrl: e[ENV.websubCallbackUrl] as string, leaseSeconds: e[ENV.websubLeaseSeconds] } } : {}),
  };
}
