import { Logger } from '@aws-lambda-powertools/logger';
import { Metrics, MetricUnit } from '@aws-lambda-powertools/metrics';
import type { Log } from './ports.ts';

/**
 * The one Powertools setup every Lambda shares. Service name and namespace are fixed here so
 * alarms and dashboards can rely on them; POWERTOOLS_* environment variables can still override.
 */
export const SERVICE = 'iran-pakistan-watch';
export const METRICS_NAMESPACE = 'IranPakistanWatch';

export const logger = new Logger({ serviceName: SERVICE });
export const metrics = new Metrics({ namespace: METRICS_NAMESPACE, serviceName: SERVICE });

/** Metric names operators watch; kept in one place for the alarms in the pipeline stack. */
export const METRIC = {
  feedsFetched: 'feedsFetched',
  feedsNotModified: 'feedsNotModified',
  feedErrors: 'feedErrors',
  articlesNew: 'articlesNew',
  articlesRelevant: 'articlesRelevant',
  duplicatesSkipped: 'duplicatesSkipped',
  storiesNew: 'storiesNew',
  storiesUpdated: 'storiesUpdated',
  alertsPublished: 'alertsPublished',
  alertsDuplicate: 'alertsDuplicate',
  feedsDispatched: 'feedsDispatched',
  staleFeeds: 'staleFeeds',
  /** pushes to the WebSub callback refused (unsigned, bad signature, too large, unknown subscription) */
  pushesRefused: 'pushesRefused',
} as const;

export function count(name: keyof typeof METRIC, value = 1): void {
  if (value > 0) metrics.addMetric(METRIC[name], MetricUnit.Count, value);
}

/** A gauge that is emitted even when zero, so its alarm always has data. */
export function gauge(name: keyof typeof METRIC, value: number): void {
  metrics.addMetric(METRIC[name], MetricUnit.Count, value);
}

/** The use cases' Log port over the Powertools logger. */
export const log: Log = {
  debug: (message, extra) => (extra ? logger.debug(message, extra) : logger.debug(message)),
  info: (message, extra) => (extra ? logger.info(message, extra) : logger.info(message)),
  warn: (message, extra) => (extra ? logger.warn(message, extra) : logger.warn(message)),
  error: (message, extra) => (extra ? logger.error(message, extra) : logger.error(message)),
};
