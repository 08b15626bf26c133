import { describe, expect, it } from 'vitest';
import { ENV, loadConfig } from '#shared/config.ts';
import { ConfigError } from '#shared/errors.ts';

const base = { [ENV.tableName]: 'events' };

describe('loadConfig: ALLOW_PRIVATE_NETWORKS', () => {
  it('is false when unset: the fetcher refuses internal addresses by default', () => {
    expect(loadConfig(base).allowPrivateNetworks).toBe(false);
  });

  it('reads true and false', () => {
    expect(loadConfig({ ...base, [ENV.allowPrivateNetworks]: 'true' }).allowPrivateNetworks).toBe(true);
    expect(loadConfig({ ...base, [ENV.allowPrivateNetworks]: 'false' }).allowPrivateNetworks).toBe(false);
  });

  it.each(['yes', '1', 'TRUE', ''])('refuses %j at cold start, naming the variable', (value) => {
    expect(() => loadConfig({ ...base, [ENV.allowPrivateNetworks]: value })).toThrow(ConfigError);
    expect(() => loadConfig({ ...base, [ENV.allowPrivateNetworks]: value })).toThrow(/ALLOW_PRIVATE_NETWORKS: must be true or false/);
  });
});

describe('loadConfig: WebSub', () => {
  it('is off without a callback URL', () => {
    expect(loadConfig(base).websub).toBeUndefined();
  });

  it('reads the callback URL and the lease, 10 days by default', () => {
    expect(loadConfig({ ...base, [ENV.websubCallbackUrl]: 'https://abc.lambda-url.eu-west-1.on.aws/' }).websub).toEqual({ callbackBaseUrl: 'https://abc.lambda-url.eu-west-1.on.aws/', leaseSeconds: 864_000 });
    expect(loadConfig({ ...base, [ENV.websubCallbackUrl]: 'https://abc.lambda-url.eu-west-1.on.aws/', [ENV.websubLeaseSeconds]: '86400' }).websub?.leaseSeconds).toBe(86_400);
  });

  it.each([
    [ENV.websubCallbackUrl, 'http://abc.lambda-url.eu-west-1.on.aws/', /WEBSUB_CALLBACK_URL: must be an https URL/],
    [ENV.websubLeaseSeconds, '60', /WEBSUB_LEASE_SECONDS/],
  ])('refuses %s=%j at cold start', (name, value, message) => {
    expect(() => loadConfig({ ...base, [ENV.websubCallbackUrl]: 'https://abc.lambda-url.eu-west-1.on.aws/', [name]: value })).toThrow(message);
  });
});

describe('loadConfig: the rest of the environment, read by hand at cold start', () => {
  it('gives the defaults when only the table is named', () => {
    const config = loadConfig(base);
    expect(config.policy).toMatchObject({ singleSourceMinSeverity: 3, minSources: 2, maxAlertAgeHours: 72, burstLimit: 6 });
    expect(config).toMatchObject({ tableName: 'events', pollIntervalMinutes: 5, staleAfterHours: 48 });
    expect(config.alertTopicArn).toBeUndefined();
  });

  it('reads whole numbers within their range', () => {
    const config = loadConfig({ ...base, [ENV.minSources]: '3', [ENV.pollIntervalMinutes]: ' 10 ', [ENV.burstLimit]: '1000' });
    expect(config.policy.minSources).toBe(3);
    expect(config.pollIntervalMinutes).toBe(10);
    expect(config.policy.burstLimit).toBe(1000);
  });

  it.each([
    [ENV.minSources, 'two', /ALERT_MIN_SOURCES: must be a whole number, got "two"/],
    [ENV.minSources, '2.5', /ALERT_MIN_SOURCES: must be a whole number/],
    [ENV.minSources, '', /ALERT_MIN_SOURCES: must be a whole number/],
    [ENV.minSources, '0', /ALERT_MIN_SOURCES: must be from 1 to 20, got 0/],
    [ENV.burstLimit, '1001', /ALERT_BURST_LIMIT: must be from 1 to 1000/],
    [ENV.tableName, 'ab', /TABLE_NAME: is required/],
    [ENV.alertTopicArn, 'alerts', /ALERT_TOPIC_ARN: must be an ARN/],
    [ENV.feedQueueUrl, 'feed-jobs', /FEED_QUEUE_URL: must be a URL/],
    [ENV.storyQueueUrl, 'ftp://example.com/q', /STORY_QUEUE_URL: must be a URL/],
  ])('refuses %s=%j, naming the variable', (name, value, message) => {
    expect(() => loadConfig({ ...base, [name]: value })).toThrow(ConfigError);
    expect(() => loadConfig({ ...base, [name]: value })).toThrow(message);
  });

  it('refuses a missing table name', () => {
    expect(() => loadConfig({})).toThrow(/invalid environment: TABLE_NAME: is required/);
  });
});
