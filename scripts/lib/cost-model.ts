/**
 * What the AWS deployment would be billed for the simulated week, scaled to a 30-day month, at
 * the list prices of config/aws-prices.json (dated, not fetched). Counted in the simulation:
 * dispatcher runs, feed jobs, WebSub pushes, fetches, body sizes, alerts, every store call with its item sizes
 * (read and write units, GSI writes), log lines of the use cases. Assumed (not measurable on a
 * virtual clock, named below): Lambda durations, the Lambda platform's own log lines and the
 * metrics blob, the SQS poller's empty receives. Billed by the month whatever the traffic: the
 * alarms, the dashboard and the topics' customer-managed key (FIXED_RESOURCES, counted in the
 * synthesized stacks by tests/infra/stacks.test.ts so the figure cannot drift from the deployment).
 */
import prices from '../../config/aws-prices.json' with { type: 'json' };
import { FUNCTION_MEMORY_MB } from '../../infra/function-sizes.ts';
import { METRIC } from '../../shared/observability.ts';
import { TABLE } from '../../shared/table-schema.ts';
import type { EventStore, Log } from '../../shared/ports.ts';
import type { SimUsage } from './latency-sim.ts';

/** Assumed, not measured: wall time of one invocation, in ms (network-bound fetches dominate ingest). */
export const ASSUMED = {
  dispatchMs: 400,
  /** an ingest batch of up to ten feeds fetched at once: the slowest one sets the time */
  ingestBatchWithBodyMs: 1500,
  ingestBatchAllNotModifiedMs: 400,
  notifyMs: 300,
  /** one story function run: a batch of story jobs placed with a few consistent reads and writes */
  storyMs: 300,
  /** one push at the websub callback: a consistent read of the subscription, its push count written, one feed job sent */
  websubMs: 100,
  /** the ingest run a push starts: one feed, fetched and read at once (not batched with others) */
  ingestPushMs: 800,
  /** START, END and REPORT lines of the Lambda platform, per invocation */
  platformLogBytes: 400,
  /** the Powertools metrics blob (EMF) flushed per invocation */
  metricsBlobBytes: 700,
  /** the Powertools envelope around each log line (timestamp, service, function name, request id...) */
  logEnvelopeBytes: 250,
  /** the SQS event sources' pollers long-poll the feed-jobs and story-jobs queues even when empty (5 pollers each, 20 s waits) */
  sqsIdleReceivesPerMonth: 2 * 5 * 3 * 60 * 24 * 30,
  emailSubscribers: 1,
} as const;

/** What the stacks deploy that is billed per month, not per use; the infra test holds these to the template. */
export const FIXED_RESOURCES = { alarms: 17, dashboards: 1, kmsKeys: 1 } as const;

const DAYS_PER_MONTH = 30;
const SIZE = (value: unknown) => Buffer.byteLength(JSON.stringify(value) ?? '');

/** Read and write units at the store port, sized as DynamoDB sizes items (close to their JSON). */
export interface StoreUnits {
  rru: number;
  wru: number;
  gsiWru: number;
}

/** Wraps a store: each call adds the units DynamoDB would charge for it (eventually consistent reads where the adapter uses them). */
export function unitCountingStore(inner: EventStore): { store: EventStore; units: StoreUnits } {
  const units: StoreUnits = { rru: 0, wru: 0, gsiWru: 0 };
  const read = (bytes: number, consistent = false) => (units.rru += Math.max(1, Math.ceil(bytes / 4096)) * (consistent ? 1 : 0.5));
  const write = (bytes: number, gsis = 0) => {
    const w = Math.max(1, Math.ceil(bytes / 1024));
    units.wru += w;
    units.gsiWru += w * gsis;
  };
  const gsiCount = Object.keys(TABLE.indexes).length;
  const store: EventStore = {
    getFeedStates: async (ids) => {
      const out = await inner.getFeedStates(ids);
      for (const id of ids) read(SIZE(out.get(id) ?? { id }));
      return out;
    },
    putFeedState: async (state) => (write(SIZE(state)), inner.putFeedState(state)),
    existingArticleIds: async (ids) => {
      for (const _ of ids) read(1024);
      return inner.existingArticleIds(ids);
    },
    putArticleIfNew: async (article, ttl) => {
      const stored = await inner.putArticleIfNew(article, ttl);
      // A refused conditional put is charged too; articles carry no index key.
      write(SIZE(article));
      return stored;
    },
    storiesInWindow: async (dyad, since, until) => {
      const out = await inner.storiesInWindow(dyad, since, until);
      // story formation reads its candidates consistently (the dyad's month items, then the stories)
      read(out.reduce((n, s) => n + SIZE(s), 0) + 1024, true);
      return out;
    },
    getStory: async (id) => {
      const out = await inner.getStory(id);
      read(SIZE(out), true);
      return out;
    },
    putStory: async (story, expected) => {
      const ok = await inner.putStory(story, expected);
      write(SIZE(story), ok ? gsiCount : 0);
      return ok;
    },
    // a merged-away story becomes a pointer item, in no index
    retireStory: async (...args) => (write(200), inner.retireStory(...args)),
    mergedInto: async (id) => (read(200, true), inner.mergedInto(id)),
    alertClaims: async (ids) => {
      for (const _ of ids) read(400, true);
      return inner.alertClaims(ids);
    },
    claimAlert: async (...args) => (write(200), inner.claimAlert(...args)),
    markAlertSent: async (...args) => (write(200), inner.markAlertSent(...args)),
    releaseAlert: async (...args) => (write(200), inner.releaseAlert(...args)),
    sentAlertLevels: async (id) => (read(400, true), inner.sentAlertLevels(id)),
    queryStories: async (query) => {
      const out = await inner.queryStories(query);
      // one query of the day index per day of the window
      const days = Math.floor((Date.parse(query.until.slice(0, 10)) - Date.parse(query.since.slice(0, 10))) / 86_400_000) + 1;
      for (let d = 0; d < days; d++) read(d === 0 ? out.reduce((n, s) => n + SIZE(s), 0) : 0);
      return out;
    },
    getDyadState: async (dyad) => {
      const out = await inner.getDyadState(dyad);
      read(SIZE(out), true);
      return out;
    },
    putDyadState: async (state, expected) => (write(SIZE(state)), inner.putDyadState(state, expected)),
    countAlert: async (hour) => (write(100), inner.countAlert(hour)),
  };
  return { store, units };
}

/** A Log that counts the bytes its lines would take in CloudWatch Logs (INFO and above, as deployed). */
export function byteCountingLog(): { log: Log; bytes: () => number } {
  let bytes = 0;
  const line = (level: string) => (message: string, extra?: Record<string, unknown>) => {
    bytes += SIZE({ level, message, ...extra }) + ASSUMED.logEnvelopeBytes;
  };
  return { log: { debug() {}, info: line('INFO'), warn: line('WARN'), error: line('ERROR') }, bytes: () => bytes };
}

export interface MonthlyCost {
  /** list prices, nothing deducted */
  totalUsd: number;
  /** the same after the always-free tier (once per account: only if nothing else uses it) */
  afterAlwaysFreeUsd: number;
  byService: Record<string, number>;
  usage: Record<string, number>;
  smsPerMessageUsd: number;
}

/** A 30-day month of what the simulated `days` used, priced. */
export function monthlyCost(usage: SimUsage, units: StoreUnits, logBytes: number, days: number): MonthlyCost {
  const scale = DAYS_PER_MONTH / days;
  const ingestInvocations = usage.ingestBatches;
  const ingestWithBody = usage.ingestBatchesWithBody;
  const notifyInvocations = usage.notifyRuns;
  // Each accepted push runs the websub function, then an ingest run of its own for that feed.
  const pushes = usage.pushes;
  const invocations = usage.dispatchRuns + ingestInvocations + notifyInvocations + usage.storyBatches + 2 * pushes;
  const gbSeconds =
    (usage.dispatchRuns * ASSUMED.dispatchMs * FUNCTION_MEMORY_MB.dispatch +
      (ingestWithBody * ASSUMED.ingestBatchWithBodyMs + (ingestInvocations - ingestWithBody) * ASSUMED.ingestBatchAllNotModifiedMs) * FUNCTION_MEMORY_MB.ingest +
      notifyInvocations * ASSUMED.notifyMs * FUNCTION_MEMORY_MB.notify +
      usage.storyBatches * ASSUMED.storyMs * FUNCTION_MEMORY_MB.story +
      pushes * (ASSUMED.websubMs * FUNCTION_MEMORY_MB.websub + ASSUMED.ingestPushMs * FUNCTION_MEMORY_MB.ingest)) /
    1000 /
    1024;
  // SendMessageBatch of ten, and the poller's receive and delete of each batch.
  // The story FIFO queue likewise: one send per ingest batch with relevant articles, then a receive and a delete.
  // A push's feed job is sent, received and deleted on its own.
  const sqsRequests = usage.feedJobsPerRun.reduce((n, jobs) => n + Math.ceil(jobs / 10) * 3, 0) + usage.storyBatches * 3 + pushes * 3;
  const logGb = (logBytes + invocations * (ASSUMED.platformLogBytes + ASSUMED.metricsBlobBytes)) / 1e9;
  const month = {
    lambdaRequests: invocations * scale,
    lambdaGbSeconds: gbSeconds * scale,
    // The callback's subscription read (consistent, 1 unit) and push count write (1 unit) are outside the counted store.
    rru: (units.rru + pushes) * scale,
    wru: (units.wru + units.gsiWru + pushes) * scale,
    sqsRequests: sqsRequests * scale + ASSUMED.sqsIdleReceivesPerMonth,
    snsPublishes: usage.alertsPublished * scale,
    emails: usage.alertsPublished * ASSUMED.emailSubscribers * scale,
    logGb: logGb * scale,
    customMetrics: Object.keys(METRIC).length,
    schedulerInvocations: usage.dispatchRuns * scale,
  };
  const byService = {
    lambda: (month.lambdaRequests / 1e6) * prices.lambda.perMillionRequests + month.lambdaGbSeconds * prices.lambda.perGbSecondArm64,
    dynamodb: (month.rru / 1e6) * prices.dynamodb.perMillionReadRequestUnits + (month.wru / 1e6) * prices.dynamodb.perMillionWriteRequestUnits,
    sqs: (month.sqsRequests / 1e6) * prices.sqs.perMillionStandardRequests,
    sns: (month.snsPublishes / 1e6) * prices.sns.perMillionPublishes + month.emails * prices.sns.perEmailDelivery,
    cloudwatchMetrics: month.customMetrics * prices.cloudwatch.perCustomMetricMonth,
    cloudwatchLogs: month.logGb * prices.cloudwatch.perGbLogsIngested,
    scheduler: (month.schedulerInvocations / 1e6) * prices.scheduler.perMillionInvocations,
    cloudwatchAlarms: FIXED_RESOURCES.alarms * prices.cloudwatch.perStandardAlarmMonth,
    cloudwatchDashboards: FIXED_RESOURCES.dashboards * prices.cloudwatch.perDashboardMonth,
    kms: FIXED_RESOURCES.kmsKeys * prices.kms.perKeyMonth,
  };
  const free = prices.alwaysFree;
  const over = (used: number, allowance: number) => Math.max(0, used - allowance);
  const afterFree = {
    lambda: (over(month.lambdaRequests, free.lambdaRequests) / 1e6) * prices.lambda.perMillionRequests + over(month.lambdaGbSeconds, free.lambdaGbSeconds) * prices.lambda.perGbSecondArm64,
    dynamodb: byService.dynamodb,
    sqs: (over(month.sqsRequests, free.sqsRequests) / 1e6) * prices.sqs.perMillionStandardRequests,
    sns: (over(month.snsPublishes, free.snsPublishes) / 1e6) * prices.sns.perMillionPublishes + over(month.emails, free.snsEmails) * prices.sns.perEmailDelivery,
    cloudwatchMetrics: over(month.customMetrics, free.customMetrics) * prices.cloudwatch.perCustomMetricMonth,
    cloudwatchLogs: over(month.logGb, free.logsGb) * prices.cloudwatch.perGbLogsIngested,
    scheduler: (over(month.schedulerInvocations, free.schedulerInvocations) / 1e6) * prices.scheduler.perMillionInvocations,
    cloudwatchAlarms: over(FIXED_RESOURCES.alarms, free.alarms) * prices.cloudwatch.perStandardAlarmMonth,
    cloudwatchDashboards: over(FIXED_RESOURCES.dashboards, free.dashboards) * prices.cloudwatch.perDashboardMonth,
    // A customer-managed key has no free tier (only its first 20,000 requests a month are free).
    kms: byService.kms,
  };
  const round = (x: number, d = 2) => Math.round(x * 10 ** d) / 10 ** d;
  return {
    totalUsd: round(Object.values(byService).reduce((a, b) => a + b, 0)),
    afterAlwaysFreeUsd: round(Object.values(afterFree).reduce((a, b) => a + b, 0)),
    byService: Object.fromEntries(Object.entries(byService).map(([k, v]) => [k, round(v, 3)])),
    usage: Object.fromEntries(Object.entries(month).map(([k, v]) => [k, round(v, 3)])),
    smsPerMessageUsd: prices.sns.perSmsUs,
  };
}
