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
