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
